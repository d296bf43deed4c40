# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""Provincial axis client: the REST variant of spec §3.3 (Lạng Sơn guide
v2.2), authenticated by ``X-SystemId``/``X-SecretKey`` headers."""
import base64
import binascii
import json
from urllib.parse import urlencode

from .base import (
    Transport, agencies_from_records, check_ack_status, check_doc_id,
    check_kind, check_sha256)
from .errors import PermanentError, RetryableError
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
        return self._exchange(method, url, headers, body, message_id)

    _error_parts = staticmethod(_error_parts)

    def _refusal(self, data):
        return _error_parts(data) if data.get('success') is False else None

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
        return self._receipt(data, data.get('docId') or inner.get('docId'))

    def inbox(self, kind='edoc', *, from_date=None, to_date=None):
        check_kind(kind)
        params = {'messageType': kind}
        if from_date is not None:
            params['fromDate'] = from_date.strftime('%Y/%m/%d')
        if to_date is not None:
            params['toDate'] = to_date.strftime('%Y/%m/%d')
        return self._inbox_items(
            self._call('GET', 'inbox', params=params).get('data'), kind)

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
