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
import json
from dataclasses import dataclass, field

from .errors import PermanentError, RetryableError, error_for_axis_code
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


def _json_or_none(body):
    "The JSON value of an answer's body, or None when it is not JSON"
    try:
        return json.loads(body.decode('utf-8'))
    except (UnicodeDecodeError, ValueError):
        return None


class Transport(abc.ABC):
    """Client of one axis (national VXP or a provincial LGSP).

    ``send`` may be called again with the same ``message_id`` after a
    ``RetryableError``: the id goes out as an ``Idempotency-Key`` header so
    an axis that honours it (the simulator does) does not store the
    package twice.

    The axes' APIs all answer JSON objects: ``_exchange`` sends a request
    and reads its answer the same way for every transport, which only say
    how their API reports a failure (``_error_parts``, ``_refusal``) and
    names the fields of its listings (``INBOX_FIELDS``).
    """

    #: Short name stored in the configuration ("vxp", "provincial", "oauth2")
    name = None
    #: Keys of an inbox record: status text, creation and update times
    INBOX_FIELDS = ('statusDesc', 'createdTime', 'updatedTime')
    base_url = system_id = http = None

    def __repr__(self):
        # Never shows the secret
        return (f'{type(self).__name__}({self.base_url!r}, '
            f'system_id={self.system_id!r})')

    # The JSON exchange with the axis ------------------------------------

    def _request(self, method, url, headers, body):
        "Send one request (subclasses add their authentication)"
        return self.http.request(method, url, headers=headers, body=body)

    def _exchange(self, method, url, headers, body=None, message_id=None):
        """The JSON object the axis answers to a request.

        A non-2xx answer raises the error of its HTTP status, with the
        axis's own error code and text when its body gives them; a 2xx
        answer that is not a JSON object, or that reports a failure,
        raises the error of the axis's code.
        """
        if message_id:
            headers['Idempotency-Key'] = str(message_id)
        response = self._request(method, url, headers, body)
        if not 200 <= response.status < 300:
            code, description = self._error_parts(
                _json_or_none(response.body))
            response.raise_for_status(description, code)
        data = response.json()
        if not isinstance(data, dict):
            raise RetryableError('protocol', 'JSON không phải đối tượng',
                http_status=response.status)
        refusal = self._refusal(data)
        if refusal is not None:
            code, description = refusal
            raise error_for_axis_code(code, description,
                http_status=response.status)
        return data

    @staticmethod
    def _error_parts(data):
        """(axis error code, description) in the JSON of an answer (None
        when the body was not JSON)"""
        return None, None

    def _refusal(self, data):
        "(axis error code, description) when a 2xx answer is a failure"
        return None

    @staticmethod
    def _receipt(data, doc_id, label='docId'):
        "The AxisReceipt of a send's answer, whose message id is doc_id"
        if not doc_id:
            raise RetryableError('protocol', f'Thiếu {label} trong phản hồi.')
        receivers = {r.get('to'): r.get('docId')
            for r in data.get('receivers') or [] if isinstance(r, dict)}
        return AxisReceipt(str(doc_id), bool(data.get('duplicate')),
            receivers)

    def _inbox_items(self, records, kind):
        "InboxItem list of an inbox listing's records"
        status_desc, created, updated = self.INBOX_FIELDS
        items = []
        for record in records or []:
            if not isinstance(record, dict) or not record.get('docId'):
                continue
            size = record.get('contentLength')
            items.append(InboxItem(
                doc_id=str(record['docId']),
                kind=record.get('messageType') or kind,
                from_id=record.get('from') or '',
                to_id=record.get('to') or '',
                status=record.get('status') or '',
                status_desc=record.get(status_desc) or '',
                created=parse_axis_datetime(record.get(created)),
                updated=parse_axis_datetime(record.get(updated)),
                sha256=record.get('contentSha256') or '',
                size=int(size) if str(size).isdigit() else None,
                raw=record))
        return items

    # The interface -------------------------------------------------------

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
