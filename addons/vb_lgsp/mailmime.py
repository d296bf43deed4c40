# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""Reading a received e-mail (RFC 5322/MIME) without the database.

parse_mail(raw, limit) never raises: what it cannot read is told in
ParsedMail.problem ('malformed', 'too_large', 'no_attachment') with the
detail, so that the caller logs the mail instead of crashing or losing
it. Headers are decoded (RFC 2047, RFC 2231, raw UTF-8 as some mailers
send it, windows-1258) and normalised to NFC, as Vietnamese text typed on
another system may come decomposed.
"""
import base64
import binascii
import datetime as dt
import email
import email.policy
import email.utils
import hashlib
import html
import mimetypes
import re
import unicodedata
from dataclasses import dataclass, field
from html.parser import HTMLParser

# Defects of the whole message that mean parts may be cut or mixed up
FATAL_DEFECTS = {
    'StartBoundaryNotFoundDefect',
    'CloseBoundaryNotFoundDefect',
    'MultipartInvariantViolationDefect',
    'NoBoundaryInMultipartDefect',
    'MissingHeaderBodySeparatorDefect',
    }
# Providers whose domain says nothing about the agency of the sender
PUBLIC_DOMAINS = {
    'gmail.com', 'googlemail.com', 'yahoo.com', 'yahoo.com.vn',
    'outlook.com', 'hotmail.com', 'live.com', 'msn.com', 'icloud.com',
    'me.com', 'aol.com', 'proton.me', 'protonmail.com', 'zoho.com',
    'yandex.com', 'mail.ru', 'gmx.com', 'vnn.vn', 'fpt.vn', 'viettel.vn',
    }
MAX_BODY = 20000
MAX_NAME = 200


@dataclass
class Attachment:
    name: str
    data: bytes
    content_type: str


@dataclass
class ParsedMail:
    key: str
    size: int
    message_id: str = ''
    subject: str = ''
    sender_name: str = ''
    sender_address: str = ''
    date: dt.datetime = None
    body: str = ''
    attachments: list = field(default_factory=list)
    # None, 'malformed', 'too_large' or 'no_attachment'
    problem: str = None
    detail: str = ''

    @property
    def sender_domain(self):
        return self.sender_address.rpartition('@')[2].lower()

    @property
    def sender(self):
        "The sender as people write it: Name <address>"
        if self.sender_name and self.sender_address:
            return f'{self.sender_name} <{self.sender_address}>'
        return self.sender_name or self.sender_address


def clean_text(value):
    """A header value as text: raw 8-bit UTF-8 repaired, NFC, one line"""
    if value is None:
        return ''
    value = str(value)
    if any('\udc80' <= c <= '\udcff' for c in value):
        raw = value.encode('utf-8', 'surrogateescape')
        try:
            value = raw.decode('utf-8')
        except UnicodeDecodeError:
            value = raw.decode('cp1258', 'replace')
    value = unicodedata.normalize('NFC', value)
    value = ''.join(c if c.isprintable() else ' ' for c in value)
    return ' '.join(value.split())


def message_key(message_id, raw):
    "What makes a mail once: its Message-ID, else the hash of its bytes"
    message_id = (message_id or '').strip()
    if message_id:
        return message_id[:250]
    return 'sha256:' + hashlib.sha256(raw).hexdigest()


def header_message_id(raw_headers):
    "The Message-ID of a mail from its headers only (bytes)"
    try:
        message = email.message_from_bytes(raw_headers,
            policy=email.policy.compat32)
        return _message_id(message.get('Message-ID'))
    except Exception:
        return ''


def _message_id(value):
    value = clean_text(value)
    match = re.search(r'<([^<>\s]+)>', value)
    if match:
        return match.group(1)
    return value.strip('<> ')


def safe_name(name, index, content_type):
    "A file name without path nor control characters, never empty"
    name = clean_text(name)
    name = name.replace('\\', '/').rsplit('/', 1)[-1].strip(' .')
    if not name:
        extension = mimetypes.guess_extension(content_type or '') or '.bin'
        name = f'tep-{index}{extension}'
    if len(name) > MAX_NAME:
        stem, dot, extension = name.rpartition('.')
        if dot and len(extension) < 10:
            name = stem[:MAX_NAME - len(extension) - 1] + '.' + extension
        else:
            name = name[:MAX_NAME]
    return name


class _TextFromHTML(HTMLParser):
    "The text of an HTML body, paragraphs on their own lines"
    BREAKS = {'br', 'p', 'div', 'tr', 'li', 'h1', 'h2', 'h3', 'h4', 'table'}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in {'script', 'style', 'head'}:
            self.skip += 1
        elif tag in self.BREAKS:
            self.parts.append('\n')

    def handle_endtag(self, tag):
        if tag in {'script', 'style', 'head'} and self.skip:
            self.skip -= 1
        elif tag in self.BREAKS:
            self.parts.append('\n')

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def html_to_text(value):
    parser = _TextFromHTML()
    try:
        parser.feed(value)
        parser.close()
        text = ''.join(parser.parts)
    except Exception:
        text = html.unescape(re.sub(r'<[^>]*>', ' ', value))
    lines = [' '.join(line.split()) for line in text.splitlines()]
    return re.sub(r'\n{3,}', '\n\n', '\n'.join(lines)).strip()


def _part_text(part):
    try:
        text = part.get_content()
    except (LookupError, ValueError, AssertionError, UnicodeError):
        data = part.get_payload(decode=True) or b''
        text = data.decode('utf-8', 'replace')
    if not isinstance(text, str):
        text = bytes(text).decode('utf-8', 'replace')
    if part.get_content_subtype() == 'html':
        text = html_to_text(text)
    text = unicodedata.normalize('NFC', text.replace('\r\n', '\n'))
    return text.strip()


def _is_attachment(part, body):
    if part is body or part.is_multipart():
        return False
    if part.get_content_type() == 'message/rfc822':
        return False
    disposition = part.get_content_disposition()
    if disposition == 'attachment':
        return True
    try:
        filename = part.get_filename()
    except Exception:
        filename = None
    if not filename:
        return False
    # Pictures shown inside the body (logos of signatures) are not files
    # of the document
    return not (part.get_content_maintype() == 'image'
        and part.get('Content-ID'))


def _decode(part):
    """The bytes of a part, or None when its transfer encoding is broken"""
    encoding = str(part.get('Content-Transfer-Encoding') or '').strip(
        ).lower()
    if encoding == 'base64':
        payload = part.get_payload(decode=False)
        if not isinstance(payload, str):
            return None
        text = re.sub(r'\s+', '', payload)
        try:
            return base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError):
            return None
    data = part.get_payload(decode=True)
    return data if isinstance(data, bytes) else None


def parse_mail(raw, limit=None):
    """Read raw (bytes of one mail) into a ParsedMail.

    limit: the largest file accepted (bytes), vb_document's limit.
    """
    raw = bytes(raw)
    try:
        message = email.message_from_bytes(raw, policy=email.policy.default)
    except Exception as error:
        return ParsedMail(key=message_key('', raw), size=len(raw),
            problem='malformed', detail=str(error)[:200])
    try:
        message_id = _message_id(message.get('Message-ID'))
    except Exception:
        message_id = ''
    parsed = ParsedMail(key=message_key(message_id, raw), size=len(raw),
        message_id=message_id)
    try:
        parsed.subject = clean_text(message.get('Subject'))
    except Exception:
        parsed.subject = clean_text(
            email.message_from_bytes(raw).get('Subject'))
    try:
        sender = message.get('From')
        addresses = getattr(sender, 'addresses', None) or ()
        if addresses:
            parsed.sender_name = clean_text(addresses[0].display_name)
            parsed.sender_address = clean_text(
                addresses[0].addr_spec).lower()
        elif sender:
            name, address = email.utils.parseaddr(clean_text(sender))
            parsed.sender_name, parsed.sender_address = (
                clean_text(name), address.lower())
    except Exception:
        pass
    try:
        date = email.utils.parsedate_to_datetime(str(message.get('Date')))
        if date.tzinfo is not None:
            date = date.astimezone(dt.timezone.utc).replace(tzinfo=None)
        parsed.date = date
    except Exception:
        pass

    defects = [type(d).__name__ for part in message.walk()
        for d in part.defects]
    fatal = sorted(set(defects) & FATAL_DEFECTS)
    if fatal or not len(message.keys()):
        parsed.problem = 'malformed'
        parsed.detail = ', '.join(fatal) or 'no header'
        return parsed

    try:
        body = message.get_body(preferencelist=('plain', 'html'))
    except Exception:
        body = None
    if body is not None:
        parsed.body = _part_text(body)[:MAX_BODY]

    names = set()
    for part in message.walk():
        if not _is_attachment(part, body):
            continue
        index = len(parsed.attachments) + 1
        content_type = part.get_content_type()
        try:
            name = part.get_filename()
        except Exception:
            name = None
        name = safe_name(name, index, content_type)
        data = _decode(part)
        if not data:
            parsed.problem = 'malformed'
            parsed.detail = name
            return parsed
        if limit and len(data) > limit and parsed.problem is None:
            parsed.problem = 'too_large'
            parsed.detail = name
        stem, dot, extension = name.rpartition('.')
        unique, n = name, 1
        while unique.lower() in names:
            n += 1
            unique = (f'{stem} ({n}).{extension}' if dot
                else f'{name} ({n})')
        names.add(unique.lower())
        parsed.attachments.append(Attachment(unique, data, content_type))
    if parsed.problem is None and not parsed.attachments:
        parsed.problem = 'no_attachment'
    return parsed
