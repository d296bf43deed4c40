# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""HTTP client shared by the transports (standard library ``urllib``).

Network failures become ``RetryableError``; any HTTP status is returned to
the caller, which knows the API's error shape. Redirects are not followed:
an API answering a POST with a redirect is misconfigured, and following it
would turn the POST into a GET.
"""
import http.client
import json
import socket
import ssl
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass

from .errors import PermanentError, RetryableError, error_for_http_status

DEFAULT_TIMEOUT = 30
DEFAULT_MAX_RESPONSE = 200 * 1024 * 1024


@dataclass
class HttpResponse:
    status: int
    headers: dict
    body: bytes

    def header(self, name, default=None):
        name = name.lower()
        for key, value in self.headers.items():
            if key.lower() == name:
                return value
        return default

    def json(self):
        "The body as JSON; a body that is not JSON is a protocol error"
        try:
            return json.loads(self.body.decode('utf-8'))
        except (UnicodeDecodeError, ValueError):
            snippet = self.body[:200].decode('utf-8', 'replace')
            raise RetryableError('protocol', snippet or None,
                http_status=self.status)

    def retry_after(self):
        "Seconds from a Retry-After header given in seconds, else None"
        value = self.header('Retry-After')
        try:
            return max(0, int(value))
        except (TypeError, ValueError):
            return None

    def raise_for_status(self, detail=None, axis_code=None):
        "Raise the transport error matching a non-2xx status"
        if not 200 <= self.status < 300:
            raise error_for_http_status(self.status, detail,
                axis_code=axis_code, retry_after=self.retry_after())


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


def _is_timeout(error):
    return isinstance(error, (socket.timeout, TimeoutError))


class HttpClient:
    """Sends one request and returns an ``HttpResponse``.

    ``timeout`` applies to connecting and to each read (urllib semantics);
    ``proxies`` None takes the environment's proxy settings, a dict (even
    empty) replaces them; ``ssl_context`` lets an installation trust its
    province's own CA.
    """

    def __init__(self, timeout=DEFAULT_TIMEOUT, *, proxies=None,
            ssl_context=None, user_agent='VBDH-LGSP/8.0',
            max_response=DEFAULT_MAX_RESPONSE):
        self.timeout = timeout
        self.user_agent = user_agent
        self.max_response = max_response
        handlers = [_NoRedirect()]
        if proxies is not None:
            handlers.append(urllib.request.ProxyHandler(proxies))
        if ssl_context is not None:
            handlers.append(urllib.request.HTTPSHandler(context=ssl_context))
        self._opener = urllib.request.build_opener(*handlers)

    def request(self, method, url, *, headers=None, body=None, params=None,
            timeout=None):
        if params:
            url += ('&' if '?' in url else '?') + urllib.parse.urlencode(
                params)
        headers = dict(headers or {})
        if not any(k.lower() == 'user-agent' for k in headers):
            headers['User-Agent'] = self.user_agent
        try:
            request = urllib.request.Request(url, data=body, method=method,
                headers=headers)
        except ValueError as error:
            raise PermanentError('invalid_request', str(error))
        timeout = self.timeout if timeout is None else timeout
        try:
            with self._opener.open(request, timeout=timeout) as response:
                return HttpResponse(response.status,
                    dict(response.headers.items()),
                    self._read(response))
        except urllib.error.HTTPError as error:
            with error:
                try:
                    content = self._read(error)
                except RetryableError:
                    content = b''
                return HttpResponse(error.code, dict(error.headers.items()),
                    content)
        except urllib.error.URLError as error:
            reason = error.reason
            if _is_timeout(reason):
                raise RetryableError('timeout', str(reason))
            if isinstance(reason, ssl.SSLCertVerificationError):
                # A certificate that does not verify will not verify later
                raise PermanentError('connection', str(reason))
            raise RetryableError('connection', str(reason))
        except (socket.timeout, TimeoutError) as error:
            raise RetryableError('timeout', str(error) or None)
        except (http.client.HTTPException, OSError) as error:
            # RemoteDisconnected, IncompleteRead, ConnectionResetError…:
            # the axis may or may not have processed the request
            raise RetryableError('connection',
                f'{type(error).__name__}: {error}')

    def _read(self, response):
        try:
            content = response.read(self.max_response + 1)
        except (socket.timeout, TimeoutError) as error:
            raise RetryableError('timeout', str(error) or None)
        except (http.client.HTTPException, OSError) as error:
            raise RetryableError('connection',
                f'{type(error).__name__}: {error}')
        if len(content) > self.max_response:
            raise PermanentError('too_large',
                f'> {self.max_response} byte')
        return content


def encode_multipart(fields=(), files=()):
    """Encode ``multipart/form-data``.

    ``fields``: (name, text) pairs; ``files``: (name, filename, content
    type, bytes). Returns (content type with boundary, body).
    """
    boundary = f'----VBDH{uuid.uuid4().hex}'
    parts = []
    for name, value in fields:
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; '
            f'name="{_quote(name)}"\r\n\r\n'.encode('utf-8')
            + str(value).encode('utf-8') + b'\r\n')
    for name, filename, content_type, content in files:
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; '
            f'name="{_quote(name)}"; filename="{_quote(filename)}"\r\n'
            f'Content-Type: {content_type}\r\n\r\n'.encode('utf-8')
            + bytes(content) + b'\r\n')
    parts.append(f'--{boundary}--\r\n'.encode('ascii'))
    return f'multipart/form-data; boundary={boundary}', b''.join(parts)


def _quote(value):
    return (str(value).replace('\\', '\\\\').replace('"', '\\"')
        .replace('\r', ' ').replace('\n', ' '))
