# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""Benchmark of the exchange between two provinces (vb_lgsp), on PostgreSQL.

The set-up of tests/test_lgsp_exchange.py: province A (the demo province,
H99) and province B (its copy recoded H98) each run trytond, a
trytond-worker and their own database; the ``vbdh-axis`` simulator runs as
a command between them, everything over HTTP on 127.0.0.1.

A's clerks issue N documents (300 by default) to Sở Nội vụ of B (one
RPC each, as the web client does); A's worker sends them; B's inbox is
read every POLL_INTERVAL seconds (the ``poll_now`` button, what the
ir.cron does at the connection's interval) and B's worker stores each
package and sends status 01; a clerk at B registers each document as it
arrives (confirming the unsigned-file warning, as the web client does),
which sends 03; A's inbox is read at the same pace and its worker
records the statuses. The clock runs from the first issue to the moment A holds 01 and 03 for every
document (target: at least 300 documents per minute).
VBDH_BENCH_EXCHANGE_PREISSUED=1 issues the documents before the clock
starts, A's worker stopped meanwhile: the clock then measures the exchange
alone, from A's outbox to B and the statuses back (B's clerk still
registers each arrival while it runs).
VBDH_BENCH_EXCHANGE_SIGNED=1 sends signed documents, as a province does:
each draft is signed by the leader (PAdES, before the clock), A's
Ủy ban nhân dân seals it at the issue with its organization certificate
(which also signs the packages, XMLDSig), B's worker checks both
signatures against the test CA (its CRLs fetched over HTTP) and B's
Sở Nội vụ, set to refuse what does not pass, registers with no warning.

VBDH_BENCH_EXCHANGE_STAGED=1 times each province's part alone, the other
province paused (SIGSTOP): A issuing and sending, B storing, registering
and sending 01 and 03, A recording the statuses. Two provinces run on
their own servers, not on the same 2 cores as here: A's server does the
first and the last part, B's the second, and the documents per minute are
those of the busier server, with A's two parts added (their idle moments
counted, where a steady flow would overlap them).

Reported: documents per minute, when each stage was complete for every
document, and the CPU seconds of each process (the trytond servers, the
workers with their task processes, the simulator, the PostgreSQL backends
of each database and this script), with their share of the total.

    VBDH_DB_SUFFIX=_me .venv/bin/python tests/run.py --bench -- \\
        --only exchange
    (VBDH_BENCH_EXCHANGE_DOCUMENTS=N, VBDH_BENCH_POLL_INTERVAL=seconds)

or directly: .venv/bin/python tests/bench/exchange.py --documents 30
"""
import argparse
import json
import os
import shlex
import shutil
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import live  # noqa: E402
import test_lgsp_exchange as exchange  # noqa: E402
from helpers import agency_id, create_outgoing, letter  # noqa: E402

TARGET = 300  # documents per minute


LETTER = letter()
# A minute's worth at the target: what follows the last issue (its trip
# to B, B's poll and registration, A's poll: 5-8 s whatever N) is a
# quarter of a run of 100 documents and a seventh of a run of 300
DOCUMENTS = int(os.environ.get('VBDH_BENCH_EXCHANGE_DOCUMENTS', TARGET))
POLL_INTERVAL = float(os.environ.get('VBDH_BENCH_POLL_INTERVAL', 2))
CLOCK_TICKS = os.sysconf('SC_CLK_TCK')
WEB_WORKERS = 4
# Clerks of A issuing at the same time (each one RPC per document)
ISSUERS = int(os.environ.get('VBDH_BENCH_EXCHANGE_ISSUERS', 4))
# trytond-worker instances a province, as the worker service's replicas
# of docker-compose.yml: one instance hands out about 18 tasks a second
WORKER_INSTANCES = int(os.environ.get('VBDH_BENCH_WORKER_INSTANCES', 2))
# The processes of each instance (0: one per core, as docker-compose.yml).
# One each by default: the same 2 task processes a province as a single
# instance on these 2 cores, within the 100 connections of the machine's
# PostgreSQL
WORKER_PROCESSES = int(os.environ.get('VBDH_BENCH_WORKER_PROCESSES', 1))
# 1: the documents are issued before the clock starts, with A's worker
# stopped, so that the clock measures the exchange alone: from A's outbox
# to B and the statuses back, without the clerks' issuing on the cores
PREISSUED = os.environ.get('VBDH_BENCH_EXCHANGE_PREISSUED') == '1'
# 1: signed documents, sealed at the issue, checked at B
SIGNED = os.environ.get('VBDH_BENCH_EXCHANGE_SIGNED') == '1'
# 1: each province's part is timed alone, the other one paused, as two
# provinces run on their own servers (see staged())
STAGED = os.environ.get('VBDH_BENCH_EXCHANGE_STAGED') == '1'
# BENCH_KEEP=1 keeps both databases (their ir_queue tells when each task
# was queued, taken and finished)
KEEP = bool(os.environ.get('BENCH_KEEP'))
# A folder: py-spy records each component while the clock runs (raw
# stacks, one file per component; py-spy must be installed)
PROFILE = os.environ.get('VBDH_BENCH_PROFILE')


class Province(exchange.Province):
    """A province as docker-compose.yml runs it: the default lease of the
    connector (the exchange test shortens it to see lost tasks taken
    again) and trytond-worker with its default number of processes"""

    def __init__(self, *args):
        super().__init__(*args)
        # The web service of docker-compose.yml: gunicorn, 4 processes
        self.server.workers = WEB_WORKERS
        config = self.server.config
        config.write_text(config.read_text().replace(
                f'lease = {exchange.LEASE}\n', ''))

    def start_worker(self):
        log = open(live.VAR / f'{self.database}.worker.log', 'a')
        processes = (['-n', str(WORKER_PROCESSES)] if WORKER_PROCESSES
            else [])
        command = shlex.join([str(live.BIN / 'trytond-worker'), '-c',
                str(self.server.config), '-d', self.database, '-t', '5',
                *processes])
        # One process group, as the killing and stopping of the exchange
        # test expect, whose CPU is counted with its descendants
        self.worker = exchange.subprocess.Popen(['sh', '-c',
                ' & '.join([command] * WORKER_INSTANCES) + ' & wait'],
            env=live._env(), stdout=log, stderr=exchange.subprocess.STDOUT,
            stdin=exchange.subprocess.DEVNULL, start_new_session=True)


def _cpu_seconds(pid):
    "CPU seconds of a process and of its children it has waited for"
    try:
        with open(f'/proc/{pid}/stat') as stat:
            fields = stat.read().rsplit(')', 1)[1].split()
    except OSError:
        return 0.0
    # utime, stime, cutime, cstime (fields 14-17 of proc(5))
    return sum(int(value) for value in fields[11:15]) / CLOCK_TICKS


def _children(pid):
    "Every descendant of pid"
    found = []
    try:
        tasks = os.listdir(f'/proc/{pid}/task')
    except OSError:
        return found
    for task in tasks:
        try:
            with open(f'/proc/{pid}/task/{task}/children') as children:
                pids = [int(c) for c in children.read().split()]
        except OSError:
            continue
        for child in pids:
            found += [child, *_children(child)]
    return found


def _tree_cpu(pid):
    return _cpu_seconds(pid) + sum(_cpu_seconds(c) for c in _children(pid))


def _backends(database):
    return [pid for pid, in exchange._sql('postgres',
            'SELECT pid FROM pg_stat_activity WHERE datname = %s',
            (database,))]


class CpuMeter:
    """CPU seconds per component between start() and stop().

    PostgreSQL backends are sampled while the run goes (trytond keeps its
    connections in a pool, the worker's task processes open their own):
    a backend that ended between two samples is counted up to its last
    sample."""

    def __init__(self, components, databases):
        self.components = components
        self.databases = databases
        self.backends = {name: {} for name in databases}

    def _sample_backends(self):
        for name, database in self.databases.items():
            seen = self.backends[name]
            for pid in _backends(database):
                now = _cpu_seconds(pid)
                first, _ = seen.get(pid, (now, now))
                seen[pid] = (first, now)

    def start(self):
        self.started = {name: _tree_cpu(pid)
            for name, pid in self.components.items()}
        self.own = time.process_time()
        for seen in self.backends.values():
            seen.clear()
        self._sample_backends()
        # A backend seen at the start counts from then, a new one from 0
        for seen in self.backends.values():
            for pid, (first, now) in seen.items():
                seen[pid] = (now, now)

    def sample(self):
        self._sample_backends()

    def stop(self):
        self._sample_backends()
        result = {name: _tree_cpu(pid) - self.started[name]
            for name, pid in self.components.items()}
        for name, seen in self.backends.items():
            result[f'postgresql {name}'] = sum(
                now - first for first, now in seen.values())
        result['benchmark client'] = time.process_time() - self.own
        return result


def _profile(components):
    "py-spy recording each component and its subprocesses"
    import subprocess
    folder = Path(PROFILE)
    folder.mkdir(parents=True, exist_ok=True)
    spy = str(Path(sys.executable).parent / 'py-spy')
    return [subprocess.Popen([spy, 'record', '-s', '--nonblocking',
                '-r', '50', '-f', 'raw', '-p', str(pid), '-o',
                str(folder / (name.replace(' ', '-') + '.txt'))],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for name, pid in components.items()]


def _looping(function, stop, errors):
    "A thread calling function until stop is set or it fails (in errors)"
    def loop():
        try:
            while not stop.is_set():
                function()
        except Exception as exception:  # reported by the main thread
            errors.append(exception)
            stop.set()
    return threading.Thread(target=loop, daemon=True)


def _stop_all(stop, threads):
    stop.set()
    for thread in threads:
        thread.join(30)


def _count(database, query, params=None):
    return exchange._sql(database, query, params)[0][0]


def setup(directory):
    "Two provinces and the axis, as the exchange test's fixture"
    pid = os.getpid()
    names = {'A': f'vbdh_bench_xa_{pid}', 'B': f'vbdh_bench_xb_{pid}'}
    exchange._demo_databases(list(names.values()))
    exchange._sql(names['B'], "UPDATE company_company SET identifier_code = "
        "replace(identifier_code, '.H99', '.H98') "
        "WHERE identifier_code LIKE '%%.H99'")
    exchange._sql(names['B'], "UPDATE party_party SET name = "
        "replace(name, 'Hải Vân', 'Hải Nam') WHERE name LIKE '%%Hải Vân%%'")
    agencies = [{'code': code, 'name': name, 'parent': parent}
        for database in names.values()
        for code, name, parent in exchange._agencies(database)]
    axis = exchange.Axis(directory, agencies).start()
    sides = {}
    for side, database in names.items():
        sides[side] = Province(side, database, axis).start()
    for side in sides.values():
        side.configure()
    return names, axis, sides


def run(a, b, count, poll_interval, pki=None):
    snv_code = exchange._sql(b.database, "SELECT identifier_code "
        "FROM company_company WHERE abbreviation = 'SNV' "
        "AND NOT external")[0][0]
    recipient = a.agency(snv_code)
    ubnd = agency_id(a.admin, 'UBND')
    clerk_a = a.server.client('vanthu.ubnd')
    # The drafts are made before the clock starts, with a page of text as
    # an issued letter has (a PDF without text is OCR'd at B as a scan)
    snv = agency_id(b.admin, 'SNV')
    if pki:
        exchange._trust_and_seal(a, b, pki, {'UBND': 'org'})
        b.admin.model('company.company', 'write', [snv],
            {'signature_policy': 'refuse'})
    drafts = create_outgoing(clerk_a, ubnd, count,
        subject="V/v đo thông lượng liên thông", type_code='cong_van',
        recipients=[recipient],
        pdf=exchange._leader_signed(pki, LETTER) if pki else LETTER)
    clerk_b = b.server.client('vanthu.snv')
    # Their files' tasks (text extraction, signature check) are done
    # before the clock starts
    for side in (a, b):
        exchange._wait(f'the queue of {side.name}', lambda: not _count(
                side.database, 'SELECT count(*) FROM ir_queue '
                'WHERE finished_at IS NULL'), timeout=600, interval=1)
    context_b = {'company': snv}
    meter = CpuMeter({
            'trytond A': a.server.process.pid,
            'worker A': a.worker.pid,
            'trytond B': b.server.process.pid,
            'worker B': b.worker.pid,
            'vbdh-axis': a.axis.process.pid,
            }, {'A': a.database, 'B': b.database})
    stop = threading.Event()
    errors = []
    ids = ','.join(str(d) for d in drafts)

    def poll():
        # What the cron does at the connections' interval
        b.poll()
        a.poll()
        meter.sample()
        stop.wait(poll_interval)

    registered = set()

    def register():
        "B's clerk registers what has arrived"
        waiting = b.admin.model('vb.document', 'search', [
                ('direction', '=', 'incoming'), ('source', '=', 'lgsp'),
                ('state', '=', 'waiting'), ('company', '=', snv)],
            0, None, [('id', 'ASC')])
        for document in waiting:
            if document in registered:
                continue
            try:
                clerk_b.model('vb.document', 'register_document',
                    [document], context=context_b)
            except live.RPCError as warning:
                exchange._confirm(clerk_b, warning)
                clerk_b.model('vb.document', 'register_document',
                    [document], context=context_b)
            registered.add(document)
        if not waiting:
            stop.wait(0.2)

    milestones = {}
    queries = {
        'sent by A': (a.database, "SELECT count(*) FROM vb_lgsp_message "
            f"WHERE document IN ({ids}) AND direction = 'out' "
            "AND kind = 'edoc' AND state = 'sent'"),
        '01 at A': (a.database, "SELECT count(*) FROM "
            f"vb_lgsp_recipient_status WHERE document IN ({ids}) "
            "AND code = '01'"),
        '03 at A': (a.database, "SELECT count(*) FROM "
            f"vb_lgsp_recipient_status WHERE document IN ({ids}) "
            "AND code = '03'"),
        }
    def issue(documents):
        clerk = a.server.client('vanthu.ubnd')
        for document in documents:
            clerk.model('vb.document', 'issue', [document],
                context={'company': ubnd})

    def issue_all():
        with ThreadPoolExecutor(ISSUERS) as pool:
            for done in [pool.submit(issue, drafts[i::ISSUERS])
                    for i in range(ISSUERS)]:
                done.result()

    if PREISSUED:
        # The worker and its task processes wait while the outbox fills
        os.killpg(a.worker.pid, exchange.signal.SIGSTOP)
        try:
            issue_all()
        finally:
            os.killpg(a.worker.pid, exchange.signal.SIGCONT)
    if STAGED:
        return staged(a, b, count, poll_interval, register, issue_all, ids,
            pki)
    profilers = _profile(meter.components) if PROFILE else []
    meter.start()
    started = time.monotonic()
    threads = [_looping(poll, stop, errors), _looping(register, stop, errors)]
    for thread in threads:
        thread.start()
    try:
        if not PREISSUED:
            issue_all()
        milestones['issued at A'] = time.monotonic() - started
        # Their edXML DocumentId, set by issue, names them at B
        document_ids = [r['lgsp_document_id'] for r in a.admin.model(
                'vb.document', 'read', drafts, ['lgsp_document_id'])]
        queries['stored at B'] = (b.database, "SELECT count(*) FROM "
            "vb_document WHERE direction = 'incoming' AND source = 'lgsp' "
            "AND lgsp_document_id = ANY(%s)", (document_ids,))
        queries['registered at B'] = (b.database, "SELECT count(*) FROM "
            "vb_document WHERE direction = 'incoming' AND source = 'lgsp' "
            "AND lgsp_document_id = ANY(%s) AND state <> 'waiting'",
            (document_ids,))
        deadline = time.monotonic() + max(600, count * 6)
        while len(milestones) < 1 + len(queries):
            if errors:
                raise errors[0]
            if time.monotonic() > deadline:
                raise AssertionError(f'not complete in time: {milestones}')
            for name, (database, query, *params) in queries.items():
                if name not in milestones and _count(
                        database, query, *params) >= count:
                    milestones[name] = time.monotonic() - started
            time.sleep(0.2)
    finally:
        _stop_all(stop, threads)
    elapsed = time.monotonic() - started
    cpu = meter.stop()
    for profiler in profilers:
        profiler.send_signal(exchange.signal.SIGINT)
    for profiler in profilers:
        profiler.wait(60)
    total_cpu = sum(cpu.values())
    return {
        **_settings(count, poll_interval, pki),
        'elapsed_s': round(elapsed, 1),
        'documents_per_minute': round(count / elapsed * 60, 1),
        'target_per_minute': TARGET,
        'met': count / elapsed * 60 >= TARGET,
        'complete_at_s': {name: round(value, 1) for name, value in sorted(
                milestones.items(), key=lambda item: item[1])},
        **_cpu_figures(cpu, count, elapsed),
        'cpu_share': {name: round(value / total_cpu, 3)
            for name, value in sorted(cpu.items(),
                key=lambda item: -item[1])},
        }


def _settings(count, poll_interval, pki):
    "What a run was asked to do, at the head of its report"
    return {
        'documents': count,
        'issuers_at_a': ISSUERS,
        'issued_before_the_clock': PREISSUED,
        'signed': bool(pki),
        'staged': STAGED,
        'web_processes': WEB_WORKERS,
        'worker_instances': WORKER_INSTANCES,
        'poll_interval_s': poll_interval,
        }


def _cpu_figures(cpu, count, elapsed):
    "The CPU seconds of each component, a document and of the cores"
    total = sum(cpu.values())
    return {
        'cpu_s': {name: round(value, 1) for name, value in sorted(
                cpu.items(), key=lambda item: -item[1])},
        'cpu_s_per_document': round(total / count, 3),
        'cpu_busy_of_2_cores': round(
            total / elapsed / (os.cpu_count() or 1), 2),
        }


def _signal(side, signum):
    """Send signum to a province's processes: its worker's process group,
    then its web server's processes, gunicorn's master last (woken last,
    it finds its workers alive instead of killing them as timed out)"""
    os.killpg(side.worker.pid, signum)
    master = side.server.process.pid
    for pid in [*_children(master), master]:
        try:
            os.kill(pid, signum)
        except ProcessLookupError:
            pass
    if signum == exchange.signal.SIGCONT:
        time.sleep(1)


class Paused:
    "A province stopped (SIGSTOP) for the time of a stage"

    def __init__(self, side):
        self.side = side

    def __enter__(self):
        _signal(self.side, exchange.signal.SIGSTOP)
        return self

    def __exit__(self, *exc):
        _signal(self.side, exchange.signal.SIGCONT)


def staged(a, b, count, poll_interval, register, issue_all, ids, pki):
    """Time each province's part alone, the other one paused (SIGSTOP):
    what each side takes on its own 2 cores, as two provinces run on their
    own servers. A's server does the first and the last stage, B's the
    second, so they pass count documents in max(A's, B's) time."""
    stages = {}

    def stage(name, active, paused, until, work=None, registering=False):
        database, query, *params = until
        meter = CpuMeter({f'trytond {active.name}': active.server.process.pid,
                f'worker {active.name}': active.worker.pid,
                'vbdh-axis': a.axis.process.pid},
            {active.name: active.database})
        stop = threading.Event()
        errors = []

        def poll():
            active.poll()
            meter.sample()
            stop.wait(poll_interval)
        threads = [_looping(poll, stop, errors)] + (
            [_looping(register, stop, errors)] if registering else [])
        with Paused(paused):
            meter.start()
            started = time.monotonic()
            for thread in threads:
                thread.start()
            try:
                if work:
                    work()
                deadline = time.monotonic() + max(600, count * 6)
                while _count(database, query, *params) < count:
                    if errors:
                        raise errors[0]
                    if time.monotonic() > deadline:
                        raise AssertionError(f'{name}: not complete in time')
                    time.sleep(0.2)
            finally:
                _stop_all(stop, threads)
            elapsed = time.monotonic() - started
            cpu = meter.stop()
        stages[name] = {
            'elapsed_s': round(elapsed, 1),
            'documents_per_minute': round(count / elapsed * 60, 1),
            **_cpu_figures(cpu, count, elapsed),
            }
        return elapsed

    sending = stage('A sends' if PREISSUED else 'A issues and sends', a, b,
        (a.database, "SELECT count(*) FROM vb_lgsp_message "
            f"WHERE document IN ({ids}) AND direction = 'out' "
            "AND kind = 'edoc' AND state = 'sent'"),
        work=None if PREISSUED else issue_all)
    document_ids = [r['lgsp_document_id'] for r in a.admin.model(
            'vb.document', 'read', [int(i) for i in ids.split(',')],
            ['lgsp_document_id'])]
    # Two statuses a document: 01 when stored, 03 when registered
    receiving = stage('B stores, registers, sends 01 and 03', b, a, (
            b.database, "SELECT count(*) / 2 FROM vb_lgsp_message m "
            "JOIN vb_document d ON m.document = d.id "
            "WHERE d.lgsp_document_id = ANY(%s) AND m.direction = 'out' "
            "AND m.kind = 'status' AND m.status_code IN ('01', '03') "
            "AND m.state = 'sent'", (document_ids,)), registering=True)
    statuses = stage('A records 01 and 03', a, b, (a.database,
            "SELECT count(*) / 2 FROM vb_lgsp_recipient_status "
            f"WHERE document IN ({ids}) AND code IN ('01', '03')"))
    slowest = max(sending + statuses, receiving)
    return {
        **_settings(count, poll_interval, pki),
        'stages': stages,
        'seconds_of_server_A': round(sending + statuses, 1),
        'seconds_of_server_B': round(receiving, 1),
        'documents_per_minute': round(count / slowest * 60, 1),
        'target_per_minute': TARGET,
        'met': count / slowest * 60 >= TARGET,
        }


def main(argv=()):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--documents', type=int, default=DOCUMENTS)
    parser.add_argument('--poll-interval', type=float, default=POLL_INTERVAL)
    args = parser.parse_args(argv)
    if not live.is_postgresql():
        print("!!! the exchange benchmark needs PostgreSQL", file=sys.stderr)
        return 1
    print("*** Chuẩn bị hai tỉnh (lần đầu mất vài phút)…", flush=True)
    directory = tempfile.mkdtemp(prefix='vbdh-bench-exchange-')
    names, axis, sides = {}, None, {}
    pki_server = None
    try:
        pki = None
        if SIGNED:
            from trytond.modules.vb_signature.pades.testpki import (
                PKIServer, TestPKI)
            # Served on 127.0.0.1: B's checks fetch the CA's CRLs
            pki_server = PKIServer().start()
            folder = Path(directory) / 'pki'
            folder.mkdir()
            pki = pki_server.attach(TestPKI(pki_server.url, str(folder)))
        names, axis, sides = setup(directory)
        result = run(sides['A'], sides['B'], args.documents,
            args.poll_interval, pki)
    finally:
        if pki_server:
            pki_server.stop()
        for side in sides.values():
            side.stop()
        if axis:
            axis.stop()
        for database in names.values():
            if KEEP:
                print(f"*** Giữ lại cơ sở dữ liệu {database}", flush=True)
            else:
                live.drop(database)
        shutil.rmtree(directory, ignore_errors=True)
    result = {'benchmark': 'exchange', 'cpus': os.cpu_count(), **result}
    print(json.dumps(result, indent=2, ensure_ascii=False))
    print(f"{'ĐẠT ' if result['met'] else 'CHƯA'}  Liên thông ≥ {TARGET} "
        "văn bản/phút từ tỉnh A sang tỉnh B, đủ trạng thái 01 và 03 về A"
        + (" (văn bản đã ban hành trước khi bấm giờ)" if PREISSUED
            else " (tính cả thời gian văn thư ban hành)")
        + ("; mỗi tỉnh đo riêng trên 2 nhân, như hai tỉnh chạy trên hai máy "
            "chủ" if STAGED else ""))
    out = Path(live.ROOT) / 'var' / 'bench-exchange.json'
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
