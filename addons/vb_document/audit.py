# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""Audit trail (nhật ký truy vết) of documents.

Every view or download of a document's file, every change, state
transition, forward and signature is appended to the trail of the agency
the document belongs to: who, when, what, from which IP address. Entries
are chained by hash per agency (auditchain.py); verification walks a chain
and names the first entry that was changed or deleted.

Other modules log their own events with ``Audit.record(record, action,
details)`` (vb_signature: 'sign', vb_workflow: 'forward').
"""
import csv
import datetime as dt
import hashlib
import io
import logging
from zoneinfo import ZoneInfo

from sql import For, Literal, Null, Values
from sql.aggregate import Max, Min
from sql.functions import CurrentTimestamp

from trytond import backend
from trytond.config import config
from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Unique, fields
from trytond.model.exceptions import AccessError
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval, If
from trytond.report import Report
from trytond.tools import grouped_slice, reduce_ids
from trytond.transaction import (
    Transaction, TransactionError, check_access, without_check_access)
from trytond.wizard import Button, StateReport, StateView, Wizard

from . import auditchain
from .datamanager import TransactionEnd
from .exceptions import AuditError
from .ir import file_documents
from .locking import LOCK_WAIT

logger = logging.getLogger(__name__)

ACTIONS = [
    ('create', "Created"),
    ('write', "Changed"),
    ('delete', "Deleted"),
    ('transition', "State Changed"),
    ('file_add', "File Added"),
    ('file_change', "File Changed"),
    ('file_delete', "File Deleted"),
    ('file_view', "File Viewed"),
    ('file_download', "File Downloaded"),
    ('forward', "Forwarded"),
    ('sign', "Signed"),
    ('export', "Trail Exported"),
    ]
# Context key a client sets to say the file it reads is shown, not saved
FILE_ACTION_CONTEXT = 'vb_audit_file_action'
# Rows read at a time when walking a chain
BATCH = 2000
# Rows per INSERT (SQLite limits the parameters of a statement)
INSERT_ROWS = 500


def audit_key():
    "The secret key of the chains ([vb_document] audit_key), if any"
    return config.get('vb_document', 'audit_key', default=None) or None


def _now():
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


def _of_agency(table, agency):
    "The rows of table in agency's chain (None: the chain of no agency)"
    return ((table.company == agency) if agency is not None
        else (table.company == Null))


def _read_document_agencies(ids):
    """{document id: agency id} of the documents of ids that exist, in
    one query (documents are most events; the ORM would select every
    column)"""
    table = Pool().get('vb.document').__table__()
    cursor = Transaction().connection.cursor()
    agencies = {}
    for sub_ids in grouped_slice(list(ids)):
        cursor.execute(*table.select(table.id, table.company,
                where=reduce_ids(table.id, sub_ids)))
        agencies.update(cursor)
    return agencies


class _ChainHeads(TransactionEnd):
    """What the audit knows of this transaction.

    heads: the heads of the chains it holds locked, known once locked:
    nobody else moves them before the transaction ends, so later entries
    of the same call are chained without reading the head again.
    logins: the login of each user who acted (an action records several
    entries: a write, a transition, a delivery…).
    agencies: the agency of each document an entry was about (a
    document's agency never changes).
    pending: the agencies whose entries it stored unchained, chained
    once it has committed (AuditChain.link_pending).
    All forgotten at commit or rollback.
    """

    def __init__(self):
        self.heads = {}
        self.logins = {}
        self.agencies = {}
        self.pending = set()

    def __eq__(self, other):
        return isinstance(other, _ChainHeads)

    def __hash__(self):
        return hash(_ChainHeads)

    def tpc_finish(self, transaction):
        pending = set(self.pending)
        self._clear()
        if pending:
            Chain = Pool().get('vb.document.audit.chain')
            try:
                Chain.link_pending(pending)
            except Exception:
                # Committed and sealed: the cron chains them later
                logger.warning("Audit entries of agencies %s left for the "
                    "cron to chain", sorted(pending, key=str), exc_info=True)

    def tpc_abort(self, transaction):
        self._clear()

    def _clear(self):
        self.heads.clear()
        self.logins.clear()
        self.agencies.clear()
        self.pending.clear()


class Audit(ModelSQL, ModelView):
    "Audit Trail Entry"
    __string__ = "Audit Trail Entry"
    __name__ = 'vb.document.audit'

    company = fields.Many2One('company.company', "Agency", readonly=True,
        ondelete='RESTRICT',
        help="The agency whose trail holds the entry.")
    sequence = fields.Integer("Number", readonly=True,
        help="The position of the entry in the trail of the agency.")
    event_time = fields.Timestamp("Time", readonly=True)
    user = fields.Many2One('res.user', "User", readonly=True,
        ondelete='RESTRICT')
    user_login = fields.Char("Login", readonly=True,
        help="The login of the user when the entry was written.")
    action = fields.Selection(ACTIONS, "Action", readonly=True, sort=False)
    resource_model = fields.Char("Model", readonly=True)
    resource_id = fields.Integer("Record ID", readonly=True)
    document_id = fields.Integer("Document ID", readonly=True,
        help="Kept when the document is deleted.")
    document = fields.Function(fields.Many2One('vb.document', "Document"),
        'get_document', searcher='search_document')
    ip_address = fields.Char("IP Address", readonly=True)
    details = fields.Text("Details", readonly=True)
    prev_hash = fields.Char("Previous Hash", readonly=True)
    hash = fields.Char("Hash", readonly=True)
    scheme = fields.Char("Hash Scheme", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('chain_sequence_unique', Unique(t, t.company, t.sequence),
                'vb_document.msg_audit_sequence_unique'),
            ]
        cls._sql_indexes.update({
                Index(t,
                    (t.document_id, Index.Equality()),
                    (t.sequence, Index.Range())),
                Index(t,
                    (t.company, Index.Equality()),
                    (t.event_time, Index.Range())),
                })
        cls._order = [('event_time', 'DESC'), ('id', 'DESC')]

    def get_rec_name(self, name):
        return '%s #%s' % (self.company.rec_name if self.company
            else gettext('vb_document.msg_audit_global_chain'),
            self.sequence)

    @classmethod
    def search_rec_name(cls, name, clause):
        _, operator, value, *_ = clause
        return ['OR',
            ('company.rec_name', *clause[1:]),
            ('hash', operator, value),
            ]

    @classmethod
    def get_document(cls, entries, name):
        Document = Pool().get('vb.document')
        ids = {e.document_id for e in entries if e.document_id}
        with without_check_access():
            existing = {d.id for d in Document.search([('id', 'in', list(ids))])}
        return {e.id: e.document_id if e.document_id in existing else None
            for e in entries}

    @classmethod
    def search_document(cls, name, clause):
        Document = Pool().get('vb.document')
        field, operator, value, *extra = clause
        nested = field[len(name) + 1:]
        if not nested and (value is None or isinstance(value, int)
                or (isinstance(value, (list, tuple))
                    and all(isinstance(v, int) for v in value))):
            return [('document_id', operator, value)]
        query = Document.search(
            [(nested or 'rec_name', operator, value, *extra)], order=[],
            query=True)
        return [('document_id', 'in', query)]

    @classmethod
    def create(cls, vlist):
        # Entries are chained by record() only, never created as such
        if vlist:
            raise AccessError(gettext('vb_document.msg_audit_system_only'))
        return []

    @classmethod
    def check_modification(cls, mode, entries, values=None, external=False):
        super().check_modification(
            mode, entries, values=values, external=external)
        # Not even the administrator: the trail is evidence
        raise AccessError(gettext('vb_document.msg_audit_append_only'))

    @classmethod
    def copy(cls, entries, default=None):
        if entries:
            raise AccessError(gettext('vb_document.msg_audit_system_only'))
        return []

    # Writing ---------------------------------------------------------------

    @classmethod
    def record(cls, records, action, details=None):
        """Append an entry per record (or one record) to the audit trail.

        action is one of ACTIONS (modules add theirs to the selection);
        details is a dict of JSON values describing the event. The entry
        goes to the trail of the record's agency (see target); user, time
        and IP address are taken from the transaction. In a read-only
        transaction (the file reads of the web client) the entry is
        committed by its own short transaction.
        """
        if not isinstance(records, (list, tuple)):
            records = [records]
        cls.record_many([(r, action, details) for r in records])

    @classmethod
    def record_many(cls, events):
        "Append entries for events: (record, action, details) triples"
        events = list(events)
        if not events:
            return
        valid = {a for a, _ in cls.action.selection}
        transaction = Transaction()
        user_id = transaction.user
        now = _now()
        ip = cls._remote_address()
        entries = []
        with without_check_access():
            login = cls._login(user_id)
            targets = cls.targets([r for r, _, _ in events])
            for (record, action, details), (agency, document) in zip(
                    events, targets):
                if action not in valid:
                    raise AuditError(gettext(
                            'vb_document.msg_audit_unknown_action',
                            action=action))
                if record.id is None or record.id < 0:
                    raise AuditError(gettext(
                            'vb_document.msg_audit_unsaved_record'))
                try:
                    details = auditchain.canonical_details(details)
                except auditchain.AuditChainError as e:
                    raise AuditError(gettext(
                            'vb_document.msg_audit_bad_details',
                            error=e.message)) from e
                entries.append({
                        'chain': agency,
                        'time': now,
                        'user': user_id,
                        'login': login,
                        'action': action,
                        'model': record.__name__,
                        'record': record.id,
                        'document': document,
                        'ip': ip,
                        'details': details,
                        })
        if transaction.readonly:
            cls._append_autonomous(entries)
        else:
            cls._append(entries)

    @classmethod
    def _login(cls, user_id):
        # One column: reading the user through the ORM costs more than
        # the rest of the entry
        transaction = Transaction()
        logins = transaction.join(_ChainHeads()).logins
        if user_id not in logins:
            table = Pool().get('res.user').__table__()
            cursor = transaction.connection.cursor()
            cursor.execute(*table.select(table.login,
                    where=table.id == user_id))
            row = cursor.fetchone()
            logins[user_id] = row[0] if row else None
        return logins[user_id]

    @classmethod
    def _remote_address(cls):
        try:
            ip, _ = Transaction().remote_address()
        except ValueError:
            request = Transaction().context.get('_request') or {}
            return request.get('remote_addr')
        return str(ip) if ip is not None else None

    @classmethod
    def targets(cls, records):
        """[(agency id, document id)] of the entries about records.

        An entry goes to the trail of the agency of the document it is
        about. Modules extend this for their models.
        """
        files = file_documents(
            {r.id for r in records if r.__name__ == 'ir.attachment'})
        agencies = cls._document_agencies(
            {r.id for r in records if r.__name__ == 'vb.document'}
            | set(files.values()))
        targets = []
        for record in records:
            document = (record.id if record.__name__ == 'vb.document'
                else files.get(record.id)
                if record.__name__ == 'ir.attachment' else None)
            if document in agencies:
                targets.append((agencies[document], document))
            else:
                targets.append(cls._target(record))
        return targets

    @classmethod
    def _document_agencies(cls, ids):
        """{document id: agency id} of the documents of ids, once a
        transaction: an action records several entries about its document
        (a write, a transition, a file sealed…)"""
        known = Transaction().join(_ChainHeads()).agencies
        known.update(_read_document_agencies(
                [i for i in ids if i not in known]))
        return {i: known[i] for i in ids if i in known}

    @classmethod
    def _target(cls, record):
        from .company import current_agency
        name = record.__name__
        if name == 'vb.document':
            return record.company.id, record.id
        if name == 'company.company':
            return record.id, None
        if name == 'ir.attachment':
            resource = record.resource
            if resource is not None and resource.__name__ == 'vb.document':
                return resource.company.id, resource.id
        document = getattr(record, 'document', None)
        if getattr(document, '__name__', None) == 'vb.document':
            return document.company.id, document.id
        company = getattr(record, 'company', None)
        if getattr(company, '__name__', None) == 'company.company':
            return company.id, None
        return current_agency(), None

    @classmethod
    def _append(cls, entries):
        """Store entries sealed and have them chained.

        On PostgreSQL they are chained after the commit, each agency's in
        a short transaction of its own (AuditChain.link_pending): chained
        here, any two calls of one agency that overlapped in time made the
        second start again (under REPEATABLE READ it cannot read the head
        the first one moved), which at a busy agency was most calls — the
        worker storing packages while the clerk registers. SQLite has one
        writer: chained at once.
        """
        Chain = Pool().get('vb.document.audit.chain')
        transaction = Transaction()
        cursor = transaction.connection.cursor()
        key = audit_key()
        scheme = auditchain.HMAC_SHA256 if key is not None \
            else auditchain.SHA256
        table = cls.__table__()
        columns = [
            table.company, table.event_time, table.user, table.user_login,
            table.action, table.resource_model, table.resource_id,
            table.document_id, table.ip_address, table.details, table.hash,
            table.scheme, table.create_uid, table.create_date]
        now = _now()
        rows = [[e['chain'], e['time'], e['user'], e['login'], e['action'],
                e['model'], e['record'], e['document'], e['ip'],
                e['details'], auditchain.seal(e, key=key), scheme,
                transaction.user, now] for e in entries]
        for i in range(0, len(rows), INSERT_ROWS):
            cursor.execute(*table.insert(columns, rows[i:i + INSERT_ROWS]))
        agencies = {e['chain'] for e in entries}
        if backend.name == 'postgresql':
            transaction.join(_ChainHeads()).pending.update(agencies)
        else:
            Chain.chain_pending(agencies)

    @classmethod
    def _append_autonomous(cls, entries):
        """Append entries in a transaction of their own.

        A read-only transaction cannot write; the read it logs happened,
        so the entry is committed whatever the caller does next. A lock
        conflict restarts this small transaction, not the caller's.
        """
        extras = {}
        retry = config.getint('database', 'retry')
        for _ in range(retry + 1):
            with Transaction().new_transaction(**extras) as transaction:
                try:
                    cls._append(entries)
                except TransactionError as e:
                    transaction.rollback()
                    e.fix(extras)
                    continue
            return
        raise AuditError(gettext('vb_document.msg_audit_busy'))

    # Reading ---------------------------------------------------------------

    @classmethod
    def _columns(cls, table):
        return [table.id, table.company, table.sequence, table.event_time,
            table.user, table.user_login, table.action, table.resource_model,
            table.resource_id, table.document_id, table.ip_address,
            table.details, table.prev_hash, table.hash, table.scheme]

    @classmethod
    def _row_entry(cls, row):
        (id_, company, sequence, time, user, login, action, model, record,
            document, ip, details, prev_hash, hash_, scheme) = row
        return {
            'id': id_, 'chain': company, 'sequence': sequence, 'time': time,
            'user': user, 'login': login, 'action': action, 'model': model,
            'record': record, 'document': document, 'ip': ip,
            'details': details, 'prev_hash': prev_hash, 'hash': hash_,
            'scheme': scheme,
            }

    @classmethod
    def iter_chain(cls, agency, first=None, last=None, where=None):
        """Entries (auditchain mappings) of agency's trail by sequence.

        Read in batches straight from the table: verification must see the
        rows as stored, whatever the ORM would add or hide.
        """
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        chain_where = _of_agency(table, agency) & (table.sequence != Null)
        if last is not None:
            chain_where &= table.sequence <= last
        if where is not None:
            chain_where &= where(table)
        after = first - 1 if first is not None else None
        while True:
            condition = chain_where
            if after is not None:
                condition &= table.sequence > after
            cursor.execute(*table.select(*cls._columns(table),
                    where=condition, order_by=[table.sequence.asc],
                    limit=BATCH))
            rows = cursor.fetchall()
            for row in rows:
                yield cls._row_entry(row)
            if len(rows) < BATCH:
                return
            after = rows[-1][2]


class AuditChain(ModelSQL, ModelView):
    "Audit Trail of an Agency"
    __string__ = "Audit Trail of an Agency"
    __name__ = 'vb.document.audit.chain'

    company = fields.Many2One('company.company', "Agency", readonly=True,
        ondelete='CASCADE')
    last_sequence = fields.Integer("Entries", readonly=True)
    last_hash = fields.Char("Last Hash", readonly=True,
        help="Keep a copy outside the system: it proves the trail up to "
        "this entry.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('company_unique', Unique(t, t.company),
                'vb_document.msg_audit_chain_unique'),
            ]
        cls._buttons.update({
                'verify': {'icon': 'tryton-ok'},
                })

    @classmethod
    def __register__(cls, module):
        super().__register__(module)
        cls.create_missing()

    @classmethod
    def default_last_sequence(cls):
        return 0

    @classmethod
    def default_last_hash(cls):
        return auditchain.GENESIS

    def get_rec_name(self, name):
        if self.company:
            return self.company.rec_name
        return gettext('vb_document.msg_audit_global_chain')

    @classmethod
    def search_rec_name(cls, name, clause):
        return [('company.rec_name', *clause[1:])]

    @classmethod
    def check_modification(cls, mode, chains, values=None, external=False):
        super().check_modification(
            mode, chains, values=values, external=external)
        if external:
            raise AccessError(gettext('vb_document.msg_audit_append_only'))

    @classmethod
    def create_missing(cls):
        "Create the head of every agency's chain and of the system's"
        table = cls.__table__()
        company = Pool().get('company.company').__table__()
        cursor = Transaction().connection.cursor()
        columns = [table.company, table.last_sequence, table.last_hash,
            table.create_uid, table.create_date]
        cursor.execute(*table.insert(columns, company.select(
                    company.id, Literal(0), Literal(auditchain.GENESIS),
                    Literal(0), CurrentTimestamp(),
                    where=~company.id.in_(table.select(table.company,
                            where=table.company != Null)))))
        cursor.execute(*table.select(table.id, where=table.company == Null))
        if not cursor.fetchone():
            cursor.execute(*table.insert(columns, [[Null, 0,
                            auditchain.GENESIS, 0, CurrentTimestamp()]]))

    @classmethod
    def acquire(cls, agency):
        """Lock the head of agency's chain: [id, last sequence, last hash].

        On PostgreSQL chain_pending runs at READ COMMITTED (link_pending):
        SELECT … FOR UPDATE waits for the transaction holding the head and
        returns the head it left. Under REPEATABLE READ (a test chaining
        inside its own transaction) a head moved since the snapshot is a
        serialization failure: the call starts again. Two transactions
        never chain to the same head.
        """
        transaction = Transaction()
        heads = transaction.join(_ChainHeads()).heads
        if agency in heads:
            return heads[agency]
        table = cls.__table__()
        cursor = transaction.connection.cursor()
        where = _of_agency(table, agency)
        if backend.name == 'postgresql':
            lock = {'for_': For('UPDATE')}
        else:
            # SQLite has one writer: once this transaction writes, nobody
            # else appends before it ends and its reads see the last head
            cursor.execute(*table.update([table.last_sequence],
                    [table.last_sequence], where=where))
            lock = {}
        query = table.select(table.id, table.last_sequence, table.last_hash,
            where=where, **lock)
        cursor.execute(*query)
        row = cursor.fetchone()
        if not row:
            # Agency created by SQL: its head is new, nobody else sees it
            with without_check_access():
                cls.create([{'company': agency}])
            cursor.execute(*query)
            row = cursor.fetchone()
        heads[agency] = head = list(row)
        return head

    @classmethod
    def advance(cls, head, new_head):
        "Record the new last entry of a chain locked by acquire"
        head[1], head[2] = new_head
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*table.update(
                [table.last_sequence, table.last_hash, table.write_uid,
                    table.write_date],
                [head[1], head[2], Transaction().user, _now()],
                where=table.id == head[0]))

    @classmethod
    def link_pending(cls, agencies=None):
        """Chain the committed entries still waiting for their place.

        Run after every commit that stored entries, for their agencies,
        and by the cron for all (a process killed between its commit and
        this). On PostgreSQL each agency in a transaction of its own at
        READ COMMITTED: it waits its turn on the head and then reads the
        head and the entries committed meanwhile, instead of restarting.
        """
        if agencies is None:
            agencies = cls._pending_agencies()
        # One order for all: no two callers lock heads crosswise
        for agency in sorted(agencies, key=lambda a: (a is not None, a)):
            if backend.name != 'postgresql':
                cls.chain_pending([agency])
                continue
            with Transaction().new_transaction() as transaction:
                transaction.connection.cursor().execute(
                    'SET TRANSACTION ISOLATION LEVEL READ COMMITTED; '
                    "SET LOCAL lock_timeout = '%ds'" % LOCK_WAIT)
                cls.chain_pending([agency])

    @classmethod
    def _pending_agencies(cls):
        table = Pool().get('vb.document.audit').__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*table.select(table.company,
                where=table.sequence == Null, group_by=[table.company]))
        return [a for a, in cursor]

    @classmethod
    def chain_pending(cls, agencies=None):
        """Give the sealed entries of agencies (default: all) that this
        transaction sees their place in their chain.

        An entry whose seal does not match (changed, or inserted outside
        Tryton) is left out of the chain; verification reports it.
        """
        Audit = Pool().get('vb.document.audit')
        table = Audit.__table__()
        cursor = Transaction().connection.cursor()
        key = audit_key()
        if agencies is None:
            agencies = cls._pending_agencies()
        for agency in agencies:
            head = cls.acquire(agency)
            cursor.execute(*table.select(*Audit._columns(table),
                    where=_of_agency(table, agency) & (table.sequence == Null),
                    order_by=[table.id.asc]))
            entries = [e for e in map(Audit._row_entry, cursor)
                if auditchain.sealed(e, key=key)]
            if not entries:
                continue
            cls.advance(head, auditchain.link(
                    entries, head=(head[1], head[2]), key=key))
            for chunk in grouped_slice(entries, INSERT_ROWS):
                places = Values([[e['id'], e['sequence'], e['prev_hash'],
                            e['hash']] for e in chunk])
                cursor.execute(*table.update(
                        [table.sequence, table.prev_hash, table.hash],
                        [places.column2, places.column3, places.column4],
                        from_=[places], where=table.id == places.column1))

    # Verification ----------------------------------------------------------

    def _head(self):
        "(last sequence, last hash) as stored now"
        table = self.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*table.select(table.last_sequence, table.last_hash,
                where=table.id == self.id))
        return tuple(cursor.fetchone())

    @property
    def agency_id(self):
        return self.company.id if self.company else None

    def verify_chain(self, date_from=None, date_to=None):
        """Walk the trail, or the part written in [date_from, date_to].

        Returns an auditchain.Result. The whole trail is checked from its
        first entry and against its head; a period is checked from the
        entry before it, and against the head when it reaches the end.
        """
        Audit = Pool().get('vb.document.audit')
        head = self._head()
        unchained = self._unchained()
        if unchained:
            return unchained
        if date_from is None and date_to is None:
            return auditchain.verify(
                Audit.iter_chain(self.agency_id), head=head, key=audit_key())
        table = Audit.__table__()
        cursor = Transaction().connection.cursor()
        where = self._where(table)
        if date_from:
            where &= table.event_time >= dt.datetime.combine(
                date_from, dt.time())
        if date_to:
            where &= table.event_time < dt.datetime.combine(
                date_to + dt.timedelta(days=1), dt.time())
        cursor.execute(*table.select(
                Min(table.sequence), Max(table.sequence), where=where))
        first, last = cursor.fetchone()
        if first is None:
            return auditchain.Result()
        return self._verify_segment(first, last, head)

    def _where(self, table):
        return _of_agency(table, self.agency_id)

    def _unchained(self):
        """A Result naming a row of the agency without a place in the
        chain nor a valid seal (a sealed row waits for the chaining that
        follows its commit)"""
        Audit = Pool().get('vb.document.audit')
        table = Audit.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*table.select(*Audit._columns(table),
                where=self._where(table) & (table.sequence == Null),
                order_by=[table.id.asc]))
        key = audit_key()
        for entry in map(Audit._row_entry, cursor):
            if not auditchain.sealed(entry, key=key):
                return auditchain.Result(
                    auditchain.Problem('unchained', None, entry['id']))

    def _verify_segment(self, first, last, head):
        Audit = Pool().get('vb.document.audit')
        reaches_end = last >= head[0]
        # From the entry before, to check the link of the first one (and
        # that the one before was not deleted)
        first = max(first - 1, 1)
        start = (1, auditchain.GENESIS) if first == 1 else (first, None)
        return auditchain.verify(
            Audit.iter_chain(self.agency_id, first=first,
                last=None if reaches_end else last),
            start=start, head=head if reaches_end else None,
            key=audit_key())

    @classmethod
    def verify_document(cls, document_id):
        """[(chain, Result)] for the trails holding a document's entries.

        Each is checked from the document's first entry to its end; the
        trail of the document's agency is checked whole when it holds no
        entry of the document (they could all have been deleted).
        """
        pool = Pool()
        Audit = pool.get('vb.document.audit')
        Document = pool.get('vb.document')
        table = Audit.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*table.select(table.company, Min(table.sequence),
                where=table.document_id == document_id,
                group_by=[table.company]))
        firsts = dict(cursor.fetchall())
        with without_check_access():
            documents = Document.search([('id', '=', document_id)])
        for document in documents:
            firsts.setdefault(document.company.id, 1)
        results = []
        for chain in cls.search([('company', 'in',
                        [c for c in firsts if c is not None])],
                order=[('id', 'ASC')]):
            head = chain._head()
            results.append((chain, chain._unchained()
                    or chain._verify_segment(
                        firsts[chain.agency_id], head[0], head)))
        return results

    def describe(self, result):
        "The verification result as a Vietnamese (user language) sentence"
        agency = self.rec_name
        if result.ok:
            if not result.count:
                return gettext('vb_document.msg_audit_chain_empty',
                    agency=agency)
            return gettext('vb_document.msg_audit_chain_intact',
                agency=agency, count=result.count, first=result.first,
                last=result.last)
        problem = result.problem
        return gettext('vb_document.msg_audit_problem_%s' % problem.code,
            agency=agency, sequence=problem.sequence, entry=problem.entry_id,
            expected=problem.expected, found=problem.found)

    @classmethod
    @ModelView.button_action('vb_document.wizard_audit_verify')
    def verify(cls, chains):
        pass


class Company(metaclass=PoolMeta):
    __name__ = 'company.company'

    @classmethod
    def on_modification(cls, mode, companies, field_names=None):
        super().on_modification(mode, companies, field_names=field_names)
        if mode == 'create':
            Pool().get('vb.document.audit.chain').create_missing()


class Document(metaclass=PoolMeta):
    __name__ = 'vb.document'

    @classmethod
    def on_modification(cls, mode, documents, field_names=None):
        super().on_modification(mode, documents, field_names=field_names)
        Audit = Pool().get('vb.document.audit')
        if mode == 'write':
            if field_names is None or 'company' in field_names:
                # A draft given to another agency: its next entries go to
                # that agency's trail
                agencies = Transaction().join(_ChainHeads()).agencies
                for document in documents:
                    agencies.pop(document.id, None)
            Audit.record(documents, 'write',
                {'fields': sorted(field_names or [])})
        else:
            events = []
            if mode == 'delete':
                # Its files are deleted after it, when they no longer know
                # their document
                Attachment = Pool().get('ir.attachment')
                with without_check_access():
                    files = Attachment.search([
                            ('resource', 'in', [str(d) for d in documents]),
                            ], order=[('id', 'ASC')])
                events += [(f, 'file_delete',
                        {'name': f.name, 'role': f.document_role})
                    for f in files]
            # The name as it was: a deleted document is known by it
            names = cls.get_rec_name(documents, 'rec_name')
            events += [(d, mode, {'name': names.get(d.id, '')})
                for d in documents]
            Audit.record_many(events)

    @classmethod
    def log(cls, records, event, target=None, user=None, **extra):
        super().log(records, event, target=target, user=user, **extra)
        if event == 'transition' and records:
            _, _, state = (target or '').rpartition(':')
            Pool().get('vb.document.audit').record(
                list(records), 'transition', {'state': state})


class Recipient(metaclass=PoolMeta):
    __name__ = 'vb.document.recipient'

    @classmethod
    def deliver(cls, recipients):
        Audit = Pool().get('vb.document.audit')
        pending = [r for r in recipients if r.state == 'draft']
        super().deliver(recipients)
        Audit.record_many((r.document, 'forward', {
                    'agency': r.agency.id,
                    'to': r.agency.rec_name,
                    'status': r.state,
                    'incoming': (r.incoming_document.id
                        if r.incoming_document else None),
                    }) for r in pending if r.state != 'draft')


class Attachment(metaclass=PoolMeta):
    __name__ = 'ir.attachment'

    @classmethod
    def _audited(cls, attachments):
        """The attachments that are files of existing documents.

        Read from the column: the files of a deleted document are deleted
        after it, when its reference no longer resolves (Document logs
        them).
        """
        files = file_documents([a.id for a in attachments])
        # Read again, not from the transaction's memory: the document may
        # have been deleted since
        agencies = _read_document_agencies(set(files.values()))
        Transaction().join(_ChainHeads()).agencies.update(agencies)
        return [a for a in attachments if files.get(a.id) in agencies]

    @classmethod
    def on_modification(cls, mode, attachments, field_names=None):
        super().on_modification(mode, attachments, field_names=field_names)
        Audit = Pool().get('vb.document.audit')
        with without_check_access():
            audited = cls._audited(attachments)
            if not audited:
                return
            events = []
            for attachment in audited:
                details = {
                    'name': attachment.name,
                    'role': attachment.document_role,
                    }
                if mode == 'write':
                    details['fields'] = sorted(field_names or [])
                if mode != 'delete' and (
                        field_names is None or 'data' in field_names):
                    details.update(_digest(attachment.data))
                events.append((attachment, {
                            'create': 'file_add',
                            'write': 'file_change',
                            'delete': 'file_delete',
                            }[mode], details))
            Audit.record_many(events)

    @classmethod
    def read(cls, ids, fields_names):
        result = super().read(ids, fields_names)
        transaction = Transaction()
        # Clients read the size only ('ir.attachment.data': 'size') to show
        # a file; reading the bytes is opening or saving it
        if ('data' in fields_names and transaction.check_access
                and transaction.context.get('%s.data' % cls.__name__)
                != 'size'):
            cls._audit_access(cls.browse(ids))
        return result

    @classmethod
    def export_data(cls, records, fields_names, header=False):
        result = super().export_data(records, fields_names, header=header)
        if (Transaction().check_access
                and any(f.split('/')[0] == 'data' for f in fields_names)):
            cls._audit_access(records)
        return result

    @classmethod
    def _audit_access(cls, attachments):
        Audit = Pool().get('vb.document.audit')
        action = ('file_view'
            if Transaction().context.get(FILE_ACTION_CONTEXT) == 'view'
            else 'file_download')
        with without_check_access():
            Audit.record_many((a, action, {'name': a.name})
                for a in cls._audited(attachments))


def _digest(data):
    if data is None:
        return {}
    data = bytes(data)
    return {'size': len(data), 'sha256': hashlib.sha256(data).hexdigest()}


# Administration screens -------------------------------------------------------

class _PeriodMixin:
    __slots__ = ()
    company = fields.Many2One('company.company', "Agency",
        help="Leave empty for every agency you administer.")
    document = fields.Many2One('vb.document', "Document",
        domain=[If(Eval('company'),
                ('company', '=', Eval('company', -1)), ())])
    date_from = fields.Date("From")
    date_to = fields.Date("To")

    @classmethod
    def default_company(cls):
        from .company import current_agency
        return current_agency()

    def check_period(self):
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise AuditError(gettext('vb_document.msg_audit_period'))


class AuditVerifyStart(_PeriodMixin, ModelView):
    "Verify Audit Trail"
    __string__ = "Verify Audit Trail"
    __name__ = 'vb.document.audit.verify.start'


class AuditVerifyResult(ModelView):
    "Verify Audit Trail"
    __string__ = "Audit Trail Verification"
    __name__ = 'vb.document.audit.verify.result'

    intact = fields.Boolean("Intact", readonly=True)
    report = fields.Text("Result", readonly=True)


class AuditVerify(Wizard):
    "Verify Audit Trail"
    __name__ = 'vb.document.audit.verify'
    start = StateView('vb.document.audit.verify.start',
        'vb_document.audit_verify_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Verify", 'result', 'tryton-ok', default=True),
            ])
    result = StateView('vb.document.audit.verify.result',
        'vb_document.audit_verify_result_view_form', [
            Button("Close", 'end', 'tryton-close', default=True),
            ])

    def default_start(self, fields):
        values = {}
        if self.model and self.record:
            if self.model.__name__ == 'vb.document':
                values['document'] = self.record.id
                values['company'] = self.record.company.id
            elif self.model.__name__ == 'vb.document.audit.chain':
                values['company'] = (self.record.company.id
                    if self.record.company else None)
        return values

    def default_result(self, fields):
        Chain = Pool().get('vb.document.audit.chain')
        start = self.start
        start.check_period()
        lines, intact = [], True
        if start.document:
            with check_access():
                Pool().get('vb.document').read([start.document.id], ['id'])
            results = Chain.verify_document(start.document.id)
        else:
            domain = []
            if start.company:
                domain.append(('company', '=', start.company.id))
            # Only the trails of the agencies the user administers
            with check_access():
                chains = Chain.search(domain)
            results = [(c, c.verify_chain(start.date_from, start.date_to))
                for c in chains]
        for chain, result in results:
            intact &= result.ok
            lines.append(chain.describe(result))
        if not lines:
            lines.append(gettext('vb_document.msg_audit_nothing_to_verify'))
        return {'intact': intact, 'report': '\n'.join(lines)}


class AuditExportStart(_PeriodMixin, ModelView):
    "Export Audit Trail"
    __string__ = "Export Audit Trail"
    __name__ = 'vb.document.audit.export.start'

    format = fields.Selection([
            ('xlsx', "Excel (XLSX)"),
            ('csv', "CSV"),
            ], "Format", required=True)

    @classmethod
    def default_format(cls):
        return 'xlsx'


class AuditExport(Wizard):
    "Export Audit Trail"
    __name__ = 'vb.document.audit.export'
    start = StateView('vb.document.audit.export.start',
        'vb_document.audit_export_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Export", 'export', 'tryton-save', default=True),
            ])
    export = StateReport('vb.document.audit.export')

    def default_start(self, fields):
        values = {}
        if self.model and self.record and self.model.__name__ == 'vb.document':
            values['document'] = self.record.id
            values['company'] = self.record.company.id
        return values

    def do_export(self, action):
        self.start.check_period()
        start = self.start
        return action, {
            'company': start.company.id if start.company else None,
            'document': start.document.id if start.document else None,
            'date_from': start.date_from,
            'date_to': start.date_to,
            'format': start.format,
            }


class AuditExportReport(Report):
    "Audit trail as CSV or XLSX"
    __name__ = 'vb.document.audit.export'

    @classmethod
    def _chains(cls, data):
        """The trails exported: those of the agencies the user may read.

        The filters come from the client: the chains are searched with the
        user's record rules, so another agency's trail is never exported.
        """
        Chain = Pool().get('vb.document.audit.chain')
        domain = []
        if data.get('company'):
            domain.append(('company', '=', int(data['company'])))
        with check_access():
            return Chain.search(domain, order=[('id', 'ASC')])

    @classmethod
    def _entries(cls, data):
        "(chain, entry) of the exported trails, filtered by data"
        Audit = Pool().get('vb.document.audit')
        document = data.get('document')
        date_from, date_to = data.get('date_from'), data.get('date_to')

        def where(table):
            condition = Literal(True)
            if document:
                condition &= table.document_id == int(document)
            if date_from:
                condition &= table.event_time >= dt.datetime.combine(
                    date_from, dt.time())
            if date_to:
                condition &= table.event_time < dt.datetime.combine(
                    date_to + dt.timedelta(days=1), dt.time())
            return condition
        for chain in cls._chains(data):
            for entry in Audit.iter_chain(chain.agency_id, where=where):
                yield chain, entry

    @classmethod
    def _header(cls):
        Field = Pool().get('ir.model.field')
        names = ['company', 'sequence', 'event_time', 'user_login', 'user',
            'action', 'document', 'resource_model', 'resource_id',
            'ip_address', 'details', 'prev_hash', 'hash']
        return [Field.get_name('vb.document.audit', n) or n for n in names]

    @classmethod
    def _rows(cls, data):
        pool = Pool()
        User = pool.get('res.user')
        Document = pool.get('vb.document')
        Audit = pool.get('vb.document.audit')
        actions = dict(Audit.fields_get(['action'])['action']['selection'])
        users, documents, zones = {}, {}, {}
        for chain, entry in cls._entries(data):
            if chain.id not in zones:
                timezone = chain.company.timezone if chain.company else None
                zones[chain.id] = ZoneInfo(timezone or 'UTC')
            time = entry['time']
            if isinstance(time, str):
                time = dt.datetime.fromisoformat(time)
            local = time.replace(tzinfo=dt.timezone.utc).astimezone(
                zones[chain.id]).replace(tzinfo=None)
            user = entry['user']
            if user not in users:
                with without_check_access():
                    users[user] = User(user).name if user is not None else ''
            document = entry['document']
            if document and document not in documents:
                with without_check_access():
                    found = Document.search([('id', '=', document)])
                documents[document] = (found[0].rec_name if found
                    else str(document))
            yield [chain.rec_name, entry['sequence'], local,
                entry['login'] or '', users[user],
                actions.get(entry['action'], entry['action']),
                documents.get(document, ''), entry['model'],
                entry['record'], entry['ip'] or '', entry['details'],
                entry['prev_hash'], entry['hash']]

    @classmethod
    def execute(cls, ids, data):
        Audit = Pool().get('vb.document.audit')
        result = super().execute(ids, data)
        # Exporting a trail is itself written on that trail
        Audit.record([c.company for c in cls._chains(data) if c.company],
            'export', {
                'document': data.get('document'),
                'from': data.get('date_from'),
                'to': data.get('date_to'),
                'format': data.get('format'),
                })
        return result

    @classmethod
    def _execute(cls, records, header, data, action):
        rows = cls._rows(data)
        if data.get('format') == 'csv':
            return 'csv', cls._csv(rows)
        return 'xlsx', cls._xlsx(rows)

    @classmethod
    def _csv(cls, rows):
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(cls._header())
        for row in rows:
            row[2] = row[2].isoformat(sep=' ', timespec='seconds')
            writer.writerow(row)
        # With a BOM Excel reads the Vietnamese text as UTF-8
        return ('\ufeff' + out.getvalue()).encode('utf-8')

    @classmethod
    def _xlsx(cls, rows):
        import xlsxwriter
        out = io.BytesIO()
        workbook = xlsxwriter.Workbook(out, {
                'in_memory': True, 'constant_memory': True})
        sheet = workbook.add_worksheet(
            gettext('vb_document.msg_audit_sheet_name')[:31])
        bold = workbook.add_format({'bold': True})
        when = workbook.add_format({'num_format': 'dd/mm/yyyy hh:mm:ss'})
        widths = [28, 8, 19, 16, 24, 18, 40, 16, 10, 16, 50, 66, 66]
        for column, width in enumerate(widths):
            sheet.set_column(column, column, width)
        sheet.write_row(0, 0, cls._header(), bold)
        for number, row in enumerate(rows, 1):
            sheet.write_row(number, 0, row[:2])
            sheet.write_datetime(number, 2, row[2], when)
            sheet.write_row(number, 3, row[3:])
        sheet.freeze_panes(1, 0)
        workbook.close()
        return out.getvalue()
