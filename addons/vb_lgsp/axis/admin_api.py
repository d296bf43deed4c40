# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""Control API of the simulator (tests and demo), under ``/_admin/``.

Not part of any real axis. Protected by ``X-Admin-Token`` when the axis is
started with an admin token; otherwise bind the axis to 127.0.0.1.
"""
import hmac

from .faults import FaultError, make_fault
from .responses import json_response, read_json_body


class AdminApi:
    name = 'admin'

    def __init__(self, app):
        self.app = app
        self.actions = {
            ('GET', 'health'): self.health,
            ('GET', 'faults'): self.faults,
            ('POST', 'faults'): self.add_faults,
            ('DELETE', 'faults'): self.clear_faults,
            ('GET', 'log'): self.log,
            ('GET', 'messages'): self.messages,
            ('POST', 'tokens/revoke'): self.revoke_tokens,
            }

    def handle(self, request, action):
        token = self.app.admin_token
        if token and not hmac.compare_digest(
                request.headers.get('X-Admin-Token', '').encode(),
                token.encode()):
            return json_response({'error': 'Sai X-Admin-Token.'}, 401)
        handler = self.actions.get((request.method, action))
        if handler is None:
            return json_response({'error':
                    f'Không có lệnh quản trị {request.method} {action}.'}, 404)
        return handler(request)

    def health(self, request):
        return json_response({'status': 'ok',
                'messages': self.app.store.count()})

    def faults(self, request):
        return json_response({'faults': self.app.faults.describe()})

    def add_faults(self, request):
        body = read_json_body(request)
        specs = body.get('faults', [body]) if body is not None else None
        if not isinstance(specs, list):
            return json_response({'error': 'Cần một đối tượng JSON '
                    '{"mode": …, "count": …} hoặc {"faults": [...]}.'}, 400)
        try:
            # All valid or none added
            faults = [make_fault(spec) for spec in specs]
        except FaultError as error:
            return json_response({'error': error.message}, 400)
        for fault in faults:
            self.app.faults.add(fault)
        return json_response({'added': [f.as_dict() for f in faults],
                'faults': self.app.faults.describe()})

    def clear_faults(self, request):
        self.app.faults.clear()
        return json_response({'faults': []})

    def log(self, request):
        try:
            since = int(request.args.get('since', 0))
        except ValueError:
            since = 0
        return json_response({'entries': self.app.log.read(since)})

    def messages(self, request):
        return json_response({'messages': self.app.store.messages()})

    def revoke_tokens(self, request):
        return json_response({'revoked': self.app.tokens.revoke_all()})
