# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""Token endpoints: OAuth2 client credentials (WSO2 ``/token``, spec §3.4)
and the provincial login (``/api/lgspedoc/login``, spec §3.3)."""
from ..transport.errors import AXIS_AUTH, AXIS_INVALID_REQUEST
from .exchange import AxisError
from .responses import json_response, read_json_body

OAUTH_ERRORS = {400: 'invalid_request', 401: 'invalid_client',
    429: 'temporarily_unavailable', 503: 'temporarily_unavailable'}


class OAuthError(AxisError):
    "An RFC 6749 §5.2 error (``error`` is its code)"

    def __init__(self, http_status, error, message, headers=None):
        super().__init__(http_status, AXIS_AUTH if http_status == 401
            else AXIS_INVALID_REQUEST, message, headers=headers)
        self.error = error


class OAuthApi:
    name = 'oauth'

    def __init__(self, app):
        self.app = app

    def error_response(self, error):
        code = getattr(error, 'error', None) or OAUTH_ERRORS.get(
            error.http_status, 'server_error')
        headers = {'Cache-Control': 'no-store', **error.headers}
        return json_response({'error': code,
                'error_description': error.message}, error.http_status,
            headers)

    def handle(self, request, action, entry):
        if request.method != 'POST':
            raise OAuthError(405, 'invalid_request',
                'Chỉ nhận phương thức POST.', headers={'Allow': 'POST'})
        if action == 'login':
            return self.login(request, entry)
        return self.token(request, entry)

    def token(self, request, entry):
        authorization = request.authorization
        if authorization is not None and authorization.type == 'basic':
            client_id = authorization.username
            client_secret = authorization.password
        else:
            client_id = request.form.get('client_id')
            client_secret = request.form.get('client_secret')
        grant_type = request.form.get('grant_type')
        if grant_type != 'client_credentials':
            raise OAuthError(400, 'unsupported_grant_type',
                f'grant_type "{grant_type}" không được hỗ trợ '
                '(chỉ client_credentials).')
        system = self.app.credentials.check_client(client_id, client_secret)
        if system is None:
            raise OAuthError(401, 'invalid_client',
                'Sai client id hoặc client secret.',
                headers={'WWW-Authenticate': 'Basic realm="vbdh-axis"'})
        token = self.app.tokens.issue(system.system_id, self.app.token_ttl)
        entry.update(result='token', systemId=system.system_id,
            clientId=client_id)
        return json_response({'access_token': token, 'token_type': 'Bearer',
                'expires_in': int(self.app.token_ttl),
                'scope': request.form.get('scope') or 'default'},
            headers={'Cache-Control': 'no-store'})

    def login(self, request, entry):
        body = read_json_body(request) or {}
        system = self.app.credentials.check_user(body.get('username'),
            body.get('password'), body.get('applicationCode'))
        if system is None:
            entry.update(result='error', errorCode=AXIS_AUTH)
            return json_response({'success': False, 'message':
                    'Sai tên đăng nhập, mật khẩu hoặc mã ứng dụng.'}, 401)
        token = self.app.tokens.issue(system.system_id, self.app.login_ttl)
        entry.update(result='token', systemId=system.system_id)
        return json_response({'success': True, 'token': token,
                'expiresIn': int(self.app.login_ttl)})
