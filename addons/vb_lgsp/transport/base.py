# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""The transport interface the connector programs against.

A transport moves opaque package bytes: it never parses edXML. Every method
raises ``RetryableError`` or ``PermanentError`` (see ``errors``) and nothing
else for failures of the exchange.
"""
import abc
import datetime as dt
import hashlib
from dataclasses import dataclass, field

from .errors import PermanentError, RetryableError
from .signing import VN_TZ

KINDS = ('edoc', 'status')
# Transport acknowledgement of a received message (spec §3.2, updateStatus):
# "done" removes it from the inbox, "fail" asks for redelivery
ACK_STATUSES = ('done', 'fail', 'processing')

_DATETIME_FORMATS = (
    '%d/%m/%Y %H:%M:%S', '%Y/%m/%d %H:%M:%S', '%Y-%m-%d %H:%M:%S',
    '%Y/%m/%d', '%d/%m/%Y', '%Y-%m-%d')


def parse_axis_datetime(value):
    """A date-time from an axis listing, or None when absent or unknown.

    The axes use several formats (ISO 8601, ``dd/MM/yyyy HH:mm:ss``,
    ``yyyy/MM/dd HH:mm:ss``, epoch milliseconds); naive values are
    Vietnam time.
    """
    if value in (None, ''):
        return None
    if isinstance(value, (int, float)):
        return dt.datetime.fromtimestamp(value / 1000, dt.timezone.utc)
    text = str(value).strip()
    try:
        moment = dt.datetime.fromisoformat(text.replace('Z', '+00:00'))
    except ValueError:
        for pattern in _DATETIME_FORMATS:
            try:
                moment = dt.datetime.strptime(text, pattern)
                break
            except ValueError:
                continue
        else:
            return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=VN_TZ)
    return moment


@dataclass(frozen=True)
class AxisReceipt:
    """The axis accepted a package.

    ``doc_id`` is the axis's id of the sent message; ``receivers`` maps a
    recipient's mã định danh to its own delivery id when the axis reports
    it (the simulator does, the real VXP only through getSentEdocList);
    ``duplicate`` is True when the axis recognised a resend.
    """
    doc_id: str
    duplicate: bool = False
    receivers: dict = field(default_factory=dict)


@dataclass(frozen=True)
class InboxItem:
    "A message waiting in the inbox (a delivery to one of our agencies)"
    doc_id: str
    kind: str
    from_id: str = ''
    to_id: str = ''
    status: str = ''
    status_desc: str = ''
    created: dt.datetime = None
    updated: dt.datetime = None
    sha256: str = ''
    size: int = None
    raw: dict = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class AgencyEntry:
    "An agency of the axis directory"
    code: str
    name: str
    parent_code: str = None
    mail: str = ''
    id: str = ''
    parent_id: str = ''
    old_code: str = ''
    code102: str = ''
    center_code: str = ''
    deleted: bool = False
    is_agency: bool = True
    version: str = ''
    modified: dt.datetime = None
    raw: dict = field(default_factory=dict, compare=False, repr=False)


def _text(value):
    return '' if value is None else str(value)


def _flag(value):
    if isinstance(value, str):
        return value.strip().lower() in ('1', 'true', 'yes', 'y')
    return bool(value)


def agencies_from_records(records):
    """``AgencyEntry`` list from the axis's directory records.

    The axis links an agency to its parent by internal id (``pid``); the
    parent's mã định danh is resolved within the same listing, or taken
    from ``pcode`` when given.
    """
    records = [r for r in records if isinstance(r, dict)]
    code_of = {_text(r.get('id')): _text(r.get('code')) for r in records
        if r.get('id') not in (None, '')}
    entries = []
    for record in records:
        code = _text(record.get('code')).strip()
        if not code:
            continue
        parent_id = _text(record.get('pid'))
        parent_code = (_text(record.get('pcode')).strip()
            or code_of.get(parent_id) or None)
        if parent_code == code:
            parent_code = None
        entries.append(AgencyEntry(
            code=code,
            name=_text(record.get('name')).strip(),
            parent_code=parent_code,
            mail=_text(record.get('mail')),
            id=_text(record.get('id')),
            parent_id=parent_id,
            old_code=_text(record.get('oldCode')),
            code102=_text(record.get('code102')),
            center_code=_text(record.get('centerCode')),
            deleted=_flag(record.get('deleted', False)),
            is_agency=_flag(record.get('isAgency', True)),
            version=_text(record.get('version')),
            modified=parse_axis_datetime(record.get('modifyDate')),
            raw=record))
    return entries


def check_sha256(content, expected):
    "Refuse downloaded bytes that do not match the hash the axis listed"
    if expected and hashlib.sha256(content).hexdigest() != expected.lower():
        raise RetryableError('integrity',
            f'SHA-256 mong đợi {expected}, nhận {len(content)} byte khác.')
    return content


def check_kind(kind):
    if kind not in KINDS:
        raise PermanentError('invalid_request',
            f'Loại gói tin "{kind}" không hợp lệ (edoc hoặc status).')


def check_ack_status(status):
    if status not in ACK_STATUSES:
        raise PermanentError('invalid_request',
            f'Trạng thái xác nhận "{status}" không hợp lệ '
            '(done, fail hoặc processing).')


def check_doc_id(doc_id):
    if not doc_id or not str(doc_id).isascii() or any(
            c in str(doc_id) for c in '\r\n'):
        raise PermanentError('invalid_request',
            f'Mã văn bản trên trục (docId) "{doc_id}" không hợp lệ.')


class Transport(abc.ABC):
    """Client of one axis (national VXP or a provincial LGSP).

    ``send`` may be called again with the same ``message_id`` after a
    ``RetryableError``: the id goes out as an ``Idempotency-Key`` header so
    an axis that honours it (the simulator does) does not store the
    package twice.
    """

    #: Short name stored in the configuration ("vxp", "provincial", "oauth2")
    name = None

    @abc.abstractmethod
    def send(self, package, to_ids, kind='edoc', *, from_id=None,
            message_id=None):
        "Send package bytes to the recipients' mã định danh → AxisReceipt"

    @abc.abstractmethod
    def inbox(self, kind='edoc', *, from_date=None, to_date=None):
        "Messages waiting for us → list of InboxItem"

    @abc.abstractmethod
    def fetch(self, doc_id, *, sha256=None):
        "The package bytes of a received message (checked against sha256)"

    @abc.abstractmethod
    def ack(self, doc_id, status='done'):
        "Transport acknowledgement of a received message (updateStatus)"

    @abc.abstractmethod
    def agencies(self):
        "The axis directory → list of AgencyEntry"

    def synchronize_units(self):
        """Directory with deletions and versions (getSynchronizeUnit where
        the axis has it, else the plain list)"""
        return self.agencies()
