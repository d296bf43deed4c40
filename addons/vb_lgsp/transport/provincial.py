# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""Provincial axis client: the REST variant of spec §3.3 (Lạng Sơn guide
v2.2), authenticated by ``X-SystemId``/``X-SecretKey`` headers."""
import base64
import binascii
import json
from urllib.parse import urlencode

from .base import (
    AxisReceipt, InboxItem, Transport, agencies_from_records,
    check_ack_status, check_doc_id, check_kind, check_sha256,
    parse_axis_datetime)
from .errors import PermanentError, RetryableError, error_for_axis_code
from .http import DEFAULT_TIMEOUT, HttpClient, encode_multipart

# Paths are configuration: each province publishes its own. The directory
# path is not in the Lạng Sơn guide; the simulator serves it there.
DEFAULT_PATHS = {
    'send': '/v1/sendEdoc',
    'inbox': '/v1/syncReceivedEdocList',
    'fetch': '/v1/getEdoc',
    'ack': '/v1/updateStatus',
    'agencies': '/v1/getAgenciesList',
    }


def _error_parts(data):
    "(axis error code, description) from a provincial error body"
    if not isinstance(data, dict):
        return None, None
    inner = data.get('data') if isinstance(data.get('data'), dict) else {}
    code = inner.get('errorCode', data.get('errorCode'))
    description = (inner.get('errorDesc') or data.get('errorDesc')
        or data.get('message'))
    return code, description


def _decode_edxml(value):
    """The package bytes of getEdoc's ``edxml``: the XML text itself (as
    the guide shows) or, from some deployments, its base64."""
    if not isinstance(value, str) or not value.strip():
        raise RetryableError('protocol', 'Thiếu nội dung gói tin (edxml).')
    text = value.lstrip('\ufeff \t\r\n')
    if text.startswith('<'):
        return value.encode('utf-8')
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise RetryableError('protocol', 'Nội dung edxml không phải XML'
            ' hay base64.')


class ProvincialRestTransport(Transport):
    """Client of a provincial document axis.

    ``paths`` overrides entries of ``DEFAULT_PATHS``; ``bearer`` is an
    optional token provider (an object with ``token()``) for deployments
    that also require ``Authorization: Bearer``.
    """
    name = 'provincial'

    def __init__(self, base_url, system_id=None, secret_key=None, *,
            paths=None, timeout=DEFAULT_TIMEOUT, http=None, bearer=None):
        if not base_url:
            raise PermanentError('invalid_request',
                'Chưa cấu hình địa chỉ trục liên thông tỉnh.')
        self.base_url = base_url.rstrip('/')
        self.system_id = system_id
        self._secret_key = secret_key
        self.paths = {**DEFAULT_PATHS, **(paths or {})}
        self.http = http or HttpClient(timeout)
        self.bearer = bearer

    def __repr__(self):
        return (f'{type(self).__name__}({self.base_url!r}, '
            f'system_id={self.system_id!r})')

    def _auth_headers(self, token=None):
        headers = {}
        if self.system_id:
            headers['X-SystemId'] = self.system_id
            headers['X-SecretKey'] = self._secret_key or ''
        if token:
            headers['Authorization'] = f'Bearer {token}'
        return headers

    def _request(self, method, url, headers, body):
        token = self.bearer.token() if self.bearer else None
        return self.http.request(method, url,
            headers={**headers, **self._auth_headers(token)}, body=body)

    def _call(self, method, path_key, *, params=None, body=None,
            content_type=None, message_id=None):
        url = self.base_url + self.paths[path_key]
        if params:
            url += '?' + urlencode(params)
        headers = {'Accept': 'application/json'}
        if content_type:
            headers['Content-Type'] = content_type
        if message_id:
            headers['Idempotency-Key'] = str(message_id)
        response = self._request(method, url, headers, body)
        if not 200 <= response.status < 300:
            try:
                data = json.loads(response.body.decode('utf-8'))
            except (UnicodeDecodeError, ValueError):
                data = None
            code, description = _error_parts(data)
            response.raise_for_status(description, code)
        data = response.json()
        if not isinstance(data, dict):
            raise RetryableError('protocol', 'JSON không phải đối tượng',
                http_status=response.status)
        if data.get('success') is False:
            code, description = _error_parts(data)
            raise error_for_axis_code(code, description,
                http_status=response.status)
        return data

    def send(self, package, to_ids, kind='edoc', *, from_id=None,
            message_id=None, filename='edoc.edxml'):
        """Recipients travel only inside the edXML (``To`` elements) in
        this API; ``to_ids`` and ``from_id`` are not sent."""
        check_kind(kind)
        content_type, body = encode_multipart(
            fields=[('messageType', kind)],
            files=[('edocFile', filename, 'application/xml',
                    bytes(package))])
        data = self._call('POST', 'send', body=body,
            content_type=content_type, message_id=message_id)
        inner = data.get('data') if isinstance(data.get('data'), dict) else {}
        doc_id = data.get('docId') or inner.get('docId')
        if not doc_id:
            raise RetryableError('protocol', 'Thiếu docId trong phản hồi.')
        receivers = {r.get('to'): r.get('docId')
            for r in data.get('receivers') or [] if isinstance(r, dict)}
        return AxisReceipt(str(doc_id), bool(data.get('duplicate')),
            receivers)

    def inbox(self, kind='edoc', *, from_date=None, to_date=None):
        check_kind(kind)
        params = {'messageType': kind}
        if from_date is not None:
            params['fromDate'] = from_date.strftime('%Y/%m/%d')
        if to_date is not None:
            params['toDate'] = to_date.strftime('%Y/%m/%d')
        data = self._call('GET', 'inbox', params=params)
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
                status_desc=record.get('statusDesc') or '',
                created=parse_axis_datetime(record.get('createdTime')),
                updated=parse_axis_datetime(record.get('updatedTime')),
                sha256=record.get('contentSha256') or '',
                size=int(size) if str(size).isdigit() else None,
                raw=record))
        return items

    def fetch(self, doc_id, *, sha256=None):
        check_doc_id(doc_id)
        data = self._call('GET', 'fetch', params={'docId': doc_id})
        inner = data.get('data')
        if not isinstance(inner, dict):
            raise RetryableError('protocol', 'Thiếu dữ liệu văn bản (data).')
        return check_sha256(_decode_edxml(inner.get('edxml')), sha256)

    def ack(self, doc_id, status='done'):
        check_doc_id(doc_id)
        check_ack_status(status)
        body = json.dumps({'docId': doc_id, 'status': status}).encode()
        self._call('POST', 'ack', body=body, content_type='application/json')

    def agencies(self):
        return agencies_from_records(
            self._call('GET', 'agencies').get('data') or [])
