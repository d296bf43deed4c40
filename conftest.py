# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"Run the proteus scenarios (scenario_*.rst) under pytest like trytond does"
import pytest


def _drop_test_database():
    """Drop the test database whatever trytond's list of databases says.

    trytond's drop_db() drops only a database Database.list() shows, and
    that list is cached and skips a database it fails to open: a scenario
    then found the database of the tests before it (or of the previous
    run) and failed restoring its template with DuplicateDatabase.
    """
    from trytond import backend
    from trytond.tests import test_tryton
    if backend.name != 'postgresql':
        test_tryton.drop_db()
        return
    from psycopg.sql import SQL, Identifier

    from trytond.cache import Cache
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    name = test_tryton.DB_NAME
    backend.Database(name).close()
    with Transaction().start(None, 0, close=True, autocommit=True) as tx:
        tx.connection.cursor().execute(
            SQL('DROP DATABASE IF EXISTS {}').format(Identifier(name)))
    backend.Database.clear_cache()
    Pool.stop(name)
    Cache.drop(name)
    test_tryton._TABLES_CREATED.clear()


@pytest.fixture(autouse=True)
def _tryton_scenario_teardown(request):
    scenario = request.node.__class__.__name__ == 'DoctestItem'
    if scenario:
        # A scenario restores its database from the template: none may be
        # left by the test before (trytond's doctest_setup drops nothing)
        _drop_test_database()
    yield
    if scenario:
        from trytond.tests.test_tryton import doctest_teardown
        doctest_teardown(request.node.dtest)
        _drop_test_database()
