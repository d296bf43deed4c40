# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"edXML library: reading packages, round trips, foreign variants"
import base64
import datetime as dt
import io
import os
import zipfile

import pytest

from trytond.modules.vb_lgsp.edxml import (Attachment, BusinessKind,
    DocumentPackage, EdxmlFormatError, Priority, StatusCode, StatusPackage,
    SteeringType, build, parse, split_document_id, urgency_for_priority)
from trytond.modules.vb_lgsp.edxml.attachments import Base64Sink
from trytond.modules.vb_lgsp.tests.edxml_factory import (FIXTURES,
    STATUS_CODES, docx_bytes, document, fixture_packages, pdf_bytes, status)

BUILT = sorted(fixture_packages())


def fixture(name):
    return (FIXTURES / name).read_bytes()


def test_fixtures_cover_every_kind_and_status():
    kinds = {parse(fixture(name)).kind for name in BUILT
        if name.startswith('edoc_')}
    assert kinds == set(BusinessKind)
    codes = {parse(fixture(name)).status.value for name in BUILT
        if name.startswith('status_')}
    assert codes == {'01', '02', '03', '04', '05', '06', '13', '15', '16'}
    assert codes == set(STATUS_CODES)


@pytest.mark.parametrize('name', BUILT)
def test_round_trip(name):
    "build → parse → build gives the same bytes, and the fixture's bytes"
    package = fixture_packages()[name]
    data = build(package)
    assert data == fixture(name)
    parsed = parse(data)
    assert build(parsed) == data
    assert build(parse(build(parsed))) == data


def test_new_document_values():
    original = document()
    parsed = parse(build(original))
    assert isinstance(parsed, DocumentPackage)
    # Everything the sender set comes back; build filled the rest
    for name in ('sender', 'recipients', 'code', 'promulgation_date',
            'document_type', 'subject', 'content', 'signer', 'place',
            'due_date', 'to_places', 'other_info', 'response_for',
            'steering_type', 'traces', 'business'):
        assert getattr(parsed, name) == getattr(original, name), name
    assert parsed.document_id == '000.00.00.H32,2026/03/05,125/UBND-VP'
    assert split_document_id(parsed.document_id) == (
        '000.00.00.H32', dt.date(2026, 3, 5), '125', 'UBND-VP')
    assert parsed.other_info.priority is Priority.URGENT
    assert parsed.steering_type is SteeringType.NOT_STEERING
    names = [(a.name, a.content_type, a.description, a.data)
        for a in parsed.attachments]
    assert names == [
        ('125-UBND-VP.signed.pdf', 'application/pdf', 'Văn bản chính',
            pdf_bytes()),
        ('phu-luc-1.docx', 'application/vnd.openxmlformats-officedocument.'
            'wordprocessingml.document', 'Phụ lục I', docx_bytes()),
        # Out of its zip wrapper, with the type of its name
        ('ghi chú.txt', 'text/plain', 'Ghi chú',
            'Số liệu tạm tính.\n'.encode()),
        ]
    assert all(len(a.content_id) == 36 for a in parsed.attachments)
    assert parsed.signature is None


def test_revoke_update_replace_values():
    revoke = parse(fixture('edoc_revoke.edxml'))
    assert revoke.kind is BusinessKind.REVOKE
    assert revoke.business.document_id == (
        '000.00.00.H32,2026/03/05,125/UBND-VP')
    assert revoke.business.reason == 'Thu hồi do sai sót số liệu tại mục II'
    assert revoke.business.staff[0].staff == 'Trần Thị Bình'
    assert revoke.attachments == []
    update = parse(fixture('edoc_update.edxml'))
    assert update.kind is BusinessKind.UPDATE
    assert update.business.update.metadata_changed
    assert update.business.update.receivers_changed
    assert [(r.organ_id, r.added) for r in update.business.update.receivers
        ] == [('000.00.00.H41', False), ('000.00.05.H32', True)]
    replace = parse(fixture('edoc_replace.edxml'))
    assert replace.kind is BusinessKind.REPLACE
    assert replace.business.paper is True
    [replaced] = replace.business.replacements
    assert replaced.document_id == '000.00.00.H32,2026/03/05,125/UBND-VP'
    assert replaced.organ_ids == ['000.00.00.G22', '000.00.00.H41']
    assert replace.document_id == '000.00.00.H32,2026/03/09,131/UBND-VP'


@pytest.mark.parametrize('code', STATUS_CODES)
def test_status_values(code):
    parsed = parse(fixture(f'status_{code}.edxml'))
    assert isinstance(parsed, StatusPackage)
    assert parsed.status is StatusCode(code)
    assert parsed.response_for.document_id == (
        '000.00.00.H32,2026/03/05,125/UBND-VP')
    assert parsed.response_for.promulgation_date == dt.date(2026, 3, 5)
    assert parsed.timestamp == dt.datetime(2026, 3, 5, 16, int(code))
    assert parsed.staff.staff == 'Lê Văn Cường'
    expected = status(code).description or StatusCode(
        code).default_description
    assert parsed.description == expected
    assert parsed.sender.organ_id == (
        '000.00.00.H32' if code == '13' else '000.00.00.G22')


def test_no_namespace_other_order_other_dates():
    "Local names in any order, '-' dates, offsets, SteeringType 0, Priority 4"
    parsed = parse(fixture('foreign_no_namespace.edxml'))
    assert parsed.sender.organ_id == '000.00.00.H37'
    assert parsed.code.number == '45' and parsed.code.notation == 'CT-UBND'
    assert parsed.subject == 'V/v tăng cường phòng, chống thiên tai'
    assert parsed.promulgation_date == dt.date(2026, 4, 1)
    assert parsed.due_date == dt.date(2026, 4, 15)
    # 02:16:30Z is 09:16:30 in Vietnam
    assert [t.timestamp for t in parsed.traces] == [
        dt.datetime(2026, 4, 1, 9, 15), dt.datetime(2026, 4, 1, 9, 16, 30)]
    assert parsed.steering_type is SteeringType.NOT_STEERING
    assert parsed.other_info.priority is Priority.FLASH_SCHEDULED
    assert urgency_for_priority(parsed.other_info.priority) == 'flash'
    assert parsed.other_info.direction is True
    assert parsed.other_info.appendixes == ['Phụ lục 1', 'Phụ lục 2']
    # Any string is accepted as DocumentId on receipt (an old sample: UUID)
    assert parsed.document_id == '6f1c2a9e-4b7d-4c1e-9a43-2f8d1b0c7e55'
    assert split_document_id(parsed.document_id) is None
    # A shared-axis tenant's code passes but is flagged
    assert parsed.recipients[0].organ_id == 'vxp.saas.03'
    assert not parsed.recipients[0].has_standard_id
    assert parsed.sender.has_standard_id
    # Base64 in 76-column lines, content id without "cid:"
    [attachment] = parsed.attachments
    assert attachment.content_id == 'f7a1c0de-0045'
    assert attachment.data == pdf_bytes('Cong van 45')
    # An empty DigitalSignature is no signature
    assert parsed.signature is None
    # We never emit a DocumentId off the pattern of spec §1.6
    with pytest.raises(EdxmlFormatError) as info:
        build(parsed)
    assert info.value.code == 'invalid_document_id'
    again = parse(build(parsed.replace(document_id='')))
    assert again.document_id == '000.00.00.H37,2026/04/01,45/CT-UBND'
    assert again.subject == parsed.subject
    assert again.other_info.priority is Priority.FLASH_SCHEDULED


def test_strict_identifiers():
    with pytest.raises(EdxmlFormatError) as info:
        parse(fixture('foreign_no_namespace.edxml'), strict_identifiers=True)
    assert info.value.code == 'invalid_identifier'
    assert info.value.field == 'MessageHeader/To/OrganId'
    assert 'vxp.saas.03' in info.value.message
    assert info.value.sender == '000.00.00.H37'


def test_edoc_namespace_with_prefix():
    parsed = parse(fixture('foreign_edoc_namespace.edxml'))
    assert parsed.document_type.code == 1
    assert parsed.document_type.name == 'Quyết định'
    assert parsed.steering_type is SteeringType.STEERING
    assert parsed.other_info.priority is Priority.VERY_URGENT
    assert parsed.other_info.appendixes == []
    assert [r.organ_id for r in parsed.recipients] == [
        '000.00.00.H32', '000.00.05.H32']
    assert parsed.attachments[0].data == pdf_bytes('Quyet dinh 12')
    assert parsed.attachments[0].content_id == 'qd12'
    # The SDK samples' un-namespaced dummy signature: reported, not trusted
    assert parsed.signature.verified is False
    assert 'XMLDSig' in parsed.signature.note


def test_go_vn_namespace_status():
    parsed = parse(fixture('foreign_govn_status.edxml'))
    assert parsed.status is StatusCode.ACCEPTED
    assert parsed.timestamp == dt.datetime(2026, 4, 3, 8, 5, 9)
    assert parsed.response_for.promulgation_date == dt.date(2026, 3, 5)
    assert parsed.staff is None


def test_soap_with_attachments():
    "Encoding B: multipart/related, parts joined by Content-ID"
    data = fixture('soap_document.mime')
    parsed = parse(data)
    assert parsed.sender.organ_id == '000.00.00.H29'
    assert parsed.code.number == '3021'
    pdf, csv = parsed.attachments
    assert (pdf.name, pdf.content_type, pdf.description) == (
        '3021-UBND-KT.pdf', 'application/pdf', 'Văn bản chính')
    assert pdf.data == pdf_bytes('Cong van 3021')
    # "cid:danh-sach%40…" names the part <danh-sach@…> (RFC 2392)
    assert csv.content_id == 'danh-sach@hochiminhcity.gov.vn'
    assert csv.data.decode() == (
        'STT,Họ tên,Chức vụ\r\n1,Nguyễn Văn Bình,Giám đốc Sở\r\n')
    # The same with the Content-Type given apart, as an HTTP layer does
    headers, body = data.split(b'\r\n\r\n', 1)
    content_type = headers.split(b'Content-Type: ', 1)[1].decode()
    again = parse(body, content_type=content_type)
    assert again == parsed


def test_soap_status():
    parsed = parse(fixture('soap_status.xml'))
    assert parsed.status is StatusCode.DONE
    assert parsed.staff.staff == 'Trần Thu Hà'
    assert parsed.description == 'Đã xử lý xong'


def test_foreign_zip_wrapper_opened():
    "A file another system zipped (ContentType application/zip) is opened"
    wrapper = io.BytesIO()
    with zipfile.ZipFile(wrapper, 'w') as archive:
        archive.writestr('whatever.pdf', pdf_bytes('wrapped'))
    data = build(document(attachments=[Attachment('phu-luc.zip',
        wrapper.getvalue())]))
    # Renamed on the wire as a .pdf sent zipped by another system
    data = data.replace(b'phu-luc.zip', b'phu-luc.pdf')
    [attachment] = parse(data).attachments
    assert attachment.name == 'phu-luc.pdf'
    assert attachment.data == pdf_bytes('wrapped')
    assert attachment.content_type == 'application/pdf'


def test_large_attachment_decoded_lazily_and_exactly():
    "A file read in many pieces decodes to the same bytes"
    big = pdf_bytes(padding=700_001)
    data = build(document(attachments=[Attachment('big.pdf', big)]))
    [attachment] = parse(data).attachments
    assert attachment.size == len(big)
    assert attachment.data == big
    # Random pieces and ranges, against the plain decoder
    raw = os.urandom(10_000)
    text = base64.encodebytes(raw)
    sink = Base64Sink('x', 1 << 20)
    for start in range(0, len(text), 777):
        sink.feed(text[start:start + 777])
    payload = sink.finish()
    assert payload.decode() == raw
    for start, end in ((0, 1), (5, 3005), (2997, 3001), (9000, 10_000)):
        assert payload.read_range(start, end) == raw[start:end]


def test_attachment_equality_and_repr():
    left = Attachment('a.pdf', pdf_bytes(), description='x')
    right = Attachment('a.pdf', pdf_bytes(), description='x')
    assert left == right
    right.data = b'%PDF-other'
    assert left != right
    assert 'size=' in repr(left) and 'a.pdf' in repr(left)


def test_large_zip_inspected_through_its_directory():
    "A zip above 256 KiB is checked by decoding only the ranges read"
    from trytond.modules.vb_lgsp.edxml import EdxmlSecurityError
    entries = [('so-lieu.csv', os.urandom(400_000)), ('anh.png', b'x' * 10)]

    def archive(names):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, 'w') as output:
            for name, (_, content) in zip(names, entries):
                output.writestr(name, content)
        return buffer.getvalue()

    good = archive(['so-lieu.csv', 'anh.png'])
    assert len(good) > 300_000
    data = build(document(attachments=[Attachment('ho-so.zip', good)]))
    [attachment] = parse(data).attachments
    assert attachment.data == good
    bad = archive(['so-lieu.csv', '../../anh.png'])
    data = build(document(attachments=[Attachment('ho-so.zip', bad)]))
    with pytest.raises(EdxmlSecurityError) as info:
        parse(data)
    assert info.value.code == 'zip_traversal'


def _zips():
    "Zips of the plain form and of others (comment, zip64, extras, junk)"
    def make(entries, comment=b'', **options):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, 'w', zipfile.ZIP_DEFLATED,
                **options) as archive:
            archive.comment = comment
            for name, data, extra in entries:
                info = zipfile.ZipInfo(name, date_time=(2026, 3, 5, 0, 0, 0))
                info.extra = extra
                archive.writestr(info, data)
        return buffer.getvalue()
    plain = make([('word/document.xml', b'<w/>' * 100, b''),
            ('tài liệu.xml', b'x', b''), ('a\x00b.txt', b'y', b'')])
    yield 'docx', docx_bytes()
    yield 'plain', plain
    yield 'comment', make([('a.txt', b'x', b'')], comment=b'note')
    yield 'extra', make([('a.txt', b'x', b'UT\x05\x00\x01\x00\x00\x00\x00')])
    yield 'corrupt extra', make([('a.txt', b'x', b'UT\x09\x00\x01')])
    yield 'zip64 extra', make([('a.txt', b'x', b'\x01\x00\x00\x00')])
    yield 'zip64 locator', (plain[:-22] + b'PK\x06\x07' + b'\x00' * 16
        + plain[-22:])
    yield 'prepended', b'MZ' + b'\x00' * 100 + plain
    yield 'truncated', plain[:-30] + plain[-22:]
    yield 'bad magic', plain.replace(b'PK\x01\x02', b'PK\x01\x03', 1)
    yield 'cp437 name', plain.replace(b'document.xml', b'docum\x82nt.xml')
    yield 'empty', make([])
    yield 'not a zip', b'PK\x03\x04' + b'\x00' * 30
    # A version to extract that zipfile does not support
    record = plain.index(b'PK\x01\x02')
    yield 'version', plain[:record + 6] + b'\x50' + plain[record + 7:]


@pytest.mark.parametrize('name, data', list(_zips()),
    ids=[name for name, _ in _zips()])
def test_zip_directory_as_zipfile_reads_it(name, data):
    """The struct reader of central directories lists what zipfile lists,
    or leaves the zip to zipfile"""
    from trytond.modules.vb_lgsp.edxml.attachments import (BytesPayload,
        zip_entries)
    entries = zip_entries(BytesPayload(data))
    if name in ('docx', 'plain', 'extra', 'cp437 name', 'empty'):
        assert entries is not None
    else:
        assert entries is None
    if entries is None:
        return
    infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    assert entries == [(info.filename, info.file_size, info.compress_size)
        for info in infos]
    # Base64 payloads (decoded by ranges) read alike
    encoded = base64.b64encode(data)
    sink = Base64Sink('x', 1 << 20)
    sink.feed(encoded[:7])
    sink.feed(encoded[7:])
    assert zip_entries(sink.finish()) == entries
