# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""edXML library: hostile and broken input is refused with a clear error
(a code, a Vietnamese message, the sender when known) and no effect"""
import base64
import io
import os
import struct
import tempfile
import time
import zipfile

import pytest

from trytond.modules.vb_lgsp.edxml import (Attachment, EdxmlAttachmentError,
    EdxmlError, EdxmlFormatError, EdxmlSecurityError, Limits, build, parse)
from trytond.modules.vb_lgsp.tests.edxml_factory import (FIXTURES, document,
    pdf_bytes, status)

VIETNAMESE = set('ăâđêôơưạảãàáậầấẩẫắằặẳẵẹẻẽèéệềếểễịỉĩìíọỏõòóộồốổỗợờớởỡụủũù'
    'úựừứửữỵỷỹỳý')
VALID = build(document())


def refused(data, error=EdxmlError, code=None, **options):
    "Parse must fail with `error`/`code`; a valid package parses after it"
    before = bytes(data) if isinstance(data, (bytes, bytearray)) else data
    with pytest.raises(error) as info:
        parse(data, **options)
    exception = info.value
    assert code is None or exception.code == code, (
        exception.code, exception.message)
    assert isinstance(exception.message, str) and str(exception) == (
        exception.message)
    assert VIETNAMESE & set(exception.message.lower()), exception.message
    # No effect: the input is untouched and the parser is usable again
    assert data == before
    assert parse(VALID).subject == document().subject
    return exception


def replace_attachment(data, name, content, content_type=None):
    "`data` with the base64 content (and type) of attachment `name` replaced"
    start = data.index(b'<AttachmentName>' + name.encode())
    content_start = data.index(b'<ContentTransferEncoded>', start) + len(
        b'<ContentTransferEncoded>')
    content_end = data.index(b'</ContentTransferEncoded>', content_start)
    data = data[:content_start] + content + data[content_end:]
    if content_type:
        type_start = data.index(b'<ContentType>', start) + len(
            b'<ContentType>')
        type_end = data.index(b'</ContentType>', type_start)
        data = data[:type_start] + content_type.encode() + data[type_end:]
    return data


def zip_of(entries, method=zipfile.ZIP_DEFLATED):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, 'w', method) as archive:
        for name, content in entries:
            archive.writestr(name, content)
    return buffer.getvalue()


# -- XML level ----------------------------------------------------------

def test_external_entity_refused():
    xxe = VALID.replace(b'?>\n<edXML', b'?>\n<!DOCTYPE edXML [<!ENTITY xxe '
        b'SYSTEM "file:///etc/passwd">]>\n<edXML', 1).replace(
        b'V/v b\xc3\xa1o', b'&xxe; b\xc3\xa1o', 1)
    assert b'&xxe;' in xxe
    exception = refused(xxe, EdxmlSecurityError, 'dtd_forbidden')
    assert 'XXE' in exception.message
    assert 'root:' not in exception.message


def test_external_dtd_refused_without_network():
    data = VALID.replace(b'?>\n<edXML', b'?>\n<!DOCTYPE edXML SYSTEM '
        b'"http://127.0.0.1:9/edxml.dtd">\n<edXML', 1)
    started = time.monotonic()
    refused(data, EdxmlSecurityError, 'dtd_forbidden')
    assert time.monotonic() - started < 2


def test_entity_expansion_refused():
    "Billion laughs: stopped at the DOCTYPE, before any expansion"
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)]
    bomb = (b'<?xml version="1.0"?>\n<!DOCTYPE edXML [' + ''.join(
        entities).encode() + b']>\n<edXML>&lol9;</edXML>')
    started = time.monotonic()
    refused(bomb, EdxmlSecurityError, 'dtd_forbidden')
    assert time.monotonic() - started < 1
    # Parameter entities too
    refused(b'<!DOCTYPE x [<!ENTITY % p SYSTEM "file:///etc/hosts"> %p;]>'
        b'<x/>', EdxmlSecurityError, 'dtd_forbidden')


def test_undeclared_entity_refused():
    data = VALID.replace(b'V/v b\xc3\xa1o', b'&nbsp; b\xc3\xa1o', 1)
    refused(data, EdxmlSecurityError, 'entity_forbidden')


def test_deep_nesting_refused():
    deep = b'<a>' * 5000 + b'</a>' * 5000
    data = VALID.replace(b'V/v b\xc3\xa1o', deep + b' b\xc3\xa1o', 1)
    exception = refused(data, EdxmlSecurityError, 'too_deep')
    assert '32' in exception.message


def test_too_many_elements_refused():
    data = VALID.replace(b'<edXML:Appendixes>', b'<edXML:Appendixes>'
        + b'<x/>' * 30_000, 1)
    refused(data, EdxmlSecurityError, 'too_many_elements')


def test_huge_text_refused():
    data = VALID.replace(b'V/v b\xc3\xa1o', b'V' * 200_000 + b' b\xc3\xa1o',
        1)
    exception = refused(data, EdxmlSecurityError, 'huge_text')
    assert exception.field == 'Subject'
    # In pieces (entity references split text events) as well
    data = VALID.replace(b'V/v b\xc3\xa1o', b'ab&amp;' * 40_000, 1)
    refused(data, EdxmlSecurityError, 'huge_text')
    # And in attributes
    data = VALID.replace(b'Manifest version="1.0"', b'Manifest version="'
        + b'1' * 200_000 + b'"', 1)
    refused(data, EdxmlSecurityError, 'huge_text')


def test_package_size_limit():
    exception = refused(VALID, EdxmlSecurityError, 'too_large',
        limits=Limits(max_package_size=len(VALID) - 1))
    assert str(len(VALID) - 1) in exception.message
    # Checked before reading: even garbage of that size gets this answer
    refused(b'\x00' * 2000, EdxmlSecurityError, 'too_large',
        limits=Limits(max_package_size=1000))


def test_malformed_and_foreign_xml():
    refused(b'not xml at all <', EdxmlFormatError)
    refused(VALID[:len(VALID) // 2], EdxmlFormatError, 'malformed_xml')
    refused(b'<html><body/></html>', EdxmlFormatError, 'not_edxml')
    refused(b'<edXML xmlns="urn:other"/>', EdxmlFormatError, 'not_edxml')
    refused(b'', EdxmlFormatError)
    with pytest.raises(TypeError):
        parse('<edXML/>')


# -- attachments --------------------------------------------------------

@pytest.mark.parametrize('content', [
    b'@@@@not-base64@@@@',
    b'JVBERi0x&lt;',
    b'QUJD=QUJD',       # padding inside
    b'QUJDRA',          # length not a multiple of 4
    b'QQ===',           # too much padding
    b'QUJD\xc3\xa9QUJD',  # a non-ASCII character
    b'====',
    ])
def test_bad_base64_refused(content):
    data = replace_attachment(VALID, '125-UBND-VP.signed.pdf', content)
    exception = refused(data, EdxmlAttachmentError, 'bad_base64')
    assert exception.field == '125-UBND-VP.signed.pdf'
    # The sender and the DocumentId were read before the attachments: a
    # status 02 can go back
    assert exception.sender == '000.00.00.H32'
    assert exception.document_id == '000.00.00.H32,2026/03/05,125/UBND-VP'


def test_declared_pdf_that_is_not_a_pdf():
    fake = base64.b64encode(b'MZ\x90\x00 this is an executable' * 50)
    data = replace_attachment(VALID, '125-UBND-VP.signed.pdf', fake)
    exception = refused(data, EdxmlAttachmentError, 'type_mismatch')
    assert 'PDF' in exception.message
    assert exception.sender == '000.00.00.H32'


def test_declared_type_and_name_disagree():
    data = replace_attachment(VALID, 'phu-luc-1.docx',
        base64.b64encode(pdf_bytes()), content_type='application/pdf')
    refused(data, EdxmlAttachmentError, 'type_mismatch')
    # A .docx that is not a zip
    data = replace_attachment(VALID, 'phu-luc-1.docx',
        base64.b64encode(b'plain text, not OOXML'))
    refused(data, EdxmlAttachmentError, 'type_mismatch')
    # Declared zip but not a zip
    data = replace_attachment(VALID, 'ghi chú.txt',
        base64.b64encode(b'plain text'))
    refused(data, EdxmlAttachmentError, 'type_mismatch')
    # A zipped .pdf whose entry is no PDF
    data = replace_attachment(VALID, 'ghi chú.txt', base64.b64encode(
        zip_of([('x.pdf', b'no pdf here')])))
    data = data.replace('ghi chú.txt'.encode(), b'ghi-chu.pdf')
    refused(data, EdxmlAttachmentError, 'type_mismatch')


def test_zip_bomb_in_wrapper():
    bomb = zip_of([('ghi chú.txt', b'\x00' * (20 * 1024 * 1024))])
    assert len(bomb) < 30_000
    data = replace_attachment(VALID, 'ghi chú.txt', base64.b64encode(bomb))
    refused(data, EdxmlSecurityError, 'zip_bomb')
    # Below the ratio but above the size allowed per attachment
    refused(data, EdxmlSecurityError, 'zip_bomb',
        limits=Limits(max_zip_ratio=10 ** 6, max_attachment_size=1 << 20))


def test_zip_bomb_with_lying_sizes():
    "Declared sizes small, real content large: the bounded read stops it"
    archive = bytearray(zip_of([('ghi chú.txt', b'\x00' * (3 << 20))]))
    # Patch both headers: uncompressed size 100 bytes
    local = archive.index(b'PK\x03\x04')
    struct.pack_into('<I', archive, local + 22, 100)
    central = archive.index(b'PK\x01\x02')
    struct.pack_into('<I', archive, central + 24, 100)
    data = replace_attachment(VALID, 'ghi chú.txt',
        base64.b64encode(bytes(archive)))
    exception = refused(data, EdxmlError,
        limits=Limits(max_attachment_size=1 << 20))
    assert exception.code in ('zip_bomb', 'bad_zip')


def test_zip_bomb_in_a_zip_attachment():
    "A .zip file sent as it is: its directory is checked, not extracted"
    # 1 MiB entries: the ratio is only checked above that
    archive = zip_of([(f'{i}.txt', b'\x00' * (1 << 20)) for i in range(3)])
    data = build(document(attachments=[Attachment('ho-so.zip', archive)]))
    assert parse(data).attachments[0].data == archive
    refused(data, EdxmlSecurityError, 'zip_bomb',
        limits=Limits(max_unzipped_size=2 << 20))
    refused(data, EdxmlSecurityError, 'zip_bomb',
        limits=Limits(max_zip_entries=2))
    archive = zip_of([('a.txt', b'\x00' * (2 << 20))])
    refused(build(document(attachments=[Attachment('ho-so.zip', archive)])),
        EdxmlSecurityError, 'zip_bomb')


@pytest.mark.parametrize('entry', [
    '../../etc/cron.d/x', '/etc/passwd', 'a/../../b', 'C:\\Windows\\x.txt',
    '..\\x.txt'])
def test_zip_path_traversal(entry):
    # In a wrapper
    data = replace_attachment(VALID, 'ghi chú.txt',
        base64.b64encode(zip_of([(entry, b'x')])))
    exception = refused(data, EdxmlSecurityError, 'zip_traversal')
    assert entry in exception.message
    # In a zip sent as it is
    data = build(document(attachments=[Attachment('ho-so.zip', zip_of(
        [('ok.txt', b'1'), (entry, b'2')]))]))
    refused(data, EdxmlSecurityError, 'zip_traversal')


@pytest.mark.parametrize('name', ['../van-ban.pdf', '/tmp/x.pdf',
    'a\\b.pdf', 'x\x07.pdf', '..'])
def test_unsafe_attachment_names(name):
    data = VALID.replace(b'125-UBND-VP.signed.pdf',
        name.encode().replace(b'\x07', b'&#7;'))
    if b'&#7;' in data:
        # Not even XML 1.0 allows it
        refused(data, EdxmlFormatError, 'malformed_xml')
    else:
        refused(data, EdxmlSecurityError, 'unsafe_name')


def test_attachment_limits():
    refused(VALID, EdxmlSecurityError, 'attachment_too_large',
        limits=Limits(max_attachment_size=500))
    refused(VALID, EdxmlSecurityError, 'too_many_attachments',
        limits=Limits(max_attachments=2))


def test_manifest_without_content():
    data = VALID
    start = data.index(b'<Attachment>')
    end = data.index(b'</Attachment>') + len(b'</Attachment>')
    exception = refused(data[:start] + data[end:], EdxmlAttachmentError,
        'attachment_missing')
    assert exception.field == '125-UBND-VP.signed.pdf'


def test_duplicate_content_ids():
    package = document(attachments=[
        Attachment('a.pdf', pdf_bytes(), content_id='same'),
        Attachment('b.pdf', pdf_bytes(), content_id='other')])
    data = build(package).replace(b'cid:other', b'cid:same')
    refused(data, EdxmlAttachmentError, 'attachment_duplicate')
    # In the manifest alone
    manifest_end = build(package).index(b'</edXML:edXMLManifest>')
    data = build(package)
    data = data[:manifest_end].replace(b'cid:other', b'cid:same') + data[
        manifest_end:]
    refused(data, EdxmlAttachmentError, 'attachment_duplicate')


# -- fields -------------------------------------------------------------

def drop(data, element, after=b''):
    "Remove the first <edXML:element>…</edXML:element> after `after`"
    start = data.index(b'<edXML:' + element + b'>', data.index(after))
    closing = b'</edXML:' + element + b'>'
    end = data.index(closing, start) + len(closing)
    return data[:start] + data[end:]


@pytest.mark.parametrize('element, field', [
    (b'Subject', 'MessageHeader/Subject'),
    (b'From', 'MessageHeader/From'),
    (b'DocumentId', 'MessageHeader/DocumentId'),
    (b'CodeNumber', 'MessageHeader/Code/CodeNumber'),
    (b'PromulgationDate', 'MessageHeader/PromulgationInfo/PromulgationDate'),
    (b'TypeName', 'MessageHeader/DocumentType/TypeName'),
    (b'FullName', 'MessageHeader/SignerInfo/FullName'),
    (b'SteeringType', 'MessageHeader/SteeringType'),
    (b'TraceHeaderList', 'TraceHeaderList'),
    (b'MessageHeader', 'MessageHeader'),
    ])
def test_missing_mandatory_fields(element, field):
    # The header's DocumentId, not the one of ResponseFor
    after = b'<edXML:SteeringType>' if element == b'DocumentId' else b''
    exception = refused(drop(VALID, element, after), EdxmlFormatError,
        'missing_field')
    assert exception.field == field
    assert 'Thiếu trường bắt buộc' in exception.message


def test_missing_recipients():
    data = VALID
    while b'<edXML:To>' in data:
        data = drop(data, b'To')
    exception = refused(data, EdxmlFormatError, 'missing_field')
    assert exception.field == 'MessageHeader/To'


@pytest.mark.parametrize('element', [
    b'StatusCode', b'Timestamp', b'ResponseFor', b'From'])
def test_status_missing_fields(element):
    exception = refused(drop(build(status('03')), element), EdxmlFormatError,
        'missing_field')
    assert element.decode() in exception.field


@pytest.mark.parametrize('old, new, code', [
    (b'<edXML:OrganId>000.00.00.H32</edXML:OrganId>',
        b'<edXML:OrganId>H32</edXML:OrganId>', 'invalid_identifier'),
    (b'<edXML:OrganId>000.00.00.H32</edXML:OrganId>',
        b'<edXML:OrganId>000.00.00.H32;DROP</edXML:OrganId>',
        'invalid_identifier'),
    (b'<edXML:OrganId>000.00.00.G22</edXML:OrganId>',
        b'<edXML:OrganId>' + b'1.' * 40 + b'1</edXML:OrganId>',
        'invalid_identifier'),
    (b'<edXML:Priority>1</edXML:Priority>',
        b'<edXML:Priority>9</edXML:Priority>', 'invalid_value'),
    (b'<edXML:SteeringType>1</edXML:SteeringType>',
        b'<edXML:SteeringType>x</edXML:SteeringType>', 'invalid_value'),
    (b'<edXML:BussinessDocType>0</edXML:BussinessDocType>',
        b'<edXML:BussinessDocType>7</edXML:BussinessDocType>',
        'invalid_value'),
    (b'2026/03/05</edXML:PromulgationDate>',
        b'2026/13/45</edXML:PromulgationDate>', 'invalid_date'),
    (b'<edXML:Timestamp>2026/03/05 15:02:11',
        '<edXML:Timestamp>hôm qua'.encode(), 'invalid_date'),
    (b'<edXML:Paper>0</edXML:Paper>', b'<edXML:Paper>maybe</edXML:Paper>',
        'invalid_value'),
    ])
def test_invalid_values(old, new, code):
    assert old in VALID
    exception = refused(VALID.replace(old, new, 1), EdxmlFormatError, code)
    assert exception.field


def test_invalid_status_code():
    data = build(status('03')).replace(
        b'<edXML:StatusCode>03', b'<edXML:StatusCode>07')
    exception = refused(data, EdxmlFormatError, 'invalid_value')
    assert exception.field == 'MessageHeader/StatusCode'
    assert exception.sender == '000.00.00.G22'
    # A status is never answered with a status
    assert exception.document_id is None


def test_update_and_replace_need_their_details():
    data = (FIXTURES / 'edoc_update.edxml').read_bytes()
    refused(drop(data, b'BussinessDocumentInfo'), EdxmlFormatError,
        'missing_field')
    data = (FIXTURES / 'edoc_replace.edxml').read_bytes()
    refused(drop(data, b'ReplacementInfoList'), EdxmlFormatError,
        'missing_field')


# -- encoding B ---------------------------------------------------------

def test_broken_mime_refused():
    mime = (FIXTURES / 'soap_document.mime').read_bytes()
    refused(mime.replace(b'--MIMEBoundary_7c2f0a41b9--', b''),
        EdxmlFormatError, 'mime_malformed')
    refused(mime.replace(b'boundary="MIMEBoundary_7c2f0a41b9"', b''),
        EdxmlFormatError, 'mime_malformed')
    refused(mime.replace(b'Content-ID: <vanban-3021@hochiminhcity.gov.vn>',
        b'Content-ID: <other@x>'), EdxmlAttachmentError, 'attachment_missing')
    exception = refused(mime.replace(b'JVBERi0x', b'JVB!Ri0x', 1),
        EdxmlAttachmentError, 'bad_base64')
    assert exception.sender == '000.00.00.H29'


def test_soap_with_dtd_refused():
    data = (FIXTURES / 'soap_status.xml').read_bytes().replace(
        b'?>\n', b'?>\n<!DOCTYPE x [<!ENTITY a "b">]>\n', 1)
    refused(data, EdxmlSecurityError, 'dtd_forbidden')


def test_parse_writes_nothing(monkeypatch):
    "Everything stays in memory: no temporary file, valid or hostile input"
    with tempfile.TemporaryDirectory() as directory:
        monkeypatch.setattr(tempfile, 'tempdir', directory)
        monkeypatch.setenv('TMPDIR', directory)
        parse(VALID)
        with pytest.raises(EdxmlError):
            parse(replace_attachment(VALID, 'ghi chú.txt', base64.b64encode(
                zip_of([('a.txt', b'\x00' * (20 << 20))]))))
        assert os.listdir(directory) == []


def test_too_many_attributes_refused():
    attributes = b' '.join(b'a%d="x"' % i for i in range(40))
    data = VALID.replace(b'<edXML:Subject>', b'<edXML:Subject ' + attributes
        + b'>', 1)
    exception = refused(data, EdxmlSecurityError, 'too_many_attributes')
    assert exception.field == 'Subject'
