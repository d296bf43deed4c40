# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""OAuth2 client credentials (WSO2 API Manager pattern, spec §3.4).

``ClientCredentials`` fetches and caches a Bearer token; ``OAuth2Transport``
is the provincial REST API behind such a gateway: every call carries the
token, a 401 drops it and the call is tried once more with a fresh one.
"""
import base64
import threading
import time
import urllib.parse

from .errors import PermanentError, RetryableError
from .http import DEFAULT_TIMEOUT, HttpClient
from .provincial import ProvincialRestTransport

DEFAULT_EXPIRES_IN = 3600


class ClientCredentials:
    """Token provider for ``grant_type=client_credentials``.

    The client authenticates with ``Authorization: Basic
    base64(client_id:client_secret)`` as WSO2 expects. A cached token is
    reused until ``leeway`` seconds before it expires. Thread-safe: one
    provider may serve several transports of the same configuration.
    """

    def __init__(self, token_url, client_id, client_secret, *, scope=None,
            http=None, timeout=DEFAULT_TIMEOUT, leeway=30,
            clock=time.monotonic):
        if not token_url or not client_id or not client_secret:
            raise PermanentError('invalid_request',
                'Cần địa chỉ cấp mã truy cập, client id và client secret.')
        self.token_url = token_url
        self.client_id = client_id
        self._client_secret = client_secret
        self.scope = scope
        self.http = http or HttpClient(timeout)
        self.leeway = leeway
        self.clock = clock
        self._lock = threading.Lock()
        self._token = None
        self._expires_at = 0
        #: Number of tokens obtained (observable by tests and monitoring)
        self.fetch_count = 0

    def __repr__(self):
        return (f'{type(self).__name__}({self.token_url!r}, '
            f'client_id={self.client_id!r})')

    def token(self):
        with self._lock:
            if self._token and self.clock() < self._expires_at - self.leeway:
                return self._token
            self._token, self._expires_at = self._fetch()
            return self._token

    def invalidate(self, token=None):
        "Forget the cached token (only if it is still ``token`` when given)"
        with self._lock:
            if token is None or token == self._token:
                self._token = None
                self._expires_at = 0

    def _fetch(self):
        credentials = base64.b64encode(
            f'{self.client_id}:{self._client_secret}'.encode('utf-8'))
        form = {'grant_type': 'client_credentials'}
        if self.scope:
            form['scope'] = self.scope
        started = self.clock()
        response = self.http.request('POST', self.token_url, headers={
                'Authorization': 'Basic ' + credentials.decode('ascii'),
                'Content-Type': 'application/x-www-form-urlencoded',
                'Accept': 'application/json',
                }, body=urllib.parse.urlencode(form).encode('ascii'))
        if not 200 <= response.status < 300:
            detail = None
            try:
                data = response.json()
                if isinstance(data, dict):
                    detail = (data.get('error_description')
                        or data.get('error'))
            except RetryableError:
                pass
            # RFC 6749 §5.2: the token endpoint answers 400 invalid_client
            # or 401; both mean the client credentials are wrong
            if response.status in (400, 401):
                raise PermanentError('auth', detail,
                    http_status=response.status)
            response.raise_for_status(detail)
        data = response.json()
        token = data.get('access_token') if isinstance(data, dict) else None
        if not token or str(data.get('token_type', 'Bearer')).lower() != (
                'bearer'):
            raise RetryableError('protocol', 'Phản hồi cấp mã truy cập không'
                ' có access_token kiểu Bearer.')
        try:
            expires_in = int(data.get('expires_in', DEFAULT_EXPIRES_IN))
        except (TypeError, ValueError):
            expires_in = DEFAULT_EXPIRES_IN
        self.fetch_count += 1
        return token, started + expires_in


class OAuth2Transport(ProvincialRestTransport):
    """Provincial REST API behind an OAuth2 gateway.

    ``token_url`` may be absolute or a path on ``base_url``'s host;
    ``system_id``/``secret_key`` are sent too when the province requires
    both (spec §3.3 "Bearer required in production").
    """
    name = 'oauth2'

    def __init__(self, base_url, token_url, client_id, client_secret, *,
            system_id=None, secret_key=None, scope=None, paths=None,
            timeout=DEFAULT_TIMEOUT, http=None, token_provider=None):
        http = http or HttpClient(timeout)
        if token_provider is None:
            token_provider = ClientCredentials(
                urllib.parse.urljoin(base_url, token_url), client_id,
                client_secret, scope=scope, http=http)
        super().__init__(base_url, system_id, secret_key, paths=paths,
            http=http, bearer=token_provider)

    def _request(self, method, url, headers, body):
        token = self.bearer.token()
        response = self.http.request(method, url,
            headers={**headers, **self._auth_headers(token)}, body=body)
        if response.status == 401:
            # Expired or revoked before its announced lifetime (gateway
            # restart, key rotation): one fresh token, one more try
            self.bearer.invalidate(token)
            token = self.bearer.token()
            response = self.http.request(method, url,
                headers={**headers, **self._auth_headers(token)}, body=body)
        return response
