# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""Benchmark of vb_reports, on PostgreSQL.

A copy of the demo province gets a province-year of documents, written in
SQL (INSERT … SELECT over generate_series, foreign keys off):
BENCH_OUTGOING (default 300,000) outgoing documents issued in the year,
each with 1 to 3 recipient lines (an agency of the installation, an
external agency reached through the LGSP, one reached by post), and
BENCH_INCOMING (default 1,500,000) incoming documents registered in the
year (paper, internal delivery or LGSP), with their processing state,
completion time and one "lead" assignment each; with vb_signature, three
outgoing documents in five are signed digitally by a leader. UBND tỉnh
gets a tenth of them, the other agencies share the rest.

Then, through the RPC layer of trytond's server (one process, as `make
run` does), as the leader of UBND tỉnh (ld1.ubnd) asks for them:

- report 2 (processing statistics of UBND tỉnh and every agency below
  it, the whole province, for the year, with the year before, their units
  and officers) as XLSX and PDF;
- report 4 (electronic-exchange indicators of the whole province for the
  year) as XLSX and PDF;

each BENCH_REPEAT times (default 3), targets: ≤ 10 s per report, peak
resident memory of the server (VmHWM) ≤ 500 MB. Results in
var/bench-vb_reports.json.

Sizes: BENCH_OUTGOING, BENCH_INCOMING, BENCH_REPEAT. The province is the
one of the vb_workflow benchmark (20 departments, 30 communes, its
template is shared); BENCH_SMALL=1 takes a 3 × 3 province instead (a
quicker check of the script). BENCH_KEEP=1 keeps the database
(vbdh_bench_reports_run), BENCH_REUSE=1 measures again on the kept one.

Run: TRYTOND_DATABASE__URI=postgresql://… python tests/bench/reports.py
"""
import datetime as dt
import json
import os
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
if str(HERE) not in sys.path:
    # After tests/: `run` is tests/run.py, `workflow` tests/bench/workflow.py
    sys.path.append(str(HERE))

import live  # noqa: E402

OUTGOING = int(os.environ.get('BENCH_OUTGOING', 300_000))
INCOMING = int(os.environ.get('BENCH_INCOMING', 1_500_000))
REPEAT = int(os.environ.get('BENCH_REPEAT', 3))
SMALL = bool(os.environ.get('BENCH_SMALL'))
KEEP = bool(os.environ.get('BENCH_KEEP'))
REUSE = bool(os.environ.get('BENCH_REUSE'))
NAME = 'vbdh_bench_reports_run'
LEADER = 'ld1.ubnd'
TARGET_S = 10
TARGET_MB = 500


def _pg(database, **kwargs):
    import psycopg
    return psycopg.connect(live.backend_uri() + database, **kwargs)


def demo_database(name):
    "A copy of the demo province (that of the vb_workflow benchmark)"
    import workflow
    if SMALL:
        from run import code_key
        key = 'bench_reports_small_' + code_key()
        # Templates of older code are of no use
        for stale in workflow._databases(
                r'vbdh\_tpl\_bench\_reports\_small\_%'):
            if stale != f'vbdh_tpl_{key}':
                live.drop(stale)
        return live.demo_database(name, key, departments=3, communes=3)
    return workflow.demo_database(name)


def _year(conn):
    "The last full year in the agencies' time zone"
    import workflow
    return workflow.agency_today(conn).year - 1


def load(name):
    """Write the province-year; return (year, root agency, counts)"""
    started = time.perf_counter()
    with _pg(name) as conn:
        year = _year(conn)
        q = lambda sql, *p: conn.execute(sql, p).fetchall()  # noqa: E731
        root, = q("SELECT c.id FROM company_company c "
            "JOIN res_user u ON u.company = c.id WHERE u.login = %s",
            LEADER)[0]
        agencies = [root] + [i for i, in q(
                "SELECT c.id FROM company_company c WHERE NOT c.external "
                "AND c.id != %s AND EXISTS (SELECT 1 FROM vb_unit u "
                "WHERE u.company = c.id) AND EXISTS (SELECT 1 FROM "
                "vb_document_register r WHERE r.company = c.id) "
                "ORDER BY c.id", root)]
        externals = [i for i, in q(
                "SELECT id FROM company_company WHERE external ORDER BY id")]
        if not externals:
            externals = agencies[1:] or agencies
        incoming_registers = dict(q("SELECT company, min(id) FROM "
                "vb_document_register WHERE direction = 'incoming' "
                "GROUP BY company"))
        outgoing_registers = dict(q("SELECT company, min(id) FROM "
                "vb_document_register WHERE direction = 'outgoing' "
                "GROUP BY company"))
        units = dict(q("SELECT company, min(id) FROM vb_unit "
                "GROUP BY company"))
        type_, = q("SELECT id FROM vb_document_type WHERE code = "
            "'cong_van'")[0]
        urgency, = q("SELECT min(id) FROM vb_document_urgency")[0]
        secrecy, = q("SELECT min(id) FROM vb_document_secrecy")[0]
        admin, = q("SELECT id FROM res_user WHERE login = 'admin'")[0]
        conn.execute("SET session_replication_role = replica")
        first, = q("SELECT COALESCE(max(id), 0) + 1 FROM vb_document")[0]
        params = {
            'agencies': agencies,
            'in_registers': [incoming_registers.get(a) for a in agencies],
            'out_registers': [outgoing_registers.get(a) for a in agencies],
            'units': [units.get(a) for a in agencies],
            'externals': externals,
            'n': len(agencies), 'first': first, 'incoming': INCOMING,
            'outgoing': OUTGOING, 'type': type_, 'urgency': urgency,
            'secrecy': secrecy, 'admin': admin,
            'start': dt.date(year, 1, 1),
            }
        # A tenth of the documents for UBND tỉnh (index 1), the rest spread
        agency = ("(CASE WHEN g %% 10 = 0 THEN 1 "
            "ELSE 2 + g %% GREATEST(%(n)s - 1, 1) END)")
        if len(agencies) == 1:
            agency = '1'
        day = "(%(start)s::date + (g * 365 / GREATEST(%(total)s, 1)))"
        conn.execute(f"""
            INSERT INTO vb_document (id, company, direction, state, type,
                urgency, secrecy, subject, register, register_number,
                register_year, number_notation, issued_date, arrival_date,
                deadline, issuer_name, source, processing_state,
                completed_at, numbered_by, numbered_at, create_uid,
                create_date)
            SELECT %(first)s + g, (%(agencies)s::int[])[a], 'incoming',
                'registered', %(type)s, %(urgency)s, %(secrecy)s,
                'V/v đo hiệu năng báo cáo, văn bản đến ' || g,
                (%(in_registers)s::int[])[a], g + 1, %(year)s,
                (g + 1) || '/BC-VP', d - 2, d, d + 10, 'Bộ Nội vụ',
                (ARRAY['paper', 'internal', 'lgsp'])[1 + g %% 3],
                CASE WHEN g %% 20 < 14 THEN 'done'
                    WHEN g %% 20 < 17 THEN 'processing'
                    WHEN g %% 20 = 17 THEN 'assigned'
                    WHEN g %% 20 = 18 THEN 'returned' END,
                CASE WHEN g %% 20 < 14
                    THEN d + (g %% 15) + TIME '03:00' END,
                %(admin)s, d + TIME '01:00', %(admin)s, d + TIME '01:00'
            FROM (SELECT g, {agency} AS a, {day} AS d
                FROM generate_series(0, %(incoming)s - 1) AS g) AS s
            """.replace('%(total)s', '%(incoming)s'),
            {**params, 'year': year})
        conn.execute("""
            INSERT INTO vb_document_assignment (document, company, role,
                unit, state, deadline, assigned_at, done_at, create_uid,
                create_date)
            SELECT d.id, d.company, 'lead',
                (%(units)s::int[])[array_position(%(agencies)s::int[],
                        d.company)],
                CASE d.processing_state WHEN 'done' THEN 'done'
                    WHEN 'processing' THEN 'processing'
                    WHEN 'returned' THEN 'returned' ELSE 'pending' END,
                d.deadline, d.numbered_at + INTERVAL '1 hour',
                CASE WHEN d.processing_state IN ('done', 'returned')
                    THEN COALESCE(d.completed_at,
                        d.numbered_at + INTERVAL '2 days') END,
                %(admin)s, d.numbered_at
            FROM vb_document d
            WHERE d.id >= %(first)s AND d.processing_state IS NOT NULL
            """, params)
        first_out = first + INCOMING
        conn.execute(f"""
            INSERT INTO vb_document (id, company, direction, state, type,
                urgency, secrecy, subject, register, register_number,
                register_year, number_notation, issued_date, recipients_text,
                numbered_by, numbered_at, create_uid, create_date)
            SELECT %(first_out)s + g, (%(agencies)s::int[])[a], 'outgoing',
                'issued', %(type)s, %(urgency)s, %(secrecy)s,
                'V/v đo hiệu năng báo cáo, văn bản đi ' || g,
                (%(out_registers)s::int[])[a], g + 1, %(year)s,
                (g + 1) || '/UBND-VP', d, '- Như trên;' || chr(10) ||
                '- Lưu: VT.', %(admin)s, d + TIME '02:00', %(admin)s,
                d + TIME '02:00'
            FROM (SELECT g, {agency} AS a, {day} AS d
                FROM generate_series(0, %(outgoing)s - 1) AS g) AS s
            """.replace('%(total)s', '%(outgoing)s'),
            {**params, 'year': year, 'first_out': first_out})
        # Lines: 1 an agency inside, 2 an external one through the LGSP,
        # 3 an external one by post; documents have 1, 2 or 3 of them
        conn.execute("""
            INSERT INTO vb_document_recipient (document, agency, state,
                status_date, lgsp_state, create_uid, create_date)
            SELECT d.id,
                CASE WHEN k = 1 THEN (%(agencies)s::int[])[
                        1 + (d.id + 1) %% %(n)s]
                    ELSE (%(externals)s::int[])[
                        1 + (d.id + k) %% cardinality(%(externals)s::int[])]
                    END,
                CASE WHEN k = 1 THEN 'received' ELSE 'external' END,
                d.numbered_at,
                CASE WHEN k = 2 THEN 'sent' END,
                %(admin)s, d.numbered_at
            FROM vb_document d, generate_series(1, 1 + d.id %% 3) AS k
            WHERE d.id >= %(first_out)s
            """, {**params, 'first_out': first_out})
        # With vb_signature, three in five signed digitally by a leader of
        # the agency
        if q("SELECT 1 FROM information_schema.columns WHERE table_name = "
                "'vb_document' AND column_name = 'leader_signed_at'"):
            conn.execute("""
                UPDATE vb_document d SET leader_signed_at = d.numbered_at,
                    leader_signed_by = (SELECT min(u.id) FROM res_user u
                        JOIN company_employee e ON e.id = u.employee
                        JOIN "res_user-res_group" ug ON ug."user" = u.id
                        JOIN ir_model_data m ON m.db_id = ug."group"
                            AND m.model = 'res.group'
                            AND m.module = 'vb_document'
                            AND m.fs_id = 'group_leader'
                        WHERE e.company = d.company)
                WHERE d.id >= %(first_out)s AND d.id %% 5 < 3
                """, {'first_out': first_out})
        counts = dict(q("SELECT direction, count(*) FROM vb_document "
                "WHERE id >= %s GROUP BY direction", first))
        counts['recipient_lines'], = q("SELECT count(*) FROM "
            "vb_document_recipient r WHERE r.document >= %s", first_out)[0]
        counts['signed_outgoing'], = q("SELECT count(*) FROM vb_document "
            "WHERE id >= %s AND leader_signed_by IS NOT NULL", first_out)[0] \
            if q("SELECT 1 FROM information_schema.columns WHERE table_name "
                "= 'vb_document' AND column_name = 'leader_signed_by'") \
            else (None,)
        counts['assignments'], = q("SELECT count(*) FROM "
            "vb_document_assignment a WHERE a.document >= %s", first)[0]
        conn.execute("SET session_replication_role = DEFAULT")
        for table in ('vb_document', 'vb_document_assignment',
                'vb_document_recipient'):
            conn.execute(f"SELECT setval(pg_get_serial_sequence("
                f"'{table}', 'id'), (SELECT max(id) FROM {table}))")
        conn.commit()
    with _pg(name, autocommit=True) as conn:
        conn.execute('VACUUM (ANALYZE) vb_document, vb_document_assignment, '
            'vb_document_recipient')
    print(f"    {counts} nạp trong {time.perf_counter() - started:.0f} s",
        flush=True)
    return year, root, counts


def peak_rss(server):
    "Peak resident memory of the server process (VmHWM), in bytes"
    with open(f'/proc/{server.process.pid}/status') as status:
        for line in status:
            if line.startswith('VmHWM:'):
                return int(line.split()[1]) * 1024
    return 0


def _date(value):
    return {'__class__': 'date', 'year': value.year, 'month': value.month,
        'day': value.day}


def bench_report(client, name, data):
    "Seconds of each run of the report through RPC, and its size"
    times, size = [], 0
    for _ in range(REPEAT):
        started = time.perf_counter()
        ext, content, _, _ = client.call(f'report.{name}.execute', [], data)
        times.append(time.perf_counter() - started)
        size = len(content['base64'] if isinstance(content, dict)
            else content)
    return {'median_s': round(statistics.median(times), 2),
        'max_s': round(max(times), 2), 'format': ext,
        'size_base64_bytes': size}


def main():
    if not live.is_postgresql():
        print("!!! the benchmark needs PostgreSQL (TRYTOND_DATABASE__URI)",
            file=sys.stderr)
        return 1
    results = {'outgoing': OUTGOING, 'incoming': INCOMING,
        'repeat': REPEAT, 'small_province': SMALL}
    server = None
    try:
        if not REUSE:
            live.drop(NAME)
            print("*** Chuẩn bị tỉnh mẫu…", flush=True)
            demo_database(NAME)
            print("*** Nạp số liệu một năm của tỉnh…", flush=True)
            year, root, counts = load(NAME)
        else:
            with _pg(NAME) as conn:
                year = _year(conn)
                root, = conn.execute("SELECT company FROM res_user "
                    "WHERE login = %s", (LEADER,)).fetchone()
                counts = {}
        results.update(year=year, loaded=counts)
        server = live.Server(NAME).start()
        client = server.client(LEADER)
        results['server_rss_after_login_mb'] = round(
            server.rss_bytes() / 2**20, 1)
        period = {'company': root, 'start_date': _date(dt.date(year, 1, 1)),
            'end_date': _date(dt.date(year, 12, 31))}
        results['reports'] = {}
        for name in ['vb.reports.statistics.xlsx',
                'vb.reports.statistics.pdf', 'vb.reports.exchange.xlsx',
                'vb.reports.exchange.pdf']:
            print(f"*** {name}…", flush=True)
            results['reports'][name] = bench_report(client, name, period)
            print(json.dumps(results['reports'][name]), flush=True)
        results['server_peak_rss_mb'] = round(peak_rss(server) / 2**20, 1)
    finally:
        if server:
            server.stop()
        if not (KEEP or REUSE):
            live.drop(NAME)
    slowest = max(r['max_s'] for r in results['reports'].values())
    targets = [
        (f"Báo cáo 2 và 4 của một năm toàn tỉnh ≤ {TARGET_S} s "
            f"(chậm nhất {slowest} s)", slowest <= TARGET_S),
        (f"Bộ nhớ đỉnh của trytond ≤ {TARGET_MB} MB "
            f"({results['server_peak_rss_mb']} MB)",
            results['server_peak_rss_mb'] <= TARGET_MB),
        ]
    print(json.dumps(results, indent=2, ensure_ascii=False))
    for label, met in targets:
        print(f"{'ĐẠT ' if met else 'CHƯA'}  {label}")
    out = Path(live.ROOT) / 'var' / 'bench-vb_reports.json'
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False))
    return 0


if __name__ == '__main__':
    sys.exit(main())
