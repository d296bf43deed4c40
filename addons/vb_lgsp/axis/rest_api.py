# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""The provincial REST variant, spec §3.3 (Lạng Sơn guide v2.2).

Authenticated by ``X-SystemId``/``X-SecretKey``, by a Bearer token from the
token endpoint, or both (then they must name the same system);
``require_bearer`` makes the token mandatory, as in production there.
"""
import base64

from ..transport.base import KINDS
from ..transport.errors import AXIS_AUTH, AXIS_INVALID_REQUEST
from .api import Api
from .exchange import AxisError
from .package import inspect_package
from .responses import json_response, read_json_body
from .store import STATE_TEXTS

BEARER_CHALLENGE = {'WWW-Authenticate': 'Bearer realm="vbdh-axis", '
    'error="invalid_token"'}


def _kind(value, default=None):
    "messageType; None (absent) lets the axis tell from the package"
    kind = (value or default or '').lower() or None
    if kind is not None and kind not in KINDS:
        raise AxisError(400, AXIS_INVALID_REQUEST,
            f'messageType "{kind}" không hợp lệ (edoc hoặc status).')
    return kind


class RestApi(Api):
    name = 'rest'
    package_part = 'edocFile'

    def __init__(self, app):
        super().__init__(app)
        self.actions = {
            'sendEdoc': ('POST', self.send_edoc),
            'syncReceivedEdocList': ('GET', self.received_list),
            'getEdoc': ('GET', self.get_edoc),
            'updateStatus': ('POST', self.update_status),
            'getAgenciesList': ('GET', self.agencies),
            }

    def error_response(self, error):
        return json_response({'success': False, 'message': error.message,
                'data': {'docId': '', 'status': 'error',
                    'errorCode': error.axis_code,
                    'errorDesc': error.message}},
            error.http_status, error.headers)

    def authenticate(self, request):
        credentials = self.app.credentials
        authorization = request.headers.get('Authorization', '')
        bearer_system = None
        if authorization[:7].lower() == 'bearer ':
            system_id = self.app.tokens.resolve(authorization[7:].strip())
            if system_id is None:
                raise AxisError(401, AXIS_AUTH, 'Mã truy cập (Bearer) không '
                    'hợp lệ hoặc đã hết hạn.', headers=BEARER_CHALLENGE)
            bearer_system = credentials.systems[system_id]
        elif self.app.require_bearer:
            raise AxisError(401, AXIS_AUTH, 'Thiếu mã truy cập (Bearer).',
                headers=BEARER_CHALLENGE)
        system_id = request.headers.get('X-SystemId')
        secret_key = request.headers.get('X-SecretKey')
        if system_id or secret_key:
            system = credentials.check_system_key(system_id, secret_key)
            if system is None:
                raise AxisError(401, AXIS_AUTH, 'Sai X-SystemId/X-SecretKey.')
            if bearer_system and bearer_system is not system:
                raise AxisError(401, AXIS_AUTH, 'Mã truy cập không thuộc hệ '
                    'thống X-SystemId.')
            return system
        if bearer_system is None:
            raise AxisError(401, AXIS_AUTH, 'Thiếu thông tin xác thực '
                '(X-SystemId/X-SecretKey hoặc Bearer).',
                headers=BEARER_CHALLENGE)
        return bearer_system

    def handle(self, request, action, entry):
        handler = self.handler(request, action)
        system = self.authenticate(request)
        entry['systemId'] = system.system_id
        return handler(request, system, entry)

    def send_edoc(self, request, system, entry):
        content = self.read_package(request)
        record, duplicate, receivers = self.send(request, system, content,
            entry, kind=_kind(request.form.get('messageType')))
        return json_response({'success': True, 'message': 'OK',
                'docId': record['docId'], 'duplicate': duplicate,
                'receivers': receivers})

    def received_list(self, request, system, entry):
        pairs = self.inbox(system,
            _kind(request.args.get('messageType'), 'edoc'),
            request.args.get('fromDate'), request.args.get('toDate'), entry)
        data = [{
                'docId': delivery['docId'],
                'from': record['from'],
                'to': delivery['to'],
                'status': delivery['status'],
                'statusDesc': STATE_TEXTS[delivery['status']],
                'serviceType': 'eDoc',
                'messageType': record['kind'],
                'createdTime': record['created'],
                'updatedTime': delivery['updated'],
                'contentSha256': record['sha256'],
                'contentLength': record['size'],
                } for record, delivery in pairs]
        return json_response({'success': True, 'message': 'OK',
                'count': len(data), 'data': data})

    def get_edoc(self, request, system, entry):
        record, delivery, content = self.fetch(system,
            request.args.get('docId'), entry)
        try:
            edxml = content.decode('utf-8')
        except UnicodeDecodeError:
            # Not UTF-8 (another declared encoding): keep the exact bytes
            edxml = base64.b64encode(content).decode('ascii')
        info = inspect_package(content)
        return json_response({'success': True, 'message': 'OK', 'data': {
                    'docId': delivery['docId'],
                    'from': record['from'],
                    'fromName': record['fromName'],
                    'edocCode': record['code'],
                    'edocAbstract': record['subject'],
                    'edxml': edxml,
                    'attachments': info.attachments,
                    }})

    def update_status(self, request, system, entry):
        body = read_json_body(request)
        if body is None:
            raise AxisError(400, AXIS_INVALID_REQUEST,
                'Thân yêu cầu phải là JSON {docId, status}.')
        self.acknowledge(system, body.get('docId'),
            str(body.get('status') or ''), entry)
        return json_response({'success': True, 'message': 'OK'})

    def agencies(self, request, system, entry):
        data = self.listed(self.app.directory.agencies(), entry)
        return json_response({'success': True, 'message': 'OK',
                'count': len(data), 'data': data})
