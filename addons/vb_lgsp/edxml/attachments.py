# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""Attachments on the wire (spec §1.10).

Sending: PDF, Word, Excel and zip files travel as they are; any other file
is first put alone in a zip (deterministic: fixed date, level and
attributes, so that the same package always gives the same bytes), as the
national axis SDK does. Receiving: the base64 text is checked while it is
read (alphabet, padding, size) and kept as is; the declared type is checked
against the real bytes by decoding only the head and the tail; zip files are
inspected through their central directory, and a zip wrapper is opened with
bounded reads. Nothing is written to disk.
"""
import binascii
import bisect
import io
import itertools
import mimetypes
import os
import re
import struct
import zipfile
import zlib

from trytond.modules.vb_document.vn.pdf import is_pdf

from .errors import EdxmlAttachmentError, EdxmlSecurityError

# Extensions sent without a zip wrapper. The SDK's list reads "xsl"/"xslx",
# a typo for the Excel formats that is not reproduced here: a receiver opens
# the wrapper anyway, so either choice is understood.
AS_IS_EXTENSIONS = frozenset({'pdf', 'doc', 'docx', 'xls', 'xlsx', 'zip'})

ZIP_TYPES = frozenset({'application/zip', 'application/x-zip-compressed',
    'application/x-zip'})

CONTENT_TYPES = {
    'pdf': 'application/pdf',
    'doc': 'application/msword',
    'docx': 'application/vnd.openxmlformats-officedocument.'
        'wordprocessingml.document',
    'xls': 'application/vnd.ms-excel',
    'xlsx': 'application/vnd.openxmlformats-officedocument.'
        'spreadsheetml.sheet',
    'zip': 'application/zip',
    'odt': 'application/vnd.oasis.opendocument.text',
    'ods': 'application/vnd.oasis.opendocument.spreadsheet',
    'png': 'image/png',
    'jpg': 'image/jpeg',
    'jpeg': 'image/jpeg',
    'gif': 'image/gif',
    'txt': 'text/plain',
    'xml': 'application/xml',
}

# What a file of a given extension or declared type must look like
_KIND_BY_EXTENSION = {
    'pdf': 'pdf', 'doc': 'ole', 'xls': 'ole', 'docx': 'zip', 'xlsx': 'zip',
    'pptx': 'zip', 'odt': 'zip', 'ods': 'zip', 'odp': 'zip', 'zip': 'zip',
    'png': 'png', 'jpg': 'jpeg', 'jpeg': 'jpeg', 'gif': 'gif',
}
_KIND_BY_TYPE = {
    'application/pdf': 'pdf', 'application/x-pdf': 'pdf',
    'application/msword': 'ole', 'application/vnd.ms-excel': 'ole',
    # The SDK writes application/<extension>
    'application/doc': 'ole', 'application/xls': 'ole',
    'application/xsl': 'ole', 'application/docx': 'zip',
    'application/xlsx': 'zip', 'application/xslx': 'zip',
    CONTENT_TYPES['docx']: 'zip', CONTENT_TYPES['xlsx']: 'zip',
    CONTENT_TYPES['odt']: 'zip', CONTENT_TYPES['ods']: 'zip',
    'image/png': 'png', 'image/jpeg': 'jpeg', 'image/gif': 'gif',
    **{zip_type: 'zip' for zip_type in ZIP_TYPES},
}
KIND_NAMES = {'pdf': 'PDF', 'ole': 'Word/Excel (.doc/.xls)',
    'zip': 'ZIP/Office Open XML', 'png': 'PNG', 'jpeg': 'JPEG', 'gif': 'GIF'}
_MAGIC = {
    'zip': (b'PK\x03\x04', b'PK\x05\x06'),
    'ole': (b'\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1',),
    'png': (b'\x89PNG\r\n\x1a\n',),
    'jpeg': (b'\xff\xd8\xff',),
    'gif': (b'GIF87a', b'GIF89a'),
}
# is_pdf looks at the first 1029 and the last 1024 bytes
_HEAD, _TAIL = 1029, 1024
_RATIO_FLOOR = 1024 * 1024
# Below this a payload is decoded whole rather than by ranges
_SMALL = 256 * 1024
# Below this a received file is decoded once for all its checks
_DECODE_ONCE = 4096
_BASE64_LETTERS = (b'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'
    b'0123456789+/')
_WHITESPACE = b' \t\r\n'
_WHITESPACE_AND_PAD = _WHITESPACE + b'='


def extension(name):
    return os.path.splitext(name or '')[1][1:].lower()


def guess_content_type(name):
    ext = extension(name)
    if ext in CONTENT_TYPES:
        return CONTENT_TYPES[ext]
    return mimetypes.guess_type('x.' + ext)[0] or 'application/octet-stream'


def _base_type(content_type):
    return (content_type or '').split(';')[0].strip().lower()


# A directory separator, a drive letter's colon or a control character
_UNSAFE_NAME_RE = re.compile(r'[/\\:\x00-\x1f\x7f]')


def check_name(name, field=None):
    "A plain file name: no directory, no control character"
    if (not name or len(name) > 255 or name.strip() != name
            or name.strip('.') == '' or _UNSAFE_NAME_RE.search(name)):
        raise EdxmlSecurityError('unsafe_name', field=repr(name))
    return name


def _check_entry_name(name, field):
    parts = name.replace('\\', '/').split('/')
    if (name.startswith(('/', '\\')) or '\\' in name or '\x00' in name
            or '..' in parts or (len(name) > 1 and name[1] == ':')):
        raise EdxmlSecurityError('zip_traversal', field=field, detail=name)


def _looks_like(kind, head, tail, size):
    if kind == 'pdf':
        return is_pdf(head + tail if size > _HEAD + _TAIL else head)
    return head.startswith(_MAGIC[kind])


def _declared_kinds(name, content_type, field):
    "Kinds that the name and the declared type promise, which must agree"
    kind_name = _KIND_BY_EXTENSION.get(extension(name))
    kind_type = _KIND_BY_TYPE.get(_base_type(content_type))
    if kind_name and kind_type and kind_name != kind_type:
        raise EdxmlAttachmentError('type_mismatch', field=field,
            declared=f'{KIND_NAMES[kind_type]} ({content_type})')
    return kind_name or kind_type


def check_type(name, content_type, head, tail, size):
    "Refuse bytes that are not what the name and the content type say"
    kind = _declared_kinds(name, content_type, name)
    if kind and not _looks_like(kind, head, tail, size):
        raise EdxmlAttachmentError('type_mismatch', field=name,
            declared=KIND_NAMES[kind])
    return kind


# -- sending ------------------------------------------------------------

def wire_form(name, data, content_type, date_time):
    """(content type, bytes) to put on the wire for a file.

    `date_time` is the zip entry's time (the promulgation date), so that the
    output does not depend on the clock.
    """
    check_name(name)
    content_type = content_type or guess_content_type(name)
    size = len(data)
    check_type(name, content_type, data[:_HEAD], data[-_TAIL:], size)
    if extension(name) in AS_IS_EXTENSIONS:
        return content_type, data
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, 'w') as archive:
        info = zipfile.ZipInfo(name, date_time=date_time)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.create_system = 3
        info.external_attr = 0o644 << 16
        archive.writestr(info, data, compresslevel=6)
    return 'application/zip', buffer.getvalue()


# -- receiving ----------------------------------------------------------

class Base64Sink:
    """Receives base64 text piece by piece and checks it as it comes.

    The pieces are kept as they are (one bytes object each, white space
    removed): no buffer is grown and copied, and the check is one C-level
    pass per piece, which is what keeps parsing close to lxml's own speed.
    """

    def __init__(self, field, max_size):
        self.field = field
        self.max_size = max_size
        self.max_chars = (max_size + 2) // 3 * 4
        self.chunks = []
        self.length = 0
        self.padding = 0

    def _bad(self):
        return EdxmlAttachmentError('bad_base64', field=self.field)

    def feed(self, text, source=None):
        """Check and keep a piece of base64 text (bytes or str).

        `source`: a bytes-like object (a memoryview of the package) holding
        the same bytes as `text`, kept instead of it when `text` needs no
        change: the piece then costs no memory of its own."""
        if isinstance(text, str):
            try:
                text = text.encode('ascii')
            except UnicodeEncodeError:
                raise self._bad()
        # Usually nothing is left once the alphabet is deleted; otherwise
        # only white space and final padding may remain
        rest = text.translate(None, _BASE64_LETTERS)
        if rest:
            if rest.translate(None, _WHITESPACE_AND_PAD):
                raise self._bad()
            if rest.translate(None, b'='):
                text = source = text.translate(None, _WHITESPACE)
            if self.padding and text.strip(b'='):
                raise self._bad()
            pad = text.find(b'=')
            if pad != -1:
                if text[pad:].strip(b'='):
                    raise self._bad()
                self.padding += len(text) - pad
                if self.padding > 2:
                    raise self._bad()
        elif self.padding and text:
            raise self._bad()
        if text:
            self.chunks.append(text if source is None else source)
            self.length += len(text)
        if self.length > self.max_chars:
            raise EdxmlSecurityError('attachment_too_large', field=self.field,
                limit=self.max_size)

    def finish(self):
        if self.length % 4:
            raise self._bad()
        payload = Base64Payload(self.chunks, self.length, self.padding)
        # The last quantum decodes (its unused bits are not checked, as
        # in most decoders)
        try:
            payload.read_range(max(payload.size - 1, 0), payload.size)
        except binascii.Error:
            raise self._bad()
        return payload


class Base64Payload:
    """Checked base64 text in pieces (bytes, or memoryviews of the package
    it was read from); decodes any byte range on demand"""
    __slots__ = ('chunks', 'starts', 'length', 'size')

    def __init__(self, chunks, length, padding):
        self.chunks = chunks
        self.starts = list(itertools.accumulate(
                (len(chunk) for chunk in chunks), initial=0))[:-1]
        self.length = length
        self.size = length // 4 * 3 - padding

    def _text(self, start, end):
        "Base64 characters [start, end)"
        index = bisect.bisect_right(self.starts, start) - 1
        offset = self.starts[index]
        chunk = self.chunks[index]
        if end - offset <= len(chunk):
            # Within one piece: a view of it, no copy
            return chunk[start - offset:end - offset]
        pieces = []
        while start < end and index < len(self.chunks):
            offset = self.starts[index]
            chunk = self.chunks[index]
            pieces.append(chunk[start - offset:end - offset])
            start = offset + len(chunk)
            index += 1
        return b''.join(pieces)

    def read_range(self, start, end):
        start, end = max(start, 0), min(end, self.size)
        if end <= start:
            return b''
        first, last = start // 3, (end + 2) // 3
        chunk = binascii.a2b_base64(
            self._text(first * 4, last * 4), strict_mode=True)
        return chunk[start - first * 3:end - first * 3]

    def decode(self, release=False):
        """The file's bytes. With `release` the text is dropped piece by
        piece as it is decoded (the payload is then used up), so that the
        text and the file are never both whole in memory."""
        chunks = self.chunks
        if release:
            self.chunks = self.starts = None
        if len(chunks) == 1:
            return binascii.a2b_base64(chunks[0], strict_mode=True)
        output = io.BytesIO()
        carry = b''
        for index in range(len(chunks)):
            chunk = chunks[index]
            if release:
                chunks[index] = None
            if carry:
                chunk = carry + chunk
            cut = len(chunk) - len(chunk) % 4
            output.write(binascii.a2b_base64(
                    memoryview(chunk)[:cut], strict_mode=True))
            carry = bytes(chunk[cut:])
            del chunk
        return output.getvalue()

    def head_tail(self):
        return (self.read_range(0, _HEAD),
            self.read_range(self.size - _TAIL, self.size))

    def open(self):
        "A seekable file of the content, decoded on demand when large"
        if self.size <= _SMALL:
            return io.BytesIO(self.decode())
        return _PayloadReader(self)


class BytesPayload:
    "A payload that arrived as raw bytes (binary MIME part)"
    __slots__ = ('data', 'size')

    def __init__(self, data):
        self.data = data
        self.size = len(data)

    def read_range(self, start, end):
        return self.data[max(start, 0):end]

    def decode(self, release=False):
        return self.data

    def head_tail(self):
        return self.data[:_HEAD], self.data[-_TAIL:]

    def open(self):
        return io.BytesIO(self.data)


class _PayloadReader(io.RawIOBase):
    "Seekable file over a Base64Payload, for zipfile's directory reads"

    def __init__(self, payload):
        self.payload = payload
        self.position = 0

    def readable(self):
        return True

    def seekable(self):
        return True

    def tell(self):
        return self.position

    def seek(self, offset, whence=io.SEEK_SET):
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self.position,
            io.SEEK_END: self.payload.size}[whence]
        self.position = max(base + offset, 0)
        return self.position

    def readinto(self, buffer):
        chunk = self.payload.read_range(
            self.position, self.position + len(buffer))
        buffer[:len(chunk)] = chunk
        self.position += len(chunk)
        return len(chunk)


def _open_zip(file, field):
    try:
        return zipfile.ZipFile(file)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError,
            EOFError) as exception:
        raise EdxmlAttachmentError('bad_zip', field=field,
            detail=str(exception))


def _check_zip_directory(archive, field, limits):
    infos = archive.infolist()
    if len(infos) > limits.max_zip_entries:
        raise EdxmlSecurityError('zip_bomb', field=field)
    total = 0
    for info in infos:
        _check_entry_name(info.filename, field)
        total += info.file_size
        if (info.file_size > _RATIO_FLOOR and info.file_size
                > limits.max_zip_ratio * max(info.compress_size, 1)):
            raise EdxmlSecurityError('zip_bomb', field=field)
    if total > limits.max_unzipped_size:
        raise EdxmlSecurityError('zip_bomb', field=field)
    return infos


_END_RECORD = struct.Struct('<4s4H2LH')
_DIRECTORY_RECORD = struct.Struct('<4s4B4HL2L5H2L')
_DIRECTORY_SIGNATURE = b'PK\x01\x02'
_END_SIGNATURE = b'PK\x05\x06'
_ZIP64_LOCATOR_SIGNATURE = b'PK\x06\x07'
# zipfile.MAX_EXTRACT_VERSION
_MAX_EXTRACT_VERSION = 63


def zip_entries(payload):
    """[(name, declared size, compressed size)] of a zip's central
    directory, read with struct, or None when the zip is not of the plain
    form this reader takes (then zipfile decides, with its own errors).

    The plain form: no archive comment, no zip64 record, nothing before the
    zip, every directory record whole, extra fields well formed and none of
    them zip64. For such a zip the names and sizes are those that
    zipfile.ZipFile lists (tested in tests/test_edxml_parse.py): the names
    decoded as zipfile does (UTF-8 when flagged, else cp437) and cut at a
    NUL; a version zipfile does not support is left to zipfile as well.
    """
    size = payload.size
    if size < _END_RECORD.size:
        return None
    end = payload.read_range(size - _END_RECORD.size, size)
    (signature, disk, directory_disk, _, _, directory_size, directory_offset,
        comment_length) = _END_RECORD.unpack(end)
    if (signature != _END_SIGNATURE or comment_length
            or directory_offset + directory_size
            != size - _END_RECORD.size):
        return None
    if size >= _END_RECORD.size + 20 and payload.read_range(
            size - _END_RECORD.size - 20,
            size - _END_RECORD.size - 16) == _ZIP64_LOCATOR_SIGNATURE:
        return None
    directory = payload.read_range(directory_offset,
        directory_offset + directory_size)
    unpack = _DIRECTORY_RECORD.unpack_from
    record_size = _DIRECTORY_RECORD.size
    entries = []
    position = 0
    while position < directory_size:
        if directory_size - position < record_size:
            return None
        record = unpack(directory, position)
        if (record[0] != _DIRECTORY_SIGNATURE
                or record[3] > _MAX_EXTRACT_VERSION):
            return None
        flags, compress_size, file_size = record[5], record[10], record[11]
        name_length, extra_length, comment_length = record[12:15]
        start = position + record_size
        position = start + name_length + extra_length + comment_length
        if position > directory_size:
            return None
        extra = directory[start + name_length:start + name_length
            + extra_length]
        while len(extra) >= 4:
            kind, length = struct.unpack_from('<HH', extra)
            if kind == 1 or length + 4 > len(extra):
                return None
            extra = extra[length + 4:]
        try:
            name = directory[start:start + name_length].decode(
                'utf-8' if flags & 0x800 else 'cp437')
        except UnicodeDecodeError:
            return None
        null = name.find('\x00')
        if null >= 0:
            name = name[:null]
        entries.append((name, file_size, compress_size))
    return entries


def _check_entries(entries, field, limits):
    "The checks of _check_zip_directory on zip_entries' result"
    if len(entries) > limits.max_zip_entries:
        raise EdxmlSecurityError('zip_bomb', field=field)
    total = 0
    for name, file_size, compress_size in entries:
        _check_entry_name(name, field)
        total += file_size
        if (file_size > _RATIO_FLOOR and file_size
                > limits.max_zip_ratio * max(compress_size, 1)):
            raise EdxmlSecurityError('zip_bomb', field=field)
    if total > limits.max_unzipped_size:
        raise EdxmlSecurityError('zip_bomb', field=field)


def _unwrap(archive, info, field, limits):
    "The single entry of a zip wrapper, read with a bound"
    if info.flag_bits & 0x1:
        raise EdxmlAttachmentError('bad_zip', field=field,
            detail='tệp nén có mật khẩu')
    if info.file_size > limits.max_attachment_size:
        raise EdxmlSecurityError('zip_bomb', field=field)
    output = io.BytesIO()
    total = 0
    try:
        with archive.open(info) as entry:
            while True:
                chunk = entry.read(1024 * 1024)
                if not chunk:
                    break
                total += len(chunk)
                if total > limits.max_attachment_size:
                    raise EdxmlSecurityError('zip_bomb', field=field)
                output.write(chunk)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError,
            NotImplementedError, RuntimeError) as exception:
        raise EdxmlAttachmentError('bad_zip', field=field,
            detail=str(exception))
    return output.getvalue()


def receive(name, wire_type, payload, limits):
    """Check a received file; return (content type, payload or bytes).

    The result is the payload itself (decoded later) unless the file came
    in a zip wrapper, whose entry is returned as bytes.
    """
    check_name(name)
    field = name
    ext = extension(name)
    source = payload
    if payload.size <= _DECODE_ONCE and not isinstance(payload, BytesPayload):
        # Decoded once for the checks below, which would otherwise decode
        # a range each (the result keeps the payload, decoded when read)
        payload = BytesPayload(payload.decode())
    head, tail = payload.head_tail()
    is_zip = head.startswith(_MAGIC['zip'])
    kind_name = _KIND_BY_EXTENSION.get(ext)
    declared_zip = _base_type(wire_type) in ZIP_TYPES
    # The wrapper of the SDK: application/zip, or zip bytes under a name
    # that is not a zip-based format
    maybe_wrapped = ext != 'zip' and (declared_zip or (
        is_zip and kind_name != 'zip'))
    if maybe_wrapped:
        if not is_zip:
            raise EdxmlAttachmentError('type_mismatch', field=field,
                declared=f"{KIND_NAMES['zip']} ({wire_type})")
        archive = _open_zip(payload.open(), field)
        infos = _check_zip_directory(archive, field, limits)
        if not (kind_name == 'zip' and len(infos) != 1):
            if len(infos) != 1:
                raise EdxmlAttachmentError('bad_zip', field=field,
                    detail='tệp bọc phải chứa đúng một tệp')
            data = _unwrap(archive, infos[0], field, limits)
            check_type(name, '', data[:_HEAD], data[-_TAIL:], len(data))
            return guess_content_type(name), data
    kind = check_type(name, wire_type, head, tail, payload.size)
    if kind == 'zip':
        # A zip (docx, xlsx...) kept as it is: only its directory is read
        entries = zip_entries(payload)
        if entries is not None:
            _check_entries(entries, field, limits)
        else:
            _check_zip_directory(
                _open_zip(payload.open(), field), field, limits)
    return wire_type or guess_content_type(name), source
