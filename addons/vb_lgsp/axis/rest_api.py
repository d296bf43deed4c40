# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""The provincial REST variant, spec §3.3 (Lạng Sơn guide v2.2).

Authenticated by ``X-SystemId``/``X-SecretKey``, by a Bearer token from the
token endpoint, or both (then they must name the same system);
``require_bearer`` makes the token mandatory, as in production there.
"""
import base64

from ..transport.base import KINDS
from ..transport.errors import (
    AXIS_AUTH, AXIS_INVALID_FILE, AXIS_INVALID_REQUEST)
from .exchange import AxisError
from .package import inspect_package
from .responses import filter_date, json_response, read_json_body
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


class RestApi:
    name = 'rest'

    def __init__(self, app):
        self.app = app
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
        method, handler = self.actions[action]
        if request.method != method:
            raise AxisError(405, AXIS_INVALID_REQUEST,
                f'{action} chỉ nhận phương thức {method}.',
                headers={'Allow': method})
        system = self.authenticate(request)
        entry['systemId'] = system.system_id
        return handler(request, system, entry)

    def send_edoc(self, request, system, entry):
        storage = request.files.get('edocFile')
        if storage is None:
            raise AxisError(400, AXIS_INVALID_FILE,
                'Thiếu tệp gói tin (phần edocFile).')
        content = storage.read(self.app.max_package_size + 1)
        if len(content) > self.app.max_package_size:
            raise AxisError(413, AXIS_INVALID_FILE,
                'Gói tin vượt quá dung lượng cho phép.')
        record, duplicate = self.app.exchange.send(system, content,
            kind=_kind(request.form.get('messageType')),
            idempotency_key=request.headers.get('Idempotency-Key'),
            api=self.name)
        receivers = [{'to': d['to'], 'docId': d['docId']}
            for d in record['deliveries']]
        entry.update(result='duplicate' if duplicate else 'accepted',
            docId=record['docId'], kind=record['kind'], to=record['to'],
            receivers=receivers)
        entry['from'] = record['from']
        return json_response({'success': True, 'message': 'OK',
                'docId': record['docId'], 'duplicate': duplicate,
                'receivers': receivers})

    def received_list(self, request, system, entry):
        kind = _kind(request.args.get('messageType'), 'edoc')
        pairs = self.app.exchange.inbox(system, kind,
            filter_date(request.args.get('fromDate')),
            filter_date(request.args.get('toDate'), end=True))
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
        entry.update(result='listed', kind=kind, count=len(data))
        return json_response({'success': True, 'message': 'OK',
                'count': len(data), 'data': data})

    def get_edoc(self, request, system, entry):
        record, delivery, content = self.app.exchange.fetch(system,
            request.args.get('docId'))
        entry.update(result='delivered', docId=delivery['docId'],
            messageDocId=record['docId'], kind=record['kind'],
            to=delivery['to'])
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
        status = str(body.get('status') or '')
        record, delivery = self.app.exchange.update_status(system,
            body.get('docId'), status)
        entry.update(result='acknowledged', docId=delivery['docId'],
            messageDocId=record['docId'], kind=record['kind'],
            to=delivery['to'], ackStatus=status)
        return json_response({'success': True, 'message': 'OK'})

    def agencies(self, request, system, entry):
        data = self.app.directory.agencies()
        entry.update(result='listed', count=len(data))
        return json_response({'success': True, 'message': 'OK',
                'count': len(data), 'data': data})
