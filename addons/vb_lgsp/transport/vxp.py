# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""National axis client: the VXP ("Knobstick") REST API of the VPCP/VNPT
SDK, spec §3.2. Parameters go in HMAC-signed ``XroadVnpt-*`` headers."""
import base64
import binascii
import json

from .base import (
    Transport, agencies_from_records, check_ack_status, check_doc_id,
    check_kind, check_sha256)
from .errors import AXIS_OK, PermanentError, RetryableError
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
    INBOX_FIELDS = ('status_desc', 'created_time', 'updated_time')

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

    def _call(self, path, params=None, *, method='POST', body=b'',
            content_type=JSON_TYPE, message_id=None):
        try:
            headers = sign_headers(self.system_id, self._secret,
                params or {}, content_type)
        except ValueError as error:
            raise PermanentError('invalid_request',
                f'Tham số "{error}" phải là ký tự ASCII (mã, số hiệu).')
        return self._exchange(method, self.base_url + path, headers,
            body if method == 'POST' else None, message_id)

    @staticmethod
    def _error_parts(data):
        if not isinstance(data, dict):
            return None, None
        return data.get('ErrorCode'), data.get('ErrorDesc')

    def _refusal(self, data):
        if (str(data.get('status', 'OK')).upper() != 'OK'
                or not _is_ok_code(data.get('ErrorCode'))):
            return data.get('ErrorCode'), data.get('ErrorDesc')
        return None

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
        return self._receipt(data, data.get('DocId') or data.get('docId'),
            'DocId')

    def inbox(self, kind='edoc', *, from_date=None, to_date=None):
        check_kind(kind)
        params = {'servicetype': self.service_type, 'messagetype': kind}
        if from_date is not None:
            params['fromDate'] = _format_filter_date(from_date)
        if to_date is not None:
            params['toDate'] = _format_filter_date(to_date, end=True)
        return self._inbox_items(
            self._call('/getReceivedEdocList', params).get('data'), kind)

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
