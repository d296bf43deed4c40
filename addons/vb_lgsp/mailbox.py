# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""The official e-mail channel: a mailbox read over IMAP.

An agency's official mailbox (the clerk's address on the provincial mail
server) is read by a cron with the standard imaplib: each mail not yet
seen becomes ONE incoming document waiting for the clerk, with its
attached files (the first PDF as main file), its subject, its sender
(the issuing agency when its address or domain is known) and its text as
the note. Every mail read is logged (vb.lgsp.mail) with its raw bytes
and its Message-ID, so that a mail is stored once whatever happens: each
mail is stored in its own transaction and marked \\Seen (or moved) on the
server only after that transaction committed; a mail stored whose mark
was lost is recognised at the next poll by its Message-ID and only
marked. Mails that cannot be stored (no file, a file over vb_document's
size limit, broken MIME, an error) keep a Vietnamese status in the log,
their bytes, and the agency's administrators are told.
"""
import base64
import datetime as dt
import imaplib
import logging
import re
import socket
import ssl
from zoneinfo import ZoneInfo

from trytond.i18n import gettext
from trytond.model import (
    DeactivableMixin, Index, ModelSQL, ModelView, Unique, fields)
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import Transaction, without_check_access

from trytond.modules.vb_document.vn import is_pdf
from trytond.modules.vb_document.notify import agency_users, tell

from trytond.exceptions import UserError
from trytond.model.exceptions import ValidationError

from .connection import mask
from .mailmime import (
    PUBLIC_DOMAINS, header_message_id, message_key, parse_mail)

logger = logging.getLogger(__name__)

SECURITY = [
    ('ssl', "SSL/TLS (IMAPS)"),
    ('starttls', "STARTTLS"),
    ('none', "None (trusted network only)"),
    ]
MAIL_STATES = [
    ('stored', "Stored as Incoming Document"),
    ('duplicate', "Duplicate"),
    ('no_attachment', "No Attached File"),
    ('too_large', "File Too Large"),
    ('malformed', "Malformed Mail"),
    ('failed', "Could Not Be Stored"),
    ]
PROBLEMS = {'no_attachment', 'too_large', 'malformed', 'failed'}
# Mails read at most by one poll of a mailbox (the rest at the next)
MAX_PER_POLL = 50


class MailboxError(UserError):
    "A mailbox cannot be read, or a mail cannot be changed"
    pass


class MailboxValidationError(ValidationError):
    pass


class ImapError(Exception):
    "The mailbox cannot be read: connection, login, folder, protocol"


class ImapSession:
    "One connection to an IMAP mailbox, its folder selected read-write"

    def __init__(self, host, port, security, login, password, folder,
            timeout=30, cadata=None):
        self.host, self.port, self.security = host, port, security
        self.login, self.password = login, password
        self.folder, self.timeout, self.cadata = folder, timeout, cadata
        self.imap = None
        self.uidvalidity = None
        self.capabilities = set()

    def __enter__(self):
        try:
            context = ssl.create_default_context(cadata=self.cadata or None)
            if self.security == 'ssl':
                self.imap = imaplib.IMAP4_SSL(self.host, self.port,
                    ssl_context=context, timeout=self.timeout)
            else:
                self.imap = imaplib.IMAP4(self.host, self.port,
                    timeout=self.timeout)
                if self.security == 'starttls':
                    self.imap.starttls(context)
            login(self.imap, self.login, self.password)
            typ, data = self.imap.select(quote(self.folder))
            if typ != 'OK':
                raise ImapError(_text(data))
            _, validity = self.imap.response('UIDVALIDITY')
            self.uidvalidity = _text(validity) or None
            # What the server can do once logged in (MOVE, UIDPLUS…)
            _, data = self.imap.capability()
            self.capabilities = set(_text(data).upper().split())
        except (imaplib.IMAP4.error, OSError, ssl.SSLError,
                ValueError) as error:
            self.close()
            raise ImapError(_error_text(error)) from error
        return self

    def __exit__(self, *args):
        self.close()

    def close(self):
        if self.imap is None:
            return
        try:
            if self.imap.state == 'SELECTED':
                self.imap.close()
            self.imap.logout()
        except (imaplib.IMAP4.error, OSError):
            pass
        self.imap = None

    def _uid(self, *args):
        try:
            typ, data = self.imap.uid(*args)
        except (imaplib.IMAP4.error, OSError) as error:
            raise ImapError(_error_text(error)) from error
        if typ != 'OK':
            raise ImapError(_text(data))
        return data

    def unseen(self):
        "The UIDs of the mails not yet seen, oldest first"
        data = self._uid('SEARCH', None, 'UNSEEN')
        return sorted({int(u) for u in b' '.join(
                    d for d in data if d).split()})

    def _fetch(self, uid, item):
        for entry in self._uid('FETCH', str(uid), item):
            if isinstance(entry, tuple) and len(entry) == 2:
                return entry[1]
        return None

    def headers(self, uid):
        "The Message-ID header of a mail (its bytes), without reading it"
        return self._fetch(uid, '(BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)])')

    def fetch(self, uid):
        "The bytes of a mail, left unseen"
        data = self._fetch(uid, '(BODY.PEEK[])')
        if data is None:
            raise ImapError(f"UID {uid}: no data")
        return data

    def mark(self, uid, done_folder=None):
        "Mark a mail stored: seen, and moved when a folder is given"
        self._uid('STORE', str(uid), '+FLAGS', r'(\Seen)')
        if done_folder and 'MOVE' in self.capabilities:
            self._uid('MOVE', str(uid), quote(done_folder))


def login(imap, user, password):
    """Log in; AUTHENTICATE PLAIN (UTF-8, RFC 4616) when the user or the
    password is not ASCII, which LOGIN of imaplib cannot send"""
    if (user + password).isascii():
        return imap.login(user, password)
    credentials = f'\0{user}\0{password}'.encode('utf-8')
    return imap.authenticate('PLAIN', lambda challenge: credentials)


def quote(name):
    "A mailbox name as an IMAP string, in modified UTF-7 (RFC 3501 5.1.3)"
    return '"%s"' % utf7(name).replace('\\', '\\\\').replace('"', '\\"')


def utf7(name):
    "name in the modified UTF-7 of IMAP folder names"
    result, pending = [], []

    def flush():
        if pending:
            data = ''.join(pending).encode('utf-16-be')
            result.append('&' + base64.b64encode(data).decode().rstrip(
                    '=').replace('/', ',') + '-')
            pending.clear()
    for char in name:
        if 0x20 <= ord(char) <= 0x7e:
            flush()
            result.append('&-' if char == '&' else char)
        else:
            pending.append(char)
    flush()
    return ''.join(result)


def _text(data):
    if isinstance(data, (list, tuple)):
        data = b' '.join(d if isinstance(d, bytes) else str(d).encode()
            for d in data if d is not None)
    if isinstance(data, bytes):
        data = data.decode('utf-8', 'replace')
    return str(data or '').strip()


def _error_text(error):
    if isinstance(error, socket.timeout):
        return "timeout"
    if isinstance(error, ssl.SSLError):
        return (getattr(error, 'verify_message', None)
            or getattr(error, 'reason', None) or str(error))
    text = _text(error.args[0]) if error.args else ''
    return text or error.__class__.__name__


class Mailbox(DeactivableMixin, ModelSQL, ModelView):
    "Official Mailbox"
    __name__ = 'vb.lgsp.mailbox'
    __string__ = "Official Mailbox"

    name = fields.Char("Name", required=True)
    company = fields.Many2One('company.company', "Agency", required=True,
        ondelete='CASCADE', domain=[('external', '=', False)],
        help="The agency whose incoming documents the mails become.")
    address = fields.Char("E-mail Address", strip=True,
        help="The official address of the clerk read by this mailbox.")
    document_type = fields.Many2One('vb.document.type', "Document Type",
        required=True, ondelete='RESTRICT')
    host = fields.Char("IMAP Server", required=True, strip=True)
    port = fields.Integer("Port", required=True,
        domain=[('port', '>', 0), ('port', '<', 65536)])
    security = fields.Selection(SECURITY, "Security", required=True)
    ca_certificates = fields.Text("Trusted CA Certificates (PEM)",
        states={'invisible': Eval('security') == 'none'},
        help="When the mail server's certificate is issued by the "
        "province's own authority: its certificate in PEM. Empty: the "
        "authorities of the system.")
    login = fields.Char("User", required=True, strip=True)
    password = fields.Char("Password")
    password_hint = fields.Function(fields.Char("Password"), 'get_hint')
    new_password = fields.Function(fields.Char("New Password",
            help="Type a new password to replace the stored one; it is "
            "never shown again."),
        'get_new_password', setter='set_password')
    folder = fields.Char("Folder", required=True, strip=True)
    done_folder = fields.Char("Folder of Stored Mails", strip=True,
        help="Where stored mails are moved (when the server can move); "
        "empty: they stay in the folder, marked as read.")
    poll_interval = fields.Integer("Polling Interval (min)", required=True,
        domain=[('poll_interval', '>', 0)])
    timeout = fields.Integer("Timeout (s)", required=True,
        domain=[('timeout', '>', 0)])
    last_poll = fields.DateTime("Last Polled", readonly=True)
    last_poll_result = fields.Char("Result of the Last Poll", readonly=True)
    mails = fields.One2Many('vb.lgsp.mail', 'mailbox', "Mails Received",
        readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order.insert(0, ('name', 'ASC'))
        cls._buttons.update({
                'poll_now': {'icon': 'tryton-refresh'},
                })

    @classmethod
    def default_security(cls):
        return 'ssl'

    @classmethod
    def default_port(cls):
        return 993

    @classmethod
    def default_folder(cls):
        return 'INBOX'

    @classmethod
    def default_poll_interval(cls):
        return 5

    @classmethod
    def default_timeout(cls):
        return 30

    @fields.depends('security', 'port')
    def on_change_security(self):
        if self.port in {None, 143, 993}:
            self.port = 993 if self.security == 'ssl' else 143

    @classmethod
    def copy(cls, mailboxes, default=None):
        default = dict(default or {})
        for name in ['mails', 'last_poll', 'last_poll_result']:
            default.setdefault(name)
        return super().copy(mailboxes, default=default)

    @classmethod
    def get_hint(cls, mailboxes, names):
        result = {n: {} for n in names}
        with without_check_access():
            for mailbox in cls.browse(mailboxes):
                for name in names:
                    result[name][mailbox.id] = mask(mailbox.password)
        return result

    def get_new_password(self, name):
        return None

    @classmethod
    def set_password(cls, mailboxes, name, value):
        if not value:
            return
        # The stored field cannot be written through the client
        with without_check_access():
            cls.write(mailboxes, {'password': value})

    @classmethod
    def validate_fields(cls, mailboxes, field_names):
        super().validate_fields(mailboxes, field_names)
        if field_names is None or field_names & {'ca_certificates', 'host'}:
            for mailbox in mailboxes:
                mailbox.check_settings()

    def check_settings(self):
        if not re.fullmatch(r'[A-Za-z0-9.:\-\[\]]+', self.host or ''):
            raise MailboxValidationError(gettext(
                    'vb_lgsp.msg_mailbox_bad_host', mailbox=self.rec_name))
        if self.ca_certificates:
            try:
                ssl.create_default_context(cadata=self.ca_certificates)
            except (ssl.SSLError, ValueError):
                raise MailboxValidationError(gettext(
                        'vb_lgsp.msg_mailbox_bad_ca', mailbox=self.rec_name))

    def session(self):
        "An IMAP session on the mailbox (context manager)"
        with without_check_access():
            password = self.__class__(self.id).password or ''
        return ImapSession(self.host, self.port, self.security, self.login,
            password, self.folder, timeout=self.timeout,
            cadata=self.ca_certificates if self.security != 'none' else None)

    # Reading ------------------------------------------------------------

    @classmethod
    def poll(cls):
        "Read the mailboxes that are due (ir.cron)"
        now = dt.datetime.now()
        for mailbox in cls.search([]):
            if (mailbox.last_poll is None
                    or mailbox.last_poll + dt.timedelta(
                        minutes=mailbox.poll_interval)
                    <= now + dt.timedelta(seconds=5)):
                mailbox.read_mails()

    @classmethod
    @ModelView.button
    def poll_now(cls, mailboxes):
        for mailbox in mailboxes:
            error = mailbox.read_mails()
            if error:
                raise MailboxError(error)

    def read_mails(self):
        """Store the mails not yet seen, each in its own transaction.

        Return the error that stopped the reading, or None.
        """
        Mail = Pool().get('vb.lgsp.mail')
        counts = {'new': 0, 'stored': 0}
        error = None
        try:
            with self.session() as session:
                for uid in session.unseen()[:MAX_PER_POLL]:
                    result = Mail.take_uid(self.id, session, uid)
                    if result is not None:
                        counts['new'] += 1
                        counts['stored'] += result == 'stored'
        except ImapError as exception:
            logger.warning("reading the mailbox %s failed: %s",
                self.rec_name, exception)
            error = gettext('vb_lgsp.msg_mailbox_failed',
                mailbox=self.rec_name, error=str(exception))
        result = error or gettext('vb_lgsp.msg_mailbox_polled',
            count=counts['new'], stored=counts['stored'])
        self.__class__.write([self], {
                'last_poll': dt.datetime.now(),
                'last_poll_result': result[:250],
                })
        return error

    # Storing ------------------------------------------------------------

    def find_issuer(self, parsed):
        """The agency that sent the mail: the one whose e-mail address is
        the sender's, else the only one with an address in the sender's
        domain (not a public provider's)"""
        pool = Pool()
        Company = pool.get('company.company')
        Mechanism = pool.get('party.contact_mechanism')
        address = parsed.sender_address
        if not address or '@' not in address:
            return None
        for pattern in [_like(address), '%@' + _like(parsed.sender_domain)]:
            if pattern.startswith('%@') and (
                    parsed.sender_domain in PUBLIC_DOMAINS):
                break
            mechanisms = Mechanism.search([
                    ('type', '=', 'email'),
                    ('value', 'ilike', pattern),
                    ])
            parties = {m.party.id for m in mechanisms if m.party}
            if not parties:
                continue
            agencies = Company.search([
                    ('party', 'in', list(parties)),
                    ('id', '!=', self.company.id),
                    ])
            if len(agencies) == 1:
                return agencies[0]
            if agencies:
                # Several agencies share it: it names none of them
                return None
        return None

    def _local_time(self, value):
        if value is None:
            return ''
        zone = getattr(self.company, 'timezone', None) or 'Asia/Ho_Chi_Minh'
        try:
            value = value.replace(tzinfo=dt.timezone.utc).astimezone(
                ZoneInfo(zone))
        except (ValueError, KeyError):
            pass
        return value.strftime('%d/%m/%Y %H:%M')

    def create_document(self, parsed):
        "Store a readable mail as an incoming document waiting for the clerk"
        pool = Pool()
        Document = pool.get('vb.document')
        Attachment = pool.get('ir.attachment')
        issuer = self.find_issuer(parsed)
        header = gettext('vb_lgsp.msg_mail_note', sender=parsed.sender,
            date=self._local_time(parsed.date), mailbox=self.rec_name)
        note = '\n\n'.join(filter(None, [header, parsed.body]))
        subject = parsed.subject or gettext('vb_lgsp.msg_mail_no_subject',
            sender=parsed.sender)
        document, = Document.create([{
                    'company': self.company.id,
                    'direction': 'incoming',
                    'state': 'waiting',
                    'source': 'email',
                    'type': self.document_type.id,
                    'subject': subject[:1000],
                    'issuer': issuer.id if issuer else None,
                    'issuer_name': (issuer.rec_name if issuer
                        else parsed.sender)[:200] or None,
                    'note': note,
                    }])
        main = False
        to_create = []
        for attachment in parsed.attachments:
            role = 'annex'
            if not main and is_pdf(attachment.data):
                role, main = 'main', True
            to_create.append({'resource': str(document),
                    'name': attachment.name, 'data': attachment.data,
                    'document_role': role})
        if to_create:
            Attachment.create(to_create)
        document.notify_clerks()
        return document


def _like(value):
    "value as an exact ilike pattern"
    return (value.replace('\\', '\\\\').replace('%', '\\%')
        .replace('_', '\\_'))


class Mail(ModelSQL, ModelView):
    "Received E-mail"
    __name__ = 'vb.lgsp.mail'
    __string__ = "Received E-mail"
    _rec_name = 'subject'

    mailbox = fields.Many2One('vb.lgsp.mailbox', "Mailbox", required=True,
        readonly=True, ondelete='RESTRICT')
    company = fields.Many2One('company.company', "Agency", required=True,
        readonly=True, ondelete='RESTRICT')
    key = fields.Char("Key", required=True, readonly=True,
        help="The Message-ID of the mail, or the SHA-256 of its bytes "
        "when it has none: a mail is stored once per mailbox.")
    message_id = fields.Char("Message-ID", readonly=True)
    uid = fields.Char("IMAP UID", readonly=True,
        help="UIDVALIDITY:UID of the mail in the folder when it was read.")
    subject = fields.Char("Subject", readonly=True)
    sender = fields.Char("Sender", readonly=True)
    sender_address = fields.Char("Sender Address", readonly=True)
    sent_at = fields.DateTime("Sent At", readonly=True)
    received_at = fields.DateTime("Received At", readonly=True)
    size = fields.Integer("Size (bytes)", readonly=True)
    attachment_count = fields.Integer("Attached Files", readonly=True)
    state = fields.Selection(MAIL_STATES, "State", required=True,
        readonly=True, sort=False)
    error = fields.Text("Reason", readonly=True,
        states={'invisible': ~Eval('error')})
    document = fields.Many2One('vb.document', "Document", readonly=True,
        ondelete='RESTRICT')
    raw = fields.Binary("Mail", filename='raw_name', file_id='raw_file_id',
        readonly=True)
    raw_name = fields.Char("Mail File Name", readonly=True)
    raw_file_id = fields.Char("Mail File ID", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('mailbox_key_unique', Unique(t, t.mailbox, t.key),
                'vb_lgsp.msg_mail_unique'),
            ]
        cls._sql_indexes.update({
                Index(t, (t.company, Index.Equality()),
                    (t.key, Index.Equality())),
                Index(t, (t.state, Index.Equality(cardinality='low'))),
                })
        cls._order = [('received_at', 'DESC'), ('id', 'DESC')]
        cls._buttons.update({
                'process_again': {
                    'invisible': ~Eval('state').in_(
                        ['too_large', 'malformed', 'failed']),
                    'icon': 'tryton-refresh',
                    'depends': ['state'],
                    },
                'store_without_file': {
                    'invisible': Eval('state') != 'no_attachment',
                    'icon': 'tryton-forward',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def check_modification(cls, mode, mails, values=None, external=False):
        super().check_modification(
            mode, mails, values=values, external=external)
        # Evidence of what arrived: only the channel writes it
        if external and mode in {'create', 'write', 'delete'}:
            raise MailboxError(gettext('vb_lgsp.msg_mail_readonly'))

    def get_rec_name(self, name):
        return self.subject or self.message_id or self.key

    @classmethod
    def search_rec_name(cls, name, clause):
        _, operator, value, *_ = clause
        bool_op = 'AND' if (operator.startswith('!')
            or operator.startswith('not ')) else 'OR'
        return [bool_op,
            ('subject', operator, value),
            ('sender', operator, value),
            ('message_id', operator, value),
            ]

    @classmethod
    def take_uid(cls, mailbox_id, session, uid):
        """Store the mail uid of an open session in a transaction of its
        own, then mark it on the server.

        Return the state of the mail logged now, or None when it was
        logged before (its mark had been lost). ImapError stops the
        reading; any other error is logged as 'failed' with the mail.
        """
        pool = Pool()
        Mailbox = pool.get('vb.lgsp.mailbox')
        transaction = Transaction()
        headers = session.headers(uid)
        key = message_key(header_message_id(headers or b''), b'')
        raw, result, state = None, None, None
        try:
            with transaction.new_transaction(), without_check_access():
                mailbox = Mailbox(mailbox_id)
                known = [] if key.startswith('sha256:') else cls.search([
                        ('mailbox', '=', mailbox_id),
                        ('key', '=', key)], limit=1)
                if known:
                    state = known[0].state
                else:
                    raw = session.fetch(uid)
                    mail, created = cls.take(mailbox, raw,
                        uid=f'{session.uidvalidity}:{uid}')
                    state = mail.state
                    result = state if created else None
                # the commit happens here, when the block ends
        except ImapError:
            raise
        except Exception as error:
            logger.exception("storing the mail %s of mailbox %s failed",
                uid, mailbox_id)
            if raw is None:
                raise ImapError(str(error))
            if not cls._log_failure(mailbox_id, raw, uid, session, error):
                # Left unseen: read again at the next poll
                return None
            result = state = 'failed'
        with without_check_access():
            done_folder = Mailbox(mailbox_id).done_folder
        # Mails not stored stay where the administrators look for them
        session.mark(uid, done_folder if state not in PROBLEMS else None)
        return result

    @classmethod
    def _log_failure(cls, mailbox_id, raw, uid, session, error):
        "Log a mail whose storing failed, with its bytes; False if not"
        pool = Pool()
        Mailbox = pool.get('vb.lgsp.mailbox')
        message = getattr(error, 'message', None) or str(error) \
            or error.__class__.__name__
        try:
            with Transaction().new_transaction(), without_check_access():
                mailbox = Mailbox(mailbox_id)
                parsed = parse_mail(raw)
                if cls.search([('mailbox', '=', mailbox_id),
                            ('key', '=', parsed.key)], limit=1):
                    # Stored meanwhile by another reader
                    return True
                mail, = cls.create([cls._log_values(mailbox, raw, parsed,
                            uid=f'{session.uidvalidity}:{uid}')])
                mail.state = 'failed'
                mail.error = gettext('vb_lgsp.msg_mail_failed',
                    error=message)[:4000]
                mail.save()
                mail.tell_admins()
        except Exception:
            logger.exception("logging the mail %s of mailbox %s failed",
                uid, mailbox_id)
            return False
        return True

    @classmethod
    def _log_values(cls, mailbox, raw, parsed, uid=None):
        return {
            'mailbox': mailbox.id,
            'company': mailbox.company.id,
            'key': parsed.key,
            'message_id': parsed.message_id[:250] or None,
            'uid': uid,
            'subject': parsed.subject[:250] or None,
            'sender': parsed.sender[:250] or None,
            'sender_address': parsed.sender_address[:250] or None,
            'sent_at': parsed.date,
            'received_at': dt.datetime.now(),
            'size': len(raw),
            'attachment_count': len(parsed.attachments),
            'state': 'failed',
            'raw': bytes(raw),
            'raw_name': 'thu.eml',
            }

    @classmethod
    def take(cls, mailbox, raw, uid=None):
        """Log a received mail and store it as an incoming document.

        Return (mail, created): the mail logged before with the same key
        (Message-ID, else the hash of the bytes) in the mailbox is
        returned unchanged.
        """
        Configuration = Pool().get('vb.document.configuration')
        parsed = parse_mail(raw, Configuration(1).max_file_bytes)
        existing = cls.search([
                ('mailbox', '=', mailbox.id),
                ('key', '=', parsed.key),
                ], limit=1)
        if existing:
            return existing[0], False
        mail, = cls.create([cls._log_values(mailbox, raw, parsed, uid=uid)])
        mail.store(parsed)
        return mail, True

    def store(self, parsed, without_file=False):
        "Turn the mail into an incoming document, or say why it cannot"
        Configuration = Pool().get('vb.document.configuration')
        problem = parsed.problem
        if without_file and problem == 'no_attachment':
            problem = None
        if problem:
            self.state = problem
            self.error = gettext(f'vb_lgsp.msg_mail_{problem}',
                name=parsed.detail, limit=round(
                    Configuration(1).max_file_bytes / 1024 / 1024, 1))
            self.save()
            self.tell_admins()
            return None
        others = self.search([
                ('company', '=', self.company.id),
                ('key', '=', self.key),
                ('state', '=', 'stored'),
                ('id', '!=', self.id),
                ], limit=1)
        if others:
            self.state = 'duplicate'
            self.document = others[0].document
            self.error = gettext('vb_lgsp.msg_mail_duplicate',
                mailbox=others[0].mailbox.rec_name)
            self.save()
            return self.document
        self.document = self.mailbox.create_document(parsed)
        self.state = 'stored'
        self.error = None
        self.save()
        return self.document

    def tell_admins(self):
        "Tell the agency's administrators a mail was not stored"
        tell(agency_users(self.company, ['agency_admin']), [self],
            'vb_lgsp.msg_mail_not_stored', icon='tryton-warning',
            subject=self.subject or self.key, sender=self.sender or '',
            mailbox=self.mailbox.rec_name, reason=self.error or '')

    @classmethod
    @ModelView.button
    def process_again(cls, mails):
        "Read again mails not stored (e.g. after the size limit changed)"
        Configuration = Pool().get('vb.document.configuration')
        limit = Configuration(1).max_file_bytes
        for mail in mails:
            if mail.state in {'too_large', 'malformed', 'failed'}:
                mail.store(parse_mail(mail.raw, limit))

    @classmethod
    @ModelView.button
    def store_without_file(cls, mails):
        "Store mails without attached file as documents all the same"
        Configuration = Pool().get('vb.document.configuration')
        limit = Configuration(1).max_file_bytes
        for mail in mails:
            if mail.state == 'no_attachment':
                mail.store(parse_mail(mail.raw, limit), without_file=True)


class Document(metaclass=PoolMeta):
    __name__ = 'vb.document'

    mails = fields.One2Many('vb.lgsp.mail', 'document', "E-mails",
        readonly=True, states={'invisible': Eval('source') != 'email'})

    @classmethod
    def copy(cls, documents, default=None):
        default = dict(default or {})
        default.setdefault('mails')
        return super().copy(documents, default=default)


class Cron(metaclass=PoolMeta):
    __name__ = 'ir.cron'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.method.selection.append(
            ('vb.lgsp.mailbox|poll', "Read the Official Mailboxes"))
