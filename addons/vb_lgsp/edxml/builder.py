# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""Writing packages: encoding A (one XML document, attachments in base64).

The output depends only on the package (and the signing key): no clock, no
random identifier unless the package leaves one to be filled (traces and
content ids are then derived, see DocumentPackage), so that build, parse,
build gives the same bytes. Field lengths are those of NĐ 30/2020 Phụ lục
VI, believed to be QCVN 102's (spec §1.13); they are enforced on what we
send only.
"""
import binascii
import re
import uuid

from lxml import etree

from . import attachments as wire
from . import xmldsig
from .codes import BusinessKind, Priority, StatusCode, SteeringType
from .dates import format_date, format_timestamp, now_vn
from .errors import EdxmlAttachmentError, EdxmlFormatError, EdxmlSecurityError
from .identifiers import DOCUMENT_ID_RE, check_identifier
from .limits import DEFAULT_LIMITS
from .model import DocumentPackage, StatusPackage, TraceHeader
from .namespaces import QCVN_NS, XLINK_NS

__all__ = ['build']

XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'
_CONTENT_ID_RE = re.compile(r'^[A-Za-z0-9._@$+=-]{1,200}$')
_MAX_FREE_TEXT = 100_000


def build(package, credentials=None, limits=DEFAULT_LIMITS):
    """Serialize a DocumentPackage or StatusPackage to edXML bytes.

    With `credentials` (xmldsig.AgencyCredentials) the package is signed.
    Raises EdxmlError subclasses for invalid packages; `package` is never
    modified.
    """
    if isinstance(package, DocumentPackage):
        writer = _DocumentWriter(package)
    elif isinstance(package, StatusPackage):
        writer = _StatusWriter(package)
    else:
        raise TypeError(f'not an edXML package: {package!r}')
    root, header = writer.write()
    etree.indent(root, space=' ')
    if credentials is not None:
        tail = _make_room_for_signature(header)
        root = xmldsig.sign(root, header, credentials, tail=tail)
    output = XML_DECLARATION + etree.tostring(
        root, encoding='UTF-8', xml_declaration=False)
    if len(output) > limits.max_package_size:
        raise EdxmlSecurityError('too_large', limit=limits.max_package_size)
    return output


def _make_room_for_signature(header):
    """Indent the signature like its siblings; return its tail.

    Cosmetic only, but done before signing: whitespace is signed too.
    """
    last = header[-1]
    closing = last.tail
    last.tail = header.text
    return closing


def _tag(name):
    return f'{{{QCVN_NS}}}{name}'


class _Writer:

    def text(self, value, field, max_length=_MAX_FREE_TEXT, required=False):
        value = '' if value is None else str(value).strip()
        if required and not value:
            raise EdxmlFormatError('missing_field', field=field)
        if len(value) > max_length:
            raise EdxmlFormatError('field_too_long', field=field,
                limit=max_length)
        return value

    def add(self, parent, name, value, field=None, **options):
        "Add an element with text (omitted when empty and not required)"
        value = self.text(value, field or name, **options)
        if not value and not options.get('required'):
            return None
        element = etree.SubElement(parent, _tag(name))
        try:
            element.text = value
        except ValueError:
            raise EdxmlFormatError('invalid_value', field=field or name,
                value=value[:50])
        return element

    def number(self, parent, name, value, field, low, high, required=False):
        if value is None:
            if required:
                raise EdxmlFormatError('missing_field', field=field)
            return
        if isinstance(value, bool) or not isinstance(value, int) or not (
                low <= value <= high):
            raise EdxmlFormatError('invalid_value', field=field, value=value)
        etree.SubElement(parent, _tag(name)).text = str(int(value))

    def date(self, parent, name, value, field, required=True):
        if value is None:
            if required:
                raise EdxmlFormatError('missing_field', field=field)
            return
        etree.SubElement(parent, _tag(name)).text = format_date(value)

    def organisation(self, parent, name, organisation, field, strict):
        element = etree.SubElement(parent, _tag(name))
        self.add(element, 'OrganId', check_identifier(
                organisation.organ_id, f'{field}/OrganId', strict=strict),
            f'{field}/OrganId')
        self.add(element, 'OrganizationInCharge', organisation.in_charge,
            f'{field}/OrganizationInCharge', max_length=200)
        self.add(element, 'OrganName', organisation.name,
            f'{field}/OrganName', max_length=200, required=True)
        self.add(element, 'OrganAdd', organisation.address,
            f'{field}/OrganAdd', max_length=500)
        for tag, value in (('Email', organisation.email),
                ('Telephone', organisation.telephone),
                ('Fax', organisation.fax),
                ('Website', organisation.website)):
            self.add(element, tag, value, f'{field}/{tag}', max_length=200)
        return element

    def response_for(self, parent, response, field):
        if not isinstance(response.document_id, str) or not (
                response.document_id.strip()):
            raise EdxmlFormatError('missing_field',
                field=f'{field}/DocumentId')
        element = etree.SubElement(parent, _tag('ResponseFor'))
        self.add(element, 'OrganId', check_identifier(
                response.organ_id, f'{field}/OrganId'), f'{field}/OrganId')
        self.add(element, 'Code', response.code, f'{field}/Code',
            max_length=42, required=True)
        self.date(element, 'PromulgationDate', response.promulgation_date,
            f'{field}/PromulgationDate')
        self.add(element, 'DocumentId', response.document_id,
            f'{field}/DocumentId', max_length=255, required=True)

    def staff(self, parent, staff, field):
        element = etree.SubElement(parent, _tag('StaffInfo'))
        for tag, value in (('Department', staff.department),
                ('Staff', staff.staff), ('Mobile', staff.mobile),
                ('Email', staff.email)):
            self.add(element, tag, value, f'{field}/{tag}', max_length=200)

    def envelope(self):
        root = etree.Element(_tag('edXML'), nsmap={None: QCVN_NS})
        envelope = etree.SubElement(root, _tag('edXMLEnvelope'),
            nsmap={'edXML': QCVN_NS})
        header = etree.SubElement(envelope, _tag('edXMLHeader'))
        return root, envelope, header


class _DocumentWriter(_Writer):

    def __init__(self, package):
        self.package = package

    def write(self):
        package = self.package
        root, envelope, header = self.envelope()
        header_field = 'MessageHeader'
        message = etree.SubElement(header, _tag('MessageHeader'))
        self.organisation(message, 'From', package.sender,
            f'{header_field}/From', strict=True)
        if not package.recipients:
            raise EdxmlFormatError('missing_field', field=f'{header_field}/To')
        for recipient in package.recipients:
            self.organisation(message, 'To', recipient, f'{header_field}/To',
                strict=False)
        self.code(message)
        info = etree.SubElement(message, _tag('PromulgationInfo'))
        self.add(info, 'Place', package.place,
            'MessageHeader/PromulgationInfo/Place', max_length=100)
        self.date(info, 'PromulgationDate', package.promulgation_date,
            'MessageHeader/PromulgationInfo/PromulgationDate')
        self.document_type(message)
        self.add(message, 'Subject', package.subject, 'MessageHeader/Subject',
            max_length=500, required=True)
        self.add(message, 'Content', package.content, 'MessageHeader/Content')
        self.signer(message)
        self.date(message, 'DueDate', package.due_date,
            'MessageHeader/DueDate', required=False)
        self.to_places(message)
        self.other_info(message)
        for response in package.response_for:
            self.response_for(message, response, 'MessageHeader/ResponseFor')
        try:
            steering = SteeringType(package.steering_type)
        except ValueError:
            raise EdxmlFormatError('invalid_value',
                field='MessageHeader/SteeringType',
                value=package.steering_type)
        etree.SubElement(message, _tag('SteeringType')).text = str(
            int(steering))
        document_id = self.document_id()
        etree.SubElement(message, _tag('DocumentId')).text = document_id
        self.traces(header, document_id)
        self.body(root, envelope, document_id)
        return root, header

    def code(self, message):
        code = self.package.code
        element = etree.SubElement(message, _tag('Code'))
        number = self.add(element, 'CodeNumber', code.number,
            'MessageHeader/Code/CodeNumber', max_length=11, required=True)
        notation = self.add(element, 'CodeNotation', code.notation,
            'MessageHeader/Code/CodeNotation', max_length=30, required=True)
        # "/" and "," separate the parts of DocumentId (spec §1.6)
        if set('/,') & set(number.text):
            raise EdxmlFormatError('invalid_value',
                field='MessageHeader/Code/CodeNumber', value=number.text)
        if ',' in notation.text:
            raise EdxmlFormatError('invalid_value',
                field='MessageHeader/Code/CodeNotation', value=notation.text)

    def document_type(self, message):
        kind = self.package.document_type
        element = etree.SubElement(message, _tag('DocumentType'))
        self.number(element, 'Type', kind.code, 'MessageHeader/DocumentType/'
            'Type', 0, 999, required=True)
        self.number(element, 'TypeDetail', kind.detail,
            'MessageHeader/DocumentType/TypeDetail', 0, 999)
        self.add(element, 'TypeName', kind.name,
            'MessageHeader/DocumentType/TypeName', max_length=100,
            required=True)

    def signer(self, message):
        signer = self.package.signer
        element = etree.SubElement(message, _tag('SignerInfo'))
        self.add(element, 'Competence', signer.competence,
            'MessageHeader/SignerInfo/Competence', max_length=100)
        self.add(element, 'Position', signer.position,
            'MessageHeader/SignerInfo/Position', max_length=100,
            required=True)
        self.add(element, 'FullName', signer.full_name,
            'MessageHeader/SignerInfo/FullName', max_length=50, required=True)

    def to_places(self, message):
        places = [self.text(place, 'MessageHeader/ToPlaces/Place',
                required=True) for place in self.package.to_places]
        if not places:
            return
        if len('; '.join(places)) > 1000:
            raise EdxmlFormatError('field_too_long',
                field='MessageHeader/ToPlaces', limit=1000)
        element = etree.SubElement(message, _tag('ToPlaces'))
        for place in places:
            self.add(element, 'Place', place, 'MessageHeader/ToPlaces/Place')

    def other_info(self, message):
        other = self.package.other_info
        field = 'MessageHeader/OtherInfo'
        element = etree.SubElement(message, _tag('OtherInfo'))
        try:
            priority = Priority(other.priority)
        except ValueError:
            raise EdxmlFormatError('invalid_value', field=f'{field}/Priority',
                value=other.priority)
        etree.SubElement(element, _tag('Priority')).text = str(int(priority))
        self.add(element, 'SphereOfPromulgation', other.sphere,
            f'{field}/SphereOfPromulgation', max_length=500)
        self.add(element, 'TyperNotation', other.typer_notation,
            f'{field}/TyperNotation', max_length=30)
        self.number(element, 'PromulgationAmount', other.promulgation_amount,
            f'{field}/PromulgationAmount', 0, 999)
        self.number(element, 'PageAmount', other.page_amount,
            f'{field}/PageAmount', 0, 999)
        if other.direction is not None:
            etree.SubElement(element, _tag('Direction')).text = (
                'true' if other.direction else 'false')
        appendixes = etree.SubElement(element, _tag('Appendixes'))
        for appendix in other.appendixes:
            self.add(appendixes, 'Appendix', appendix,
                f'{field}/Appendixes/Appendix', max_length=500, required=True)

    def document_id(self):
        package = self.package
        if package.document_id:
            document_id = package.document_id.strip()
            if not DOCUMENT_ID_RE.match(document_id):
                raise EdxmlFormatError('invalid_document_id',
                    value=document_id)
            return document_id
        return package.effective_document_id()

    def traces(self, header, document_id):
        package = self.package
        element = etree.SubElement(header, _tag('TraceHeaderList'))
        traces = package.traces or [
            TraceHeader(package.sender.organ_id, now_vn())]
        for trace in traces:
            field = 'TraceHeaderList/TraceHeader'
            hop = etree.SubElement(element, _tag('TraceHeader'))
            self.add(hop, 'OrganId', check_identifier(
                    trace.organ_id, f'{field}/OrganId'), f'{field}/OrganId')
            if trace.timestamp is None:
                raise EdxmlFormatError('missing_field',
                    field=f'{field}/Timestamp')
            etree.SubElement(hop, _tag('Timestamp')).text = format_timestamp(
                trace.timestamp)
        self.business(element, document_id)

    def business(self, parent, document_id):
        business = self.package.business
        field = 'TraceHeaderList/Bussiness'
        try:
            kind = BusinessKind(business.kind)
        except ValueError:
            raise EdxmlFormatError('invalid_value',
                field=f'{field}/BussinessDocType', value=business.kind)
        if business.update is not None and kind != BusinessKind.UPDATE:
            raise EdxmlFormatError('inconsistent', detail=(
                'thông tin cập nhật chỉ dùng cho gói tin cập nhật'))
        if business.replacements and kind != BusinessKind.REPLACE:
            raise EdxmlFormatError('inconsistent', detail=(
                'danh sách văn bản bị thay thế chỉ dùng cho gói tin thay thế'))
        element = etree.SubElement(parent, _tag('Bussiness'))
        target_id = business.document_id
        if kind in (BusinessKind.REVOKE, BusinessKind.UPDATE):
            # The revoked/updated document: the header's when not given
            target_id = target_id or document_id
        self.add(element, 'DocumentId', target_id, f'{field}/DocumentId',
            max_length=255)
        etree.SubElement(element, _tag('BussinessDocType')).text = str(
            int(kind))
        self.add(element, 'BussinessDocReason', business.reason,
            f'{field}/BussinessDocReason', max_length=2000,
            required=kind == BusinessKind.REVOKE)
        etree.SubElement(element, _tag('Paper')).text = (
            '1' if business.paper else '0')
        if kind == BusinessKind.UPDATE:
            self.update_info(element, business.update, field)
        if kind == BusinessKind.REPLACE:
            self.replacements(element, business.replacements, field)
        for staff in business.staff:
            self.staff(element, staff, f'{field}/StaffInfo')

    def update_info(self, parent, update, field):
        field = f'{field}/BussinessDocumentInfo'
        if update is None or not (
                update.metadata_changed or update.receivers_changed):
            raise EdxmlFormatError('missing_field', field=field)
        if update.receivers_changed and not update.receivers:
            raise EdxmlFormatError('missing_field',
                field=f'{field}/ReceiverList')
        element = etree.SubElement(parent, _tag('BussinessDocumentInfo'))
        etree.SubElement(element, _tag('DocumentInfo')).text = (
            '1' if update.metadata_changed else '0')
        etree.SubElement(element, _tag('DocumentReceiver')).text = (
            '1' if update.receivers_changed else '0')
        if update.receivers:
            receivers = etree.SubElement(element, _tag('ReceiverList'))
            for receiver in update.receivers:
                item = etree.SubElement(receivers, _tag('Receiver'))
                self.add(item, 'OrganId', check_identifier(receiver.organ_id,
                        f'{field}/ReceiverList/Receiver/OrganId'))
                etree.SubElement(item, _tag('ReceiverType')).text = (
                    '1' if receiver.added else '0')

    def replacements(self, parent, replacements, field):
        field = f'{field}/ReplacementInfoList'
        if not replacements:
            raise EdxmlFormatError('missing_field', field=field)
        element = etree.SubElement(parent, _tag('ReplacementInfoList'))
        for replacement in replacements:
            item = etree.SubElement(element, _tag('ReplacementInfo'))
            self.add(item, 'DocumentId', replacement.document_id,
                f'{field}/ReplacementInfo/DocumentId', max_length=255,
                required=True)
            organs = etree.SubElement(item, _tag('OrganIdList'))
            for organ_id in replacement.organ_ids:
                self.add(organs, 'OrganId', check_identifier(organ_id,
                        f'{field}/ReplacementInfo/OrganIdList/OrganId'))

    def body(self, root, envelope, document_id):
        package = self.package
        body = etree.SubElement(envelope, _tag('edXMLBody'))
        manifest = etree.SubElement(body, _tag('edXMLManifest'),
            version='1.0')
        if not package.attachments:
            return
        date = package.promulgation_date
        zip_time = (max(date.year, 1980), date.month, date.day, 0, 0, 0)
        encoded = etree.SubElement(root, _tag('AttachmentEncoded'))
        seen = set()
        for index, attachment in enumerate(package.attachments):
            content_id = attachment.content_id or str(uuid.uuid5(
                    uuid.NAMESPACE_URL,
                    f'edxml:{document_id}#{index}#{attachment.name}'))
            if not _CONTENT_ID_RE.match(content_id):
                raise EdxmlFormatError('invalid_value', field='ContentId',
                    value=content_id)
            if content_id in seen:
                raise EdxmlAttachmentError('attachment_duplicate',
                    field=content_id)
            seen.add(content_id)
            content_type, data = wire.wire_form(attachment.name,
                attachment.data, attachment.content_type, zip_time)
            description = self.text(attachment.description, 'Description',
                max_length=500)
            reference = etree.SubElement(manifest, _tag('Reference'),
                nsmap={'xlink': XLINK_NS})
            reference.set(f'{{{XLINK_NS}}}href', f'cid:{content_id}')
            reference.set(f'{{{XLINK_NS}}}type', 'simple')
            self.add(reference, 'ContentId', f'cid:{content_id}')
            self.add(reference, 'ContentType', content_type)
            self.add(reference, 'Description', description)
            self.add(reference, 'AttachmentName', attachment.name)
            item = etree.SubElement(encoded, _tag('Attachment'))
            self.add(item, 'ContentId', f'cid:{content_id}')
            self.add(item, 'AttachmentName', attachment.name)
            self.add(item, 'Description', description)
            self.add(item, 'ContentType', content_type)
            etree.SubElement(item, _tag('ContentTransferEncoded')).text = (
                binascii.b2a_base64(data, newline=False).decode('ascii'))


class _StatusWriter(_Writer):

    def __init__(self, package):
        self.package = package

    def write(self):
        package = self.package
        root, envelope, header = self.envelope()
        message = etree.SubElement(header, _tag('MessageHeader'))
        self.organisation(message, 'From', package.sender,
            'MessageHeader/From', strict=True)
        if package.response_for is None:
            raise EdxmlFormatError('missing_field',
                field='MessageHeader/ResponseFor')
        try:
            status = StatusCode(package.status)
        except ValueError:
            raise EdxmlFormatError('invalid_value',
                field='MessageHeader/StatusCode', value=package.status)
        if (status.sent_by_sender and package.response_for.organ_id
                != package.sender.organ_id):
            raise EdxmlFormatError('inconsistent', detail=(
                'chỉ cơ quan gửi văn bản mới yêu cầu lấy lại văn bản đó'))
        self.response_for(message, package.response_for,
            'MessageHeader/ResponseFor')
        if package.staff is not None:
            self.staff(message, package.staff, 'MessageHeader/StaffInfo')
        etree.SubElement(message, _tag('StatusCode')).text = status.value
        description = self.text(package.description,
            'MessageHeader/Description', max_length=500,
            required=status.needs_reason)
        self.add(message, 'Description',
            description or status.default_description)
        if package.timestamp is None:
            raise EdxmlFormatError('missing_field',
                field='MessageHeader/Timestamp')
        etree.SubElement(message, _tag('Timestamp')).text = format_timestamp(
            package.timestamp)
        return root, header
