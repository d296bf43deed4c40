# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""Row locks that queue: the register counters.

Tryton restarts a call the first time it asks for a row lock, so that the
REPEATABLE READ snapshot is taken after the lock, and at the restart takes
the lock with NOWAIT, retrying for about 9 s in all ([database] retry =
30). Clerks of one agency issuing or registering at once behind an action
that signs and seals for seconds under load outlasted those retries and
got an error page.

Here the calls that want a row take, with it, a transaction-level
advisory lock on (table, id): the queue. The first one locks both in
place (most calls: no contention, no restart). A call that finds the
queue taken restarts once: between the two runs it waits for its turn on
a connection of its own, which takes the advisory lock when the holder
ended and keeps it — the others still queue behind it — until the
restarted call, which took its snapshot after the holder's commit, has
locked the row and ended. Without that turn, every waiting call woke at
each commit of the holder, restarted, and all but one queued again: 2.5
restarts an issue with 4 clerks on one register, 50 % more CPU.

The row lock alone keeps the numbers right; the queue only spares the
restarts. A row locked outside the queue (a tool, an administrator's
write) is waited for in place; when its holder changed it, the call starts
again on a fresh snapshot. A turn the restarted call does not use (it
failed before it numbered) is ended by PostgreSQL after TURN_UNUSED
seconds idle.
"""
import threading
import zlib

from sql import For, Literal, Table

from trytond import backend
from trytond.exceptions import UserError
from trytond.i18n import gettext
from trytond.transaction import Transaction, TransactionError

from .datamanager import TransactionEnd

# Seconds a call waits for a row another call holds
LOCK_WAIT = 30
# Seconds a turn waited for stays held when no call comes to use it
TURN_UNUSED = 5
LOCK_NOT_AVAILABLE = '55P03'  # PostgreSQL's SQLSTATE after lock_timeout


class RestartError(TransactionError):
    """Start the call again on a fresh snapshot (trytond's dispatcher,
    worker and cron do); with rows, after waiting for their turn"""

    def __init__(self, table=None, ids=(), busy_message=None):
        super().__init__()
        self.table = table
        self.ids = set(ids)
        self.busy_message = busy_message

    def fix(self, extras):
        super().fix(extras)
        if self.table:
            _Turn.wait(Transaction().database, self.table, self.ids,
                self.busy_message)


class BusyError(UserError):
    pass


def lock_rows(table, ids, busy_message):
    """Lock the rows ids of table (PostgreSQL) for the transaction.

    Raise RestartError when another call holds them or changed them after
    the snapshot, BusyError with the ir.message busy_message after
    LOCK_WAIT seconds of waiting.
    """
    transaction = Transaction()
    locked = transaction._locked_records[table]
    ids = set(ids) - locked
    if not ids or table in transaction._locked_tables:
        return
    cursor = transaction.connection.cursor()
    turn = _Turn.take(transaction, table)
    queued = ids - turn.ids if turn else ids
    if queued and not _enter_queue(cursor, table, queued):
        raise RestartError(table, ids, busy_message)
    cursor.execute('SAVEPOINT vb_row_lock')
    try:
        transaction.database.lock_records(
            transaction.connection, table, list(ids))
    except backend.DatabaseOperationalError:
        cursor.execute('ROLLBACK TO SAVEPOINT vb_row_lock')
        if not _wait(cursor, table, ids, busy_message):
            raise RestartError()
    cursor.execute('RELEASE SAVEPOINT vb_row_lock')
    locked.update(ids)


def _queue_key(table):
    "The first key of the advisory locks queueing the calls for table"
    return zlib.crc32(table.encode()) & 0x7fffffff


def _enter_queue(cursor, table, ids):
    "Whether the transaction took the queue of every row, without waiting"
    cursor.execute('SELECT bool_and(pg_try_advisory_xact_lock(%s, i)) '
        'FROM unnest(%s::integer[]) AS i', (_queue_key(table), sorted(ids)))
    return cursor.fetchone()[0]


def _wait(cursor, table, ids, busy_message):
    "Wait for the holder to end; whether we hold the rows unchanged now"
    sql_table = Table(table)
    cursor.execute('SAVEPOINT vb_row_wait')
    cursor.execute("SET LOCAL lock_timeout = '%ds'" % LOCK_WAIT)
    try:
        cursor.execute(*sql_table.select(Literal(1),
                where=sql_table.id.in_(list(ids)), for_=For('UPDATE')))
    except backend.DatabaseOperationalError as exception:
        cursor.execute('ROLLBACK TO SAVEPOINT vb_row_wait')
        if getattr(exception, 'sqlstate', None) == LOCK_NOT_AVAILABLE:
            raise BusyError(gettext(busy_message)) from exception
        return False  # changed after our snapshot: serialization failure
    finally:
        cursor.execute('SET LOCAL lock_timeout TO DEFAULT')
    cursor.execute('RELEASE SAVEPOINT vb_row_wait')
    return True


class _Turn(TransactionEnd):
    """The queue of rows, held by a connection of its own for the call
    that waited for it, until that call's restarted transaction ends"""
    _pending = threading.local()

    def __init__(self, database, connection, table, ids):
        self.database = database
        self.connection = connection
        self.table = table
        self.ids = ids

    @classmethod
    def wait(cls, database, table, ids, busy_message):
        "Wait for the turn of ids; it is the next call's of this thread"
        cls._release_pending()
        connection = database.get_connection()
        try:
            cursor = connection.cursor()
            cursor.execute("SET LOCAL lock_timeout = '%ds'" % LOCK_WAIT)
            try:
                # In order: two calls waiting for the same rows never
                # hold one each
                for id_ in sorted(ids):
                    cursor.execute('SELECT pg_advisory_xact_lock(%s, %s)',
                        (_queue_key(table), id_))
            except backend.DatabaseOperationalError as exception:
                if getattr(exception, 'sqlstate', None) == LOCK_NOT_AVAILABLE:
                    raise BusyError(gettext(busy_message)) from exception
                raise
            cursor.execute("SET LOCAL idle_in_transaction_session_timeout "
                "= '%ds'" % TURN_UNUSED)
        except BaseException:
            cls._close(database, connection)
            raise
        cls._pending.turn = cls(database, connection, table, set(ids))

    @classmethod
    def take(cls, transaction, table):
        """The turn this thread waited for the rows of table, kept until
        transaction ends, or None"""
        turn = getattr(cls._pending, 'turn', None)
        if (turn is None or turn.table != table
                or turn.database.name != transaction.database.name):
            return None
        cls._pending.turn = None
        try:
            # Used: held as long as the call runs
            turn.connection.execute(
                "SET LOCAL idle_in_transaction_session_timeout = 0")
        except Exception:
            # Ended by PostgreSQL meanwhile (TURN_UNUSED): the call queues
            # again
            turn.release()
            return None
        transaction.join(turn)
        return turn

    @classmethod
    def _release_pending(cls):
        turn = getattr(cls._pending, 'turn', None)
        cls._pending.turn = None
        if turn is not None:
            turn.release()

    def release(self):
        "End the turn (once: the transaction's end may come after it)"
        connection, self.connection = self.connection, None
        if connection is not None:
            self._close(self.database, connection)

    @staticmethod
    def _close(database, connection):
        try:
            connection.rollback()
        except Exception:
            pass  # ended by PostgreSQL: the pool discards it
        database.put_connection(connection)

    # Data manager of the transaction that uses the turn
    def tpc_abort(self, transaction):
        self.release()

    def tpc_finish(self, transaction):
        self.release()
