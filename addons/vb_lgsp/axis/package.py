# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""The few edXML fields an axis needs to route a package.

The simulator stores packages as opaque bytes; it only reads the sender,
the recipients and the identifiers (for routing and for recognising a
resend). Elements are matched by local name, so any of the three edXML
namespaces (or none) and the SOAP encoding (spec §1.3 B) are read alike.
The parser never resolves entities, never loads a DTD, never touches the
network; a package declaring a DOCTYPE is refused outright.
"""
from dataclasses import dataclass, field

from lxml import etree


class PackageError(Exception):
    "The bytes are not an edXML package the axis can route"

    def __init__(self, message):
        self.message = message
        super().__init__(message)


@dataclass
class PackageInfo:
    from_id: str = ''
    from_name: str = ''
    to_ids: list = field(default_factory=list)
    document_id: str = ''
    code: str = ''
    subject: str = ''
    business_doc_type: str = ''
    status_code: str = ''
    response_for_organ: str = ''
    response_for_document: str = ''
    attachments: list = field(default_factory=list)

    @property
    def is_status(self):
        return bool(self.status_code)


def _parser():
    # A parser per call: lxml parsers are not thread-safe
    return etree.XMLParser(resolve_entities=False, no_network=True,
        load_dtd=False, dtd_validation=False, huge_tree=False,
        remove_pis=True, collect_ids=False)


def _local(element):
    tag = element.tag
    if not isinstance(tag, str):
        return None
    return tag.rpartition('}')[2]


def _child(element, name):
    if element is None:
        return None
    for child in element:
        if _local(child) == name:
            return child
    return None


def _children(element, name):
    if element is None:
        return []
    return [c for c in element if _local(c) == name]


def _text(element):
    if element is None or element.text is None:
        return ''
    return element.text.strip()


def _find(root, name):
    for element in root.iter():
        if _local(element) == name:
            return element
    return None


def inspect_package(content):
    "The routing fields of a package (bytes); PackageError when unreadable"
    if not content or not content.lstrip()[:1] in (b'<', b'\xef'):
        raise PackageError('Gói tin không phải tài liệu XML.')
    try:
        root = etree.fromstring(content, _parser())
    except etree.XMLSyntaxError as error:
        raise PackageError(f'edXML sai cú pháp XML: {error}')
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise PackageError('Gói tin chứa khai báo DOCTYPE/DTD, không được'
            ' chấp nhận.')
    header = _find(root, 'MessageHeader')
    if header is None:
        raise PackageError('Gói tin không có MessageHeader.')
    info = PackageInfo()
    sender = _child(header, 'From')
    info.from_id = _text(_child(sender, 'OrganId'))
    info.from_name = _text(_child(sender, 'OrganName'))
    info.to_ids = [code for code in (
            _text(_child(to, 'OrganId')) for to in _children(header, 'To'))
        if code]
    info.document_id = _text(_child(header, 'DocumentId'))
    code = _child(header, 'Code')
    number, notation = (_text(_child(code, 'CodeNumber')),
        _text(_child(code, 'CodeNotation')))
    info.code = f'{number}/{notation}' if number and notation else (
        number or notation or _text(code))
    info.subject = _text(_child(header, 'Subject'))
    info.status_code = _text(_child(header, 'StatusCode'))
    response_for = _child(header, 'ResponseFor')
    info.response_for_organ = _text(_child(response_for, 'OrganId'))
    info.response_for_document = _text(_child(response_for, 'DocumentId'))
    business = _find(root, 'Bussiness')
    info.business_doc_type = _text(_child(business, 'BussinessDocType'))
    for attachment in root.iter():
        if _local(attachment) != 'Attachment':
            continue
        encoded = _child(attachment, 'ContentTransferEncoded')
        if encoded is None:
            continue
        info.attachments.append({
                'fileName': _text(_child(attachment, 'AttachmentName')),
                'fileContent': ''.join((encoded.text or '').split()),
                })
    if not info.from_id:
        raise PackageError('Gói tin thiếu From/OrganId (đơn vị gửi).')
    return info
