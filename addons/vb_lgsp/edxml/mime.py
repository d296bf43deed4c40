# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""SOAP with attachments (encoding B, spec §1.3): multipart/related.

Parts are located by searching the boundary in the bytes (no copy of the
whole message, unlike the e-mail parser), their small header blocks are
read with the standard e-mail header parser, and base64 bodies go through
the same checking sink as the inline attachments of encoding A.
"""
import email.message
import email.parser
import email.policy
import quopri
import re
import urllib.parse

from .attachments import Base64Sink, BytesPayload
from .errors import EdxmlFormatError, EdxmlSecurityError

_MAX_HEADER_BLOCK = 16 * 1024
_FEED_CHUNK = 1024 * 1024
_HEADER_LINE_RE = re.compile(rb'^[A-Za-z][A-Za-z0-9-]*:')


def _malformed(detail):
    return EdxmlFormatError('mime_malformed', detail=detail)


def normalize_content_id(value):
    "Content id without 'cid:', angle brackets or URL escapes (RFC 2392)"
    value = (value or '').strip()
    if value.lower().startswith('cid:'):
        value = urllib.parse.unquote(value[4:])
    return value.strip().strip('<>').strip()


def looks_like_mime(data, content_type=None):
    if content_type:
        return content_type.strip().lower().startswith('multipart/')
    start = data[:200].lstrip()
    return start.startswith(b'--') or bool(_HEADER_LINE_RE.match(start))


def _headers(block):
    parser = email.parser.BytesHeaderParser(policy=email.policy.compat32)
    return parser.parsebytes(bytes(block))


def _split_head(data, start, end):
    "(headers, body start) of the entity data[start:end]"
    for separator in (b'\r\n\r\n', b'\n\n'):
        position = data.find(separator, start, min(
            end, start + _MAX_HEADER_BLOCK))
        if position != -1:
            return _headers(data[start:position]), position + len(separator)
    if data.startswith((b'\r\n', b'\n'), start):
        # No header at all
        return email.message.Message(), data.find(b'\n', start) + 1
    raise _malformed('thiếu dòng trống sau phần đầu')


class Part:
    """A MIME part: headers, and its content decoded on demand (after the
    root XML is read, so that a refusal can name the sender)"""
    __slots__ = ('headers', 'content_id', '_data', '_start', '_end',
        '_payload')

    def __init__(self, headers, data, start, end):
        self.headers = headers
        self.content_id = normalize_content_id(headers.get('Content-ID'))
        self._data, self._start, self._end = data, start, end
        self._payload = None

    def payload(self, limits):
        if self._payload is None:
            self._payload = _decode(self.headers, self._data, self._start,
                self._end, limits)
            self._data = None
        return self._payload

    @property
    def content_type(self):
        return self.headers.get_content_type() if self.headers.get(
            'Content-Type') else ''

    @property
    def filename(self):
        return (self.headers.get_filename()
            or self.headers.get_param('name') or '')


def split(data, content_type, limits):
    """(root XML bytes, {content id: Part}, [Part in order]) of a message.

    `content_type` is the HTTP Content-Type when the transport gave it
    apart; otherwise the message starts with its own MIME headers.
    """
    if content_type:
        headers = email.message.Message()
        headers['Content-Type'] = content_type
        body_start = 0
    elif data[:200].lstrip().startswith(b'--'):
        headers = None
        body_start = 0
    else:
        headers, body_start = _split_head(data, 0, len(data))
    if headers is not None:
        if headers.get_content_maintype() != 'multipart':
            raise _malformed('không phải multipart/related')
        boundary = headers.get_param('boundary')
        start_id = normalize_content_id(headers.get_param('start'))
    else:
        first_line = data[body_start:data.find(b'\n', body_start)].strip()
        boundary = first_line[2:].decode('ascii', 'replace')
        start_id = ''
    if not boundary or len(boundary) > 70:
        raise _malformed('thiếu hoặc sai tham số boundary')
    delimiter = b'--' + boundary.encode('ascii', 'replace')
    parts = []
    position = data.find(delimiter, body_start)
    if position == -1:
        raise _malformed('không tìm thấy boundary')
    while True:
        position += len(delimiter)
        if data.startswith(b'--', position):
            break
        line_end = data.find(b'\n', position)
        if line_end == -1:
            raise _malformed('phần cuối bị cắt cụt')
        part_start = line_end + 1
        next_delimiter = data.find(b'\n' + delimiter, part_start)
        if next_delimiter == -1:
            raise _malformed('thiếu boundary kết thúc')
        part_end = next_delimiter
        if data[part_end - 1:part_end] == b'\r':
            part_end -= 1
        if len(parts) > limits.max_attachments:
            raise EdxmlSecurityError('too_many_attachments',
                limit=limits.max_attachments)
        headers, body_start = _split_head(data, part_start, part_end)
        parts.append(Part(headers, data, body_start, part_end))
        position = next_delimiter + 1
    if not parts:
        raise _malformed('không có phần nào')
    by_id = {}
    for part in parts:
        if part.content_id:
            if part.content_id in by_id:
                raise _malformed(f'Content-ID trùng lặp {part.content_id}')
            by_id[part.content_id] = part
    root = by_id.get(start_id) if start_id else parts[0]
    if root is None:
        raise _malformed('không tìm thấy phần gốc (tham số start)')
    if root.content_type and 'xml' not in root.content_type:
        raise _malformed(f'phần gốc có kiểu {root.content_type}')
    others = [part for part in parts if part is not root]
    return root.payload(limits).decode(), by_id, others


def _decode(headers, data, body_start, end, limits):
    encoding = (headers.get('Content-Transfer-Encoding') or '').strip(
        ).lower()
    name = headers.get_filename() or normalize_content_id(
        headers.get('Content-ID')) or 'MIME'
    if encoding == 'base64':
        sink = Base64Sink(name, limits.max_attachment_size)
        view = memoryview(data)
        for offset in range(body_start, end, _FEED_CHUNK):
            sink.feed(view[offset:min(offset + _FEED_CHUNK, end)].tobytes())
        return sink.finish()
    if end - body_start > limits.max_attachment_size:
        raise EdxmlSecurityError('attachment_too_large', field=name,
            limit=limits.max_attachment_size)
    if encoding in ('', '7bit', '8bit', 'binary'):
        return BytesPayload(data[body_start:end])
    if encoding == 'quoted-printable':
        return BytesPayload(quopri.decodestring(data[body_start:end]))
    raise _malformed(f'Content-Transfer-Encoding không hỗ trợ: {encoding}')
