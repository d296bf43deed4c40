# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"edXML library: writing packages (encoding A)"
import base64
import copy
import datetime as dt
import io
import re
import zipfile

import pytest
from lxml import etree

from trytond.modules.vb_lgsp.edxml import (QCVN_NS, Attachment, Business,
    BusinessKind, DocumentCode, EdxmlAttachmentError, EdxmlFormatError,
    EdxmlSecurityError, Limits, Organisation, Priority, Replacement,
    SignerInfo, StatusCode, SteeringType, UpdateInfo, build, make_document_id,
    parse, priority_for_urgency, urgency_for_priority)
from trytond.modules.vb_lgsp.edxml.identifiers import DOCUMENT_ID_RE
from trytond.modules.vb_lgsp.tests.edxml_factory import (docx_bytes,
    document, pdf_bytes, status)

NS = {'e': QCVN_NS}


def tree(data):
    return etree.fromstring(data)


def test_layout_and_namespaces():
    "Root with the QCVN default namespace, envelope prefixed edXML:"
    data = build(document())
    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n')
    root = tree(data)
    assert root.tag == f'{{{QCVN_NS}}}edXML'
    assert root.nsmap == {None: QCVN_NS}
    envelope = root[0]
    assert envelope.tag == f'{{{QCVN_NS}}}edXMLEnvelope'
    assert envelope.prefix == 'edXML'
    assert b'<edXML:edXMLEnvelope xmlns:edXML="' + QCVN_NS.encode() in data
    # AttachmentEncoded is the envelope's sibling, unprefixed
    assert root[1].tag == f'{{{QCVN_NS}}}AttachmentEncoded'
    assert root[1].prefix is None
    header = envelope.find('e:edXMLHeader', NS)
    assert [child.tag.split('}')[1] for child in header] == [
        'MessageHeader', 'TraceHeaderList']
    message = header.find('e:MessageHeader', NS)
    names = [child.tag.split('}')[1] for child in message]
    # The SDK's order (spec §1.4)
    assert names == ['From', 'To', 'To', 'Code', 'PromulgationInfo',
        'DocumentType', 'Subject', 'Content', 'SignerInfo', 'DueDate',
        'ToPlaces', 'OtherInfo', 'ResponseFor', 'SteeringType', 'DocumentId']
    assert message.findtext('e:PromulgationInfo/e:PromulgationDate',
        namespaces=NS) == '2026/03/05'
    assert message.findtext('e:DueDate', namespaces=NS) == '2026/03/20'
    assert header.findtext('e:TraceHeaderList/e:TraceHeader/e:Timestamp',
        namespaces=NS) == '2026/03/05 15:02:11'
    assert message.findtext('e:From/e:OrganName', namespaces=NS) == (
        'UBND tỉnh Khánh Hòa')


def test_document_id():
    "DocumentId of spec §1.6, computed when not given, checked when given"
    data = build(document())
    document_id = tree(data).findtext('.//e:MessageHeader/e:DocumentId',
        namespaces=NS)
    assert document_id == '000.00.00.H32,2026/03/05,125/UBND-VP'
    assert DOCUMENT_ID_RE.match(document_id)
    assert make_document_id('000.00.00.G22', dt.date(2015, 9, 30), '7816',
        'VPCP-TTĐT') == '000.00.00.G22,2015/09/30,7816/VPCP-TTĐT'
    with pytest.raises(EdxmlFormatError) as info:
        build(document(document_id='000.00.00.H32,2026-03-05,125/UBND-VP'))
    assert info.value.code == 'invalid_document_id'
    # "/" in the number would make the identifier ambiguous
    with pytest.raises(EdxmlFormatError) as info:
        build(document(code=DocumentCode('125/2', 'UBND-VP')))
    assert info.value.code == 'invalid_value'
    assert info.value.field == 'MessageHeader/Code/CodeNumber'


def test_priority_and_steering_codes():
    "Priority 0–4 and SteeringType 1–3 written as integers (spec §1.7)"
    package = document()
    for priority in Priority:
        package.other_info.priority = priority
        data = build(package)
        assert tree(data).findtext('.//e:OtherInfo/e:Priority',
            namespaces=NS) == str(int(priority))
    for steering in SteeringType:
        data = build(document(steering_type=steering))
        assert tree(data).findtext('.//e:SteeringType', namespaces=NS) == (
            str(int(steering)))
    # vb_document's urgency catalogue: 4 (hỏa tốc hẹn giờ) is hỏa tốc
    assert [urgency_for_priority(p) for p in range(5)] == [
        'normal', 'urgent', 'very_urgent', 'flash', 'flash']
    assert [priority_for_urgency(code) for code in (
            'normal', 'urgent', 'very_urgent', 'flash', None)] == [
        0, 1, 2, 3, 0]
    package.other_info.priority = 7
    with pytest.raises(EdxmlFormatError) as info:
        build(package)
    assert info.value.field == 'MessageHeader/OtherInfo/Priority'


def _attachments(data):
    root = tree(data)
    return {item.findtext('e:AttachmentName', namespaces=NS): item
        for item in root.iterfind('e:AttachmentEncoded/e:Attachment', NS)}


def test_attachments_on_the_wire():
    "PDF and Word as they are; other files alone in a deterministic zip"
    data = build(document())
    items = _attachments(data)
    pdf = items['125-UBND-VP.signed.pdf']
    assert pdf.findtext('e:ContentType', namespaces=NS) == 'application/pdf'
    assert base64.b64decode(pdf.findtext(
        'e:ContentTransferEncoded', namespaces=NS)) == pdf_bytes()
    docx = items['phu-luc-1.docx']
    assert 'wordprocessingml' in docx.findtext('e:ContentType',
        namespaces=NS)
    assert base64.b64decode(docx.findtext(
        'e:ContentTransferEncoded', namespaces=NS)) == docx_bytes()
    text = items['ghi chú.txt']
    assert text.findtext('e:ContentType', namespaces=NS) == 'application/zip'
    archive = zipfile.ZipFile(io.BytesIO(base64.b64decode(text.findtext(
        'e:ContentTransferEncoded', namespaces=NS))))
    [entry] = archive.infolist()
    assert entry.filename == 'ghi chú.txt'
    assert entry.date_time == (2026, 3, 5, 0, 0, 0)
    assert archive.read(entry) == 'Số liệu tạm tính.\n'.encode()
    # Manifest and content joined by the same "cid:" content id
    root = tree(data)
    references = root.findall('.//e:edXMLManifest/e:Reference', NS)
    assert len(references) == 3
    for reference in references:
        href = reference.get('{http://www.w3.org/1999/xlink}href')
        assert re.match(r'^cid:[0-9a-f-]{36}$', href)
        assert reference.findtext('e:ContentId', namespaces=NS) == href
    assert {item.findtext('e:ContentId', namespaces=NS)
        for item in items.values()} == {
        reference.findtext('e:ContentId', namespaces=NS)
        for reference in references}
    # Same package, same bytes
    assert build(document()) == data


def test_declared_type_checked_on_build():
    with pytest.raises(EdxmlAttachmentError) as info:
        build(document(attachments=[Attachment('van-ban.pdf', b'not a pdf')]))
    assert info.value.code == 'type_mismatch'
    assert 'PDF' in info.value.message
    with pytest.raises(EdxmlAttachmentError) as info:
        build(document(attachments=[Attachment('bang.xlsx', pdf_bytes())]))
    assert info.value.code == 'type_mismatch'
    with pytest.raises(EdxmlAttachmentError):
        build(document(attachments=[Attachment(
            'a.docx', docx_bytes(), content_type='application/pdf')]))
    with pytest.raises(EdxmlSecurityError) as info:
        build(document(attachments=[Attachment('../a.pdf', pdf_bytes())]))
    assert info.value.code == 'unsafe_name'


@pytest.mark.parametrize('changes, field', [
    ({'subject': '  '}, 'MessageHeader/Subject'),
    ({'recipients': []}, 'MessageHeader/To'),
    ({'signer': SignerInfo('Chủ tịch', '')},
        'MessageHeader/SignerInfo/FullName'),
    ({'code': DocumentCode('', 'UBND-VP')}, 'MessageHeader/Code/CodeNumber'),
    ({'promulgation_date': None},
        'MessageHeader/PromulgationInfo/PromulgationDate'),
    ])
def test_missing_fields_on_build(changes, field):
    with pytest.raises(EdxmlFormatError) as info:
        build(document(**changes))
    assert info.value.code == 'missing_field'
    assert info.value.field == field
    assert field in info.value.message and 'Thiếu trường' in (
        info.value.message)


@pytest.mark.parametrize('changes, field, limit', [
    ({'subject': 'x' * 501}, 'MessageHeader/Subject', 500),
    ({'code': DocumentCode('123456789012', 'UBND')},
        'MessageHeader/Code/CodeNumber', 11),
    ({'code': DocumentCode('1', 'X' * 31)},
        'MessageHeader/Code/CodeNotation', 30),
    ({'signer': SignerInfo('Chủ tịch', 'N' * 51)},
        'MessageHeader/SignerInfo/FullName', 50),
    ({'to_places': ['x' * 600, 'y' * 600]}, 'MessageHeader/ToPlaces', 1000),
    ])
def test_field_lengths(changes, field, limit):
    "NĐ 30/2020 Phụ lục VI lengths (spec §1.13) on what we send"
    with pytest.raises(EdxmlFormatError) as info:
        build(document(**changes))
    assert info.value.code == 'field_too_long'
    assert info.value.field == field
    assert str(limit) in info.value.message


def test_identifiers_on_build():
    "Our own agency strictly; recipients may be other systems' codes"
    with pytest.raises(EdxmlFormatError) as info:
        build(document(sender=Organisation('vxp.saas.03', 'Hệ thống')))
    assert info.value.code == 'invalid_identifier'
    assert info.value.field == 'MessageHeader/From/OrganId'
    data = build(document(recipients=[
        Organisation('vxp.saas.03', 'Hệ thống dùng chung')]))
    assert parse(data).recipients[0].organ_id == 'vxp.saas.03'
    assert not parse(data).recipients[0].has_standard_id
    for bad in ('H32', '000.00.00.H32<x>', 'a' * 60, ''):
        with pytest.raises(EdxmlFormatError) as info:
            build(document(recipients=[Organisation(bad, 'X')]))
        assert info.value.code in ('invalid_identifier', 'missing_field')


def test_business_consistency():
    "Revoke needs a reason, update its changes, replace its list"
    with pytest.raises(EdxmlFormatError) as info:
        build(document(business=Business(BusinessKind.REVOKE)))
    assert info.value.field == 'TraceHeaderList/Bussiness/BussinessDocReason'
    with pytest.raises(EdxmlFormatError) as info:
        build(document(business=Business(BusinessKind.UPDATE)))
    assert info.value.field == (
        'TraceHeaderList/Bussiness/BussinessDocumentInfo')
    with pytest.raises(EdxmlFormatError) as info:
        build(document(business=Business(BusinessKind.UPDATE,
            update=UpdateInfo(receivers_changed=True))))
    assert info.value.field.endswith('ReceiverList')
    with pytest.raises(EdxmlFormatError) as info:
        build(document(business=Business(BusinessKind.REPLACE)))
    assert info.value.field == 'TraceHeaderList/Bussiness/ReplacementInfoList'
    with pytest.raises(EdxmlFormatError) as info:
        build(document(business=Business(BusinessKind.NEW, replacements=[
            Replacement('000.00.00.H32,2026/03/05,125/UBND-VP')])))
    assert info.value.code == 'inconsistent'
    # Revoke without explicit target: the header's document
    data = build(document(business=Business(BusinessKind.REVOKE,
        reason='Sai sót')))
    assert tree(data).findtext('.//e:Bussiness/e:DocumentId',
        namespaces=NS) == '000.00.00.H32,2026/03/05,125/UBND-VP'
    assert tree(data).findtext('.//e:Bussiness/e:BussinessDocType',
        namespaces=NS) == '1'


def test_status_packages():
    "Reason required for 02/13/16, official wording by default otherwise"
    data = build(status('03'))
    message = tree(data).find('.//e:MessageHeader', NS)
    assert [child.tag.split('}')[1] for child in message] == [
        'From', 'ResponseFor', 'StaffInfo', 'StatusCode', 'Description',
        'Timestamp']
    assert message.findtext('e:StatusCode', namespaces=NS) == '03'
    assert message.findtext('e:Description', namespaces=NS) == (
        StatusCode.ACCEPTED.default_description)
    assert tree(data).find('.//e:edXMLBody', NS) is None
    for code in ('02', '13', '16'):
        with pytest.raises(EdxmlFormatError) as info:
            build(status(code, description=''))
        assert info.value.field == 'MessageHeader/Description'
    # Only the document's sender withdraws it
    with pytest.raises(EdxmlFormatError) as info:
        build(status('13', sender=Organisation('000.00.00.G22', 'VPCP')))
    assert info.value.code == 'inconsistent'
    with pytest.raises(EdxmlFormatError):
        build(status('03', status='07'))


def test_build_does_not_modify_the_package():
    package = document(traces=[], document_id='')
    before = copy.deepcopy(package)
    data = build(package)
    assert package == before
    # Left empty: one hop, the sender, now (Vietnam time)
    parsed = parse(data)
    [trace] = parsed.traces
    assert trace.organ_id == '000.00.00.H32'
    now = dt.datetime.now(dt.timezone(dt.timedelta(hours=7))).replace(
        tzinfo=None)
    assert abs(now - trace.timestamp) < dt.timedelta(minutes=1)


def test_package_size_limit_on_build():
    with pytest.raises(EdxmlSecurityError) as info:
        build(document(), limits=Limits(max_package_size=4000))
    assert info.value.code == 'too_large'
    assert '4000' in info.value.message


def test_control_characters_refused():
    with pytest.raises(EdxmlFormatError) as info:
        build(document(subject='Báo cáo\x00'))
    assert info.value.code == 'invalid_value'


def test_not_a_package():
    with pytest.raises(TypeError):
        build({'subject': 'x'})
