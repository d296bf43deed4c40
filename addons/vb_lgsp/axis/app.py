# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""The simulator as a WSGI application.

Routing: ``/_admin/...`` is the control API; a path ending in ``/token`` is
the OAuth2 token endpoint and ``/api/lgspedoc/login`` the provincial login;
``.../v1/<resource>`` is the provincial REST API and ``.../<resource>`` the
VXP API. Any prefix before the resource is accepted, as behind a gateway
publishing ``/<context>/<version>/<resource>``.
"""
import datetime as dt
import logging
import re
import socket
import struct
import threading
import time
import uuid

from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.wrappers import Request

from ..transport.errors import AXIS_INVALID_FILE, AXIS_SYSTEM
from ..transport.signing import VN_TZ
from .admin_api import AdminApi
from .credentials import Credentials, TokenIssuer
from .directory import Directory
from .exchange import AxisError, Exchange
from .faults import FaultInjector
from .oauth_api import OAuthApi
from .requestlog import RequestLog
from .responses import json_response
from .rest_api import RestApi
from .store import AxisStore
from .vxp_api import VxpApi

logger = logging.getLogger(__name__)
DEFAULT_MAX_PACKAGE = 50 * 1024 * 1024
_REST_RE = re.compile(r'^(?:/.*)?/v1/(?P<action>[A-Za-z]+)$')
_VXP_RE = re.compile(r'^(?:/.*)?/(?P<action>[A-Za-z0-9]+)$')


def drop_connection(environ):
    """Close the client's connection without an answer.

    Needs the bundled (werkzeug) server, which exposes the socket; the
    ConnectionError raised makes it forget the request quietly.
    """
    connection = environ.get('werkzeug.socket')
    if connection is not None:
        try:
            # Linger 0: the close sends a reset, not an orderly end
            connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                struct.pack('ii', 1, 0))
            connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
    raise ConnectionAbortedError('vbdh-axis: fault injected')


class AxisApp:
    """The axis: store, directory, credentials, faults and the four APIs.

    ``agencies``: directory records (see ``directory``); ``credentials``:
    a ``Credentials``; ``max_skew``: accepted distance in seconds between a
    VXP request's timestamp and the axis clock (0 = no check).
    """

    def __init__(self, store_dir, *, agencies=(), credentials=None,
            faults=None, max_skew=300, token_ttl=3600, login_ttl=1800,
            max_package_size=DEFAULT_MAX_PACKAGE, require_bearer=False,
            admin_token=None, fsync=True):
        self.store = AxisStore(store_dir, fsync=fsync)
        self.directory = Directory(agencies, self.store.directory_path,
            fsync=fsync)
        self.credentials = credentials or Credentials()
        self.tokens = TokenIssuer()
        self.faults = faults or FaultInjector()
        self.log = RequestLog(self.store.log_path, fsync=fsync)
        self.exchange = Exchange(self.store, self.directory)
        self.max_skew = max_skew
        self.token_ttl = token_ttl
        self.login_ttl = login_ttl
        self.max_package_size = max_package_size
        self.require_bearer = require_bearer
        self.admin_token = admin_token
        # Set when the server stops, to cut injected delays short
        self.stopping = threading.Event()
        self.vxp = VxpApi(self)
        self.rest = RestApi(self)
        self.oauth = OAuthApi(self)
        self.admin = AdminApi(self)

    def route(self, path):
        "(api, action) for a path, (None, None) when nothing serves it"
        if path.startswith('/_admin/'):
            return self.admin, path[len('/_admin/'):].strip('/')
        if path.rstrip('/').endswith('/token'):
            return self.oauth, 'token'
        if path.rstrip('/').endswith('/api/lgspedoc/login'):
            return self.oauth, 'login'
        match = _REST_RE.match(path)
        if match and match['action'] in self.rest.actions:
            return self.rest, match['action']
        match = _VXP_RE.match(path)
        if match and match['action'] in self.vxp.actions:
            return self.vxp, match['action']
        return None, None

    def __call__(self, environ, start_response):
        request = Request(environ)
        # Room for the multipart envelope around the package
        request.max_content_length = self.max_package_size + 1024 * 1024
        api, action = self.route(request.path)
        if api is self.admin:
            return self.admin.handle(request, action)(environ,
                start_response)
        if api is None:
            return json_response({'success': False, 'status': 'FAIL',
                    'message': f'Không có dịch vụ tại {request.path}.'},
                404)(environ, start_response)
        entry = {
            'time': dt.datetime.now(VN_TZ).isoformat(
                timespec='milliseconds'),
            'requestId': str(uuid.uuid4()),
            'api': api.name,
            'action': action,
            'method': request.method,
            'path': request.path,
            }
        started = time.monotonic()
        fault = self.faults.take(api.name, action)
        if fault is not None:
            entry['fault'] = fault.mode
            if fault.http_status:
                headers = {}
                if fault.http_status in (429, 503):
                    headers['Retry-After'] = '1'
                response = api.error_response(AxisError(fault.http_status,
                        AXIS_SYSTEM, 'Lỗi giả lập của trục (fault injection).',
                        headers=headers))
                entry.update(result='fault', httpStatus=fault.http_status)
                self._log(entry, started)
                return response(environ, start_response)
            if not fault.processes_request:
                if fault.mode == 'timeout':
                    self.stopping.wait(fault.delay)
                entry.update(result='fault', dropped=True)
                self._log(entry, started)
                drop_connection(environ)
        try:
            response = api.handle(request, action, entry)
        except AxisError as error:
            response = self._error(api, entry, error)
        except RequestEntityTooLarge:
            response = self._error(api, entry, AxisError(413,
                    AXIS_INVALID_FILE, 'Gói tin vượt quá dung lượng cho phép'
                    f' ({self.max_package_size} byte).'))
        except Exception:
            logger.exception('vbdh-axis: %s %s', request.method,
                request.path)
            response = self._error(api, entry, AxisError(500, AXIS_SYSTEM))
        entry['httpStatus'] = response.status_code
        if fault is not None and fault.mode == 'drop_after_accept':
            entry['dropped'] = True
            self._log(entry, started)
            drop_connection(environ)
        if fault is not None and fault.mode == 'slow':
            self.stopping.wait(fault.delay)
        self._log(entry, started)
        return response(environ, start_response)

    @staticmethod
    def _error(api, entry, error):
        entry.update(result='error', errorCode=error.axis_code,
            error=error.message)
        return api.error_response(error)

    def _log(self, entry, started):
        entry['durationMs'] = round((time.monotonic() - started) * 1000, 1)
        self.log.append(entry)
