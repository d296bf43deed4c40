# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""Gapless numbering under concurrency, on PostgreSQL, over HTTP.

20 connections issue documents of one agency at the same time; the
numbers of its outgoing register for the year must be exactly 1..N:
no gap, no duplicate. Then a failed issue must not take a number.
"""
import datetime as dt
from concurrent.futures import ThreadPoolExecutor

import pytest

from helpers import agency_id, create_outgoing
from live import RPCError

CONNECTIONS = 20
PER_CONNECTION = 3


def _numbers(admin, agency):
    year = dt.date.today().year
    records = admin.model('vb.document', 'search_read', [
            ('company', '=', agency), ('direction', '=', 'outgoing'),
            ('register_number', '!=', None),
            ], 0, None, None, ['register_number', 'register_year',
            'number_notation'])
    return sorted(r['register_number'] for r in records
        if r['register_year'] in {year, year + 1})


def test_concurrent_issue_is_gapless(demo_server, pg_only):
    admin = demo_server.client('admin')
    ubnd = agency_id(admin, 'UBND')
    drafts = create_outgoing(admin, ubnd, CONNECTIONS * PER_CONNECTION,
        subject="Quyết định phát hành đồng thời")
    before = _numbers(admin, ubnd)
    assert before == list(range(1, len(before) + 1))

    clients = [demo_server.client('vanthu.ubnd') for _ in range(CONNECTIONS)]
    batches = [drafts[i::CONNECTIONS] for i in range(CONNECTIONS)]

    def issue(index):
        client = clients[index]
        for document in batches[index]:
            client.model('vb.document', 'issue', [document])
        return len(batches[index])

    with ThreadPoolExecutor(CONNECTIONS) as pool:
        issued = sum(pool.map(issue, range(CONNECTIONS)))
    assert issued == len(drafts)

    numbers = _numbers(admin, ubnd)
    assert numbers == list(range(1, len(before) + len(drafts) + 1))
    notations = [r['number_notation'] for r in admin.model(
            'vb.document', 'read', drafts, ['number_notation'])]
    assert len(set(notations)) == len(drafts)


def test_failed_issue_takes_no_number(demo_server, pg_only):
    admin = demo_server.client('admin')
    snv = agency_id(admin, 'SNV')
    good, bad = create_outgoing(admin, snv, 2)
    # The bad one loses its signer after the number would be taken
    admin.model('vb.document', 'write', [bad], {'signer': None})
    before = _numbers(admin, snv)
    with pytest.raises(RPCError):
        admin.model('vb.document', 'issue', [good, bad],
            context={'company': snv})
    assert _numbers(admin, snv) == before
    admin.model('vb.document', 'issue', [good], context={'company': snv})
    assert _numbers(admin, snv) == before + [len(before) + 1]


def test_issue_waits_for_a_slow_issue(demo_server, pg_only):
    """Issues behind one that holds the register longer than trytond's
    restarts wait (about 9 s with retry = 30) take their turns instead
    of failing with an error page"""
    import threading
    import time

    import psycopg

    import live
    admin = demo_server.client('admin')
    ubnd = agency_id(admin, 'UBND')
    first, *queued = create_outgoing(admin, ubnd, 4,
        subject="Quyết định phát hành sau một giao dịch chậm")
    clerks = [demo_server.client('vanthu.ubnd') for _ in queued]
    clerks[0].model('vb.document', 'issue', [first])  # this year's counter
    before = _numbers(admin, ubnd)
    held, hold = threading.Event(), 12

    def slow_issue():
        # An issue numbering, signing and sealing for 12 s: the counter
        # rows of the agency's registers locked, then released unchanged
        with psycopg.connect(live.backend_uri() + demo_server.database) \
                as conn:
            conn.execute('SELECT c.id FROM vb_document_register_counter c '
                'JOIN vb_document_register r ON r.id = c.register '
                'WHERE r.company = %s FOR UPDATE', (ubnd,))
            held.set()
            time.sleep(hold)

    def issue(index):
        started = time.monotonic()
        clerks[index].model('vb.document', 'issue', [queued[index]])
        return time.monotonic() - started

    holder = threading.Thread(target=slow_issue)
    holder.start()
    try:
        assert held.wait(30)
        # Three clerks queue behind it: the first takes the row when it
        # is released, the others after each number taken
        with ThreadPoolExecutor(len(queued)) as pool:
            waited = list(pool.map(issue, range(len(queued))))
    finally:
        holder.join()
    assert min(waited) >= hold - 1
    assert _numbers(admin, ubnd) == before + list(
        range(len(before) + 1, len(before) + len(queued) + 1))
