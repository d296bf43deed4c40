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
from .directory import DirectoryError
from .exchange import AxisError
from .responses import filter_date, json_response, read_json_body
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


class VxpApi:
    name = 'vxp'

    def __init__(self, app):
        self.app = app
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
        method, handler = self.actions[action]
        if request.method != method:
            raise AxisError(405, AXIS_INVALID_REQUEST,
                f'{action} chỉ nhận phương thức {method}.',
                headers={'Allow': method})
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
        storage = request.files.get('file_doc')
        if storage is None:
            raise AxisError(400, AXIS_INVALID_FILE,
                'Thiếu tệp gói tin (phần file_doc).')
        content = storage.read(self.app.max_package_size + 1)
        if len(content) > self.app.max_package_size:
            raise AxisError(413, AXIS_INVALID_FILE,
                'Gói tin vượt quá dung lượng cho phép.')
        expected = (signed.get('hash-file') or '').lower()
        if not expected:
            raise AxisError(400, AXIS_INVALID_FILE, 'Thiếu tham số hash-file.')
        if hashlib.sha256(content).hexdigest() != expected:
            raise AxisError(400, AXIS_INVALID_FILE,
                'hash-file không khớp SHA-256 của tệp gói tin.')
        kind = _kind(signed)
        record, duplicate = self.app.exchange.send(system, content,
            kind=kind, from_id=signed.get('from'),
            to_ids=parse_recipients(signed.get('to')),
            idempotency_key=request.headers.get('Idempotency-Key'),
            api=self.name)
        receivers = [{'to': d['to'], 'docId': d['docId']}
            for d in record['deliveries']]
        entry.update(result='duplicate' if duplicate else 'accepted',
            docId=record['docId'], kind=record['kind'], to=record['to'],
            receivers=receivers)
        entry['from'] = record['from']
        return _ok(DocId=record['docId'], duplicate=duplicate,
            receivers=receivers)

    def received_list(self, request, system, signed, entry):
        kind = _kind(signed, 'edoc')
        pairs = self.app.exchange.inbox(system, kind,
            filter_date(signed.get('fromDate')),
            filter_date(signed.get('toDate'), end=True))
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
        entry.update(result='listed', kind=kind, count=len(data))
        return _ok(data=data)

    def get_edoc(self, request, system, signed, entry):
        record, delivery, content = self.app.exchange.fetch(system,
            signed.get('docId'))
        entry.update(result='delivered', docId=delivery['docId'],
            messageDocId=record['docId'], kind=record['kind'],
            to=delivery['to'])
        return _ok(data=base64.b64encode(content).decode('ascii'))

    def download_edoc(self, request, system, signed, entry):
        record, delivery, content = self.app.exchange.fetch(system,
            signed.get('docId'))
        entry.update(result='delivered', docId=delivery['docId'],
            messageDocId=record['docId'], kind=record['kind'],
            to=delivery['to'])
        return Response(content, content_type='application/xml',
            headers={'Content-Disposition':
                f'attachment; filename="{delivery["docId"]}.edxml"'})

    def update_status(self, request, system, signed, entry):
        status = signed.get('status') or ''
        record, delivery = self.app.exchange.update_status(system,
            signed.get('docId'), status)
        entry.update(result='acknowledged', docId=delivery['docId'],
            messageDocId=record['docId'], kind=record['kind'],
            to=delivery['to'], ackStatus=status)
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
        data = self.app.directory.agencies()
        entry.update(result='listed', count=len(data))
        return _ok(data=data)

    def agencies_qd20(self, request, system, signed, entry):
        level = signed.get('level')
        if level not in ('1', '2', '3', '4'):
            raise AxisError(400, AXIS_INVALID_REQUEST,
                f'level "{level}" không hợp lệ (1 đến 4).')
        data = self.app.directory.agencies(int(level))
        entry.update(result='listed', count=len(data))
        return _ok(data=data)

    def synchronize_units(self, request, system, signed, entry):
        data = self.app.directory.synchronize_units()
        entry.update(result='listed', count=len(data))
        return _ok(data=data)

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
