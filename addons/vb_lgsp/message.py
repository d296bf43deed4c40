# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""The message log of the exchange, which is also the outbox and the inbox.

Every package sent or received is a vb.lgsp.message with its bytes (in the
filestore), what the axis said and when: the evidence of the exchange
(spec §3.5.8). An outgoing message is written in the transaction that
issues the document or changes its status (transactional outbox) and sent
by a queue task; an incoming one is written when the inbox lists it, then
fetched, stored and acknowledged by a queue task, acknowledged only after
that transaction committed.
"""
import datetime as dt
import hashlib
import json
import logging
import threading
import uuid
from contextlib import contextmanager

from sql import For, Literal, Null

from trytond.config import config
from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Unique, fields
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction

from trytond.modules.vb_document.datamanager import TransactionEnd
from trytond.modules.vb_document.notify import agency_users, tell

from .exceptions import ExchangeError
from .status import STATUS_SELECTION
from .transport import PermanentError, RetryableError, TransportError

logger = logging.getLogger(__name__)

DIRECTIONS = [
    ('out', "Sent"),
    ('in', "Received"),
    ]
KINDS = [
    ('edoc', "Document"),
    ('status', "Status"),
    ]
BUSINESS_KINDS = [
    (None, ""),
    ('new', "New Document"),
    ('revoke', "Revocation"),
    ('update', "Update"),
    ('replace', "Replacement"),
    ]
STATES = [
    # Outgoing
    ('pending', "Waiting to Send"),
    ('sent', "Sent"),
    ('dead', "Sending Failed"),
    # Incoming
    ('listed', "Waiting to Download"),
    ('stored', "Stored"),
    ('duplicate', "Duplicate"),
    ('refused', "Refused"),
    ('ignored', "Not Applicable"),
    ('failed', "Could Not Be Stored"),
    ]
MAX_DELAY = 3600
# The queue takes first the tasks expected at no given time (NULL sorts
# first), then the earliest expected: urgent documents go with the former,
# the others are expected within half an hour
URGENT_EXPECTED = None
NORMAL_EXPECTED = dt.timedelta(minutes=30)
QUEUE_NAME = 'lgsp'
# Messages a queue task sends or receives at most (Message.enqueue)
TASK_MESSAGES = 10


class _Grouping(threading.local):
    "The message lists of the thread's Message.grouped() blocks"

    def __init__(self):
        self.stack = []


_grouping = _Grouping()


def sha256(data):
    return hashlib.sha256(data).hexdigest()


class Message(ModelSQL, ModelView):
    "Exchange Message"
    __string__ = "Exchange Message"
    __name__ = 'vb.lgsp.message'
    _rec_name = 'key'

    company = fields.Many2One('company.company', "Agency", required=True,
        readonly=True, ondelete='RESTRICT')
    connection = fields.Many2One('vb.lgsp.connection', "Connection",
        required=True, readonly=True, ondelete='RESTRICT')
    direction = fields.Selection(DIRECTIONS, "Direction", required=True,
        readonly=True)
    kind = fields.Selection(KINDS, "Kind", required=True, readonly=True)
    business = fields.Selection(BUSINESS_KINDS, "Business", readonly=True)
    status_code = fields.Selection(STATUS_SELECTION, "Status Code",
        readonly=True, states={'invisible': Eval('kind') != 'status'})
    description = fields.Text("Description", readonly=True)
    state = fields.Selection(STATES, "State", required=True, readonly=True,
        sort=False)
    key = fields.Char("Key", required=True, readonly=True,
        help="What the message is, once: a document to a recipient, a "
        "status of a document, a delivery of the axis.")
    idempotency_key = fields.Char("Message ID", readonly=True,
        help="Sent with every attempt so the axis recognises a resend.")
    urgent = fields.Boolean("Urgent", readonly=True)
    document = fields.Many2One('vb.document', "Document", readonly=True,
        ondelete='RESTRICT')
    recipient = fields.Many2One('vb.document.recipient', "Recipient Line",
        readonly=True, ondelete='SET NULL')
    sender_code = fields.Char("Sender Code", readonly=True)
    sender_name = fields.Char("Sender", readonly=True)
    target_code = fields.Char("Recipient Code", readonly=True)
    document_id = fields.Char("Document ID (edXML)", readonly=True)
    axis_doc_id = fields.Char("Axis Doc ID", readonly=True,
        help="The DocId the axis gave to the sent message, or the id of "
        "the delivery received.")
    receiver_doc_id = fields.Char("Receiver Doc ID", readonly=True)
    duplicate = fields.Boolean("Resend Recognised", readonly=True,
        help="The axis had the message already and kept the first copy.")
    package = fields.Binary("Package", filename='package_name',
        file_id='package_file_id', readonly=True)
    package_name = fields.Char("Package File Name", readonly=True)
    package_file_id = fields.Char("Package File ID", readonly=True)
    size = fields.Integer("Size (bytes)", readonly=True)
    sha256 = fields.Char("SHA-256", readonly=True)
    headers = fields.Text("Axis Data", readonly=True,
        help="What the axis said about the message (listing, receipt).")
    attempts = fields.Integer("Attempts", readonly=True)
    next_attempt_at = fields.DateTime("Next Attempt", readonly=True)
    error = fields.Text("Error", readonly=True)
    error_code = fields.Char("Error Code", readonly=True)
    sent_at = fields.DateTime("Sent At", readonly=True)
    received_at = fields.DateTime("Received At", readonly=True)
    acknowledged_at = fields.DateTime("Acknowledged At", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('key_unique', Unique(t, t.key), 'vb_lgsp.msg_message_unique'),
            ]
        cls._sql_indexes.update({
                Index(t,
                    (t.company, Index.Equality()),
                    (t.direction, Index.Equality(cardinality='low')),
                    (t.state, Index.Equality(cardinality='low'))),
                Index(t, (t.document, Index.Equality())),
                Index(t, (t.state, Index.Equality(cardinality='low')),
                    where=t.state.in_(['pending', 'listed'])),
                })
        cls._order = [('create_date', 'DESC'), ('id', 'DESC')]
        cls._buttons.update({
                'retry': {
                    'invisible': ~Eval('state').in_(['dead', 'failed']),
                    'icon': 'tryton-refresh',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_attempts(cls):
        return 0

    @classmethod
    def default_urgent(cls):
        return False

    @classmethod
    def default_duplicate(cls):
        return False

    @classmethod
    def check_modification(cls, mode, messages, values=None, external=False):
        super().check_modification(
            mode, messages, values=values, external=external)
        # Evidence of the exchange: only the connector writes it
        if external and mode in {'create', 'write', 'delete'}:
            raise ExchangeError(gettext('vb_lgsp.msg_message_readonly'))

    def get_rec_name(self, name):
        parts = [self.document_id or self.axis_doc_id or self.key]
        if self.status_code:
            parts.append(f'[{self.status_code}]')
        if self.direction == 'out' and self.target_code:
            parts.append(f'→ {self.target_code}')
        elif self.sender_code:
            parts.append(f'← {self.sender_code}')
        return ' '.join(parts)

    @classmethod
    def search_rec_name(cls, name, clause):
        _, operator, value, *_ = clause
        bool_op = 'AND' if (operator.startswith('!')
            or operator.startswith('not ')) else 'OR'
        return [bool_op,
            ('document_id', operator, value),
            ('axis_doc_id', operator, value),
            ('key', operator, value),
            ]

    @staticmethod
    def _package_values(data, name):
        return {
            'package': data,
            'package_name': name,
            'size': len(data),
            'sha256': sha256(data),
            }

    # Sending ------------------------------------------------------------

    @classmethod
    def queue_documents(cls, recipients):
        """Put an issued document in the outbox for each external recipient.

        Called in the transaction that issues the documents; recipients
        without a way to be reached electronically (no mã định danh, no
        connection, secret documents) are left to the post. Return the
        recipients queued.
        """
        from .package import build_for, document_package, document_id
        pool = Pool()
        Document = pool.get('vb.document')
        values, queued, packages = [], [], {}
        for recipient in recipients:
            document = recipient.document
            connection = cls.connection_for(recipient)
            if not connection:
                continue
            if document not in packages:
                # Set by the issue (Document._on_issue) unless sent later
                if not document.lgsp_document_id:
                    document.lgsp_document_id = document_id(document)
                packages[document] = document_package(document)
            data = build_for(packages[document], recipient.agency, document)
            values.append(cls.outgoing_values(document, connection,
                    recipient.agency, data,
                    _package_name(document.number_notation, recipient),
                    business='new', key=f'edoc:{recipient.id}',
                    recipient=recipient.id))
            queued.append(recipient)
        if packages:
            Document.save(list(packages))
        if values:
            cls.enqueue(cls.create(values))
        return queued

    @staticmethod
    def connection_for(recipient):
        """The active connection that takes the document of recipient (a
        line) to its agency, or None: left to the post (no mã định danh on
        either side, no connection, a secret document)"""
        document = recipient.document
        agency = document.company
        connection = agency.lgsp_connection_to(recipient.agency)
        if (not connection or not connection.active
                or not agency.identifier_code
                or not recipient.agency.identifier_code
                or document.secrecy.secret):
            return None
        return connection

    @classmethod
    def outgoing_values(cls, document, connection, target, data, name,
            **values):
        """The values of a message taking the package data of document to
        the agency target through the outbox (values: business, key…)"""
        agency = document.company
        return {
            'company': agency.id,
            'connection': connection.id,
            'direction': 'out',
            'kind': 'edoc',
            'state': 'pending',
            'idempotency_key': str(uuid.uuid4()),
            'urgent': bool(document.urgency and document.urgency.urgent),
            'document': document.id,
            'sender_code': agency.identifier_code,
            'sender_name': agency.rec_name,
            'target_code': target.identifier_code,
            'document_id': document.lgsp_document_id,
            'next_attempt_at': dt.datetime.now(),
            **cls._package_values(data, name),
            **values,
            }

    @classmethod
    def queue_status(cls, document, code, description='', user=None,
            key=None):
        """Tell the sender of a received document its status, once (per
        key: by default once per document and code; an answer to one of
        several requests, 15 or 16, gives the request's key).

        Return the message, or None when the status was sent already or
        the document did not come through the axis.
        """
        from .package import response_key, status_package
        if not (document.lgsp_document_id and document.lgsp_sender_code
                and document.lgsp_connection):
            return None
        key = key or f'status:{document.id}:{code}'
        if cls.search([('key', '=', key)], limit=1):
            return None
        agency = document.company
        data = status_package(agency, response_key(document), code,
            description, user)
        message, = cls.create([{
                    'company': agency.id,
                    'connection': document.lgsp_connection.id,
                    'direction': 'out',
                    'kind': 'status',
                    'status_code': code,
                    'description': description or None,
                    'state': 'pending',
                    'key': key,
                    'idempotency_key': str(uuid.uuid4()),
                    'urgent': bool(document.urgency
                        and document.urgency.urgent),
                    'document': document.id,
                    'sender_code': agency.identifier_code,
                    'sender_name': agency.rec_name,
                    'target_code': document.lgsp_sender_code,
                    'document_id': document.lgsp_document_id,
                    'next_attempt_at': dt.datetime.now(),
                    **cls._package_values(data, f'status-{code}.edxml'),
                    }])
        cls.enqueue([message])
        return message

    @classmethod
    def queue_withdrawal(cls, recipient, reason, user=None):
        """Ask recipient for our document back (status 13), once"""
        from .edxml import ResponseFor
        from .package import split_notation, status_package
        document = recipient.document
        agency = document.company
        key = f'withdraw:{recipient.id}'
        if cls.search([('key', '=', key)], limit=1):
            return None
        sent = cls.search([('recipient', '=', recipient.id),
                ('direction', '=', 'out'), ('kind', '=', 'edoc')], limit=1)
        connection = (sent[0].connection if sent
            else agency.lgsp_connection_to(recipient.agency))
        number, notation = split_notation(document.number_notation)
        data = status_package(agency, ResponseFor(
                organ_id=agency.identifier_code,
                code=f'{number}/{notation}',
                promulgation_date=document.issued_date,
                document_id=document.lgsp_document_id),
            '13', reason, user)
        message, = cls.create([{
                    'company': agency.id,
                    'connection': connection.id,
                    'direction': 'out',
                    'kind': 'status',
                    'status_code': '13',
                    'description': reason,
                    'state': 'pending',
                    'key': key,
                    'idempotency_key': str(uuid.uuid4()),
                    'urgent': bool(document.urgency
                        and document.urgency.urgent),
                    'document': document.id,
                    'recipient': recipient.id,
                    'sender_code': agency.identifier_code,
                    'sender_name': agency.rec_name,
                    'target_code': recipient.agency.identifier_code,
                    'document_id': document.lgsp_document_id,
                    'next_attempt_at': dt.datetime.now(),
                    **cls._package_values(data, 'status-13.edxml'),
                    }])
        cls.enqueue([message])
        return message

    @classmethod
    def queue_refusal(cls, connection, agency, error, received):
        """Answer a refused package with status 02 when its sender and
        DocumentId could be read (spec: hostile packages refused with a
        reason where the sender is known)."""
        from .edxml import ResponseFor, split_document_id
        if not (error.sender and error.document_id and agency
                and agency.identifier_code):
            return None
        parts = split_document_id(error.document_id)
        response_for = ResponseFor(
            organ_id=error.sender,
            code=f'{parts[2]}/{parts[3]}' if parts else error.document_id[:42],
            promulgation_date=parts[1] if parts else Pool().get(
                'ir.date').today(),
            document_id=error.document_id)
        return cls.queue_answer(connection, agency, response_for, '02',
            error.message, f'refusal:{received.id}')

    @classmethod
    def queue_answer(cls, connection, agency, response_for, code,
            description, key, document=None):
        """Send status code about response_for to its sender, once per
        key, also when we hold no such document (a refused package)"""
        from .package import status_package
        if cls.search([('key', '=', key)], limit=1):
            return None
        try:
            data = status_package(agency, response_for, code, description)
        except ExchangeError:
            return None
        message, = cls.create([{
                    'company': agency.id,
                    'connection': connection.id,
                    'direction': 'out',
                    'kind': 'status',
                    'status_code': code,
                    'description': description,
                    'state': 'pending',
                    'key': key,
                    'idempotency_key': str(uuid.uuid4()),
                    'document': document.id if document else None,
                    'sender_code': agency.identifier_code,
                    'sender_name': agency.rec_name,
                    'target_code': response_for.organ_id,
                    'document_id': response_for.document_id,
                    'next_attempt_at': dt.datetime.now(),
                    **cls._package_values(data, f'status-{code}.edxml'),
                    }])
        cls.enqueue([message])
        return message

    @classmethod
    def enqueue(cls, messages, delay=None, alone=False):
        """Hand messages to the queue, urgent ones first.

        Up to TASK_MESSAGES messages go in a task: trytond-worker hands
        out about 18 tasks a second an instance, and each task costs its
        bookkeeping (docker-compose.yml). alone: a task each, for messages
        taken again after a failure, so that a message whose task keeps
        failing does not hold back others. Inside grouped(), the messages
        wait for the end of the block to be grouped with the others.
        """
        if _grouping.stack and delay is None and not alone:
            _grouping.stack[-1].extend(messages)
            return
        transaction = Transaction()
        groups = {}
        for message in messages:
            method = 'send' if message.direction == 'out' else 'receive'
            groups.setdefault((method, bool(message.urgent)), []).append(
                message)
        for (method, urgent), group in sorted(groups.items(),
                key=lambda item: not item[0][1]):
            with transaction.set_context(
                    queue_name=QUEUE_NAME,
                    queue_expected_at=(URGENT_EXPECTED if urgent
                        else NORMAL_EXPECTED),
                    queue_scheduled_at=delay):
                for chunk in _chunks(group, 1 if alone else TASK_MESSAGES):
                    getattr(cls.__queue__, method)(chunk)

    @classmethod
    @contextmanager
    def grouped(cls):
        """Queue the messages enqueued inside the block together at its
        end (the 01 of each package a receiving task stores)"""
        _grouping.stack.append([])
        try:
            yield
        finally:
            messages = _grouping.stack.pop()
        cls.enqueue(messages)

    @classmethod
    def send(cls, messages):
        "Send pending outgoing messages (queue task)"
        for message in messages:
            # A second task for the same message (recovered after a lost
            # worker) waits here, then finds it sent
            cls._lock_row(message)
            message = cls(message.id)
            if message.direction == 'out' and message.state == 'pending':
                message._send()

    @classmethod
    def _lock_row(cls, message):
        """Lock the row of message until the transaction ends.

        Not ModelSQL.lock: it makes the worker roll back and start the
        task again with the lock, every time (the task's queries twice).
        Here the row is locked where the task is: a concurrent task that
        changed the message since this transaction began makes the lock
        fail with a serialization error, and the worker retries the task,
        which then sees the message as that task left it.
        """
        transaction = Transaction()
        if not transaction.database.has_select_for():
            # SQLite: one writer at a time
            return
        table = cls.__table__()
        transaction.connection.cursor().execute(*table.select(Literal(1),
                where=table.id == message.id, for_=For('UPDATE')))

    def _send(self):
        connection = self.connection
        self.attempts = (self.attempts or 0) + 1
        transport = connection.get_transport()
        try:
            receipt = transport.send(self.package, [self.target_code],
                kind=self.kind, from_id=self.sender_code,
                message_id=self.idempotency_key,
                **({'filename': self.package_name}
                    if self.package_name else {}))
        except RetryableError as error:
            self._fail(error, retry=self.attempts < connection.max_attempts)
        except PermanentError as error:
            self._fail(error, retry=False)
        else:
            self.state = 'sent'
            self.sent_at = dt.datetime.now()
            self.next_attempt_at = None
            self.axis_doc_id = receipt.doc_id
            self.receiver_doc_id = receipt.receivers.get(self.target_code)
            self.duplicate = receipt.duplicate
            self.error = self.error_code = None
            self.headers = json.dumps({
                    'from': self.sender_code, 'to': [self.target_code],
                    'messagetype': self.kind,
                    'idempotencyKey': self.idempotency_key,
                    'DocId': receipt.doc_id, 'duplicate': receipt.duplicate,
                    'receivers': receipt.receivers,
                    }, ensure_ascii=False, indent=1)
            self.save()
            if self.recipient and self.kind == 'edoc':
                self.recipient.set_lgsp_sent(self)

    def _fail(self, error, retry):
        self.error = error.message
        self.error_code = error.code
        if retry:
            delay = min(self.connection.retry_delay
                * 2 ** (self.attempts - 1), MAX_DELAY)
            if getattr(error, 'retry_after', None):
                try:
                    delay = max(delay, int(error.retry_after))
                except (TypeError, ValueError):
                    pass
            self.next_attempt_at = dt.datetime.now() + dt.timedelta(
                seconds=delay)
            self.save()
            self.enqueue([self], delay=dt.timedelta(seconds=delay))
            return
        self.state = 'dead'
        self.next_attempt_at = None
        self.save()
        if self.recipient and self.kind == 'edoc':
            self.recipient.set_lgsp_failed(self)
        self.tell_admins('vb_lgsp.msg_message_dead')

    @classmethod
    @ModelView.button
    def retry(cls, messages):
        "Send or receive again messages that gave up"
        to_retry = [m for m in messages if m.state in {'dead', 'failed'}]
        for message in to_retry:
            message.state = 'pending' if message.direction == 'out' \
                else 'listed'
            message.attempts = 0
            message.next_attempt_at = dt.datetime.now()
        cls.save(to_retry)
        for message in to_retry:
            if (message.recipient and message.direction == 'out'
                    and message.kind == 'edoc'):
                message.recipient.set_lgsp_queued()
        cls.enqueue(to_retry, alone=True)

    @classmethod
    def resend_lost(cls, connection):
        """Queue again the messages whose task was lost (at each poll).

        A worker killed in the middle of a task leaves its task taken
        and never finished: the message stays pending or listed past its
        next attempt. Doing it again is safe: the axis recognises the
        message id of a resend, and a delivery is stored once. A lost task
        counts as an attempt, so that a package whose storing always fails
        (its task's transaction rolled back) ends as a dead letter instead
        of being tried forever.
        """
        now = dt.datetime.now()
        lease = dt.timedelta(seconds=config.getint(
                'vb_lgsp', 'lease', default=600))
        lost = cls.search([
                ('connection', '=', connection.id),
                ('state', 'in', ['pending', 'listed']),
                ['OR',
                    ('next_attempt_at', '=', None),
                    ('next_attempt_at', '<', now - lease)],
                ], order=[('urgent', 'DESC'), ('id', 'ASC')])
        again, given_up = [], []
        for message in lost:
            message.attempts = (message.attempts or 0) + 1
            if message.attempts >= connection.max_attempts:
                message.state = 'dead' if message.direction == 'out' \
                    else 'failed'
                message.next_attempt_at = None
                given_up.append(message)
            else:
                message.next_attempt_at = now
                again.append(message)
        cls.save(lost)
        for message in given_up:
            if message.recipient and message.kind == 'edoc' \
                    and message.direction == 'out':
                message.recipient.set_lgsp_failed(message)
            message.tell_admins('vb_lgsp.msg_message_dead'
                if message.direction == 'out'
                else 'vb_lgsp.msg_message_failed')
        cls.enqueue(again, alone=True)

    def tell_admins(self, message_id):
        "Notify the agency's administrators (and the document's clerk)"
        users = agency_users(self.company, ['agency_admin'])
        numbered_by = self.document.numbered_by if self.document else None
        if (numbered_by and self.direction == 'out'
                and numbered_by not in users):
            users.append(numbered_by)
        tell(users, [self], message_id, icon='tryton-warning',
            message=self.rec_name,
            document=self.document.rec_name if self.document else '',
            agency=(self.target_code if self.direction == 'out'
                else self.sender_code) or '',
            error=self.error or '')

    # Receiving ----------------------------------------------------------

    @classmethod
    def take_inbox(cls, connection, transport, items):
        """Record what the inbox lists and queue it (called by the poll).

        A delivery seen for the first time becomes a message waiting to
        be downloaded; one stored before whose acknowledgement was lost is
        acknowledged again; one waiting whose task was lost is queued
        again.
        """
        Company = Pool().get('company.company')
        keys = {f'in:{connection.id}:{i.doc_id}': i for i in items}
        known = {}
        for sub in _chunks(list(keys), 500):
            known.update((m.key, m) for m in cls.search([('key', 'in', sub)]))
        now = dt.datetime.now()
        holder = connection.holder()
        agencies = {}
        values, acknowledge = [], []
        # Documents before statuses: a status may answer one of them
        for key, item in sorted(keys.items(),
                key=lambda i: (i[1].kind != 'edoc', i[0])):
            message = known.get(key)
            if message is not None:
                if message.state not in {'listed', 'failed'}:
                    acknowledge.append((transport, message.id, item.doc_id))
                continue
            if item.to_id not in agencies:
                agency = Company.find_by_code(item.to_id)
                agencies[item.to_id] = agency if (agency
                    and not agency.external) else None
            agency = agencies[item.to_id] or holder
            values.append({
                    'company': agency.id,
                    'connection': connection.id,
                    'direction': 'in',
                    'kind': 'status' if item.kind == 'status' else 'edoc',
                    'state': 'listed',
                    'key': key,
                    'axis_doc_id': item.doc_id,
                    'sender_code': (item.from_id or '')[:50] or None,
                    'target_code': (item.to_id or '')[:50] or None,
                    'sha256': item.sha256 or None,
                    'headers': json.dumps(item.raw, ensure_ascii=False,
                        indent=1, default=str),
                    'next_attempt_at': now,
                    })
        if acknowledge:
            # Stored by a transaction committed before: safe to acknowledge
            cls.set_acknowledged(_acknowledge(acknowledge))
        if values:
            cls.enqueue(cls.create(values))

    @classmethod
    def receive(cls, messages):
        "Download, check and store listed incoming messages (queue task)"
        from .receive import receive
        with cls.grouped():
            for message in messages:
                cls._lock_row(message)
                message = cls(message.id)
                if message.direction == 'in' and message.state == 'listed':
                    receive(message)

    def acknowledge_later(self, status='done'):
        "Acknowledge the delivery to the axis once the transaction commits"
        transaction = Transaction()
        manager = transaction.join(_AckManager())
        manager.items.append((self.connection.get_transport(), self.id,
                self.axis_doc_id, status))

    @classmethod
    def set_acknowledged(cls, ids):
        if not ids:
            return
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*table.update([table.acknowledged_at],
                [dt.datetime.now()],
                where=table.id.in_(list(ids))
                & (table.acknowledged_at == Null)))


def _package_name(number_notation, recipient):
    name = (number_notation or 'edoc').replace('/', '_')
    return f'{name}-{recipient.agency.identifier_code}.edxml'


def _chunks(values, size):
    for i in range(0, len(values), size):
        yield values[i:i + size]


def _acknowledge(items):
    """Acknowledge deliveries (transport, message id, axis id[, status]).

    A failed acknowledgement is not an error: the delivery is listed
    again, recognised, and acknowledged at the next poll.
    """
    done = []
    for item in items:
        transport, message_id, doc_id = item[:3]
        status = item[3] if len(item) > 3 else 'done'
        try:
            transport.ack(doc_id, status)
        except TransportError as error:
            logger.warning("acknowledging %s failed: %s", doc_id,
                error.message)
        else:
            if status == 'done':
                done.append(message_id)
    return done


class _AckManager(TransactionEnd):
    "Acknowledge received deliveries after the transaction committed"

    def __init__(self):
        self.items = []

    def __eq__(self, other):
        return isinstance(other, _AckManager)

    def __hash__(self):
        return hash(_AckManager)

    def tpc_abort(self, transaction):
        self.items.clear()

    def tpc_finish(self, transaction):
        done = _acknowledge(self.items)
        self.items.clear()
        if not done:
            return
        Message = Pool().get('vb.lgsp.message')
        with transaction.new_transaction() as new:
            try:
                Message.set_acknowledged(done)
                new.commit()
            except Exception:
                new.rollback()
                logger.warning("recording the acknowledgement of %s failed",
                    done, exc_info=True)
