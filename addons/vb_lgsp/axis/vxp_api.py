# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""The VXP ("Knobstick") API of the national axis SDK, spec §3.2.

Every request must carry a valid HMAC signature of its ``XroadVnpt-*``
headers (``transport.signing.verify_headers``); parameters are read from
the signed headers only.
"""
import base64
import hashlib
import json

from werkzeug.wrappers import Response

from ..transport.base import KINDS
from ..transport.errors import (
    AXIS_AUTH, AXIS_INVALID_FILE, AXIS_INVALID_REQUEST, AXIS_OK)
from ..transport.signing import SignatureError, verify_headers
from .api import Api
from .directory import DirectoryError
from .exchange import AxisError
from .responses import json_response, read_json_body
from .store import STATE_TEXTS

OK_TEXT = 'Thành công'


def parse_recipients(value):
    """The ``to`` parameter: JSON text of a list of codes or of objects
    with a code (the SDK forwards whatever JSON it is given), or plain
    codes separated by commas or semicolons"""
    if not value:
        return []
    try:
        data = json.loads(value)
    except ValueError:
        data = value
    if isinstance(data, (str, dict)):
        data = [data]
    codes = []
    for item in data if isinstance(data, list) else []:
        if isinstance(item, dict):
            item = (item.get('code') or item.get('OrganId')
                or item.get('organId') or item.get('id') or '')
        for code in str(item).replace(';', ',').split(','):
            if code.strip():
                codes.append(code.strip())
    return codes


def _ok(**data):
    return json_response({'status': 'OK', 'ErrorCode': AXIS_OK,
            'ErrorDesc': OK_TEXT, **data})


def _kind(signed, default=None):
    "messagetype; None (absent) lets the axis tell from the package"
    kind = (signed.get('messagetype') or default or '').lower() or None
    if kind is not None and kind not in KINDS:
        raise AxisError(400, AXIS_INVALID_REQUEST,
            f'messagetype "{kind}" không hợp lệ (edoc hoặc status).')
    return kind


class VxpApi(Api):
    name = 'vxp'
    package_part = 'file_doc'

    def __init__(self, app):
        super().__init__(app)
        self.actions = {
            'sendEdoc': ('POST', self.send_edoc),
            'getReceivedEdocList': ('POST', self.received_list),
            'getEdoc': ('POST', self.get_edoc),
            'updateStatus': ('POST', self.update_status),
            'getSentEdocList': ('POST', self.sent_list),
            'countReceiveEdoc': ('GET', self.count_edoc),
            'countReceiveStatus': ('GET', self.count_status),
            'downloadEdoc': ('GET', self.download_edoc),
            'getAgenciesList': ('POST', self.agencies),
            'getAgenciesListQD20': ('POST', self.agencies_qd20),
            'getSynchronizeUnit': ('POST', self.synchronize_units),
            'registerAgency': ('POST', self.register_agency),
            'deleteAgency': ('POST', self.delete_agency),
            }

    def error_response(self, error):
        return json_response({'status': 'FAIL', 'ErrorCode': error.axis_code,
                'ErrorDesc': error.message}, error.http_status,
            error.headers)

    def handle(self, request, action, entry):
        handler = self.handler(request, action)
        try:
            signed = verify_headers(request.headers.get,
                self.app.credentials.secret_for, max_skew=self.app.max_skew)
        except SignatureError as error:
            entry['signature'] = error.reason
            raise AxisError(401, AXIS_AUTH, error.message)
        system = self.app.credentials.systems[signed.system_id]
        entry['systemId'] = system.system_id
        return handler(request, system, signed, entry)

    def send_edoc(self, request, system, signed, entry):
        content = self.read_package(request)
        expected = (signed.get('hash-file') or '').lower()
        if not expected:
            raise AxisError(400, AXIS_INVALID_FILE, 'Thiếu tham số hash-file.')
        if hashlib.sha256(content).hexdigest() != expected:
            raise AxisError(400, AXIS_INVALID_FILE,
                'hash-file không khớp SHA-256 của tệp gói tin.')
        record, duplicate, receivers = self.send(request, system, content,
            entry, kind=_kind(signed), from_id=signed.get('from'),
            to_ids=parse_recipients(signed.get('to')))
        return _ok(DocId=record['docId'], duplicate=duplicate,
            receivers=receivers)

    def received_list(self, request, system, signed, entry):
        pairs = self.inbox(system, _kind(signed, 'edoc'),
            signed.get('fromDate'), signed.get('toDate'), entry)
        data = [{
                'docId': delivery['docId'],
                'serviceType': 'eDoc',
                'messageType': record['kind'],
                'created_time': record['created'],
                'updated_time': delivery['updated'],
                'from': record['from'],
                'to': delivery['to'],
                'status': delivery['status'],
                'status_desc': STATE_TEXTS[delivery['status']],
                'contentSha256': record['sha256'],
                'contentLength': record['size'],
                'versionSdk': '',
                } for record, delivery in pairs]
        return _ok(data=data)

    def get_edoc(self, request, system, signed, entry):
        _, _, content = self.fetch(system, signed.get('docId'), entry)
        return _ok(data=base64.b64encode(content).decode('ascii'))

    def download_edoc(self, request, system, signed, entry):
        _, delivery, content = self.fetch(system, signed.get('docId'), entry)
        return Response(content, content_type='application/xml',
            headers={'Content-Disposition':
                f'attachment; filename="{delivery["docId"]}.edxml"'})

    def update_status(self, request, system, signed, entry):
        self.acknowledge(system, signed.get('docId'),
            signed.get('status') or '', entry)
        return _ok()

    def sent_list(self, request, system, signed, entry):
        record = self.app.exchange.sent(system, signed.get('docId'))
        data = []
        for delivery in record['deliveries']:
            fetched = [h['at'] for h in delivery['history']
                if h['event'] == 'fetched']
            data.append({
                    'serviceType': 'eDoc',
                    'messageType': record['kind'],
                    'senderDocId': record['docId'],
                    'receiverDocId': delivery['docId'],
                    'fromCode': record['from'],
                    'toCode': delivery['to'],
                    'title': record['subject'],
                    'notation': record['code'],
                    'sentTime': record['created'],
                    'receivedTime': fetched[0] if fetched else '',
                    'sendStatus': 'done',
                    'sendStatusDesc': 'Trục đã nhận và chuyển tiếp',
                    'receiveStatus': delivery['status'],
                    'receiveStatusDesc': STATE_TEXTS[delivery['status']],
                    })
        entry.update(result='listed', docId=record['docId'], count=len(data))
        return _ok(data=data)

    def _count(self, system, kind, entry):
        count = len(self.app.exchange.inbox(system, kind))
        entry.update(result='listed', kind=kind, count=count)
        return _ok(count=count)

    def count_edoc(self, request, system, signed, entry):
        return self._count(system, 'edoc', entry)

    def count_status(self, request, system, signed, entry):
        return self._count(system, 'status', entry)

    def agencies(self, request, system, signed, entry):
        return _ok(data=self.listed(self.app.directory.agencies(), entry))

    def agencies_qd20(self, request, system, signed, entry):
        level = signed.get('level')
        if level not in ('1', '2', '3', '4'):
            raise AxisError(400, AXIS_INVALID_REQUEST,
                f'level "{level}" không hợp lệ (1 đến 4).')
        return _ok(data=self.listed(
                self.app.directory.agencies(int(level)), entry))

    def synchronize_units(self, request, system, signed, entry):
        return _ok(data=self.listed(self.app.directory.synchronize_units(),
                entry))

    def _check_own(self, system, code):
        if not code or not system.covers(code):
            raise AxisError(403, AXIS_INVALID_REQUEST,
                f'Hệ thống {system.system_id} không quản lý đơn vị '
                f'"{code}".')

    def register_agency(self, request, system, signed, entry):
        body = read_json_body(request)
        if body is None:
            raise AxisError(400, AXIS_INVALID_REQUEST,
                'Thân yêu cầu phải là JSON {id, pcode, code, name, mail, '
                'mobile, fax}.')
        self._check_own(system, body.get('code'))
        try:
            record = self.app.directory.register(body)
        except DirectoryError as error:
            raise AxisError(400, AXIS_INVALID_REQUEST, error.message)
        entry.update(result='registered', agency=record['code'])
        return _ok(data=record)

    def delete_agency(self, request, system, signed, entry):
        code = signed.get('AgencyCode')
        self._check_own(system, code)
        try:
            self.app.directory.delete(code)
        except DirectoryError as error:
            raise AxisError(404, AXIS_INVALID_REQUEST, error.message)
        entry.update(result='deleted', agency=code)
        return _ok()
