# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""The official e-mail channel: a mail becomes one incoming document.

Conversion of MIME mails (Vietnamese headers, attachments, duplicates,
broken mails) into waiting incoming documents and the log of received
mails, and the IMAP session against a real Dovecot on 127.0.0.1.
"""
import base64
import datetime as dt
import quopri
import unicodedata
import unittest
from email.message import EmailMessage
from email.utils import format_datetime

from trytond.model.exceptions import AccessError
from trytond.modules.vb_document.tests import (
    as_user, create_agency, create_staff, minimal_pdf)
from trytond.modules.vb_lgsp import mailbox as mailbox_module
from trytond.modules.vb_lgsp.mailbox import (
    ImapError, ImapSession, MailboxError, MailboxValidationError)
from trytond.modules.vb_lgsp.mailmime import parse_mail
from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, with_transaction
from trytond.transaction import Transaction

from . import imap_server

PDF = minimal_pdf("Cong van 123")
DOCX = b'PK\x03\x04' + b'word/document.xml' * 20
SUBJECT = "V/v triển khai Nghị định 30/2020/NĐ-CP về công tác văn thư"


def official_mail(subject=SUBJECT, message_id='<cv-123@stc.example.gov.vn>',
        sender=('Văn thư Sở Tài chính', 'vanthu@stc.example.gov.vn'),
        files=(('Tờ trình kèm theo.docx', DOCX,
                'application/vnd.openxmlformats-officedocument'
                '.wordprocessingml.document'),
            ('Công văn 123.pdf', PDF, 'application/pdf')),
        body="Kính gửi Sở Nội vụ,\nSở Tài chính gửi công văn số "
        "123/STC-VP.\nTrân trọng."):
    "A mail as a mailer of the province writes it (bytes)"
    message = EmailMessage()
    message['Subject'] = subject
    message['From'] = f'"{sender[0]}" <{sender[1]}>'
    message['To'] = 'vanthu@snv.example.gov.vn'
    message['Date'] = format_datetime(dt.datetime(2026, 11, 20, 8, 30,
            tzinfo=dt.timezone(dt.timedelta(hours=7))))
    if message_id:
        message['Message-ID'] = message_id
    message.set_content(body)
    for name, data, content_type in files:
        maintype, subtype = content_type.split('/', 1)
        message.add_attachment(data, maintype=maintype, subtype=subtype,
            filename=name)
    return message.as_bytes()


def handmade(message_id, payload, close=True):
    "A mail with one PDF whose base64 payload is given as is"
    return (b'From: "Van thu" <vt@stc.example.gov.vn>\r\n'
        b'Subject: =?UTF-8?B?' + base64.b64encode(SUBJECT.encode()) + b'?=\r\n'
        b'Message-ID: ' + message_id.encode() + b'\r\n'
        b'MIME-Version: 1.0\r\n'
        b'Content-Type: multipart/mixed; boundary="RANH-GIOI"\r\n\r\n'
        b'--RANH-GIOI\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n'
        b'Kinh gui\r\n'
        b'--RANH-GIOI\r\nContent-Type: application/pdf\r\n'
        b'Content-Disposition: attachment; filename="cv.pdf"\r\n'
        b'Content-Transfer-Encoding: base64\r\n\r\n' + payload
        + (b'\r\n--RANH-GIOI--\r\n' if close else b''))


TONES = '\u0300\u0301\u0303\u0309\u0323'


def cp1258(text):
    "text in windows-1258: precomposed vowels, separate tone marks"
    result = b''
    for char in text:
        try:
            result += char.encode('cp1258')
        except UnicodeEncodeError:
            decomposed = unicodedata.normalize('NFD', char)
            tone = [c for c in decomposed if c in TONES][0]
            base = unicodedata.normalize('NFC', decomposed.replace(tone, ''))
            result += base.encode('cp1258') + tone.encode('cp1258')
    return result


class MailboxTestCase(unittest.TestCase):
    "Test the official e-mail channel"

    @classmethod
    def setUpClass(cls):
        activate_module('vb_lgsp')

    def _mailbox(self, name="Hộp thư văn thư", agency=None, **values):
        pool = Pool()
        Mailbox = pool.get('vb.lgsp.mailbox')
        Type = pool.get('vb.document.type')
        type_, = Type.search([('code', '=', 'cong_van')])
        mailbox, = Mailbox.create([{'name': name,
                    'company': (agency or self.agency).id,
                    'address': 'vanthu@snv.example.gov.vn',
                    'document_type': type_.id, 'host': '127.0.0.1',
                    'login': 'vanthu@snv.example.gov.vn', **values}])
        return mailbox

    def _setup(self):
        pool = Pool()
        Party = pool.get('party.party')
        Mechanism = pool.get('party.contact_mechanism')
        self.agency = create_agency("Sở Nội vụ", '000.00.08.H99', 'SNV')
        self.clerk = create_staff(self.agency, 'vanthu', ['clerk'])
        self.admin = create_staff(self.agency, 'quantri', ['agency_admin'])
        self.stc = create_agency("Sở Tài chính", '000.00.09.H99', 'STC',
            external=True)
        Mechanism.create([{'party': self.stc.party.id, 'type': 'email',
                    'value': 'VanThu@stc.example.gov.vn'}])
        self.ubnd = create_agency("UBND huyện Hòa Vang", '000.00.10.H99',
            'HV', external=True)
        Mechanism.create([{'party': self.ubnd.party.id, 'type': 'email',
                    'value': 'ubnd@hoavang.example.gov.vn'}])
        # A citizen's public address says nothing of an agency
        citizen, = Party.create([{'name': "Công dân"}])
        Mechanism.create([{'party': citizen.id, 'type': 'email',
                    'value': 'someone@gmail.com'}])
        self.mailbox = self._mailbox()
        Transaction().user_notifications.clear()

    def notified(self):
        return {int(n.user) for n in Transaction().user_notifications}

    @with_transaction()
    def test_mail_becomes_incoming_document(self):
        "A mail with files is one waiting incoming document of the agency"
        pool = Pool()
        Mail = pool.get('vb.lgsp.mail')
        self._setup()
        raw = official_mail()
        mail, created = Mail.take(self.mailbox, raw, uid='7:1')
        self.assertTrue(created)
        self.assertEqual(mail.state, 'stored')
        document = mail.document
        self.assertEqual((document.company, document.direction,
                document.state, document.source),
            (self.agency, 'incoming', 'waiting', 'email'))
        self.assertEqual(document.subject, SUBJECT)
        self.assertEqual(document.type, self.mailbox.document_type)
        # The address of the sender is the one of Sở Tài chính
        self.assertEqual(document.issuer, self.stc)
        self.assertEqual(document.issuer_name, self.stc.rec_name)
        self.assertIn("vanthu@stc.example.gov.vn", document.note)
        self.assertIn("20/11/2026 08:30", document.note)
        self.assertIn("123/STC-VP", document.note)
        # The PDF is the main file though it came second
        files = {f.name: f for f in document.files}
        self.assertEqual(set(files),
            {'Công văn 123.pdf', 'Tờ trình kèm theo.docx'})
        self.assertEqual(files['Công văn 123.pdf'].document_role, 'main')
        self.assertEqual(bytes(files['Công văn 123.pdf'].data), PDF)
        self.assertEqual(files['Tờ trình kèm theo.docx'].document_role,
            'annex')
        self.assertEqual((mail.message_id, mail.key),
            ('cv-123@stc.example.gov.vn', 'cv-123@stc.example.gov.vn'))
        self.assertEqual(mail.sender,
            'Văn thư Sở Tài chính <vanthu@stc.example.gov.vn>')
        self.assertEqual(mail.sent_at, dt.datetime(2026, 11, 20, 1, 30))
        self.assertEqual(mail.attachment_count, 2)
        self.assertEqual(bytes(mail.raw), raw)
        self.assertEqual(list(document.mails), [mail])
        # The clerks are told
        self.assertIn(self.clerk.id, self.notified())

    @with_transaction()
    def test_vietnamese_headers(self):
        "Encoded subjects and file names come out as Vietnamese text (NFC)"
        pool = Pool()
        Mail = pool.get('vb.lgsp.mail')
        self._setup()
        cases = [
            # base64 UTF-8, as most mailers write it
            (b'=?UTF-8?B?' + base64.b64encode(SUBJECT.encode()) + b'?=',
                SUBJECT),
            # quoted-printable windows-1258 (tone marks apart), as old
            # Outlook writes it
            (b'=?windows-1258?Q?' + quopri.encodestring(cp1258(
                        "Công văn gửi Sở Nội vụ"), header=True) + b'?=',
                "Công văn gửi Sở Nội vụ"),
            # raw 8-bit UTF-8 (not allowed, but sent)
            ("Giấy mời họp giao ban".encode(), "Giấy mời họp giao ban"),
            # decomposed (NFD) text of some systems
            (unicodedata.normalize('NFD', "Kế hoạch năm 2027").encode(),
                "Kế hoạch năm 2027"),
            ]
        for index, (header, expected) in enumerate(cases):
            raw = official_mail(subject='X',
                message_id=f'<h{index}@stc.example.gov.vn>').replace(
                b'Subject: X', b'Subject: ' + header, 1)
            mail, _ = Mail.take(self.mailbox, raw)
            with self.subTest(header=header):
                self.assertEqual(mail.state, 'stored')
                self.assertEqual(mail.document.subject, expected)
                self.assertEqual(mail.subject, expected)
        # RFC 2231 file names with Vietnamese, and no subject at all
        raw = official_mail(subject='', message_id='<n@x.example.gov.vn>',
            files=[(unicodedata.normalize('NFD', "Quyết định số 5.pdf"),
                    PDF, 'application/pdf')])
        mail, _ = Mail.take(self.mailbox, raw)
        file, = mail.document.files
        self.assertEqual(file.name, "Quyết định số 5.pdf")
        self.assertIn("Văn thư Sở Tài chính", mail.document.subject)

    @with_transaction()
    def test_issuer_by_domain(self):
        "The only agency with an address in the sender's domain is the issuer"
        pool = Pool()
        Mail = pool.get('vb.lgsp.mail')
        self._setup()
        mail, _ = Mail.take(self.mailbox, official_mail(message_id='<d1@x>',
                sender=("Phòng Nội vụ", 'pnv@hoavang.example.gov.vn')))
        self.assertEqual(mail.document.issuer, self.ubnd)
        # A public provider's domain names no agency
        mail, _ = Mail.take(self.mailbox, official_mail(message_id='<d2@x>',
                sender=("Nguyễn Văn A", 'nguyenvana@gmail.com')))
        self.assertIsNone(mail.document.issuer)
        self.assertEqual(mail.document.issuer_name,
            'Nguyễn Văn A <nguyenvana@gmail.com>')
        # Unknown domain: the sender as written
        mail, _ = Mail.take(self.mailbox, official_mail(message_id='<d3@x>',
                sender=("", 'vanphong@khac.example.vn')))
        self.assertIsNone(mail.document.issuer)
        self.assertEqual(mail.document.issuer_name,
            'vanphong@khac.example.vn')

    @with_transaction()
    def test_duplicates(self):
        "A mail is stored once: same Message-ID, same bytes, other mailbox"
        pool = Pool()
        Mail = pool.get('vb.lgsp.mail')
        Document = pool.get('vb.document')
        self._setup()
        first, created = Mail.take(self.mailbox, official_mail())
        self.assertTrue(created)
        # The same mail read again (its \Seen mark was lost)
        again, created = Mail.take(self.mailbox, official_mail())
        self.assertFalse(created)
        self.assertEqual(again, first)
        # Same Message-ID, other bytes (another copy of the server)
        again, created = Mail.take(self.mailbox,
            official_mail(body="Bản sao"))
        self.assertEqual((again, created), (first, False))
        # Without Message-ID: the same bytes are the same mail
        raw = official_mail(message_id=None)
        mail, created = Mail.take(self.mailbox, raw)
        self.assertTrue(created)
        self.assertTrue(mail.key.startswith('sha256:'))
        self.assertEqual(Mail.take(self.mailbox, raw), (mail, False))
        # The same mail in another mailbox of the agency: logged duplicate
        other = self._mailbox("Hộp thư lãnh đạo")
        copy, created = Mail.take(other, official_mail())
        self.assertTrue(created)
        self.assertEqual(copy.state, 'duplicate')
        self.assertEqual(copy.document, first.document)
        self.assertEqual(Document.search_count([
                    ('source', '=', 'email')]), 2)
        # ... but another agency gets its own document
        agency = create_agency("Sở Y tế", '000.00.11.H99', 'SYT')
        mail, created = Mail.take(self._mailbox("Sở Y tế", agency=agency),
            official_mail())
        self.assertEqual(mail.state, 'stored')
        self.assertEqual(mail.document.company, agency)

    @with_transaction()
    def test_mails_not_stored(self):
        "Broken, empty and oversized mails are logged with a status, no crash"
        pool = Pool()
        Mail = pool.get('vb.lgsp.mail')
        Document = pool.get('vb.document')
        Configuration = pool.get('vb.document.configuration')
        self._setup()
        encoded = base64.encodebytes(PDF).replace(b'\n', b'\r\n')
        cases = [
            # Cut in the middle of the file: no closing boundary
            (handmade('<cut@x>', encoded[:len(encoded) // 2], close=False),
                'malformed'),
            # A file that is not base64
            (handmade('<b64@x>', encoded[:20] + b'%%%!!' + encoded[20:]),
                'malformed'),
            (b'\x00\x01\xff ce n\'est pas un courrier', 'malformed'),
            (official_mail(message_id='<empty@x>', files=[]),
                'no_attachment'),
            ]
        for raw, state in cases:
            with self.subTest(state=state, raw=raw[:40]):
                Transaction().user_notifications.clear()
                mail, created = Mail.take(self.mailbox, raw)
                self.assertTrue(created)
                self.assertEqual(mail.state, state)
                self.assertIsNone(mail.document)
                self.assertTrue(mail.error)
                self.assertEqual(bytes(mail.raw), raw)
                self.assertIn(self.admin.id, self.notified())
        self.assertEqual(Document.search_count([('source', '=', 'email')]),
            0)

        # Over vb_document's size limit, then the limit is raised
        Configuration.write([Configuration(1)], {'max_file_size': 1})
        big = official_mail(message_id='<big@x>', files=[
                ('cv.pdf', PDF, 'application/pdf'),
                ('ban-do.tif', b'II*\x00' + b'\x00' * (1024 * 1024 + 10),
                    'image/tiff')])
        mail, _ = Mail.take(self.mailbox, big)
        self.assertEqual(mail.state, 'too_large')
        self.assertIn('ban-do.tif', mail.error)
        self.assertIn('1.0 MB', mail.error)
        Mail.process_again([mail])
        self.assertEqual(mail.state, 'too_large')
        Configuration.write([Configuration(1)], {'max_file_size': 5})
        Mail.process_again([mail])
        self.assertEqual(mail.state, 'stored')
        self.assertEqual(len(mail.document.files), 2)

        # A mail without file stored on demand, its text kept
        empty, = Mail.search([('key', '=', 'empty@x')])
        Mail.store_without_file([empty])
        self.assertEqual(empty.state, 'stored')
        self.assertEqual(list(empty.document.files), [])
        self.assertIn("123/STC-VP", empty.document.note)

    @with_transaction()
    def test_parse_attachments(self):
        "Inline pictures of signatures are not files; names are unique"
        message = EmailMessage()
        message['Subject'] = "Giấy mời"
        message['From'] = 'vp@ubnd.example.gov.vn'
        message.set_content("Nội dung")
        message.add_alternative("<p>Nội dung <img src='cid:logo'></p>",
            subtype='html')
        message.get_payload()[1].add_related(b'\x89PNG\r\n', 'image',
            'png', cid='<logo>', filename='logo.png', disposition='inline')
        for _ in range(2):
            message.add_attachment(PDF, maintype='application',
                subtype='pdf', filename='giay-moi.pdf')
        message.add_attachment(b'abc', maintype='application',
            subtype='octet-stream')
        parsed = parse_mail(message.as_bytes(), 10 * 1024 * 1024)
        self.assertIsNone(parsed.problem)
        self.assertEqual([a.name for a in parsed.attachments],
            ['giay-moi.pdf', 'giay-moi (2).pdf', 'tep-3.bin'])
        self.assertEqual(parsed.body, "Nội dung")
        # An HTML body only: its text is kept
        html = EmailMessage()
        html['Subject'] = "x"
        html.set_content("<html><head><style>p{}</style></head><body>"
            "<p>Kính gửi:&nbsp;Sở</p><p>Trân trọng</p></body></html>",
            subtype='html')
        html.add_attachment(PDF, maintype='application', subtype='pdf',
            filename='a.pdf')
        parsed = parse_mail(html.as_bytes())
        self.assertIn("Kính gửi: Sở", parsed.body)
        self.assertIn("Trân trọng", parsed.body)
        self.assertNotIn("<p>", parsed.body)
        self.assertNotIn("p{}", parsed.body)

    @with_transaction()
    def test_mailbox_settings(self):
        "The password is write-only; bad settings are refused in Vietnamese"
        pool = Pool()
        Mailbox = pool.get('vb.lgsp.mailbox')
        Mail = pool.get('vb.lgsp.mail')
        self._setup()
        Mailbox.write([self.mailbox], {'new_password': 'bí-mật-2026-xyz'})
        mailbox = Mailbox(self.mailbox.id)
        self.assertEqual(mailbox.password, 'bí-mật-2026-xyz')
        self.assertEqual(mailbox.password_hint, '•' * 8 + '-xyz')
        with as_user(self.admin):
            with self.assertRaises(AccessError):
                Mailbox.read([mailbox.id], ['password'])
            hint, = Mailbox.read([mailbox.id], ['password_hint'])
            self.assertEqual(hint['password_hint'], '•' * 8 + '-xyz')
        for values in [{'host': 'mail.example.vn/../x'},
                {'ca_certificates': 'không phải PEM'}]:
            with self.subTest(values=values), \
                    self.assertRaises(MailboxValidationError):
                Mailbox.write([mailbox], values)
        # The log is evidence: nobody writes it through the client
        mail, _ = Mail.take(mailbox, official_mail())
        with as_user(self.admin), \
                self.assertRaises((MailboxError, AccessError)):
            Mail.write([Mail(mail.id)], {'subject': "Sửa"})


@unittest.skipUnless(imap_server.available(),
    "needs Dovecot (make system installs dovecot-imapd)")
class ImapSessionTestCase(unittest.TestCase):
    "Test the IMAP session against a real Dovecot"

    LOGIN = 'vanthu@snv.example.gov.vn'
    PASSWORD = 'Mật-khẩu-2026'

    @classmethod
    def setUpClass(cls):
        cls.server = imap_server.Dovecot({cls.LOGIN: cls.PASSWORD}).start()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def session(self, security='ssl', password=None, folder='INBOX',
            cadata=True):
        server = self.server
        return ImapSession('127.0.0.1',
            server.ssl_port if security == 'ssl' else server.port,
            security, self.LOGIN, password or self.PASSWORD, folder,
            timeout=10, cadata=server.ca_pem if cadata else None)

    def test_read_and_mark(self):
        "Unseen mails are read without being marked, then marked once stored"
        raw = official_mail(message_id='<imap-1@stc.example.gov.vn>')
        self.server.deliver(self.LOGIN, raw)
        for security in ['ssl', 'starttls']:
            with self.subTest(security=security), \
                    self.session(security) as session:
                uid, = session.unseen()
                self.assertIn(b'imap-1@stc.example.gov.vn',
                    session.headers(uid))
                self.assertEqual(session.fetch(uid).replace(b'\r\n', b'\n'),
                    raw.replace(b'\r\n', b'\n'))
                self.assertTrue(session.uidvalidity)
        self.assertEqual(self.server.flags(self.LOGIN)[uid], set())
        with self.session('none') as session:
            session.mark(uid)
            self.assertEqual(session.unseen(), [])
        self.assertIn(r'\Seen', self.server.flags(self.LOGIN)[uid])

    def test_move_to_folder(self):
        "Stored mails are moved to the folder of stored mails"
        folder = "Văn bản đã lưu"
        self.server.create_folder(self.LOGIN, folder)
        self.server.deliver(self.LOGIN, official_mail(
                message_id='<imap-move@stc.example.gov.vn>'))
        before = self.server.count(self.LOGIN, 'INBOX')
        with self.session() as session:
            self.assertIn('MOVE', session.capabilities)
            uid = session.unseen()[-1]
            session.mark(uid, folder)
        self.assertEqual(self.server.count(self.LOGIN, 'INBOX'), before - 1)
        self.assertEqual(self.server.count(self.LOGIN, folder), 1)
        with self.session(folder=folder) as session:
            self.assertEqual(session.unseen(), [])

    def test_errors(self):
        "Wrong password, folder, untrusted certificate: an ImapError"
        for kwargs in [{'password': 'sai'}, {'folder': 'Thư mục không có'},
                {'cadata': False}]:
            with self.subTest(**kwargs), self.assertRaises(ImapError):
                with self.session(**kwargs):
                    pass
        with self.assertRaises(ImapError):
            with ImapSession('127.0.0.1', 1, 'none', 'a', 'b', 'INBOX',
                    timeout=5):
                pass


del mailbox_module
