# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""The packages as data: what ``build`` writes and ``parse`` returns.

Field names follow the edXML elements (spec §1.4, §1.11); the element each
one maps to is given in the comments where the name differs.
"""
import dataclasses
import datetime as dt
from dataclasses import dataclass, field

from .codes import BusinessKind, Priority, StatusCode, SteeringType
from .identifiers import is_standard_identifier, make_document_id

__all__ = ['Organisation', 'DocumentCode', 'DocumentType', 'SignerInfo',
    'OtherInfo', 'ResponseFor', 'TraceHeader', 'StaffInfo', 'ReceiverChange',
    'UpdateInfo', 'Replacement', 'Business', 'Attachment', 'SignatureInfo',
    'DocumentPackage', 'StatusPackage']


@dataclass
class Organisation:
    "From / To (and the sender of a status package)"
    organ_id: str                   # OrganId, mã định danh
    name: str                       # OrganName
    in_charge: str = ''             # OrganizationInCharge (đơn vị chủ quản)
    address: str = ''               # OrganAdd
    email: str = ''
    telephone: str = ''
    fax: str = ''
    website: str = ''

    @property
    def has_standard_id(self):
        return is_standard_identifier(self.organ_id)


@dataclass
class DocumentCode:
    "Code: số and ký hiệu"
    number: str                     # CodeNumber
    notation: str                   # CodeNotation

    def __str__(self):
        return f'{self.number}/{self.notation}'


@dataclass
class DocumentType:
    """DocumentType. The meaning of the integer codes is not settled (spec
    §1.7): receivers rely on ``name``."""
    name: str                       # TypeName, e.g. "Công văn"
    code: int = 2                   # Type: 1 quy phạm pháp luật, 2 hành chính
    detail: int = 0                 # TypeDetail, 0 in every sample


@dataclass
class SignerInfo:
    position: str                   # Position (chức vụ)
    full_name: str                  # FullName
    competence: str = ''            # Competence (quyền hạn): "KT. CHỦ TỊCH"


@dataclass
class OtherInfo:
    priority: Priority = Priority.NORMAL
    sphere: str = ''                # SphereOfPromulgation
    typer_notation: str = ''        # TyperNotation
    promulgation_amount: int = None  # PromulgationAmount
    page_amount: int = None         # PageAmount
    direction: bool = None          # Direction (meaning unknown, spec §1.7)
    appendixes: list = field(default_factory=list)  # Appendixes/Appendix


@dataclass
class ResponseFor:
    "The document answered: a reply's ResponseFor, a status package's key"
    organ_id: str                   # its sender
    code: str                       # "<số>/<ký hiệu>"
    promulgation_date: dt.date
    document_id: str


@dataclass
class TraceHeader:
    organ_id: str
    timestamp: dt.datetime          # naive, Vietnam local time


@dataclass
class StaffInfo:
    department: str = ''
    staff: str = ''
    mobile: str = ''
    email: str = ''


@dataclass
class ReceiverChange:
    "Receiver of an update: ReceiverType 1 added, 0 removed"
    organ_id: str
    added: bool


@dataclass
class UpdateInfo:
    "BussinessDocumentInfo of an update package"
    metadata_changed: bool = False  # DocumentInfo = 1
    receivers_changed: bool = False  # DocumentReceiver = 1
    receivers: list = field(default_factory=list)  # ReceiverList/Receiver


@dataclass
class Replacement:
    "ReplacementInfo of a replace package"
    document_id: str                # the replaced document
    organ_ids: list = field(default_factory=list)  # OrganIdList/OrganId


@dataclass
class Business:
    "TraceHeaderList/Bussiness (sic): what the package does (spec §1.8)"
    kind: BusinessKind = BusinessKind.NEW  # BussinessDocType
    document_id: str = ''           # DocumentId of the revoked/updated one
    reason: str = ''                # BussinessDocReason
    paper: bool = False             # Paper: a paper copy is also sent
    update: UpdateInfo = None       # update packages only
    replacements: list = field(default_factory=list)  # replace only
    staff: list = field(default_factory=list)  # StaffInfo


class Attachment:
    """A file of the package.

    ``data`` is the file itself (never the zip wrapper of the wire). A parsed
    attachment has been checked (base64, declared type, zip safety) and keeps
    its base64 text until ``data`` is first read, so that parsing a large
    package does not hold every file twice; ``size`` needs no decoding.
    """
    __slots__ = ('name', 'content_type', 'description', 'content_id',
        '_data', '_source')

    def __init__(self, name, data=b'', content_type='', description='',
            content_id='', source=None):
        self.name = name
        # The real file's MIME type; '' lets build derive it from the name
        self.content_type = content_type
        self.description = description
        # Without "cid:" and angle brackets; '' lets build derive one
        self.content_id = content_id
        self._data = None if source is not None else bytes(data)
        self._source = source

    @property
    def data(self):
        if self._data is None:
            self._data = self._source.decode(release=True)
            self._source = None
        return self._data

    @data.setter
    def data(self, value):
        self._data, self._source = bytes(value), None

    @property
    def size(self):
        if self._data is None:
            return self._source.size
        return len(self._data)

    def _key(self):
        return (self.name, self.content_type, self.description,
            self.content_id, self.data)

    def __eq__(self, other):
        if not isinstance(other, Attachment):
            return NotImplemented
        return self._key() == other._key()

    __hash__ = None

    def __repr__(self):
        return (f'Attachment(name={self.name!r}, size={self.size}, '
            f'content_type={self.content_type!r}, '
            f'content_id={self.content_id!r})')


@dataclass
class SignatureInfo:
    "What parse found of the XML signature (XMLDSig, spec §1.9)"
    verified: bool
    certificate: bytes = None       # DER of the signing certificate
    subject: str = ''               # its subject, RFC 4514
    algorithm: str = ''             # SignatureMethod URI
    note: str = ''                  # why it is not verified


@dataclass
class DocumentPackage:
    "An edoc package: new, revoke, update or replace (Business.kind)"
    sender: Organisation            # From
    recipients: list                # To (1..*)
    code: DocumentCode
    promulgation_date: dt.date      # PromulgationInfo/PromulgationDate
    document_type: DocumentType
    subject: str                    # trích yếu
    signer: SignerInfo
    place: str = ''                 # PromulgationInfo/Place (địa danh)
    content: str = ''               # tóm tắt nội dung
    due_date: dt.date = None        # hạn xử lý
    to_places: list = field(default_factory=list)  # ToPlaces/Place (nơi nhận)
    other_info: OtherInfo = field(default_factory=OtherInfo)
    response_for: list = field(default_factory=list)  # ResponseFor*
    steering_type: SteeringType = SteeringType.NOT_STEERING
    # '' lets build compute it from the sender, date and code (spec §1.6)
    document_id: str = ''
    # '' lets build add one hop: the sender, now
    traces: list = field(default_factory=list)  # TraceHeaderList/TraceHeader
    business: Business = field(default_factory=Business)
    attachments: list = field(default_factory=list)
    # Filled by parse, ignored by build (which signs when given credentials)
    signature: SignatureInfo = field(default=None, compare=False)

    @property
    def kind(self):
        return self.business.kind

    def effective_document_id(self):
        "document_id, or the one of spec §1.6 when it is not set"
        return self.document_id or make_document_id(self.sender.organ_id,
            self.promulgation_date, self.code.number, self.code.notation)

    def replace(self, **changes):
        return dataclasses.replace(self, **changes)


@dataclass
class StatusPackage:
    "A status package (spec §1.11)"
    sender: Organisation            # From: who sends the status
    response_for: ResponseFor       # the document concerned
    status: StatusCode              # StatusCode
    timestamp: dt.datetime          # naive, Vietnam local time
    description: str = ''           # reason / free text
    staff: StaffInfo = None         # StaffInfo: who acted
    signature: SignatureInfo = field(default=None, compare=False)

    def replace(self, **changes):
        return dataclasses.replace(self, **changes)
