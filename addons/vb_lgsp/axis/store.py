# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""The axis's store on disk.

Layout under the store directory::

    blobs/<sha256>            package bytes, content-addressed
    messages/<docId>.json     one sent message: sender, recipients, the
                              resend keys and one delivery per recipient
                              (its own docId, state and history)
    directory.json            agencies registered/deleted through the API
    log.jsonl                 request log (``requestlog``)

Every file is written to a temporary file and renamed over its target
(``files.atomic_write``); the blob is written before the message record,
so a record on disk always has its bytes. The per-agency inboxes, the
delivery index and the resend keys are rebuilt in memory from
``messages/`` at start, which is why the store survives a restart.
"""
import copy
import datetime as dt
import hashlib
import os
import threading
import uuid

from ..transport.signing import VN_TZ
from .files import atomic_write, read_json, write_json

STATES = ('initial', 'processing', 'done', 'fail')
STATE_TEXTS = {
    'initial': 'Chờ đơn vị nhận tải về',
    'processing': 'Đơn vị nhận đang xử lý',
    'done': 'Đơn vị nhận đã nhận',
    'fail': 'Đơn vị nhận báo lỗi, chờ nhận lại',
    }


def now_text():
    return dt.datetime.now(VN_TZ).isoformat(timespec='milliseconds')


class StoreError(Exception):
    def __init__(self, message):
        self.message = message
        super().__init__(message)


class AxisStore:

    def __init__(self, root, *, fsync=True):
        self.root = root
        self._fsync = fsync
        self._messages_dir = os.path.join(root, 'messages')
        self._blobs_dir = os.path.join(root, 'blobs')
        os.makedirs(self._messages_dir, exist_ok=True)
        os.makedirs(self._blobs_dir, exist_ok=True)
        self._lock = threading.RLock()
        self._messages = {}
        self._keys = {}
        self._deliveries = {}
        self._pending = {}
        self._documents = {}
        self._seq = 0
        self._load()

    @property
    def directory_path(self):
        return os.path.join(self.root, 'directory.json')

    @property
    def log_path(self):
        return os.path.join(self.root, 'log.jsonl')

    def _load(self):
        records = []
        for name in os.listdir(self._messages_dir):
            if name.endswith('.json') and not name.startswith('.'):
                records.append(read_json(
                        os.path.join(self._messages_dir, name)))
        for record in sorted(records, key=lambda r: r['seq']):
            self._index(record)

    def _index(self, record):
        doc_id = record['docId']
        self._messages[doc_id] = record
        self._seq = max(self._seq, record['seq'])
        for key in record['keys']:
            self._keys[key] = doc_id
        for delivery in record['deliveries']:
            self._deliveries[delivery['docId']] = doc_id
            inbox = self._pending.setdefault(delivery['to'], {})
            if delivery['status'] == 'done':
                inbox.pop(delivery['docId'], None)
            else:
                inbox[delivery['docId']] = None
        if record['kind'] == 'edoc' and record.get('documentId'):
            # The first (new) document, not a later update of it
            self._documents.setdefault(
                (record['from'], record['documentId']), doc_id)

    def _save(self, record):
        write_json(os.path.join(self._messages_dir, f"{record['docId']}.json"),
            record, fsync=self._fsync)

    def find(self, keys):
        "A copy of the message already stored under one of ``keys``"
        with self._lock:
            for key in keys:
                if key in self._keys:
                    return copy.deepcopy(self._messages[self._keys[key]])
        return None

    def accept(self, content, meta, keys, to_ids):
        """Store a package for ``to_ids`` unless one of ``keys`` is known.

        Returns (message record, duplicate). The check and the write happen
        under one lock, so two concurrent resends store one message.
        """
        with self._lock:
            existing = self.find(keys)
            if existing is not None:
                return existing, True
            sha256 = hashlib.sha256(content).hexdigest()
            blob = os.path.join(self._blobs_dir, sha256)
            if not os.path.exists(blob):
                atomic_write(blob, content, fsync=self._fsync)
            now = now_text()
            self._seq += 1
            record = {
                **meta,
                'docId': str(uuid.uuid4()),
                'seq': self._seq,
                'sha256': sha256,
                'size': len(content),
                'created': now,
                'keys': list(keys),
                'deliveries': [{
                        'docId': str(uuid.uuid4()),
                        'to': to_id,
                        'status': 'initial',
                        'created': now,
                        'updated': now,
                        'fetches': 0,
                        'history': [],
                        } for to_id in to_ids],
                }
            self._save(record)
            self._index(record)
            return copy.deepcopy(record), False

    def pending(self, covers, kind):
        """(message, delivery) pairs not yet acknowledged ``done`` for the
        agencies where ``covers(code)`` holds, oldest first"""
        with self._lock:
            pairs = []
            for agency, inbox in self._pending.items():
                if not covers(agency):
                    continue
                for delivery_id in inbox:
                    record = self._messages[self._deliveries[delivery_id]]
                    if record['kind'] != kind:
                        continue
                    delivery = next(d for d in record['deliveries']
                        if d['docId'] == delivery_id)
                    pairs.append((record, delivery))
            pairs.sort(key=lambda p: (p[0]['seq'], p[1]['to']))
            return copy.deepcopy(pairs)

    def delivery(self, delivery_id):
        "(message, delivery) copies, or (None, None) when unknown"
        with self._lock:
            doc_id = self._deliveries.get(delivery_id)
            if doc_id is None:
                return None, None
            record = self._messages[doc_id]
            delivery = next(d for d in record['deliveries']
                if d['docId'] == delivery_id)
            return copy.deepcopy(record), copy.deepcopy(delivery)

    def content(self, record):
        with open(os.path.join(self._blobs_dir, record['sha256']), 'rb') as f:
            return f.read()

    def _update_delivery(self, delivery_id, change):
        with self._lock:
            record = self._messages[self._deliveries[delivery_id]]
            updated = copy.deepcopy(record)
            delivery = next(d for d in updated['deliveries']
                if d['docId'] == delivery_id)
            change(delivery)
            delivery['updated'] = now_text()
            self._save(updated)
            self._index(updated)
            return copy.deepcopy(delivery)

    def mark_fetched(self, delivery_id, system_id):
        def change(delivery):
            delivery['fetches'] += 1
            delivery['history'].append({'event': 'fetched',
                    'at': now_text(), 'systemId': system_id})
        return self._update_delivery(delivery_id, change)

    def set_status(self, delivery_id, status, system_id):
        "Transport acknowledgement; ``done`` is final"
        if status not in STATES:
            raise StoreError(f'Trạng thái "{status}" không hợp lệ.')

        def change(delivery):
            if delivery['status'] == 'done' and status != 'done':
                raise StoreError('Văn bản đã được xác nhận nhận (done), '
                    'không đổi trạng thái được nữa.')
            delivery['status'] = status
            delivery['history'].append({'event': status,
                    'at': now_text(), 'systemId': system_id})
        return self._update_delivery(delivery_id, change)

    def message(self, doc_id):
        with self._lock:
            record = self._messages.get(doc_id)
            return copy.deepcopy(record) if record else None

    def count(self):
        with self._lock:
            return len(self._messages)

    def messages(self):
        with self._lock:
            return copy.deepcopy(sorted(self._messages.values(),
                    key=lambda r: r['seq']))

    def original_document(self, from_id, document_id):
        "The edoc message ``from_id`` sent with ``document_id``, if any"
        with self._lock:
            doc_id = self._documents.get((from_id, document_id))
            return copy.deepcopy(self._messages[doc_id]) if doc_id else None
