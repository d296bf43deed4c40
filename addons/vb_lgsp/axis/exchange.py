# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""What the axis does, whatever API shape the request came in.

Sending checks the sender and the recipients against the directory and the
calling system, routes the package to one delivery per recipient and
recognises resends. The VXP and provincial REST modules only translate
their request and response formats to and from these calls.
"""
import datetime as dt
import hashlib

from ..transport.errors import (
    AXIS_BAD_RECIPIENT, AXIS_ERROR_TEXTS, AXIS_INVALID_REQUEST,
    AXIS_MALFORMED_EDXML, AXIS_NOT_FOUND, AXIS_RECIPIENT_LOCKED,
    AXIS_SENDER_NOT_REGISTERED)
from .package import PackageError, inspect_package
from .store import StoreError

ACK_STATUSES = ('done', 'fail', 'processing')


class AxisError(Exception):
    "Refusal of a request: HTTP status, axis error code, Vietnamese text"

    def __init__(self, http_status, axis_code, message=None, *,
            headers=None):
        self.http_status = http_status
        self.axis_code = axis_code
        self.message = message or AXIS_ERROR_TEXTS.get(axis_code, '')
        self.headers = headers or {}
        super().__init__(self.message)


def _unique(codes):
    seen = []
    for code in codes:
        code = str(code).strip()
        if code and code not in seen:
            seen.append(code)
    return seen


def _created(record):
    return dt.datetime.fromisoformat(record['created'])


class Exchange:

    def __init__(self, store, directory):
        self.store = store
        self.directory = directory

    def send(self, system, content, *, kind=None, from_id=None,
            to_ids=None, idempotency_key=None, api=''):
        """Store and route a package → (message record, duplicate).

        Recipients are ``to_ids`` when the request names them, else the
        package's ``To`` elements; a status package goes back to the
        sender of the document it answers (``ResponseFor/OrganId``), and a
        withdrawal (status 13, sent by that sender itself) to the
        recipients of the original document.
        """
        try:
            info = inspect_package(content)
        except PackageError as error:
            raise AxisError(400, AXIS_MALFORMED_EDXML, error.message)
        if kind is None:
            kind = 'status' if info.is_status else 'edoc'
        if kind == 'status' and not info.is_status:
            raise AxisError(400, AXIS_MALFORMED_EDXML,
                'Gói tin trạng thái thiếu StatusCode.')
        if from_id and from_id != info.from_id:
            raise AxisError(400, AXIS_MALFORMED_EDXML,
                f'Tham số from ({from_id}) khác From/OrganId của gói tin '
                f'({info.from_id}).')
        sender = info.from_id
        if self.directory.status(sender) != 'ok' or not system.covers(sender):
            raise AxisError(403, AXIS_SENDER_NOT_REGISTERED,
                f'Đơn vị gửi {sender} chưa đăng ký với trục hoặc không thuộc'
                f' hệ thống {system.system_id}.')
        recipients = self._recipients(kind, info, to_ids)
        for code in recipients:
            state = self.directory.status(code)
            if state == 'locked':
                raise AxisError(422, AXIS_RECIPIENT_LOCKED,
                    f'Đơn vị nhận {code} đã bị khóa trên trục.')
            if state != 'ok':
                raise AxisError(422, AXIS_BAD_RECIPIENT,
                    f'Đơn vị nhận {code} không tồn tại trên trục.')
        keys = self._resend_keys(system, kind, info, recipients, content,
            idempotency_key)
        meta = {
            'kind': kind,
            'api': api,
            'systemId': system.system_id,
            'from': sender,
            'fromName': info.from_name or self.directory.name_of(sender),
            'to': recipients,
            'documentId': info.document_id,
            'code': info.code,
            'subject': info.subject,
            'businessDocType': info.business_doc_type,
            'statusCode': info.status_code,
            'responseFor': {'organId': info.response_for_organ,
                'documentId': info.response_for_document},
            'idempotencyKey': idempotency_key or '',
            }
        return self.store.accept(content, meta, keys, recipients)

    def _recipients(self, kind, info, to_ids):
        if to_ids:
            recipients = _unique(to_ids)
        elif kind == 'edoc':
            recipients = _unique(info.to_ids)
        elif info.response_for_organ and (
                info.response_for_organ != info.from_id):
            recipients = [info.response_for_organ]
        else:
            original = self.store.original_document(info.from_id,
                info.response_for_document)
            recipients = [d['to'] for d in original['deliveries']] if (
                original) else []
        if not recipients:
            raise AxisError(422, AXIS_BAD_RECIPIENT,
                'Không xác định được đơn vị nhận của gói tin.')
        return recipients

    @staticmethod
    def _resend_keys(system, kind, info, recipients, content,
            idempotency_key):
        """Keys under which a resend of this package is recognised.

        A client id (Idempotency-Key) identifies the message whatever its
        bytes; otherwise the same bytes, or the same business identity to
        the same recipients: a new/revoke/replace document by (sender,
        DocumentId, kind of business), a status by (sender, document
        answered, status code) — each status code is sent once per
        document (spec §3.5.4). Updates (BussinessDocType 2) may repeat,
        so only their bytes identify them.
        """
        targets = ','.join(sorted(recipients))
        sender = info.from_id
        keys = []
        if idempotency_key:
            keys.append(f'idem:{system.system_id}:{idempotency_key}')
        keys.append(f'sha:{sender}:{kind}:'
            f'{hashlib.sha256(content).hexdigest()}:{targets}')
        business = info.business_doc_type or '0'
        if kind == 'edoc' and info.document_id and business != '2':
            keys.append(f'doc:{sender}:{info.document_id}:{business}:'
                f'{targets}')
        if kind == 'status' and info.response_for_document:
            keys.append(f'status:{sender}:{info.response_for_document}:'
                f'{info.status_code}:{targets}')
        return keys

    def inbox(self, system, kind, from_date=None, to_date=None):
        "(message, delivery) pairs waiting for the system's agencies"
        pairs = self.store.pending(system.covers, kind)
        if from_date is not None:
            pairs = [p for p in pairs if _created(p[0]) >= from_date]
        if to_date is not None:
            pairs = [p for p in pairs if _created(p[0]) <= to_date]
        return pairs

    def _own_delivery(self, system, delivery_id):
        record, delivery = self.store.delivery(delivery_id or '')
        # Someone else's docId is answered as unknown: no existence leak
        if record is None or not system.covers(delivery['to']):
            raise AxisError(404, AXIS_NOT_FOUND,
                f'Không tìm thấy văn bản có docId "{delivery_id}".')
        return record, delivery

    def fetch(self, system, delivery_id):
        "(message, delivery, bytes) of a delivery; counts as delivered"
        record, delivery = self._own_delivery(system, delivery_id)
        content = self.store.content(record)
        delivery = self.store.mark_fetched(delivery['docId'],
            system.system_id)
        return record, delivery, content

    def update_status(self, system, delivery_id, status):
        if status not in ACK_STATUSES:
            raise AxisError(400, AXIS_INVALID_REQUEST,
                f'Trạng thái "{status}" không hợp lệ: done, fail hoặc '
                'processing.')
        record, delivery = self._own_delivery(system, delivery_id)
        try:
            return record, self.store.set_status(delivery['docId'], status,
                system.system_id)
        except StoreError as error:
            raise AxisError(409, AXIS_INVALID_REQUEST, error.message)

    def sent(self, system, doc_id):
        "The message a system sent, by the DocId it was given"
        record = self.store.message(doc_id or '')
        if record is None or record['systemId'] != system.system_id:
            raise AxisError(404, AXIS_NOT_FOUND,
                f'Không tìm thấy văn bản đã gửi có DocId "{doc_id}".')
        return record
