# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""Benchmarks of vb_document (make bench), on PostgreSQL.

Reports figures and ratios to a bare baseline doing the same work in raw
SQL, so that results hold on a noisy machine:

1. issuing throughput with 20 concurrent issuers in 20 agencies over HTTP
   (target >= 50 documents/s, zero gaps), against 20 raw-SQL issuers
   doing the numbering transaction alone;
2. p95 latency of registering an incoming document with a 1-page PDF
   through the RPC layer (create, attach, register: target <= 150 ms);
3. RSS of the trytond server process after those flows (target <= 300 MB).

The benchmarks of vb_workflow are in workflow.py, of the document search
in search.py, of the signatures in signature.py, of edXML in edxml.py and
of the exchange between two provinces in exchange.py; `--only NAME`
(repeatable) runs some of them, the default all.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import live  # noqa: E402
from helpers import create_outgoing, letter  # noqa: E402
from live import binary  # noqa: E402
from run import code_key  # noqa: E402

BENCHMARKS = ['document', 'workflow', 'search', 'reports', 'signature',
    'edxml', 'exchange']
ISSUERS = 20
PER_ISSUER = 25
REGISTRATIONS = 200
# As many as the web service's gunicorn workers in docker-compose.yml
PROCESSES = int(os.environ.get('VBDH_BENCH_PROCESSES', 4))


def agencies_with_clerks(admin, count):
    "(agency id, clerk login) of count internal agencies"
    users = admin.model('res.user', 'search_read',
        [('login', 'like', 'vanthu.%')], 0, None, [('id', 'ASC')],
        ['login', 'company'])
    return [(u['company'], u['login']) for u in users][:count]


def bench_issue(servers):
    "Issuers spread over the server processes, as gunicorn workers would"
    server = servers[0]
    admin = server.client('admin')
    pairs = agencies_with_clerks(admin, ISSUERS)
    assert len(pairs) == ISSUERS, "the bench province needs 20 agencies"
    drafts = {agency: create_outgoing(admin, agency, PER_ISSUER,
            subject="Quyết định đo hiệu năng", pdf=letter())
        for agency, _ in pairs}
    clients = {agency: servers[i % len(servers)].client(login)
        for i, (agency, login) in enumerate(pairs)}

    def issue(agency):
        client = clients[agency]
        for document in drafts[agency]:
            client.model('vb.document', 'issue', [document],
                context={'company': agency})

    started = time.perf_counter()
    with ThreadPoolExecutor(ISSUERS) as pool:
        list(pool.map(issue, drafts))
    elapsed = time.perf_counter() - started
    total = ISSUERS * PER_ISSUER

    gaps = 0
    for agency, _ in pairs:
        numbers = sorted(r['register_number'] for r in admin.model(
                'vb.document', 'search_read', [
                    ('company', '=', agency),
                    ('direction', '=', 'outgoing'),
                    ('register_number', '!=', None)], 0, None, None,
                ['register_number']))
        if numbers != list(range(1, len(numbers) + 1)):
            gaps += 1
    return total / elapsed, gaps


def bench_issue_sql(database):
    """The same numbering transaction in bare SQL: lock the counter row,
    increment it, write the number on the document"""
    import psycopg
    uri = live.backend_uri() + database
    with psycopg.connect(uri, autocommit=True) as conn:
        conn.execute('CREATE TABLE IF NOT EXISTS bench_counter '
            '(id int primary key, last int)')
        conn.execute('CREATE TABLE IF NOT EXISTS bench_doc '
            '(id serial primary key, counter int, number int)')
        conn.execute('TRUNCATE bench_counter, bench_doc')
        conn.execute('INSERT INTO bench_counter SELECT g, 0 '
            'FROM generate_series(1, %s) g', (ISSUERS,))
        conn.execute('INSERT INTO bench_doc (counter) SELECT c '
            'FROM generate_series(1, %s) c, generate_series(1, %s) n',
            (ISSUERS, PER_ISSUER))

    def issue(counter):
        with psycopg.connect(uri) as conn:
            ids = [i for i, in conn.execute(
                    'SELECT id FROM bench_doc WHERE counter = %s',
                    (counter,))]
            conn.commit()
            for document in ids:
                number, = conn.execute(
                    'UPDATE bench_counter SET last = last + 1 '
                    'WHERE id = %s RETURNING last', (counter,)).fetchone()
                conn.execute('UPDATE bench_doc SET number = %s '
                    'WHERE id = %s', (number, document))
                conn.commit()

    started = time.perf_counter()
    with ThreadPoolExecutor(ISSUERS) as pool:
        list(pool.map(issue, range(1, ISSUERS + 1)))
    elapsed = time.perf_counter() - started
    with psycopg.connect(uri, autocommit=True) as conn:
        conn.execute('DROP TABLE bench_counter, bench_doc')
    return ISSUERS * PER_ISSUER / elapsed


def bench_register(server):
    clerk = server.client('vanthu.snv')
    agency = clerk.context['company']
    type_id = clerk.model('vb.document.type', 'search',
        [('code', '=', 'cong_van')], 0, 1, None)[0]
    context = {'company': agency, 'direction': 'incoming'}
    latencies = []
    for i in range(REGISTRATIONS):
        started = time.perf_counter()
        document, = clerk.model('vb.document', 'create', [{
                    'company': agency, 'direction': 'incoming',
                    'type': type_id,
                    'subject': f"V/v đo hiệu năng vào sổ văn bản đến {i}",
                    'issuer_name': "Bộ Nội vụ",
                    'number_notation': f'{1000 + i}/BNV-VP',
                    }], context=context)
        clerk.model('ir.attachment', 'create', [{
                    'name': f'cv-{i}.pdf', 'data': binary(letter()),
                    'document_role': 'main',
                    'resource': f'vb.document,{document}'}],
            context=context)
        clerk.model('vb.document', 'register_document', [document],
            context=context)
        latencies.append(time.perf_counter() - started)
    latencies.sort()
    return (statistics.median(latencies),
        latencies[int(len(latencies) * 0.95) - 1])


def bench_register_sql(database):
    "The rows a registration writes, in bare SQL, one transaction each"
    import psycopg
    uri = live.backend_uri() + database
    latencies = []
    with psycopg.connect(uri) as conn:
        conn.execute('CREATE TEMP TABLE b_doc (id serial primary key, '
            'subject text, notation varchar, number int, state varchar)')
        conn.execute('CREATE TEMP TABLE b_file (id serial primary key, '
            'doc int, name varchar, data bytea)')
        conn.execute('CREATE TEMP TABLE b_counter (id int, last int)')
        conn.execute('INSERT INTO b_counter VALUES (1, 0)')
        conn.commit()
        for i in range(REGISTRATIONS):
            started = time.perf_counter()
            document, = conn.execute('INSERT INTO b_doc (subject, notation, '
                "state) VALUES (%s, %s, 'draft') RETURNING id",
                (f"V/v {i}", f'{i}/BNV')).fetchone()
            conn.execute('INSERT INTO b_file (doc, name, data) '
                'VALUES (%s, %s, %s)', (document, f'{i}.pdf', letter()))
            number, = conn.execute('UPDATE b_counter SET last = last + 1 '
                'RETURNING last').fetchone()
            conn.execute("UPDATE b_doc SET number = %s, state = 'registered'"
                ' WHERE id = %s', (number, document))
            conn.commit()
            latencies.append(time.perf_counter() - started)
    latencies.sort()
    return (statistics.median(latencies),
        latencies[int(len(latencies) * 0.95) - 1])


def bench_document():
    if not live.is_postgresql():
        print("!!! make bench needs PostgreSQL", file=sys.stderr)
        return 1
    name = 'vbdh_bench'
    print("*** Chuẩn bị tỉnh mẫu đầy đủ (lần đầu mất vài phút)…", flush=True)
    live.demo_database(name, 'bench_' + code_key(), departments=20,
        communes=30)
    server = live.Server(name).start()
    others = []
    results = {}
    try:
        rate_one, gaps_one = bench_issue([server])
        # The production topology runs several worker processes
        # (docker-compose: gunicorn workers)
        others = [live.Server(name).start()
            for _ in range(PROCESSES - 1)]
        rate, gaps = bench_issue([server] + others)
        for other in others:
            other.stop()
        sql_rate = bench_issue_sql(name)
        results['issue'] = {
            'documents_per_s_1_process': round(rate_one, 1),
            'documents_per_s': round(rate, 1),
            'processes': PROCESSES,
            'agencies_with_gaps': gaps + gaps_one,
            'raw_sql_documents_per_s': round(sql_rate, 1),
            'ratio_raw_sql_over_rpc': round(sql_rate / rate, 1)}
        median, p95 = bench_register(server)
        sql_median, sql_p95 = bench_register_sql(name)
        results['register'] = {'median_ms': round(median * 1000, 1),
            'p95_ms': round(p95 * 1000, 1),
            'raw_sql_p95_ms': round(sql_p95 * 1000, 2),
            'ratio_p95_over_raw_sql': round(p95 / sql_p95, 1)}
        results['server_rss_mb'] = round(server.rss_bytes() / 2**20, 1)
    finally:
        server.stop()
        for other in others:
            other.stop()
        live.drop(name)
    targets = [
        ("Phát hành đồng thời ≥ 50 văn bản/giây, không hở số",
            results['issue']['documents_per_s'] >= 50
            and results['issue']['agencies_with_gaps'] == 0),
        ("p95 vào sổ văn bản đến kèm PDF ≤ 150 ms",
            results['register']['p95_ms'] <= 150),
        ("RSS tiến trình trytond ≤ 300 MB", results['server_rss_mb'] <= 300),
        ]
    print(json.dumps(results, indent=2, ensure_ascii=False))
    for label, met in targets:
        print(f"{'ĐẠT ' if met else 'CHƯA'}  {label}")
    out = Path(live.ROOT) / 'var' / 'bench-vb_document.json'
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False))
    return 0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--only', choices=BENCHMARKS,
        action='append', help="run only this benchmark (repeatable)")
    selected = parser.parse_args().only or BENCHMARKS
    status = 0
    if 'document' in selected:
        status = bench_document() or status
    if 'workflow' in selected:
        import workflow
        status = workflow.main() or status
    if 'search' in selected:
        import search
        status = search.main() or status
    if 'reports' in selected:
        import reports
        status = reports.main() or status
    if 'exchange' in selected:
        import exchange
        status = exchange.main() or status
    # Without the database: their own command lines
    for name in ['signature', 'edxml']:
        if name in selected:
            print(f"*** {name}", flush=True)
            status = subprocess.run([sys.executable, str(HERE / f'{name}.py')]
                ).returncode or status
    return status


if __name__ == '__main__':
    sys.exit(main())
