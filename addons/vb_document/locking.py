# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""Row locks that queue: the register counters and the audit chain heads.

Tryton restarts a call the first time it asks for a row lock, so that the
REPEATABLE READ snapshot is taken after the lock, and at the restart takes
the lock with NOWAIT, retrying for about 9 s in all ([database] retry =
30). Clerks of one agency issuing or registering at once behind an action
that signs and seals for seconds under load outlasted those retries and
got an error page. Here the row is locked in place when nobody moved it
since our snapshot (most calls: no restart at all), else we wait our turn
on it, and when the holder changed it the call starts again on a fresh
snapshot and comes back here.
"""
from sql import For, Literal, Table

from trytond import backend
from trytond.exceptions import UserError
from trytond.i18n import gettext
from trytond.transaction import Transaction, TransactionError

# Seconds a call waits for a row another call holds
LOCK_WAIT = 30
LOCK_NOT_AVAILABLE = '55P03'  # PostgreSQL's SQLSTATE after lock_timeout


class RestartError(TransactionError):
    "Start the call again on a fresh snapshot (trytond's dispatcher does)"


class BusyError(UserError):
    pass


def lock_rows(table, ids, busy_message):
    """Lock the rows ids of table (PostgreSQL) for the transaction.

    Raise RestartError when a row changed after the snapshot, BusyError
    with the ir.message busy_message after LOCK_WAIT seconds of waiting.
    """
    transaction = Transaction()
    locked = transaction._locked_records[table]
    ids = set(ids) - locked
    if not ids or table in transaction._locked_tables:
        return
    cursor = transaction.connection.cursor()
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
