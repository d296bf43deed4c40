# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""Reading packages: encoding A (one XML document) or B (SOAP with
attachments), any of the three edXML namespaces or none, elements matched
by local name in any order (spec §1.2–§1.4, §1.11)."""
import re

from . import attachments as wire
from . import mime, xmldsig
from .codes import BusinessKind, Priority, StatusCode, SteeringType
from .dates import parse_date, parse_timestamp
from .errors import (EdxmlError, EdxmlAttachmentError, EdxmlFormatError,
    EdxmlSecurityError, EdxmlSignatureError)
from .identifiers import check_identifier
from .limits import DEFAULT_LIMITS
from .model import (Attachment, Business, DocumentCode, DocumentPackage,
    DocumentType, Organisation, OtherInfo, Replacement, ReceiverChange,
    ResponseFor, SignatureInfo, SignerInfo, StaffInfo, StatusPackage,
    TraceHeader, UpdateInfo)
from .namespaces import DSIG_NS, EDXML_NAMESPACES, SOAP12_NS, SOAP_NS
from .reader import read_xml

__all__ = ['parse']

_INTEGER_RE = re.compile(r'^[+-]?\d{1,9}$')
_TRUE = {'1', 'true'}
_FALSE = {'0', 'false'}


def parse(data, content_type=None, limits=DEFAULT_LIMITS,
        verify_signature=True, require_signature=False, trusted=None,
        strict_identifiers=False):
    """Read a package; return a DocumentPackage or a StatusPackage.

    `content_type`: the HTTP Content-Type when encoding B arrives with its
    MIME headers apart. `verify_signature`: check an XMLDSig signature when
    there is one (a failed check refuses the package);
    `require_signature`: refuse packages without a valid one; `trusted`:
    the only certificates accepted as signers (DER/PEM bytes or
    cryptography certificates). `strict_identifiers`: refuse mã định danh
    that are not of the QCVN 102 form (by default other systems' short
    dotted codes pass, see identifiers.py).

    Raises an EdxmlError subclass (``code``, Vietnamese ``message``, and
    ``sender`` when it could be read) and has no other effect.
    """
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError('edXML data must be bytes')
    data = bytes(data) if not isinstance(data, bytes) else data
    if len(data) > limits.max_package_size:
        raise EdxmlSecurityError('too_large', limit=limits.max_package_size)
    root = None
    try:
        if mime.looks_like_mime(data, content_type):
            xml, parts_by_id, parts = mime.split(data, content_type, limits)
        else:
            xml, parts_by_id, parts = data, None, None
        try:
            root = read_xml(xml, limits)
        except EdxmlError as exception:
            root = getattr(exception, 'partial_root', None)
            raise
        reader = _PackageReader(root, parts_by_id, parts, limits,
            strict_identifiers)
        package = reader.read()
        package.signature = _signature(reader, xml, verify_signature,
            require_signature, trusted)
        return package
    except EdxmlError as exception:
        if exception.sender is None and root is not None:
            exception.sender = _sender_of(root)
        if exception.document_id is None and root is not None:
            exception.document_id = _document_id_of(root)
        raise


def _signature(reader, xml, verify, required, trusted):
    info = None
    nodes = [node for node in reader.signature_nodes
        if node.children or node.text]
    # An XMLDSig signature anywhere (not only in the header) is checked
    if reader.root.signatures or any(
            node.namespace == DSIG_NS for node in nodes):
        if verify or required:
            info = xmldsig.verify(xml, trusted)
        else:
            info = SignatureInfo(verified=False, note='chưa kiểm tra')
    elif nodes:
        # The SDK samples carry an un-namespaced dummy signature and one
        # provincial builder an empty DigitalSignature (spec §1.9)
        info = SignatureInfo(verified=False,
            note='không phải chữ ký XMLDSig, không kiểm tra được')
    if required and not (info and info.verified):
        raise EdxmlSignatureError('signature_required')
    return info


def _locate(root):
    """(header, body, inline attachments, soap status) containers.

    Encoding A: edXML/edXMLEnvelope/{edXMLHeader, edXMLBody} and
    edXML/AttachmentEncoded; B: soap:Envelope/{Header, Body}.
    """
    status = None
    if root.name == 'Envelope' and root.namespace in (SOAP_NS, SOAP12_NS):
        header, body = root.first('Header'), root.first('Body')
        if body is not None and body.first('edXMLEnvelope') is not None:
            envelope = body.first('edXMLEnvelope')
            header = envelope.first('edXMLHeader') or header
            body = envelope.first('edXMLBody') or body
        inline = body.first('AttachmentEncoded') if body is not None else None
        status = body.first('Status') if body is not None else None
        return header, body, inline, status
    if root.namespace not in EDXML_NAMESPACES:
        raise EdxmlFormatError('not_edxml')
    if root.name == 'edXML':
        envelope = root.first('edXMLEnvelope')
        inline = root.first('AttachmentEncoded')
    elif root.name == 'edXMLEnvelope':
        envelope, inline = root, None
    else:
        raise EdxmlFormatError('not_edxml')
    if envelope is None:
        raise EdxmlFormatError('missing_field', field='edXMLEnvelope')
    return (envelope.first('edXMLHeader'), envelope.first('edXMLBody'),
        inline, status)


def _sender_of(root):
    "The From/OrganId of a (possibly partial) tree, or None"
    try:
        header, _, _, status = _locate(root)
    except EdxmlError:
        return None
    for container in (header and header.first('MessageHeader'), status):
        origin = container.first('From') if container is not None else None
        organ = origin.first('OrganId') if origin is not None else None
        if organ is not None and organ.text:
            return organ.text[:50]
    return None


def _document_id_of(root):
    "The DocumentId of a (possibly partial) document package, or None"
    try:
        header, _, _, status = _locate(root)
    except EdxmlError:
        return None
    message = header.first('MessageHeader') if header is not None else None
    if (status is not None or message is None
            or message.first('StatusCode') is not None):
        # A status is never answered with a status
        return None
    node = message.first('DocumentId')
    if node is not None and node.text and len(node.text) <= 255:
        return node.text.strip()
    return None


class _PackageReader:

    def __init__(self, root, parts_by_id, parts, limits, strict):
        self.root = root
        self.parts_by_id = parts_by_id
        self.parts = parts
        self.limits = limits
        self.strict = strict
        self.signature_nodes = []

    # -- values ---------------------------------------------------------

    @staticmethod
    def _child(node, name, field, required):
        child = node.first(name) if node is not None else None
        if child is None and required:
            raise EdxmlFormatError('missing_field', field=field)
        return child

    def text(self, node, name, field, required=False):
        # The field's path is only built for an error (this is called for
        # every field of every package)
        value = node.value(name) if node is not None else ''
        if required and not value:
            raise EdxmlFormatError('missing_field', field=f'{field}/{name}')
        return value

    def integer(self, node, name, field, low, high, required=False):
        value = self.text(node, name, field, required)
        if not value:
            return None
        if not _INTEGER_RE.match(value) or not low <= int(value) <= high:
            raise EdxmlFormatError('invalid_value', field=f'{field}/{name}',
                value=value[:50])
        return int(value)

    def boolean(self, node, name, field, default=None):
        value = self.text(node, name, field).lower()
        if not value:
            return default
        if value in _TRUE:
            return True
        if value in _FALSE:
            return False
        raise EdxmlFormatError('invalid_value', field=f'{field}/{name}',
            value=value[:50])

    def date(self, node, name, field, required=True):
        value = self.text(node, name, field, required)
        return parse_date(value, f'{field}/{name}') if value else None

    def timestamp(self, node, name, field):
        value = self.text(node, name, field, required=True)
        return parse_timestamp(value, f'{field}/{name}')

    def organ_id(self, node, field, strict=None):
        value = self.text(node, 'OrganId', field, required=True)
        return check_identifier(value, f'{field}/OrganId',
            strict=self.strict if strict is None else strict)

    # -- structures -----------------------------------------------------

    def organisation(self, node, field):
        return Organisation(
            organ_id=self.organ_id(node, field),
            name=self.text(node, 'OrganName', field, required=True),
            in_charge=self.text(node, 'OrganizationInCharge', field),
            address=self.text(node, 'OrganAdd', field),
            email=self.text(node, 'Email', field),
            telephone=self.text(node, 'Telephone', field),
            fax=self.text(node, 'Fax', field),
            website=self.text(node, 'Website', field))

    def response_for(self, node, field):
        return ResponseFor(
            organ_id=self.organ_id(node, field),
            code=self.text(node, 'Code', field, required=True),
            promulgation_date=self.date(node, 'PromulgationDate', field),
            document_id=self.text(node, 'DocumentId', field, required=True))

    def staff(self, node):
        return StaffInfo(
            department=self.text(node, 'Department', 'StaffInfo'),
            staff=self.text(node, 'Staff', 'StaffInfo'),
            mobile=self.text(node, 'Mobile', 'StaffInfo'),
            email=self.text(node, 'Email', 'StaffInfo'))

    # -- packages -------------------------------------------------------

    def read(self):
        header, body, inline, status = _locate(self.root)
        self.body, self.inline = body, inline
        if header is not None:
            self.signature_nodes = [*header.all('Signature'),
                *header.all('DigitalSignature')]
        message = header.first('MessageHeader') if header is not None \
            else None
        if status is not None:
            return self.status(status)
        if message is None:
            raise EdxmlFormatError('missing_field', field='MessageHeader')
        # A status names the document it is about and has no recipient
        if message.first('StatusCode') is not None or (
                message.first('To') is None and message.first('Code') is None
                and message.first('ResponseFor') is not None):
            return self.status(message)
        return self.document(message, header)

    def status(self, message):
        field = 'MessageHeader'
        sender = self.organisation(
            self._child(message, 'From', f'{field}/From', True),
            f'{field}/From')
        response = self.response_for(self._child(message, 'ResponseFor',
                f'{field}/ResponseFor', True), f'{field}/ResponseFor')
        code = self.text(message, 'StatusCode', field, required=True)
        if code.isdigit() and len(code) == 1:
            code = '0' + code
        try:
            status = StatusCode(code)
        except ValueError:
            raise EdxmlFormatError('invalid_value',
                field=f'{field}/StatusCode', value=code[:50])
        staff = message.first('StaffInfo')
        return StatusPackage(
            sender=sender, response_for=response, status=status,
            timestamp=self.timestamp(message, 'Timestamp', field),
            description=self.text(message, 'Description', field),
            staff=self.staff(staff) if staff is not None else None)

    def document(self, message, header):
        field = 'MessageHeader'
        sender = self.organisation(
            self._child(message, 'From', f'{field}/From', True),
            f'{field}/From')
        recipients = [self.organisation(node, f'{field}/To')
            for node in message.all('To')]
        if not recipients:
            raise EdxmlFormatError('missing_field', field=f'{field}/To')
        code = self._child(message, 'Code', f'{field}/Code', True)
        info = self._child(message, 'PromulgationInfo',
            f'{field}/PromulgationInfo', True)
        kind = self._child(message, 'DocumentType', f'{field}/DocumentType',
            True)
        signer = self._child(message, 'SignerInfo', f'{field}/SignerInfo',
            True)
        places = message.first('ToPlaces')
        steering = self.integer(message, 'SteeringType', field, 0, 3,
            required=True)
        return DocumentPackage(
            sender=sender,
            recipients=recipients,
            code=DocumentCode(
                number=self.text(code, 'CodeNumber', f'{field}/Code', True),
                notation=self.text(code, 'CodeNotation', f'{field}/Code',
                    True)),
            promulgation_date=self.date(info, 'PromulgationDate',
                f'{field}/PromulgationInfo'),
            place=self.text(info, 'Place', f'{field}/PromulgationInfo'),
            document_type=DocumentType(
                name=self.text(kind, 'TypeName', f'{field}/DocumentType',
                    True),
                code=self.integer(kind, 'Type', f'{field}/DocumentType', 0,
                    999, required=True),
                detail=self.integer(kind, 'TypeDetail',
                    f'{field}/DocumentType', 0, 999) or 0),
            subject=self.text(message, 'Subject', field, True),
            content=self.text(message, 'Content', field),
            signer=SignerInfo(
                position=self.text(signer, 'Position', f'{field}/SignerInfo',
                    True),
                full_name=self.text(signer, 'FullName',
                    f'{field}/SignerInfo', True),
                competence=self.text(signer, 'Competence',
                    f'{field}/SignerInfo')),
            due_date=self.date(message, 'DueDate', field, required=False),
            to_places=[node.text for node in places.all('Place')
                if node.text] if places is not None else [],
            other_info=self.other_info(message.first('OtherInfo')),
            response_for=[
                self.response_for(node, f'{field}/ResponseFor')
                for node in message.all('ResponseFor')],
            steering_type=SteeringType.from_wire(steering),
            document_id=self.text(message, 'DocumentId', field, True),
            traces=self.traces(header),
            business=self.business(header),
            attachments=self.attachments())

    def other_info(self, node):
        if node is None:
            return OtherInfo()
        field = 'MessageHeader/OtherInfo'
        appendixes = node.first('Appendixes')
        return OtherInfo(
            priority=Priority(self.integer(node, 'Priority', field, 0, 4,
                required=True)),
            sphere=self.text(node, 'SphereOfPromulgation', field),
            typer_notation=self.text(node, 'TyperNotation', field),
            promulgation_amount=self.integer(node, 'PromulgationAmount',
                field, 0, 999_999),
            page_amount=self.integer(node, 'PageAmount', field, 0, 999_999),
            direction=self.boolean(node, 'Direction', field),
            appendixes=[item.text for item in appendixes.all('Appendix')
                if item.text] if appendixes is not None else [])

    def traces(self, header):
        field = 'TraceHeaderList'
        trace_list = self._child(header, 'TraceHeaderList', field, True)
        traces = [TraceHeader(
                organ_id=self.organ_id(node, f'{field}/TraceHeader',
                    strict=False),
                timestamp=self.timestamp(node, 'Timestamp',
                    f'{field}/TraceHeader'))
            for node in trace_list.all('TraceHeader')]
        if not traces:
            raise EdxmlFormatError('missing_field',
                field=f'{field}/TraceHeader')
        return traces

    def business(self, header):
        trace_list = header.first('TraceHeaderList')
        node = trace_list.first('Bussiness') or trace_list.first('Business')
        if node is None:
            return Business()
        field = 'TraceHeaderList/Bussiness'
        kind = BusinessKind(self.integer(node, 'BussinessDocType', field, 0,
                3, required=True))
        business = Business(
            kind=kind,
            document_id=self.text(node, 'DocumentId', field),
            reason=self.text(node, 'BussinessDocReason', field),
            paper=self.boolean(node, 'Paper', field, default=False),
            staff=[self.staff(item) for item in node.all('StaffInfo')])
        if kind == BusinessKind.UPDATE:
            blocks = node.all('BussinessDocumentInfo')
            if not blocks:
                raise EdxmlFormatError('missing_field',
                    field=f'{field}/BussinessDocumentInfo')
            update = UpdateInfo()
            info_field = f'{field}/BussinessDocumentInfo'
            for block in blocks:
                update.metadata_changed |= bool(self.boolean(
                        block, 'DocumentInfo', info_field, False))
                update.receivers_changed |= bool(self.boolean(
                        block, 'DocumentReceiver', info_field, False))
                receivers = block.first('ReceiverList')
                for item in receivers.all('Receiver') if receivers else ():
                    update.receivers.append(ReceiverChange(
                        organ_id=self.organ_id(item,
                            f'{info_field}/ReceiverList/Receiver',
                            strict=False),
                        added=self.integer(item, 'ReceiverType',
                            f'{info_field}/ReceiverList/Receiver', 0, 1,
                            required=True) == 1))
            business.update = update
        if kind == BusinessKind.REPLACE:
            replacements_field = f'{field}/ReplacementInfoList'
            replacement_list = node.first('ReplacementInfoList')
            items = replacement_list.all('ReplacementInfo') \
                if replacement_list is not None else ()
            for item in items:
                organs = item.first('OrganIdList')
                business.replacements.append(Replacement(
                    document_id=self.text(item, 'DocumentId',
                        f'{replacements_field}/ReplacementInfo', True),
                    organ_ids=[check_identifier(organ.text,
                            f'{replacements_field}/ReplacementInfo/'
                            'OrganIdList/OrganId')
                        for organ in (organs.all('OrganId')
                            if organs is not None else ())]))
            if not business.replacements:
                raise EdxmlFormatError('missing_field',
                    field=f'{replacements_field}/ReplacementInfo')
        return business

    # -- attachments ----------------------------------------------------

    def _references(self):
        "Manifest entries by content id"
        body = self.body
        manifest = None
        if body is not None:
            manifest = body.first('edXMLManifest') or body.first('Manifest')
        references = {}
        for node in manifest.all('Reference') if manifest is not None else ():
            content_id = mime.normalize_content_id(
                self.text(node, 'ContentId', 'Reference')
                or node.attribute('href') or '')
            include = node.first('Include')
            if not content_id and include is not None:
                content_id = mime.normalize_content_id(
                    include.attribute('href'))
            if content_id in references:
                raise EdxmlAttachmentError('attachment_duplicate',
                    field=content_id or 'ContentId')
            references[content_id] = node
        return references

    def attachments(self):
        references = self._references()
        found = []
        seen = set()
        for node in self.inline.all('Attachment') if self.inline else ():
            content_id = mime.normalize_content_id(
                self.text(node, 'ContentId', 'Attachment'))
            reference = references.pop(content_id, None)
            content = node.first('ContentTransferEncoded')
            name = (self.text(node, 'AttachmentName', 'Attachment')
                or self.text(reference, 'AttachmentName', 'Reference'))
            if content is None or content.payload is None:
                raise EdxmlAttachmentError('attachment_missing',
                    field=name or content_id)
            found.append(self.attachment(node, reference, content_id, name,
                    content.payload, '', seen))
        used = set()
        for content_id, reference in references.items():
            part = (self.parts_by_id or {}).get(content_id)
            name = self.text(reference, 'AttachmentName', 'Reference') or (
                part.filename if part else '')
            if part is None:
                raise EdxmlAttachmentError('attachment_missing',
                    field=name or content_id)
            used.add(id(part))
            found.append(self.attachment(None, reference, content_id, name,
                    part.payload(self.limits), part.content_type, seen))
        # Parts that no manifest entry names (a sender without manifest)
        for part in self.parts or ():
            if id(part) not in used:
                found.append(self.attachment(None, None, part.content_id,
                        part.filename, part.payload(self.limits),
                        part.content_type, seen))
        return found

    def attachment(self, node, reference, content_id, name, payload,
            part_type, seen):
        if not name:
            raise EdxmlFormatError('missing_field',
                field='Attachment/AttachmentName')
        if content_id:
            if content_id in seen:
                raise EdxmlAttachmentError('attachment_duplicate',
                    field=content_id)
            seen.add(content_id)
        wire_type = (self.text(node, 'ContentType', 'Attachment')
            or self.text(reference, 'ContentType', 'Reference') or part_type)
        description = (self.text(node, 'Description', 'Attachment')
            or self.text(reference, 'Description', 'Reference'))
        content_type, result = wire.receive(name, wire_type, payload,
            self.limits)
        if isinstance(result, bytes):
            return Attachment(name, result, content_type=content_type,
                description=description, content_id=content_id)
        return Attachment(name, content_type=content_type,
            description=description, content_id=content_id, source=result)
