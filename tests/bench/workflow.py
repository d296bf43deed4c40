# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""Benchmarks of vb_workflow (make bench), on PostgreSQL.

A copy of the demo province gets BENCH_DOCS documents (default 1,000,000)
and the processing trees of its incoming ones: BENCH_ASSIGNMENTS open
assignments (default 200,000) spread over the agencies' leaders, unit
heads, officers and units, and the closed trees of everything processed
before. Then:

1. opening the personal list "My Documents" (vb_workflow.act_my_assignment)
   through the RPC layer of the web service as docker-compose.yml runs it
   (gunicorn, BENCH_WEB_WORKERS=4 processes; trytond's single-process
   server of `make run` is measured too, for reference) as the web client
   does: the search of the first
   tab's first 80 rows, the pager's count and the read of the list view's
   fields, while a search_count per tab that shows a count runs alongside
   (target p95 <= 100 ms until all is answered), against the same queries
   one after the other in raw SQL;
2. the reminder cron (vb.document.assignment|remind) run as the cron runs
   it, over every open item made due soon or overdue (target <= 60 s),
   against the same selection, updates and notifications in raw SQL.

Sizes: BENCH_DOCS, BENCH_ASSIGNMENTS, BENCH_REPEAT (list openings, default
50); BENCH_REMIND_TIMEOUT (seconds, default 600) stops the cron.
BENCH_KEEP=1 keeps the database (vbdh_bench_wf_run) for EXPLAIN, and
BENCH_REUSE=1 measures again on the kept one without reloading it.
"""
import datetime as dt
import json
import os
import random
import re
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import live  # noqa: E402

DOCS = int(os.environ.get('BENCH_DOCS', 1_000_000))
OPEN = int(os.environ.get('BENCH_ASSIGNMENTS', 200_000))
REPEAT = int(os.environ.get('BENCH_REPEAT', 50))
# The reminder cron is stopped after ten times its target
REMIND_TIMEOUT = int(os.environ.get('BENCH_REMIND_TIMEOUT', 600))
KEEP = bool(os.environ.get('BENCH_KEEP'))
REUSE = bool(os.environ.get('BENCH_REUSE'))
ROWS = 80
# An officer, the head of their unit and the agency's leader
USERS = ('cv1.snv.vp', 'tp.snv.vp', 'ld1.snv')
PREFIX = 'vbdh_bench_wf_'
NAME = PREFIX + 'run'
SEED = 2026
YEARS = 3
OPEN_STATES = ('pending', 'processing')
TARGET_LIST_MS = 100
# The web service's processes in docker-compose.yml (gunicorn --workers)
WEB_WORKERS = int(os.environ.get('BENCH_WEB_WORKERS', 4))
TARGET_REMIND_S = 60

# Share of the document types (codes of demo.names.SUBJECT_PATTERNS)
TYPES = [('CV', 50), ('QĐ', 10), ('TB', 8), ('KH', 8), ('BC', 8), ('GM', 8),
    ('TTr', 3), ('HD', 3), ('CT', 1), ('NQ', 1)]
URGENCIES = [('normal', 85), ('urgent', 11), ('very_urgent', 3),
    ('flash', 1)]
DIRECTIVES = [
    "Giao {unit} chủ trì, tham mưu xử lý; báo cáo kết quả trước ngày "
    "{deadline}.",
    "Đề nghị {unit} nghiên cứu, đề xuất phương án giải quyết.",
    "Chuyển {unit} xem xét, giải quyết theo quy định.",
    "{unit} chủ trì, phối hợp các đơn vị liên quan tham mưu văn bản trả "
    "lời.",
    "Giao {unit} tổng hợp, báo cáo Lãnh đạo trước ngày {deadline}.",
    "Đồng ý chủ trương; giao {unit} triển khai thực hiện.",
    ]
INFO_DIRECTIVES = ["Để biết.", "Để biết, theo dõi.",
    "Các đơn vị biết, phối hợp."]


def agency_today(conn):
    "The date in the agencies' time zone, as ir.date.today() gives it"
    from zoneinfo import ZoneInfo
    row = conn.execute('SELECT timezone FROM company_company '
        'WHERE timezone IS NOT NULL GROUP BY timezone '
        'ORDER BY count(*) DESC LIMIT 1').fetchone()
    return dt.datetime.now(ZoneInfo(row[0]) if row else None).date()


def _pg(database=None, **kwargs):
    import psycopg
    return psycopg.connect(live.backend_uri() + (database or 'postgres'),
        **kwargs)


def _databases(pattern):
    with _pg(autocommit=True) as conn:
        return [n for n, in conn.execute(
                'SELECT datname FROM pg_database WHERE datname LIKE %s',
                (pattern,))]


def demo_database(name):
    """A copy of the demo province (20 departments, 30 communes) as name.

    Cloned from the vb_document benchmark's template when it was built
    for this code, else from our own, built by vbdh-setup like `make run`
    does and dropped when the code changes.
    """
    from run import code_key
    key = code_key()
    shared = f'vbdh_tpl_bench_{key}'
    own = f'{PREFIX}demo_{key}'
    for stale in _databases(PREFIX.replace('_', r'\_') + r'demo\_%'):
        if stale != own:
            live.drop(stale)
    template = shared if live._exists(shared) else own
    if not live._exists(template):
        building = template + '_build'
        live.drop(building)
        config = live.write_config(building, live.free_port())
        subprocess.run([str(live.BIN / 'vbdh-setup'), '-c', str(config),
                '-d', building, '--demo', '--departments', '20',
                '--communes', '30'], check=True, env=live._env(),
            stdin=subprocess.DEVNULL)
        live._rename(building, template)
    live._clone(template, name)
    return name


# --- Bulk data ---------------------------------------------------------------

class Directory:
    "The demo province as ids: agencies, their registers, units and staff"

    def __init__(self, conn):
        q = lambda sql: conn.execute(sql).fetchall()  # noqa: E731
        self.types = {}
        for id_, code, abbreviation in q(
                'SELECT id, code, abbreviation FROM vb_document_type'):
            self.types[code] = id_
            if abbreviation:
                self.types[abbreviation] = id_
        self.types['CV'] = self.types['cong_van']
        self.urgencies = dict(q('SELECT code, id FROM vb_document_urgency'))
        self.secrecy = dict(q('SELECT code, id FROM vb_document_secrecy'))[
            'normal']
        self.names = {}
        self.abbreviations = {}
        internal, external = [], []
        for id_, name, abbreviation, ext, level in q(
                'SELECT c.id, p.name, c.abbreviation, c.external, c.level '
                'FROM company_company c JOIN party_party p ON p.id = c.party '
                'ORDER BY c.id'):
            self.names[id_] = name
            self.abbreviations[id_] = abbreviation or 'VP'
            (external if ext else internal).append((id_, level))
        self.externals = [i for i, _ in external]
        self.registers = {(c, d): r for r, c, d in q(
                'SELECT min(id), company, direction FROM vb_document_register '
                'GROUP BY company, direction')}
        self.units = {}
        self.unit_names = {}
        for id_, company, name in q(
                'SELECT id, company, name FROM vb_unit ORDER BY id'):
            self.units.setdefault(company, []).append(id_)
            self.unit_names[id_] = name
        self.clerks, self.leaders, self.heads = {}, {}, {}
        self.officers = {}
        self.users = {}
        for id_, login, company, unit in q(
                'SELECT u.id, u.login, e.company, e.unit FROM res_user u '
                'JOIN company_employee e ON e.id = u.employee '
                'WHERE u.active ORDER BY u.id'):
            self.users[login] = id_
            role = login.split('.', 1)[0]
            if role == 'vanthu':
                self.clerks.setdefault(company, id_)
            elif role in {'ld1', 'ld2'}:
                self.leaders.setdefault(company, []).append(id_)
            elif role == 'tp' and unit:
                self.heads.setdefault(unit, []).append(id_)
            elif role.startswith('cv') and unit:
                self.officers.setdefault(unit, []).append(id_)
        # Provincial bodies receive more than communes
        self.agencies = [(c, 3 if level != 'commune' else 1)
            for c, level in internal
            if c in self.clerks and self.leaders.get(c) and self.units.get(c)
            and (c, 'incoming') in self.registers]
        self.admin = self.users.get('admin', 1)


def _cum(weighted):
    values, cum, total = [], [], 0
    for value, weight in weighted:
        total += weight
        values.append(value)
        cum.append(total)
    return values, cum


class Trees:
    """Processing trees of incoming documents, as assignment rows.

    A clerk submits to a leader; the leader assigns a lead (a unit or an
    officer), co-handlers and recipients for information; a unit head may
    pass the unit's part to an officer. Open trees hold the open items.
    """
    COLUMNS = ('id', 'document', 'company', 'parent', 'role', 'user',
        'unit', 'assigned_by', 'directive', 'deadline', 'state',
        'assigned_at', 'done_at', 'reminded', 'create_uid', 'create_date')

    def __init__(self, directory, rng, first_id, today):
        self.d = directory
        self.rng = rng
        self.next_id = first_id
        self.today = today
        self.open = 0
        self.total = 0

    def _row(self, rows, document, company, parent, role, user, unit,
            assigned_by, directive, deadline, state, at, done_at):
        id_ = self.next_id
        self.next_id += 1
        rows.append((id_, document, company, parent, role, user, unit,
                assigned_by, directive, deadline, state, at, done_at, None,
                assigned_by or self.d.admin, at))
        if state in OPEN_STATES:
            self.open += 1
        self.total += 1
        return id_

    def _handler(self, company, units_only=False):
        "(user, unit, unit of the user)"
        rng = self.rng
        units = self.d.units[company]
        unit = units[int(rng.random() * len(units))]
        officers = self.d.officers.get(unit)
        if units_only or not officers or rng.random() < 0.4:
            return None, unit, unit
        return officers[int(rng.random() * len(officers))], None, unit

    def tree(self, document, company, arrival, is_open):
        "The assignment rows of the document and its processing state"
        rng = self.rng
        d = self.d
        rows = []
        at = dt.datetime.combine(arrival, dt.time(8)) + dt.timedelta(
            minutes=int(rng.random() * 480))
        clerk = d.clerks[company]
        leaders = d.leaders[company]
        leader = leaders[0] if rng.random() < 0.7 else leaders[-1]
        if is_open:
            # Some are late, most are not yet due
            deadline = max(arrival + dt.timedelta(days=5),
                self.today + dt.timedelta(days=int(rng.random() * 45) - 12))
        else:
            deadline = arrival + dt.timedelta(days=7 + int(rng.random() * 14))
        done = at + dt.timedelta(days=1 + int(rng.random() * 12))
        if is_open and rng.random() < 0.15:
            self._row(rows, document, company, None, 'submit', leader, None,
                clerk, None, deadline, 'pending', at, None)
            return rows, 'submitted', None
        submit = self._row(rows, document, company, None, 'submit', leader,
            None, clerk, None, deadline, 'transferred', at, at)
        at += dt.timedelta(hours=2)
        user, unit, lead_unit = self._handler(company)
        directive = DIRECTIVES[int(rng.random() * len(DIRECTIVES))].format(
            unit=d.unit_names[lead_unit],
            deadline=deadline.strftime('%d/%m/%Y'))

        def state(role):
            if not is_open:
                return 'done' if role == 'lead' else (
                    'done' if rng.random() < 0.6 else 'closed')
            r = rng.random()
            if role == 'info':
                return 'pending' if r < 0.7 else 'done'
            if role == 'co' and r < 0.2:
                return 'done'
            return 'pending' if r < 0.6 else 'processing'

        lead_state = state('lead')
        lead = self._row(rows, document, company, submit, 'lead', user, unit,
            leader, directive, deadline,
            'processing' if unit and lead_state == 'processing'
            else lead_state, at, None if is_open else done)
        if unit and (not is_open or lead_state == 'processing'):
            # The unit head passed the unit's part to an officer
            officers = d.officers.get(unit)
            if officers:
                heads = d.heads.get(unit) or [leader]
                self._row(rows, document, company, lead, 'lead',
                    officers[int(rng.random() * len(officers))], None,
                    heads[0], directive, deadline,
                    'pending' if is_open and rng.random() < 0.5
                    else state('lead'), at + dt.timedelta(hours=3),
                    None if is_open else done)
        for _ in range(int(rng.random() * 3)):
            user, unit, _ = self._handler(company)
            s = state('co')
            self._row(rows, document, company, submit, 'co', user, unit,
                leader, directive, deadline, s, at,
                None if s in OPEN_STATES else done)
        for _ in range(int(rng.random() * 3)):
            user, _, _ = self._handler(company)
            if not user:
                continue
            s = state('info')
            self._row(rows, document, company, submit, 'info', user, None,
                leader, INFO_DIRECTIVES[int(rng.random() * 3)], None, s, at,
                None if s in OPEN_STATES else done)
        if not is_open:
            return rows, 'done', done
        return rows, 'processing' if lead_state == 'processing' \
            else 'assigned', None


def _open_per_document(directory, today):
    "Mean number of open items of an open tree, by simulation"
    agencies = [c for c, _ in directory.agencies]
    trees = Trees(directory, random.Random(1), 1, today)
    for i in range(4000):
        trees.tree(0, agencies[i % len(agencies)], today, True)
    return trees.open / 4000


def load(name, docs=DOCS, open_items=OPEN):
    """Bulk-insert documents and assignments by COPY.

    Indexes are dropped during the load and rebuilt after, triggers (the
    foreign keys) are off: the rows are consistent by construction.
    """
    from trytond.modules.vb_document.demo.province import random_subject
    from trytond.modules.vb_document.vn import normalize_vi
    started = time.perf_counter()
    rng = random.Random(SEED)
    span = 365 * YEARS
    with _pg(name) as docs_conn, _pg(name) as assign_conn:
        today = agency_today(docs_conn)
        d = Directory(docs_conn)
        for conn in (docs_conn, assign_conn):
            conn.execute("SET session_replication_role = replica")
        indexes = []
        for table in ('vb_document', 'vb_document_assignment'):
            for index, definition in docs_conn.execute(
                    'SELECT indexname, indexdef FROM pg_indexes '
                    'WHERE tablename = %s AND indexname NOT IN ('
                    'SELECT conname FROM pg_constraint)', (table,)):
                indexes.append(definition)
                docs_conn.execute(f'DROP INDEX "{index}"')
        docs_conn.commit()
        docs_conn.execute("SET maintenance_work_mem = '256MB'")
        first_doc = docs_conn.execute(
            'SELECT COALESCE(max(id), 0) + 1 FROM vb_document').fetchone()[0]
        first_assignment = docs_conn.execute('SELECT COALESCE(max(id), 0) + 1 '
            'FROM vb_document_assignment').fetchone()[0]
        agencies, agency_cum = _cum(d.agencies)
        types, type_cum = _cum(TYPES)
        urgencies, urgency_cum = _cum(URGENCIES)
        issuers = [c for c, _ in d.agencies] + d.externals
        # Open trees are those of the latest incoming documents, as many
        # days back as the open items asked for need
        per_day = docs * 0.62 / span
        open_days = open_items / max(_open_per_document(d, today), 0.1) \
            / max(per_day, 0.01)
        open_since = today - dt.timedelta(days=open_days)
        trees = Trees(d, rng, first_assignment, today)
        numbers = {}
        folded = {}
        doc_columns = ('id', 'company', 'direction', 'state', 'type',
            'urgency', 'secrecy', 'subject', 'subject_search', 'register',
            'register_number', 'register_year', 'number_notation',
            'issued_date', 'arrival_date', 'deadline', 'issuer',
            'issuer_name', 'source', 'drafting_unit', 'page_count',
            'copy_count', 'processing_state', 'completed_at', 'numbered_by',
            'numbered_at', 'create_uid', 'create_date', 'write_uid',
            'write_date')
        doc_copy = docs_conn.cursor().copy(
            f'COPY vb_document ({", ".join(doc_columns)}) FROM STDIN')
        assign_copy = assign_conn.cursor().copy(
            'COPY vb_document_assignment ('
            + ', '.join(f'"{c}"' for c in Trees.COLUMNS) + ') FROM STDIN')
        with doc_copy as dcopy, assign_copy as acopy:
            for i in range(docs):
                id_ = first_doc + i
                date = today - dt.timedelta(days=span - 1 - span * i // docs)
                company = rng.choices(agencies, cum_weights=agency_cum)[0]
                type_code = rng.choices(types, cum_weights=type_cum)[0]
                subject = random_subject(rng, type_code, year=date.year,
                    month=date.month)
                search = folded.get(subject)
                if search is None:
                    search = folded[subject] = normalize_vi(subject)
                clerk = d.clerks[company]
                created = dt.datetime.combine(date, dt.time(7, 30)) \
                    + dt.timedelta(seconds=int(rng.random() * 36000))
                r = rng.random()
                direction = 'incoming' if r < 0.65 else 'outgoing'
                state = ('registered' if r < 0.62 else 'waiting') \
                    if direction == 'incoming' else (
                        'issued' if r < 0.98 else 'draft')
                register = number = year = notation = None
                issued = arrival = deadline = issuer = issuer_name = None
                source = unit = processing = completed = None
                numbered_by = numbered_at = None
                type_abbr = type_code if type_code != 'CV' else None
                if state in {'registered', 'issued'}:
                    register = d.registers.get((company, direction))
                    year = date.year
                    number = numbers[register, year] = numbers.get(
                        (register, year), 0) + 1
                    numbered_by, numbered_at = clerk, created
                if direction == 'incoming':
                    issuer = issuers[int(rng.random() * len(issuers))]
                    issuer_name = d.names[issuer]
                    source = 'paper' if issuer in d.externals \
                        else 'internal'
                    issued = date - dt.timedelta(days=int(rng.random() * 4))
                    notation = '%d/%s-%s' % (1 + int(rng.random() * 3000),
                        type_abbr or d.abbreviations[issuer],
                        d.abbreviations[issuer] if type_abbr else 'VP')
                    if state == 'registered':
                        arrival = date
                        rows, processing, completed = trees.tree(id_,
                            company, date, date >= open_since)
                        deadline = rows[0][9]
                        for row in rows:
                            acopy.write_row(row)
                else:
                    units = d.units[company]
                    unit = units[int(rng.random() * len(units))]
                    if state == 'issued':
                        issued = date
                        notation = '%d/%s-%s' % (number,
                            type_abbr or d.abbreviations[company],
                            d.abbreviations[company] if type_abbr
                            else 'VP')
                dcopy.write_row((id_, company, direction, state,
                        d.types.get(type_code, d.types['CV']),
                        d.urgencies[rng.choices(
                                urgencies, cum_weights=urgency_cum)[0]],
                        d.secrecy, subject, search, register, number, year,
                        notation, issued, arrival, deadline, issuer,
                        issuer_name, source, unit, 1 + int(rng.random() * 5),
                        1, processing, completed, numbered_by, numbered_at,
                        clerk, created, None, None))
        docs_conn.commit()
        assign_conn.commit()
        print(f"    {docs} văn bản, {trees.total} phân công "
            f"({trees.open} đang mở) nạp trong "
            f"{time.perf_counter() - started:.0f} s", flush=True)
        for conn in (docs_conn, assign_conn):
            conn.execute("SET session_replication_role = DEFAULT")
        for definition in indexes:
            docs_conn.execute(definition)
        for table in ('vb_document', 'vb_document_assignment'):
            docs_conn.execute(f"SELECT setval(pg_get_serial_sequence("
                f"'{table}', 'id'), (SELECT max(id) FROM {table}))")
        docs_conn.commit()
    vacuum(name)
    print(f"    chỉ mục và ANALYZE xong sau "
        f"{time.perf_counter() - started:.0f} s", flush=True)
    return trees.total, trees.open


def vacuum(name):
    with _pg(name, autocommit=True) as conn:
        conn.execute('VACUUM (ANALYZE) vb_document, vb_document_assignment')


# --- The personal list -------------------------------------------------------

class Client(live.Client):
    """live.Client with a connection kept alive per thread, as a browser
    does (sao's calls reuse the browser's connections; gunicorn's gthread
    workers keep them; a new TCP connection and HTTP parser per call would
    measure urllib, not the list)."""

    def __init__(self, *args, **kwargs):
        self._local = threading.local()
        super().__init__(*args, **kwargs)

    def _send(self, url, data, headers):
        "POST data to url on this thread's connection: (status, body)"
        import http.client
        import urllib.parse
        parts = urllib.parse.urlsplit(url)
        for attempt in range(2):
            connection = getattr(self._local, 'connection', None)
            if connection is None:
                connection = self._local.connection = \
                    http.client.HTTPConnection(parts.hostname, parts.port,
                        timeout=120)
            try:
                connection.request('POST', parts.path, body=data,
                    headers=headers)
                response = connection.getresponse()
                return response.status, response.read()
            except (http.client.HTTPException, OSError):
                # The server closed an idle connection: open another
                connection.close()
                self._local.connection = None
                if attempt:
                    raise


def client(server, login):
    return Client(server.url, server.database, login, live.PASSWORD)


def list_definition(admin):
    """The action's domain, order and tabs as the menu gives them to the
    web client, and the fields it reads for the list view"""
    from trytond.pyson import PYSONDecoder
    decode = lambda s: PYSONDecoder({}).decode(s) if s else []  # noqa
    action = admin.model('ir.action.act_window', 'get',
        'vb_workflow.act_my_assignment')
    view_id = admin.model('ir.model.data', 'get_id', 'vb_workflow',
        'assignment_view_list')
    assert [view_id, 'tree'] in action['views'], action['views']
    view = admin.model('vb.document.assignment', 'fields_view_get', view_id,
        'tree')
    fields = list(view['fields'])
    # As sao's Record.load: names of the related records, the strings of
    # the eager selections, the access rights
    for name, description in view['fields'].items():
        if description['type'] in {'many2one', 'one2one', 'reference'}:
            fields.append(name + '.rec_name')
        elif description['type'] in {'selection', 'multiselection'} \
                and description.get('loading', 'lazy') == 'eager':
            fields.append(name + ':string')
    fields += ['rec_name', '_timestamp', '_write', '_delete']
    return {
        'domain': decode(action['pyson_domain']),
        'order': decode(action['pyson_order']) or None,
        'tabs': [(name, decode(domain), count)
            for name, domain, count in action['domains']],
        'fields': fields,
        }


def _timed(call, *args):
    started = time.perf_counter()
    result = call(*args)
    return result, time.perf_counter() - started


def open_list(client, definition, pool):
    """What sao asks when the menu is clicked: the rows of the first tab
    (search, the pager's count when the page is full, read) while the
    counts of the tabs are asked at once; the time until all is answered
    and the time of each call"""
    model = client.model
    name = 'vb.document.assignment'
    domain = definition['domain']
    tabs = definition['tabs']
    first = ['AND', domain, tabs[0][1]] if tabs else domain
    started = time.perf_counter()
    pending = [pool.submit(_timed, model, name, 'search_count',
            ['AND', tab_domain, domain], 0, 1000)
        for _, tab_domain, count in tabs if count]
    ids, search = _timed(model, name, 'search', first, 0, ROWS,
        definition['order'])
    calls = [search]
    if len(ids) == ROWS:
        calls.append(_timed(model, name, 'search_count', first, 0,
                ROWS * 100)[1])
    rows, read = _timed(model, name, 'read', ids, definition['fields'])
    calls.append(read)
    timings = {'list': time.perf_counter() - started}
    counts = []
    for future in pending:
        count, duration = future.result()
        counts.append(count)
        calls.append(duration)
    timings['total'] = time.perf_counter() - started
    timings['count'] = max(calls[-len(counts):]) if counts else 0
    # The fixed cost of a call through the RPC layer (HTTP, session,
    # transaction, access rules) on a query that finds nothing
    timings['floor'] = _timed(model, name, 'search_count',
        [('id', '=', -1)], 0, 1)[1]
    return timings, calls, len(rows), counts


def _percentiles(values):
    values = sorted(values)
    return (statistics.median(values),
        values[max(int(len(values) * 0.95) - 1, 0)])


def bench_list(server, definition, login):
    user = client(server, login)
    with ThreadPoolExecutor(8) as pool:
        for _ in range(10):  # caches of the server processes
            open_list(user, definition, pool)
        runs = [open_list(user, definition, pool) for _ in range(REPEAT)]
    _, _, rows, counts = runs[-1]
    result = {'rows': rows, 'tab_counts': counts}
    for part in ('total', 'list', 'count', 'floor'):
        median, p95 = _percentiles([t[part] for t, _, _, _ in runs])
        result[f'{part}_p50_ms'] = round(median * 1000, 1)
        result[f'{part}_p95_ms'] = round(p95 * 1000, 1)
    median, p95 = _percentiles([c for _, calls, _, _ in runs for c in calls])
    result['call_p50_ms'] = round(median * 1000, 1)
    result['call_p95_ms'] = round(p95 * 1000, 1)
    return result


# The tabs of processing.xml in SQL, with %(today)s
TAB_SQL = {
    'pending_lead': "a.state = 'pending' AND a.role IN ('submit', 'lead')",
    'processing': "a.state = 'processing'",
    'co': "a.state IN ('pending', 'processing') AND a.role = 'co'",
    'info': "a.state = 'pending' AND a.role = 'info'",
    'overdue': "a.state IN ('pending', 'processing') "
    "AND a.deadline < %(today)s",
    }
LIST_SQL = """
SELECT a.id, d.register_number, d.number_notation, d.subject,
    d.issuer_name, a.role, COALESCE(u.name, n.name) AS handler,
    b.name AS assigned_by, a.directive, a.deadline, a.state,
    d.processing_state, a.write_date, a.create_date
FROM vb_document_assignment a
JOIN vb_document d ON d.id = a.document
LEFT JOIN res_user u ON u.id = a."user"
LEFT JOIN vb_unit n ON n.id = a.unit
LEFT JOIN res_user b ON b.id = a.assigned_by
WHERE {mine} AND a.company = ANY(%(companies)s) AND {tab}
ORDER BY a.deadline ASC NULLS LAST, a.id DESC
LIMIT {rows}
"""
COUNT_SQL = """SELECT count(*) FROM (SELECT 1 FROM vb_document_assignment a
WHERE {mine} AND a.company = ANY(%(companies)s) AND {tab} LIMIT {limit}) s"""
# The units each member of group_unit_head heads (headed_units)
HEADS_SQL = """SELECT e.unit, ue."user"
FROM "res_user-company_employee" ue
JOIN company_employee e ON e.id = ue.employee
JOIN "res_user-res_group" ug ON ug."user" = ue."user"
JOIN ir_model_data m ON m.db_id = ug."group" AND m.model = 'res.group'
    AND m.module = 'vb_document' AND m.fs_id = 'group_unit_head'
WHERE e.unit IS NOT NULL"""
MINE_SQL = """(a."user" = %(user)s
    OR (a."user" IS NULL AND a.unit = ANY(%(units)s)))"""


def sql_params(conn, login):
    "The user, the units they head and their agencies"
    user, = conn.execute('SELECT id FROM res_user WHERE login = %s',
        (login,)).fetchone()
    units = [u for u, _ in conn.execute(HEADS_SQL + ' AND ue."user" = %s',
            (user,))]
    companies = [c for c, in conn.execute(
            'SELECT company FROM "res_user-company_company" WHERE "user" = %s',
            (user,))] or [c for c, in conn.execute(
            'SELECT company FROM res_user WHERE id = %s', (user,))]
    return {'user': user, 'units': units, 'companies': companies,
        'today': agency_today(conn)}


def open_list_sql(conn, params):
    timings = {}
    started = time.perf_counter()
    rows = conn.execute(LIST_SQL.format(mine=MINE_SQL,
            tab=TAB_SQL['pending_lead'], rows=ROWS), params).fetchall()
    timings['list'] = time.perf_counter() - started
    mark = time.perf_counter()
    if len(rows) == ROWS:
        conn.execute(COUNT_SQL.format(mine=MINE_SQL,
                tab=TAB_SQL['pending_lead'], limit=ROWS * 100),
            params).fetchone()
    counts = [conn.execute(COUNT_SQL.format(mine=MINE_SQL, tab=tab,
                limit=1000), params).fetchone()[0]
        for tab in TAB_SQL.values()]
    conn.commit()
    timings['counts'] = time.perf_counter() - mark
    timings['total'] = time.perf_counter() - started
    return timings, len(rows), counts


def bench_list_sql(name, login):
    with _pg(name) as conn:
        params = sql_params(conn, login)
        for _ in range(3):
            open_list_sql(conn, params)
        runs = [open_list_sql(conn, params) for _ in range(REPEAT)]
    _, rows, counts = runs[-1]
    result = {'rows': rows, 'tab_counts': counts}
    for part in ('total', 'list', 'counts'):
        median, p95 = _percentiles([t[part] for t, _, _ in runs])
        result[f'{part}_p50_ms'] = round(median * 1000, 2)
        result[f'{part}_p95_ms'] = round(p95 * 1000, 2)
    return result


# --- The reminder cron -------------------------------------------------------

def make_due(name):
    """Every open item falls due within the next two days or is overdue,
    none reminded yet: the first run of the cron after a backlog.

    (The cron runs without an agency in its context: its today is the
    server's.)"""
    today = dt.date.today()
    with _pg(name) as conn:
        conn.execute(
            'UPDATE vb_document_assignment '
            'SET deadline = %s::date + (id %% 18 - 15), reminded = NULL '
            "WHERE state IN ('pending', 'processing')", (today,))
        count, = conn.execute('SELECT count(*) FROM vb_document_assignment '
            "WHERE state IN ('pending', 'processing')").fetchone()
        conn.commit()
    vacuum(name)
    return count


REMIND_SQL = {
    'overdue': """UPDATE vb_document_assignment a SET reminded = 'overdue',
        write_date = now() AT TIME ZONE 'UTC', write_uid = 0
        WHERE a.state IN ('pending', 'processing') AND a.deadline < %(today)s
        AND (a.reminded IS NULL OR a.reminded != 'overdue')
        RETURNING a."user", a.unit, a.document""",
    'soon': """UPDATE vb_document_assignment a SET reminded = 'soon',
        write_date = now() AT TIME ZONE 'UTC', write_uid = 0
        FROM company_company c
        WHERE c.id = a.company
        AND a.state IN ('pending', 'processing') AND a.deadline >= %(today)s
        AND a.reminded IS NULL
        AND a.deadline <= %(today)s::date + COALESCE(c.warning_days, 2) + 2
        RETURNING a."user", a.unit, a.document""",
    }


def remind_sql(name):
    """The cron's work in bare SQL: mark the items, one notification per
    handler and kind; rolled back"""
    with _pg(name) as conn:
        heads = {}
        for unit, user in conn.execute(HEADS_SQL):
            heads.setdefault(unit, []).append(user)
        started = time.perf_counter()
        marked = 0
        for kind, sql in REMIND_SQL.items():
            documents = {}
            for user, unit, document in conn.execute(
                    sql, {'today': dt.date.today()}):
                marked += 1
                for u in ([user] if user else heads.get(unit, [])):
                    documents.setdefault(u, set()).add(document)
            with conn.cursor().copy('COPY res_notification ("user", icon, '
                    'label, model, records, unread, create_uid, create_date)'
                    ' FROM STDIN') as copy:
                for user, ids in documents.items():
                    copy.write_row((user, 'tryton-alert',
                            f'{len(ids)} văn bản {kind}', 'vb.document',
                            json.dumps(sorted(ids)), True, 0,
                            dt.datetime.now()))
        elapsed = time.perf_counter() - started
        conn.rollback()
    return elapsed, marked


REMIND_SCRIPT = r"""
import json, sys, time
from trytond.config import config
config.update_etc(sys.argv[1])
from trytond.pool import Pool
from trytond.transaction import Transaction
database, icons = sys.argv[2], sys.argv[3:]
if icons:
    # Accept the notification icons the cron uses that the client lacks
    from trytond.res import notification
    notification.CLIENT_ICONS.extend((i, i) for i in icons)
Pool.start()
Pool(database).init()
result = {}
# What ir.cron.run does for the task: user 0, warnings skipped, one
# transaction committed at the end
with Transaction().start(database, 0, context={'_skip_warnings': True}) \
        as transaction:
    pool = Pool()
    Cron = pool.get('ir.cron')
    ModelData = pool.get('ir.model.data')
    cron = Cron(ModelData.get_id('vb_workflow', 'cron_remind'))
    started = time.perf_counter()
    try:
        Cron.run_once([cron])
        transaction.commit()
    except Exception as exception:
        transaction.rollback()
        result['error'] = '%s: %s' % (type(exception).__name__,
            str(exception).split(' - ')[0])
        notifications = transaction.user_notifications
        result['icons'] = sorted({n.icon for n in notifications
                if n.icon}) if notifications else []
    result['elapsed'] = time.perf_counter() - started
with Transaction().start(database, 0) as transaction:
    cursor = transaction.connection.cursor()
    cursor.execute('SELECT reminded, count(*) FROM vb_document_assignment '
        'WHERE reminded IS NOT NULL GROUP BY reminded')
    result['reminded'] = dict(cursor.fetchall())
    cursor.execute('SELECT count(*) FROM res_notification '
        "WHERE create_uid = 0 AND model = 'vb.document'")
    result['notifications'], = cursor.fetchone()
print(json.dumps(result))
"""


def remind(name, icons=()):
    """Run the reminder cron task in a process of its own, as trytond-cron,
    stopped (and so rolled back) after REMIND_TIMEOUT"""
    config = live.write_config(name + '_cron', live.free_port())
    try:
        result = subprocess.run([sys.executable, '-c', REMIND_SCRIPT,
                str(config), name, *icons], env=live._env(), check=True,
            stdout=subprocess.PIPE, text=True, stdin=subprocess.DEVNULL,
            timeout=REMIND_TIMEOUT + 60)  # + starting the pool
    except subprocess.TimeoutExpired:
        return {'timeout': True}
    return json.loads(result.stdout.strip().splitlines()[-1])


# --- Main --------------------------------------------------------------------

def main():
    if not live.is_postgresql():
        print("!!! make bench needs PostgreSQL", file=sys.stderr)
        return 1
    print(f"*** vb_workflow: {DOCS} văn bản, {OPEN} việc đang mở, "
        f"{REPEAT} lần mở danh sách", flush=True)
    reuse = REUSE and live._exists(NAME)
    if not reuse:
        demo_database(NAME)
    server = None
    try:
        if reuse:
            with _pg(NAME) as conn:
                docs, total, open_items = conn.execute(
                    'SELECT (SELECT count(*) FROM vb_document), count(*), '
                    "count(*) FILTER (WHERE state IN ('pending', "
                    "'processing')) FROM vb_document_assignment").fetchone()
        else:
            print("*** Nạp dữ liệu…", flush=True)
            docs = DOCS
            total, open_items = load(NAME)
        results = {'documents': docs, 'assignments': total,
            'open_assignments': open_items}
        # The web service as docker-compose.yml runs it (gunicorn), and
        # trytond's single-process server of `make run` for reference
        single = server = live.Server(NAME).start()
        definition = list_definition(client(single, 'admin'))
        single_process = {login: bench_list(single, definition, login)
            for login in USERS}
        single.stop()
        server = live.Server(NAME, workers=WEB_WORKERS).start()
        results['list'] = {}
        for login in USERS:
            print(f"*** Mở «Văn bản của tôi» với {login}…", flush=True)
            rpc = bench_list(server, definition, login)
            sql = bench_list_sql(NAME, login)
            results['list'][login] = {
                'rows': rpc['rows'],
                'tab_counts': rpc['tab_counts'],
                'p50_ms': rpc['total_p50_ms'],
                'p95_ms': rpc['total_p95_ms'],
                'list_p95_ms': rpc['list_p95_ms'],
                'slowest_count_p95_ms': rpc['count_p95_ms'],
                'call_p50_ms': rpc['call_p50_ms'],
                'call_p95_ms': rpc['call_p95_ms'],
                'rpc_floor_p50_ms': rpc['floor_p50_ms'],
                'single_process_p50_ms': single_process[login][
                    'total_p50_ms'],
                'single_process_p95_ms': single_process[login][
                    'total_p95_ms'],
                'raw_sql_p50_ms': sql['total_p50_ms'],
                'raw_sql_p95_ms': sql['total_p95_ms'],
                'raw_sql_tab_counts': sql['tab_counts'],
                'ratio_p95_over_raw_sql': round(
                    rpc['total_p95_ms'] / max(sql['total_p95_ms'], 0.01), 1),
                }
            print(json.dumps(results['list'][login], ensure_ascii=False),
                flush=True)
        results['server_rss_mb'] = round(server.rss_bytes() / 2**20, 1)
        server.stop()
        print("*** Nhắc hạn…", flush=True)
        due = make_due(NAME)
        sql_elapsed, sql_marked = remind_sql(NAME)
        cron = remind(NAME)
        results['remind'] = {'open_items_due': due}
        icons = []
        if 'error' in cron:
            # Report the failure, and measure with its cause worked around
            print(f"!!! Nhắc hạn lỗi: {cron['error']}", flush=True)
            results['remind'].update(error=cron['error'],
                seconds_until_error=round(cron['elapsed'], 1))
            icons = sorted(set(re.findall(r'tryton-[\w-]+', cron['error'])))
            if icons:
                results['remind']['workaround'] = (
                    f"notification icons {icons} made valid for the run")
                cron = remind(NAME, icons)
        results['remind'].update(raw_sql_seconds=round(sql_elapsed, 2),
            raw_sql_reminded=sql_marked)
        if cron.get('timeout'):
            print(f"!!! Nhắc hạn chưa xong sau {REMIND_TIMEOUT} s",
                flush=True)
            results['remind'].update(seconds=None,
                stopped_after_s=REMIND_TIMEOUT)
        elif 'elapsed' in cron:
            second = remind(NAME, icons)
            results['remind'].update(
                seconds=round(cron['elapsed'], 1),
                reminded=cron['reminded'],
                notifications=cron['notifications'],
                seconds_next_day=round(second.get('elapsed', -1), 2),
                ratio_over_raw_sql=round(
                    cron['elapsed'] / max(sql_elapsed, 0.001), 1))
    finally:
        if server:
            server.stop()
        if not (KEEP or REUSE):
            live.drop(NAME)
    worst = max(r['p95_ms'] for r in results['list'].values())
    targets = [
        (f"p95 mở danh sách cá nhân (80 dòng, đếm các tab) ≤ "
            f"{TARGET_LIST_MS} ms", worst <= TARGET_LIST_MS),
        (f"Nhắc hạn trên {results['remind']['open_items_due']} việc đang mở"
            f" ≤ {TARGET_REMIND_S} s",
            'error' not in results['remind']
            and results['remind'].get('seconds') is not None
            and results['remind']['seconds'] <= TARGET_REMIND_S),
        ]
    print(json.dumps(results, indent=2, ensure_ascii=False))
    for label, met in targets:
        print(f"{'ĐẠT ' if met else 'CHƯA'}  {label}")
    out = Path(live.ROOT) / 'var' / 'bench-vb_workflow.json'
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False))
    return 0


if __name__ == '__main__':
    sys.exit(main())
