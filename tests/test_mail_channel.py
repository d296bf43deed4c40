# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""The official e-mail channel end to end: a real IMAP server, over TLS.

Sở Nội vụ's clerk has an official mailbox on the provincial mail server
(Dovecot on 127.0.0.1, IMAPS with a certificate of the province's own
CA). Sở Tài chính mails an official letter with its PDF and an annex; a
citizen mails a text without file; a broken mail arrives. The mailbox is
read through the server (JSON-RPC over HTTP, as the web client does): the
letter is a document waiting for the clerk, the others are in the log of
received mails with their status, everything is marked \\Seen only once
stored, and reading again — also after the marks were lost, as when the
server went down between the commit and the mark — stores nothing twice.
"""
import base64
import datetime as dt
from email.message import EmailMessage
from email.utils import format_datetime

import pytest

from helpers import PDF, agency_id, catalog_id
from live import RPCError

from trytond.modules.vb_lgsp.tests import imap_server

pytestmark = pytest.mark.skipif(not imap_server.available(),
    reason="needs Dovecot (make system installs dovecot-imapd)")

LOGIN = 'vanthu.snv@example.gov.vn'
PASSWORD = 'Văn-thư-2026!'
SUBJECT = "V/v đề nghị thẩm định dự toán kinh phí cải cách hành chính 2027"
DOCX = b'PK\x03\x04' + b'word/document.xml' * 50


def mail(subject, sender, message_id, files=(), body="Kính gửi Sở Nội vụ."):
    message = EmailMessage()
    message['Subject'] = subject
    message['From'] = sender
    message['To'] = LOGIN
    message['Date'] = format_datetime(dt.datetime.now(dt.timezone.utc))
    message['Message-ID'] = message_id
    message.set_content(body)
    for name, data, maintype, subtype in files:
        message.add_attachment(data, maintype=maintype, subtype=subtype,
            filename=name)
    return message.as_bytes()


BROKEN = (b'From: <loi@example.vn>\r\nSubject: =?UTF-8?B?'
    + base64.b64encode("Thư bị cắt".encode()) + b'?=\r\n'
    b'Message-ID: <cut-1@example.vn>\r\nMIME-Version: 1.0\r\n'
    b'Content-Type: multipart/mixed; boundary="XYZ"\r\n\r\n--XYZ\r\n'
    b'Content-Type: application/pdf\r\n'
    b'Content-Disposition: attachment; filename="a.pdf"\r\n'
    b'Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK')


@pytest.fixture(scope='module')
def dovecot():
    with imap_server.Dovecot({LOGIN: PASSWORD}) as server:
        yield server


@pytest.fixture(scope='module')
def mailbox(demo_server, dovecot):
    admin = demo_server.client('admin')
    snv, stc = agency_id(admin, 'SNV'), agency_id(admin, 'STC')
    party, = admin.model('company.company', 'read', [stc], ['party'])
    admin.model('party.contact_mechanism', 'create', [{
                'party': party['party'], 'type': 'email',
                'value': 'vanthu.stc@example.gov.vn'}])
    mailbox, = admin.model('vb.lgsp.mailbox', 'create', [{
                'name': "Hộp thư công vụ Sở Nội vụ", 'company': snv,
                'address': LOGIN,
                'document_type': catalog_id(admin, 'vb.document.type',
                    'cong_van'),
                'host': '127.0.0.1', 'port': dovecot.ssl_port,
                'security': 'ssl', 'ca_certificates': dovecot.ca_pem,
                'login': LOGIN, 'new_password': PASSWORD}])
    return {'id': mailbox, 'snv': snv, 'stc': stc, 'admin': admin}


def email_documents(clerk, snv):
    return clerk.model('vb.document', 'search_read',
        [('source', '=', 'email')], 0, None, [('id', 'ASC')],
        ['subject', 'state', 'direction', 'issuer', 'files', 'note'],
        context={'company': snv})


def test_mails_become_documents_once(demo_server, dovecot, mailbox):
    admin, snv = mailbox['admin'], mailbox['snv']
    dovecot.deliver(LOGIN, mail(SUBJECT,
            '"Văn thư Sở Tài chính" <vanthu.stc@example.gov.vn>',
            '<stc-2026-123@example.gov.vn>', files=[
                ('Dự toán chi tiết.docx', DOCX, 'application',
                    'vnd.openxmlformats-officedocument.wordprocessingml'
                    '.document'),
                ('Công văn 123-STC.pdf', PDF, 'application', 'pdf')]))
    dovecot.deliver(LOGIN, mail("Hỏi về thủ tục nâng lương",
            '"Trần Văn Bình" <binh.tv@gmail.com>', '<cd-1@gmail.com>'))
    dovecot.deliver(LOGIN, BROKEN)

    admin.model('vb.lgsp.mailbox', 'poll_now', [mailbox['id']])

    clerk = demo_server.client('vanthu.snv')
    document, = email_documents(clerk, snv)
    assert (document['direction'], document['state']) == (
        'incoming', 'waiting')
    assert document['subject'] == SUBJECT
    assert document['issuer'] == mailbox['stc']
    assert 'vanthu.stc@example.gov.vn' in document['note']
    files = clerk.model('ir.attachment', 'read', document['files'],
        ['name', 'document_role', 'data'])
    roles = {f['name']: f['document_role'] for f in files}
    assert roles == {'Công văn 123-STC.pdf': 'main',
        'Dự toán chi tiết.docx': 'annex'}

    log = admin.model('vb.lgsp.mail', 'search_read',
        [('mailbox', '=', mailbox['id'])], 0, None, [('id', 'ASC')],
        ['subject', 'state', 'document', 'error', 'message_id'],
        context={'company': snv})
    states = {m['message_id']: m['state'] for m in log}
    assert states == {'stc-2026-123@example.gov.vn': 'stored',
        'cd-1@gmail.com': 'no_attachment', 'cut-1@example.vn': 'malformed'}
    errors = {m['message_id']: m['error'] for m in log}
    assert 'không có tệp đính kèm' in errors['cd-1@gmail.com']
    assert 'cấu trúc MIME' in errors['cut-1@example.vn']
    # Every mail read is marked on the server, once stored or logged
    assert all('\\Seen' in f for f in dovecot.flags(LOGIN).values())
    result, = admin.model('vb.lgsp.mailbox', 'read', [mailbox['id']],
        ['last_poll_result'])
    assert result['last_poll_result'].startswith('3 thư mới, 1 thư'), result

    # Read again: nothing new. Marks lost after the commit (the server
    # went down): the mails are recognised by their Message-ID
    admin.model('vb.lgsp.mailbox', 'poll_now', [mailbox['id']])
    dovecot.unflag_seen(LOGIN)
    admin.model('vb.lgsp.mailbox', 'poll_now', [mailbox['id']])
    assert len(email_documents(clerk, snv)) == 1
    assert admin.model('vb.lgsp.mail', 'search_count',
        [('mailbox', '=', mailbox['id'])], context={'company': snv}) == 3
    assert all('\\Seen' in f for f in dovecot.flags(LOGIN).values())

    # The citizen's mail stored on demand by the clerk, without file
    question, = [m for m in log if m['message_id'] == 'cd-1@gmail.com']
    clerk.model('vb.lgsp.mail', 'store_without_file', [question['id']],
        context={'company': snv})
    documents = email_documents(clerk, snv)
    assert [d['subject'] for d in documents] == [
        SUBJECT, "Hỏi về thủ tục nâng lương"]
    assert documents[1]['files'] == []


def test_password_and_errors(demo_server, dovecot, mailbox):
    admin, snv = mailbox['admin'], mailbox['snv']
    with pytest.raises(RPCError):
        admin.model('vb.lgsp.mailbox', 'read', [mailbox['id']], ['password'])
    hint, = admin.model('vb.lgsp.mailbox', 'read', [mailbox['id']],
        ['password_hint'])
    assert hint['password_hint'].startswith('•') and (
        PASSWORD not in hint['password_hint'])
    # A wrong password: a Vietnamese error, nothing read
    admin.model('vb.lgsp.mailbox', 'write', [mailbox['id']],
        {'new_password': 'mat-khau-sai'})
    dovecot.deliver(LOGIN, mail("Giấy mời họp", '<vp@ubnd.example.gov.vn>',
            '<gm-1@ubnd.example.gov.vn>',
            files=[('Giấy mời.pdf', PDF, 'application', 'pdf')]))
    with pytest.raises(RPCError) as error:
        admin.model('vb.lgsp.mailbox', 'poll_now', [mailbox['id']])
    assert 'Không đọc được hộp thư' in error.value.message
    assert 'AUTHENTICATIONFAILED' in error.value.message
    # The right one again: the mail waiting is read
    admin.model('vb.lgsp.mailbox', 'write', [mailbox['id']],
        {'new_password': PASSWORD})
    admin.model('vb.lgsp.mailbox', 'poll_now', [mailbox['id']])
    clerk = demo_server.client('vanthu.snv')
    assert "Giấy mời họp" in [d['subject']
        for d in email_documents(clerk, snv)]
    # An untrusted certificate is refused
    admin.model('vb.lgsp.mailbox', 'write', [mailbox['id']],
        {'ca_certificates': None})
    with pytest.raises(RPCError) as error:
        admin.model('vb.lgsp.mailbox', 'poll_now', [mailbox['id']])
    assert 'certificate' in error.value.message
    admin.model('vb.lgsp.mailbox', 'write', [mailbox['id']],
        {'ca_certificates': dovecot.ca_pem})
