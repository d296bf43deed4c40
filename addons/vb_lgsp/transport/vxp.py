# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""National axis client: the VXP ("Knobstick") REST API of the VPCP/VNPT
SDK, spec §3.2. Parameters go in HMAC-signed ``XroadVnpt-*`` headers."""
import base64
import binascii
import json

from .base import (
    AxisReceipt, InboxItem, Transport, agencies_from_records,
    check_ack_status, check_doc_id, check_kind, check_sha256,
    parse_axis_datetime)
from .errors import (
    AXIS_OK, PermanentError, RetryableError, error_for_axis_code)
from .http import DEFAULT_TIMEOUT, HttpClient, encode_multipart
from .signing import sha256_hex, sign_headers

JSON_TYPE = 'application/json'


def _is_ok_code(code):
    return code in (None, '', AXIS_OK, str(AXIS_OK))


def _format_filter_date(value, end=False):
    # The C# connector's example: dd/MM/yyyy HH:mm:ss; a date alone covers
    # its whole day
    if not hasattr(value, 'hour'):
        return value.strftime('%d/%m/%Y') + (' 23:59:59' if end
            else ' 00:00:00')
    return value.strftime('%d/%m/%Y %H:%M:%S')


class VXPTransport(Transport):
    """Client of the national axis (or a provincial axis reusing the SDK).

    ``system_id``/``secret`` are the credentials issued by the axis;
    ``organ_id`` is the default ``from`` (our mã định danh) of ``send``.
    """
    name = 'vxp'

    def __init__(self, base_url, system_id, secret, *, organ_id=None,
            timeout=DEFAULT_TIMEOUT, http=None, service_type='eDoc'):
        if not base_url or not system_id or not secret:
            raise PermanentError('invalid_request',
                'Cần địa chỉ trục, mã hệ thống (systemid) và khóa bí mật.')
        self.base_url = base_url.rstrip('/')
        self.system_id = system_id
        self._secret = secret
        self.organ_id = organ_id
        self.service_type = service_type
        self.http = http or HttpClient(timeout)

    def __repr__(self):
        # Never show the secret
        return (f'{type(self).__name__}({self.base_url!r}, '
            f'system_id={self.system_id!r})')

    def _call(self, path, params=None, *, method='POST', body=b'',
            content_type=JSON_TYPE, message_id=None):
        try:
            headers = sign_headers(self.system_id, self._secret,
                params or {}, content_type)
        except ValueError as error:
            raise PermanentError('invalid_request',
                f'Tham số "{error}" phải là ký tự ASCII (mã, số hiệu).')
        if message_id:
            headers['Idempotency-Key'] = str(message_id)
        response = self.http.request(method, self.base_url + path,
            headers=headers, body=body if method == 'POST' else None)
        if not 200 <= response.status < 300:
            try:
                data = json.loads(response.body.decode('utf-8'))
            except (UnicodeDecodeError, ValueError):
                data = {}
            if not isinstance(data, dict):
                data = {}
            response.raise_for_status(data.get('ErrorDesc'),
                data.get('ErrorCode'))
        data = response.json()
        if not isinstance(data, dict):
            raise RetryableError('protocol', 'JSON không phải đối tượng',
                http_status=response.status)
        status = str(data.get('status', 'OK')).upper()
        if status != 'OK' or not _is_ok_code(data.get('ErrorCode')):
            raise error_for_axis_code(data.get('ErrorCode'),
                data.get('ErrorDesc'), http_status=response.status)
        return data

    def send(self, package, to_ids, kind='edoc', *, from_id=None,
            message_id=None, filename='edoc.edxml'):
        check_kind(kind)
        from_id = from_id or self.organ_id
        if not from_id:
            raise PermanentError('invalid_request',
                'Chưa cấu hình mã định danh của đơn vị gửi.')
        to_ids = list(to_ids or [])
        if kind == 'edoc' and not to_ids:
            raise PermanentError('invalid_request',
                'Văn bản phải có ít nhất một đơn vị nhận.')
        package = bytes(package)
        params = {'from': from_id}
        if to_ids:
            params['to'] = json.dumps(to_ids, separators=(',', ':'))
        if kind == 'edoc':
            params['servicetype'] = self.service_type
        params['messagetype'] = kind
        params['hash-file'] = sha256_hex(package)
        content_type, body = encode_multipart(
            files=[('file_doc', filename, 'application/octet-stream',
                    package)])
        data = self._call('/sendEdoc', params, body=body,
            content_type=content_type, message_id=message_id)
        doc_id = data.get('DocId') or data.get('docId')
        if not doc_id:
            raise RetryableError('protocol', 'Thiếu DocId trong phản hồi.')
        receivers = {r.get('to'): r.get('docId')
            for r in data.get('receivers') or [] if isinstance(r, dict)}
        return AxisReceipt(str(doc_id), bool(data.get('duplicate')),
            receivers)

    def inbox(self, kind='edoc', *, from_date=None, to_date=None):
        check_kind(kind)
        params = {'servicetype': self.service_type, 'messagetype': kind}
        if from_date is not None:
            params['fromDate'] = _format_filter_date(from_date)
        if to_date is not None:
            params['toDate'] = _format_filter_date(to_date, end=True)
        data = self._call('/getReceivedEdocList', params)
        items = []
        for record in data.get('data') or []:
            if not isinstance(record, dict) or not record.get('docId'):
                continue
            size = record.get('contentLength')
            items.append(InboxItem(
                doc_id=str(record['docId']),
                kind=record.get('messageType') or kind,
                from_id=record.get('from') or '',
                to_id=record.get('to') or '',
                status=record.get('status') or '',
                status_desc=record.get('status_desc') or '',
                created=parse_axis_datetime(record.get('created_time')),
                updated=parse_axis_datetime(record.get('updated_time')),
                sha256=record.get('contentSha256') or '',
                size=int(size) if str(size).isdigit() else None,
                raw=record))
        return items

    def fetch(self, doc_id, *, sha256=None):
        check_doc_id(doc_id)
        data = self._call('/getEdoc', {'docId': doc_id})
        encoded = data.get('data')
        if not isinstance(encoded, str):
            raise RetryableError('protocol', 'Thiếu nội dung gói tin (data).')
        try:
            content = base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError):
            raise RetryableError('protocol', 'Nội dung gói tin không phải'
                ' base64.')
        return check_sha256(content, sha256)

    def ack(self, doc_id, status='done'):
        check_doc_id(doc_id)
        check_ack_status(status)
        self._call('/updateStatus', {'docId': doc_id, 'status': status})

    def agencies(self):
        return agencies_from_records(
            self._call('/getAgenciesList').get('data') or [])

    def agencies_qd20(self, level):
        "Directory in the QĐ 20/2020 coding for one level (1–4)"
        return agencies_from_records(self._call('/getAgenciesListQD20',
                {'level': str(level)}).get('data') or [])

    def synchronize_units(self):
        return agencies_from_records(
            self._call('/getSynchronizeUnit').get('data') or [])

    def sent(self, doc_id):
        "Per-recipient delivery records of a sent message (raw dicts)"
        check_doc_id(doc_id)
        params = {'servicetype': self.service_type, 'messagetype': 'edoc',
            'docId': doc_id}
        return [r for r in self._call('/getSentEdocList', params).get(
                'data') or [] if isinstance(r, dict)]

    def count(self, kind='edoc'):
        "Number of messages waiting in the inbox"
        check_kind(kind)
        path = '/countReceiveEdoc' if kind == 'edoc' else '/countReceiveStatus'
        data = self._call(path, method='GET')
        try:
            return int(data.get('count'))
        except (TypeError, ValueError):
            raise RetryableError('protocol', 'Thiếu số lượng (count).')

    def register_agency(self, code, name, *, parent_code='', mail='',
            mobile='', fax='', id=''):
        "Register one of our agencies on the axis (registerAgency)"
        body = json.dumps({'id': id, 'pcode': parent_code or '',
            'code': code, 'name': name, 'mail': mail, 'mobile': mobile,
            'fax': fax}, ensure_ascii=False).encode('utf-8')
        self._call('/registerAgency', body=body)

    def delete_agency(self, code):
        self._call('/deleteAgency', {'AgencyCode': code})
