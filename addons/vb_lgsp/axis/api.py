# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""What the simulator's two client APIs (VXP and provincial REST) share:
the method check, reading a sent package, and the exchange's operations
with their entries in the request log. Each API keeps its authentication,
the names of its parameters and the shape of its answers."""
from ..transport.errors import AXIS_INVALID_FILE, AXIS_INVALID_REQUEST
from .exchange import AxisError
from .responses import filter_date


class Api:
    #: Name of the API in the exchange's records ("vxp", "rest")
    name = None
    #: Form part holding the package of sendEdoc
    package_part = None

    def __init__(self, app):
        self.app = app
        #: action: (HTTP method, handler)
        self.actions = {}

    def handler(self, request, action):
        "The handler of action, when the request uses its method"
        method, handler = self.actions[action]
        if request.method != method:
            raise AxisError(405, AXIS_INVALID_REQUEST,
                f'{action} chỉ nhận phương thức {method}.',
                headers={'Allow': method})
        return handler

    def read_package(self, request):
        "The package file of a sendEdoc request, within the size allowed"
        storage = request.files.get(self.package_part)
        if storage is None:
            raise AxisError(400, AXIS_INVALID_FILE,
                f'Thiếu tệp gói tin (phần {self.package_part}).')
        content = storage.read(self.app.max_package_size + 1)
        if len(content) > self.app.max_package_size:
            raise AxisError(413, AXIS_INVALID_FILE,
                'Gói tin vượt quá dung lượng cho phép.')
        return content

    def send(self, request, system, content, entry, **options):
        """Store a sent package: (its record, whether it is a recognised
        resend, [{to, docId}] of its deliveries)"""
        record, duplicate = self.app.exchange.send(system, content,
            idempotency_key=request.headers.get('Idempotency-Key'),
            api=self.name, **options)
        receivers = [{'to': d['to'], 'docId': d['docId']}
            for d in record['deliveries']]
        entry.update(result='duplicate' if duplicate else 'accepted',
            docId=record['docId'], kind=record['kind'], to=record['to'],
            receivers=receivers)
        entry['from'] = record['from']
        return record, duplicate, receivers

    def inbox(self, system, kind, from_date, to_date, entry):
        "(record, delivery) pairs waiting for system, between the dates"
        pairs = self.app.exchange.inbox(system, kind, filter_date(from_date),
            filter_date(to_date, end=True))
        entry.update(result='listed', kind=kind, count=len(pairs))
        return pairs

    def fetch(self, system, doc_id, entry):
        "(record, delivery, package bytes) of a delivery to system"
        record, delivery, content = self.app.exchange.fetch(system, doc_id)
        entry.update(result='delivered', docId=delivery['docId'],
            messageDocId=record['docId'], kind=record['kind'],
            to=delivery['to'])
        return record, delivery, content

    def acknowledge(self, system, doc_id, status, entry):
        record, delivery = self.app.exchange.update_status(system, doc_id,
            status)
        entry.update(result='acknowledged', docId=delivery['docId'],
            messageDocId=record['docId'], kind=record['kind'],
            to=delivery['to'], ackStatus=status)

    @staticmethod
    def listed(data, entry):
        "A directory listing, logged"
        entry.update(result='listed', count=len(data))
        return data
