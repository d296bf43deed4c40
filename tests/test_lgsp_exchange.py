# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""Two provinces exchange documents through the vbdh-axis service.

Province A (the demo province, H99) and province B (a copy of it recoded
H98, "Hải Nam") each run trytond, a trytond-worker and their own
PostgreSQL database; the simulator runs as the ``vbdh-axis`` command, as
docker-compose runs it. Everything goes over real HTTP on 127.0.0.1.

A issues a document to Sở Nội vụ of B; B receives it, registers (03),
assigns (04), handles (05), completes (06); A sees every status. Then
faults: HTTP 500 twice then recovery, a connection dropped after the axis
accepted, the worker killed (SIGKILL) in the middle of a send, a lost
acknowledgement (the delivery comes again). At the end both sides'
registers are reconciled with the simulator's messages: every document
and every status arrived exactly once.

Then the business flows of spec §1.12 from A to B: a withdrawal (13)
given back (15) and one kept (16), a revocation applied, an update
applied (15) and a second one refused (16), a replacement registered;
and, in the web client (headless Chromium), an update that adds a
recipient and takes one off. Last, signatures: a document signed by A's
leader and sealed at the issue is checked by B and registered without a
warning; one sealed with a revoked certificate is refused by B's gate
and answered 02 with the reasons.
"""
import base64
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
import unicodedata
import urllib.request

import pytest

import live
from browser import UI, browser, needs_chromium  # noqa: F401
from helpers import agency_id, create_outgoing, minimal_pdf
from live import binary
from run import code_key

PASSWORD = live.PASSWORD
SYSTEMS = {
    'A': ('HVAN.VBDH', 'province-A-secret-0123456789abcdefghijklmn=',
        '*.H99'),
    'B': ('HNAM.VBDH', 'province-B-secret-0123456789abcdefghijklmn=',
        '*.H98'),
    }
LEASE = 3


def _wait(what, check, timeout=90, interval=0.5):
    "Wait until check() returns a true value; return it"
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f'timed out waiting for {what}')
        time.sleep(interval)


def _sql(database, query, params=None):
    return live._pg(live.backend_uri() + database, query, params)


def _agencies(database):
    "(code, name, parent code) of the agencies of the installation"
    return _sql(database,
        'SELECT c.identifier_code, p.name, pc.identifier_code '
        'FROM company_company c JOIN party_party p ON p.id = c.party '
        'LEFT JOIN company_company pc ON pc.id = c.parent '
        'WHERE NOT c.external AND c.identifier_code IS NOT NULL '
        'ORDER BY c.identifier_code')


class Axis:
    "The vbdh-axis command on a free port"

    def __init__(self, directory, agencies):
        self.directory = directory
        self.port = live.free_port()
        self.url = f'http://127.0.0.1:{self.port}'
        agencies_file = os.path.join(directory, 'agencies.json')
        credentials_file = os.path.join(directory, 'credentials.json')
        with open(agencies_file, 'w', encoding='utf-8') as file:
            json.dump({'agencies': agencies}, file, ensure_ascii=False)
        with open(credentials_file, 'w', encoding='utf-8') as file:
            json.dump({'systems': [{'system_id': s, 'secret': k,
                            'agencies': [p]}
                        for s, k, p in SYSTEMS.values()]}, file)
        self.command = [str(live.BIN / 'vbdh-axis'), '--port',
            str(self.port), '--store', os.path.join(directory, 'store'),
            '--agencies', agencies_file, '--credentials', credentials_file,
            '--no-fsync']
        self.process = None

    def start(self):
        self.log = open(os.path.join(self.directory, 'axis.log'), 'w')
        self.process = subprocess.Popen(self.command, stdout=self.log,
            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        _wait('the axis', lambda: self._get('/_admin/health'), timeout=30)
        return self

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)

    def _get(self, path):
        try:
            with urllib.request.urlopen(self.url + path, timeout=5) as r:
                return json.loads(r.read())
        except OSError:
            return None

    def _send(self, method, path, body=None):
        request = urllib.request.Request(self.url + path, method=method,
            data=json.dumps(body).encode() if body is not None else None,
            headers={'Content-Type': 'application/json'})
        with urllib.request.urlopen(request, timeout=5) as response:
            return json.loads(response.read())

    def fault(self, **spec):
        return self._send('POST', '/_admin/faults', spec)

    def clear_faults(self):
        return self._send('DELETE', '/_admin/faults')

    def messages(self):
        return self._get('/_admin/messages')['messages']

    def log_entries(self):
        return self._get('/_admin/log')['entries']


class Province:
    "A database, its trytond server and its worker"

    def __init__(self, name, database, axis):
        self.name = name
        self.database = database
        self.server = live.Server(database, vb_lgsp={'lease': LEASE})
        # The queue is run by trytond-worker, as in production
        config = self.server.config
        config.write_text(config.read_text().replace(
                'worker = False', 'worker = True'))
        self.axis = axis
        self.worker = None
        # Tasks a killed worker had taken: never finished, never run again
        self.orphaned_tasks = []

    def start(self):
        self.server.start()
        self.start_worker()
        self.admin = self.server.client('admin')
        return self

    def start_worker(self):
        log = open(live.VAR / f'{self.database}.worker.log', 'a')
        self.worker = subprocess.Popen([str(live.BIN / 'trytond-worker'),
                '-c', str(self.server.config), '-d', self.database,
                # Retries are scheduled tasks: without a short timeout the
                # worker sees them only when its 60 s wait ends
                '-n', '1', '-t', '1'],
            env=live._env(), stdout=log, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, start_new_session=True)

    def kill_worker(self):
        """SIGKILL the worker and its task processes.

        The tasks it had taken stay taken and unfinished in ir_queue for
        ever (the messages they carried are queued again by the poll, as
        new tasks): they are noted so that a settled queue is not waited
        for them.
        """
        os.killpg(self.worker.pid, signal.SIGKILL)
        self.worker.wait(10)
        # No worker runs now: every task taken and unfinished is lost
        self.orphaned_tasks.extend(id_ for id_, in _sql(self.database,
                "SELECT id FROM ir_queue WHERE dequeued_at IS NOT NULL "
                "AND finished_at IS NULL"))

    def stop(self):
        if self.worker and self.worker.poll() is None:
            os.killpg(self.worker.pid, signal.SIGTERM)
            try:
                self.worker.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.worker.pid, signal.SIGKILL)
        self.server.stop()

    def configure(self):
        "A connection to the axis for every agency, then the directory"
        system_id, secret, _ = SYSTEMS[self.name]
        self.connection, = self.admin.model('vb.lgsp.connection', 'create',
            [{'name': f'Trục liên thông (tỉnh {self.name})',
                    'kind': 'vxp', 'base_url': self.axis.url,
                    'system_id': system_id, 'new_secret': secret,
                    'poll_interval': 1, 'retry_delay': 1,
                    'max_attempts': 6, 'timeout': 10}])
        ours = self.admin.model('company.company', 'search',
            [('external', '=', False)], 0, None, None)
        self.admin.model('company.company', 'write', ours,
            {'lgsp_connection': self.connection})
        self.admin.model('vb.lgsp.connection', 'synchronise_directory',
            [self.connection])

    def poll(self):
        self.admin.model('vb.lgsp.connection', 'poll_now', [self.connection])

    def messages(self, domain, fields=('key', 'state', 'direction', 'kind',
                'status_code', 'document_id', 'axis_doc_id', 'attempts',
                'duplicate', 'acknowledged_at', 'error_code')):
        return self.admin.model('vb.lgsp.message', 'search_read', domain,
            0, None, [('id', 'ASC')], list(fields))

    def agency(self, code):
        ids = self.admin.model('company.company', 'search',
            [('identifier_code', '=', code)], 0, 1, None)
        return ids[0]


MODULES = ['vb_document', 'vb_workflow', 'vb_signature', 'vb_lgsp',
    'vb_reports']


def _demo_databases(names):
    """Two copies of the demo province for the current code.

    Building the demo template takes minutes: when there is none for this
    version of the code but an older one, the copies are made from the
    newest and their modules updated, as an upgrade would.
    """
    key = code_key()
    newest = _sql('postgres', "SELECT datname FROM pg_database "
        "WHERE datname LIKE 'vbdh_tpl_%%' AND datname NOT LIKE '%%_build%%' "
        "ORDER BY oid DESC LIMIT 1")
    if live._exists(f'vbdh_tpl_{key}') or not newest:
        for name in names:
            live.demo_database(name, key)
        return
    updates = []
    for name in names:
        live._clone(newest[0][0], name)
        config = live.write_config(name, live.free_port())
        updates.append(subprocess.Popen([str(live.BIN / 'trytond-admin'),
                    '-c', str(config), '-d', name, '-u', *MODULES],
                env=live._env(), stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT))
    for update in updates:
        assert update.wait() == 0


@pytest.fixture(scope='module')
def provinces():
    if not live.is_postgresql():
        pytest.skip("needs PostgreSQL (two live databases and workers)")
    pid = os.getpid()
    names = {'A': f'vbdh_lgsp_a_{pid}', 'B': f'vbdh_lgsp_b_{pid}'}
    _demo_databases(list(names.values()))
    # Province B: the same directory under another province code and name
    _sql(names['B'], "UPDATE company_company SET identifier_code = "
        "replace(identifier_code, '.H99', '.H98') "
        "WHERE identifier_code LIKE '%%.H99'")
    _sql(names['B'], "UPDATE party_party SET name = "
        "replace(name, 'Hải Vân', 'Hải Nam') WHERE name LIKE '%%Hải Vân%%'")
    agencies = [{'code': code, 'name': name, 'parent': parent}
        for database in names.values()
        for code, name, parent in _agencies(database)]
    directory = tempfile.mkdtemp(prefix='vbdh-lgsp-')
    axis = Axis(directory, agencies).start()
    sides = {}
    try:
        for side, database in names.items():
            sides[side] = Province(side, database, axis).start()
        for side in sides.values():
            side.configure()
        yield sides['A'], sides['B'], axis
    finally:
        for side in sides.values():
            side.stop()
        axis.stop()
        for database in names.values():
            live.drop(database)
        shutil.rmtree(directory, ignore_errors=True)


def _confirm(client, warning):
    "Answer yes to a warning, as the web client does"
    assert warning.name == 'UserWarning', warning.error
    client.model('res.user.warning', 'skip', warning.message, False)


def _wizard(client, name, document, state, data, context=None,
        model='vb.document'):
    "Run wizard name on document: its start defaults updated with data"
    context = dict(context or {}, active_model=model,
        active_id=document, active_ids=[document])
    session, _, _ = client.call(f'wizard.{name}.create')
    try:
        view = client.call(f'wizard.{name}.execute', session, {}, 'start',
            context=context)
        values = {k: v for k, v in view['view']['defaults'].items()
            if '.' not in k}
        values.update(data)
        return client.call(f'wizard.{name}.execute', session,
            {'start': values}, state, context=context)
    finally:
        client.call(f'wizard.{name}.delete', session, context=context)


def _issue(a, recipient, subject):
    clerk = a.server.client('vanthu.ubnd')
    ubnd = agency_id(a.admin, 'UBND')
    document, = create_outgoing(clerk, ubnd, subject=subject,
        type_code='cong_van', recipients=[recipient])
    clerk.model('vb.document', 'issue', [document],
        context={'company': ubnd})
    document_id, = [d['lgsp_document_id'] for d in a.admin.model(
            'vb.document', 'read', [document], ['lgsp_document_id'])]
    return document, document_id


def _sent(a, document):
    messages = a.messages([('document', '=', document),
            ('direction', '=', 'out'), ('kind', '=', 'edoc')])
    return messages[0] if messages and messages[0]['state'] == 'sent' \
        else None


def _received(b, document_id):
    "Poll B until the document is stored; its id"
    def stored():
        b.poll()
        ids = b.admin.model('vb.document', 'search', [
                ('lgsp_document_id', '=', document_id),
                ('direction', '=', 'incoming')], 0, None, None)
        return ids
    ids = _wait(f'{document_id} at B', stored)
    assert len(ids) == 1, ids
    return ids[0]


def _statuses(a, document):
    return a.admin.model('vb.lgsp.recipient.status', 'search_read',
        [('document', '=', document)], 0, None, [('code', 'ASC')],
        ['code', 'description'])


def test_exchange_between_two_provinces(provinces):
    a, b, axis = provinces
    snv_b = _sql(b.database, "SELECT identifier_code FROM company_company "
        "WHERE abbreviation = 'SNV' AND NOT external")[0][0]
    recipient = a.agency(snv_b)
    snv = agency_id(b.admin, 'SNV')
    b_clerk = b.server.client('vanthu.snv')
    leader = b.admin.model('res.user', 'search',
        [('login', '=', 'ld1.snv')], 0, 1, None)[0]
    officer = b.admin.model('res.user', 'search',
        [('login', '=', 'cv1.snv.vp')], 0, 1, None)[0]
    context = {'company': snv}

    # 1. The whole life of a document, statuses back to A
    document, document_id = _issue(a, recipient,
        "V/v phối hợp rà soát biên chế năm 2027")
    sent = _wait('the send by A', lambda: _sent(a, document))
    assert sent['attempts'] == 1 and sent['axis_doc_id']
    incoming = _received(b, document_id)
    values, = b.admin.model('vb.document', 'read', [incoming],
        ['state', 'company', 'source', 'subject', 'files'])
    assert (values['state'], values['company'], values['source']) == (
        'waiting', snv, 'lgsp')
    assert values['subject'].startswith("V/v phối hợp rà soát")
    assert len(values['files']) == 1

    # A's demo documents are not signed: with vb_signature, B's clerk is
    # warned (the demo agencies' policy) and confirms
    with pytest.raises(live.RPCError) as warning:
        b_clerk.model('vb.document', 'register_document', [incoming],
            context=context)
    assert warning.value.name == 'UserWarning'
    _confirm(b_clerk, warning.value)
    b_clerk.model('vb.document', 'register_document', [incoming],
        context=context)
    _wizard(b_clerk, 'vb.document.submit', incoming, 'submit',
        {'to': 'leader', 'leader': leader, 'note': "Kính trình"},
        context=context)
    _wizard(b.server.client('ld1.snv'), 'vb.document.assign', incoming,
        'assign', {'directive': "Văn phòng tham mưu", 'lead_user': officer,
            'lead_unit': None, 'co_units': [], 'co_users': [],
            'info_units': [], 'info_users': []}, context=context)
    handler = b.server.client('cv1.snv.vp')
    _wizard(handler, 'vb.document.handle', incoming, 'handle',
        {'action': 'progress', 'note': "Đang tổng hợp"}, context=context)
    _wizard(handler, 'vb.document.complete', incoming, 'complete',
        {'note': "Đã hoàn thành"}, context=context)

    def all_statuses():
        a.poll()
        codes = [s['code'] for s in _statuses(a, document)]
        return codes if codes == ['01', '03', '04', '05', '06'] else None
    _wait('the statuses at A', all_statuses)
    line, = a.admin.model('vb.document.recipient', 'search_read',
        [('document', '=', document)], 0, None, None,
        ['state', 'lgsp_state', 'lgsp_status', 'processing_state'])
    assert (line['state'], line['lgsp_state'], line['lgsp_status'],
        line['processing_state']) == ('received', 'sent', '06', 'done')

    # 2. The axis answers 500 twice, then recovers: sent once, 3 attempts
    axis.fault(mode='500', count=2, actions=['sendEdoc'], apis=['vxp'])
    retried, retried_id = _issue(a, recipient, "V/v báo cáo quý I")
    sent = _wait('the retried send', lambda: _sent(a, retried))
    assert sent['attempts'] == 3, sent

    # 3. The connection drops after the axis stored the package: the
    # resend is recognised and the first DocId kept
    axis.fault(mode='drop_after_accept', count=1, actions=['sendEdoc'],
        apis=['vxp'])
    dropped, dropped_id = _issue(a, recipient, "V/v báo cáo quý II")
    sent = _wait('the resent package', lambda: _sent(a, dropped))
    assert sent['duplicate'] and sent['attempts'] == 2, sent

    # 4. The worker is killed while the axis holds the request: nothing
    # committed at A; after the lease the poll queues it again
    axis.fault(mode='slow', delay=4, count=1, actions=['sendEdoc'],
        apis=['vxp'])
    before = len(axis.messages())
    killed, killed_id = _issue(a, recipient, "V/v báo cáo quý III")
    _wait('the axis to store it', lambda: len(axis.messages()) > before)
    a.kill_worker()
    message, = a.messages([('document', '=', killed),
            ('direction', '=', 'out')])
    assert message['state'] == 'pending', message
    a.start_worker()
    time.sleep(LEASE + 1)

    def recovered():
        a.poll()
        return _sent(a, killed)
    sent = _wait('the send after the worker was killed', recovered)
    assert sent['duplicate'], sent

    # 5. B's acknowledgement is lost once: the delivery comes again and
    # is recognised
    axis.fault(mode='500', count=1, actions=['updateStatus'], apis=['vxp'])
    for document_id_ in (retried_id, dropped_id, killed_id):
        incoming_ = _received(b, document_id_)
        try:
            b_clerk.model('vb.document', 'register_document', [incoming_],
                context=context)
        except live.RPCError as warning:
            _confirm(b_clerk, warning)
            b_clerk.model('vb.document', 'register_document', [incoming_],
                context=context)

    def acknowledged():
        b.poll()
        return not [m for m in b.messages([('direction', '=', 'in')])
            if not m['acknowledged_at']]
    _wait('every delivery acknowledged by B', acknowledged)

    def registered():
        a.poll()
        return all('03' in [s['code'] for s in _statuses(a, d)]
            for d in (retried, dropped, killed))
    _wait('03 for every document at A', registered)

    _reconcile(a, b, axis, {document: document_id, retried: retried_id,
            dropped: dropped_id, killed: killed_id})
    # The faults did happen: resends recognised, one acknowledgement lost
    log = axis.log_entries()
    assert len([e for e in log if e.get('action') == 'sendEdoc'
            and e.get('result') == 'duplicate']) >= 2
    assert len([e for e in log if e.get('action') == 'updateStatus'
            and e.get('result') == 'fault']) == 1


def _reconcile(a, b, axis, documents):
    "Both registers against the simulator's messages: each thing once"
    messages = axis.messages()
    a_code = _sql(a.database, "SELECT identifier_code FROM company_company "
        "WHERE abbreviation = 'UBND' AND NOT external")[0][0]
    edocs = [m for m in messages if m['kind'] == 'edoc']
    statuses = [m for m in messages if m['kind'] == 'status']
    # Documents: one axis message each, one copy at B, delivered and done
    by_document = {}
    for message in edocs:
        by_document.setdefault(message['documentId'], []).append(message)
    assert sorted(by_document) == sorted(documents.values())
    for document, document_id in documents.items():
        message, = by_document[document_id]
        assert message['from'] == a_code
        sent, = a.messages([('document', '=', document),
                ('direction', '=', 'out'), ('kind', '=', 'edoc')])
        assert sent['axis_doc_id'] == message['docId']
        delivery, = message['deliveries']
        assert delivery['status'] == 'done'
        received = b.messages([('axis_doc_id', '=', delivery['docId'])])
        assert [m['state'] for m in received] == ['stored']
        assert len(b.admin.model('vb.document', 'search', [
                    ('lgsp_document_id', '=', document_id)],
                0, None, None)) == 1
    # Statuses: one axis message per document and code, recorded once at A
    sent_statuses = {}
    for message in statuses:
        key = (message['responseFor']['documentId'], message['statusCode'])
        sent_statuses[key] = sent_statuses.get(key, 0) + 1
        for delivery in message['deliveries']:
            assert delivery['status'] == 'done', message
    assert set(sent_statuses.values()) == {1}, sent_statuses
    recorded = {}
    for document, document_id in documents.items():
        for status in _statuses(a, document):
            key = (document_id, status['code'])
            recorded[key] = recorded.get(key, 0) + 1
    assert recorded == sent_statuses
    # Nothing waits, nothing gave up
    for side in (a, b):
        assert not side.messages([('state', 'in',
                    ['pending', 'listed', 'dead', 'failed'])])


def _register(client, document, context):
    "Register at B, confirming the unsigned-file warning when it comes"
    try:
        client.model('vb.document', 'register_document', [document],
            context=context)
    except live.RPCError as warning:
        _confirm(client, warning)
        client.model('vb.document', 'register_document', [document],
            context=context)


def _settled_poll(side, timeout=300):
    """Poll once the side's queue has nothing to do now.

    The worker (one process) also runs the slow tasks of received files
    (text extraction, signature checks): a delivery listed while it is
    busy would wait past the short lease of this test, and every poll
    would count it as lost again until it gives up.
    """
    _wait(f'the queue of {side.name}', lambda: not _sql(side.database,
            "SELECT 1 FROM ir_queue WHERE finished_at IS NULL "
            # The tasks of the worker killed by the first test (about a
            # minute before) are not running and never will
            "AND id <> ALL(%s) "
            "AND (scheduled_at IS NULL "
            "OR scheduled_at <= CURRENT_TIMESTAMP AT TIME ZONE 'UTC') "
            "LIMIT 1", (side.orphaned_tasks,)), timeout=timeout, interval=1)
    side.poll()


def _answers(a, document):
    "{code: description} of the statuses A recorded for document"
    return {s['code']: s['description'] for s in _statuses(a, document)}


class _Side:
    "A's clerk sending to Sở Nội vụ of B, B's clerk answering"

    def __init__(self, provinces):
        a, b, _ = provinces
        self.a, self.b = a, b
        snv_b = _sql(b.database, "SELECT identifier_code FROM "
            "company_company WHERE abbreviation = 'SNV' AND NOT external"
            )[0][0]
        self.recipient = a.agency(snv_b)
        self.ubnd = agency_id(a.admin, 'UBND')
        self.snv = agency_id(b.admin, 'SNV')
        self.a_clerk = a.server.client('vanthu.ubnd')
        self.b_clerk = b.server.client('vanthu.snv')
        self.a_context = {'company': self.ubnd}
        self.b_context = {'company': self.snv}

    def sent_and_received(self, subject):
        document, document_id = _issue(self.a, self.recipient, subject)
        _wait(f'the send of {subject}', lambda: _sent(self.a, document))
        return document, document_id, self.received(document_id)

    def received(self, document_id):
        def stored():
            _settled_poll(self.b)
            return self.b.admin.model('vb.document', 'search', [
                    ('lgsp_document_id', '=', document_id),
                    ('direction', '=', 'incoming')], 0, None, None)
        document, = _wait(f'{document_id} at B', stored)
        return document

    def read_b(self, document, names):
        values, = self.b.admin.model('vb.document', 'read', [document],
            names)
        return values

    def answered(self, document, code):
        def check():
            _settled_poll(self.a)
            return code in _answers(self.a, document)
        _wait(f'{code} at A', check)
        return _answers(self.a, document)[code]

    def settled(self):
        "Nothing waits, nothing gave up, on either side"
        def check():
            _settled_poll(self.a)
            _settled_poll(self.b)
            return not any(side.messages([('state', 'in',
                                ['pending', 'listed', 'dead', 'failed'])])
                for side in (self.a, self.b))
        _wait('both outboxes and inboxes empty', check)


def _unpack(side):
    return (side.a, side.b, side.recipient, side.ubnd, side.a_clerk,
        side.b_clerk, side.a_context, side.b_context, side.sent_and_received,
        side.received, side.read_b, side.answered)


def test_business_flows_between_two_provinces(provinces):
    """Withdrawal given back (15) and kept (16), revocation and
    replacement, from A to B and answered back"""
    side = _Side(provinces)
    (a, b, recipient, ubnd, a_clerk, b_clerk, a_context, b_context,
        sent_and_received, received, read_b, answered) = _unpack(side)

    # 1. Withdrawals (13): B gives one back (15), keeps the other (16)
    given, _, given_b = sent_and_received("V/v lấy lại: đồng ý")
    kept, _, kept_b = sent_and_received("V/v lấy lại: từ chối")
    _register(b_clerk, kept_b, b_context)
    for document in (given, kept):
        _wizard(a_clerk, 'vb.lgsp.withdraw', document, 'withdraw',
            {'reason': "Sai sót số liệu"}, context=a_context)

    def requested():
        _settled_poll(b)
        return all(read_b(d, ['lgsp_withdrawal'])['lgsp_withdrawal']
            == 'requested' for d in (given_b, kept_b))
    _wait('the withdrawal requests at B', requested)
    b_clerk.model('vb.document', 'lgsp_accept_withdrawal', [given_b],
        context=b_context)
    _wizard(b_clerk, 'vb.lgsp.withdrawal.refuse', kept_b, 'refuse',
        {'reason': "Văn bản đã giao xử lý"}, context=b_context)
    answered(given, '15')
    assert answered(kept, '16') == "Văn bản đã giao xử lý"
    assert read_b(given_b, ['state'])['state'] == 'cancelled'
    assert read_b(kept_b, ['state'])['state'] == 'registered'

    # 2. Revocation (BussinessDocType 1): a decision of A revokes the
    # document; B applies it (cancelled there, 15 back)
    revoked, _, revoked_b = sent_and_received("V/v thu hồi: văn bản sai")
    _register(b_clerk, revoked_b, b_context)
    revoking, = create_outgoing(a_clerk, ubnd,
        subject="Quyết định thu hồi văn bản", type_code='cong_van',
        recipients=[recipient])
    a_clerk.model('vb.document.relation', 'create', [{
                'document': revoking, 'kind': 'revoke', 'target': revoked,
                'note': "Ban hành sai thẩm quyền"}], context=a_context)
    a_clerk.model('vb.document', 'issue', [revoking], context=a_context)

    def revocation():
        _settled_poll(b)
        values = read_b(revoked_b, ['lgsp_withdrawal',
                'lgsp_withdrawal_kind', 'lgsp_withdrawal_reason'])
        return values if values['lgsp_withdrawal'] == 'requested' else None
    values = _wait('the revocation at B', revocation)
    assert (values['lgsp_withdrawal_kind'],
        values['lgsp_withdrawal_reason']) == (
        'revoke', "Ban hành sai thẩm quyền")
    # The revocation is a request, not a document of B
    assert not b.admin.model('vb.document', 'search',
        [('subject', 'like', 'Quyết định thu hồi văn bản%')], 0, None, None)
    b_clerk.model('vb.document', 'lgsp_accept_withdrawal', [revoked_b],
        context=b_context)
    answered(revoked, '15')
    assert read_b(revoked_b, ['state'])['state'] == 'cancelled'

    # 3. Replacement (BussinessDocType 3): a new document of A replaces
    # one B has; B registers it and the old one is replaced
    old, _, old_b = sent_and_received("V/v thay thế: bản cũ")
    _register(b_clerk, old_b, b_context)
    new, = create_outgoing(a_clerk, ubnd, subject="V/v thay thế: bản mới",
        type_code='cong_van', recipients=[recipient])
    a_clerk.model('vb.document.relation', 'create', [{
                'document': new, 'kind': 'replace', 'target': old,
                'note': "Thay thế do sai số liệu"}], context=a_context)
    a_clerk.model('vb.document', 'issue', [new], context=a_context)
    new_id, = [d['lgsp_document_id'] for d in a.admin.model(
            'vb.document', 'read', [new], ['lgsp_document_id'])]
    new_b = received(new_id)
    relation, = b.admin.model('vb.document.relation', 'search_read',
        [('document', '=', new_b)], 0, None, None, ['kind', 'target'])
    assert (relation['kind'], relation['target']) == ('replace', old_b)
    _register(b_clerk, new_b, b_context)
    assert read_b(old_b, ['validity'])['validity'] == 'replaced'
    answered(new, '03')

    side.settled()


def test_update_between_two_provinces(provinces):
    "An update applied (15), a second one refused (16), from A to B"
    side = _Side(provinces)
    (a, b, recipient, ubnd, a_clerk, b_clerk, a_context, b_context,
        sent_and_received, received, read_b, answered) = _unpack(side)

    # Update (BussinessDocType 2): A corrects the subject; B applies
    # it (15), then a second correction is refused (16)
    updated, _, updated_b = sent_and_received("V/v cập nhật: trích yếu cũ")
    _register(b_clerk, updated_b, b_context)
    _wizard(a_clerk, 'vb.lgsp.update.send', updated, 'send',
        {'subject': "V/v cập nhật: trích yếu đã đính chính",
            'reason': "Đính chính trích yếu"}, context=a_context)
    sent_update, = a.messages([('document', '=', updated),
            ('business', '=', 'update')])
    assert sent_update['kind'] == 'edoc'

    def update_request():
        _settled_poll(b)
        ids = b.admin.model('vb.lgsp.update', 'search', [
                ('document', '=', updated_b), ('state', '=', 'requested')],
            0, None, None)
        return ids
    try:
        request, = _wait('the update request at B', update_request)
    except AssertionError:
        fields = ('key', 'state', 'business', 'document_id', 'error',
            'error_code', 'axis_doc_id')
        raise AssertionError(('update not requested at B', a.messages(
                    [('document', '=', updated)], fields), b.messages(
                    [('direction', '=', 'in')], fields)[-2:], _sql(
                    b.database, "SELECT message, description FROM ir_error "
                    "ORDER BY id DESC LIMIT 2"), _sql('postgres',
                    "SELECT state, wait_event_type, wait_event, "
                    "left(query, 200) FROM pg_stat_activity "
                    "WHERE datname = %s", (b.database,)),
                subprocess.run(['ps', '-o', 'pid,stat,etime,args', '-C',
                        'trytond-worker'], capture_output=True,
                    text=True).stdout))
    request_values, = b_clerk.model('vb.lgsp.update', 'read', [request],
        ['reason', 'changes'], context=b_context)
    assert request_values['reason'] == "Đính chính trích yếu"
    assert "trích yếu đã đính chính" in request_values['changes']
    assert read_b(updated_b, ['subject'])['subject'] == (
        "V/v cập nhật: trích yếu cũ 0")
    b_clerk.model('vb.lgsp.update', 'apply', [request], context=b_context)
    assert read_b(updated_b, ['subject'])['subject'] == (
        "V/v cập nhật: trích yếu đã đính chính")
    answered(updated, '15')
    update_a, = a.admin.model('vb.lgsp.update', 'search_read',
        [('document', '=', updated)], 0, None, None,
        ['direction', 'state', 'changes'])
    assert (update_a['direction'], update_a['state']) == ('out', 'sent')

    _wizard(a_clerk, 'vb.lgsp.update.send', updated, 'send',
        {'page_count': 3, 'reason': "Bổ sung số trang"}, context=a_context)
    second, = _wait('the second update request at B', update_request)
    _wizard(b_clerk, 'vb.lgsp.update.refuse', second, 'refuse',
        {'reason': "Đã xử lý theo bản cũ"}, context=b_context,
        model='vb.lgsp.update')
    assert answered(updated, '16') == "Đã xử lý theo bản cũ"
    assert read_b(updated_b, ['page_count'])['page_count'] != 3

    side.settled()


@needs_chromium
def test_update_changes_recipients_in_web_client(provinces, browser):
    """A's clerk, in the web client, sends an update that adds Sở Tài
    chính of B to the recipients and takes Sở Nội vụ of B off: B's Sở
    Tài chính receives the document, its Sở Nội vụ the update"""
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.common.keys import Keys
    side = _Side(provinces)
    a, b = side.a, side.b
    subject = "V/v điều chỉnh nơi nhận trên giao diện web"
    reason = "Chuyển Sở Tài chính chủ trì thay Sở Nội vụ"
    document, _, document_b = side.sent_and_received(subject)
    stc_b = _sql(b.database, "SELECT identifier_code FROM company_company "
        "WHERE abbreviation = 'STC' AND NOT external")[0][0]
    added = a.agency(stc_b)
    names = {c['id']: c['rec_name'] for c in a.admin.model(
            'company.company', 'read', [added, side.recipient],
            ['rec_name'])}

    ui = UI(browser)
    try:
        ui.login(a.server.url, a.database, 'vanthu.ubnd')
        ui.watch_errors()
        ui.text('Văn bản')  # logged in: the menu is shown
        browser.execute_script('window.location.hash = arguments[0]',
            f'#{a.database}/model/vb.document/{document}')
        ui.click('button[name=lgsp_send_update]')
        reason_entry = ui.visible('textarea[name=reason]')
        dialogs = len(ui.modals())
        # The wizard's new fields, in Vietnamese
        ui.text("Thêm nơi nhận")
        ui.text("Bỏ nơi nhận")
        ui.visible('input[name=add_agencies]').send_keys(
            names[added] + Keys.TAB)
        ui.check(names[added], under=dialogs)
        ui.text(names[added], 'td//*')
        # F2 lists the lines that can be taken off (those sent)
        ui.visible('input[name=remove_recipients]').send_keys(Keys.F2)
        ui.check(names[side.recipient], under=dialogs)
        ui.text(names[side.recipient], 'td//*')
        reason_entry.send_keys(reason)
        ui.shot('lgsp-01-update-recipients')
        ui.visible('.modal-footer button.btn-primary').click()
        ui.wait.until(lambda driver: len(ui.modals()) < dialogs)
        assert not ui.modals(), ui.modal().text
    except TimeoutException as e:
        raise ui.failure('lgsp-99-failure') from e

    # At A: the line taken off is marked, the agency added has its own
    update, = a.admin.model('vb.lgsp.update', 'search_read',
        [('document', '=', document)], 0, None, None, ['reason'])
    assert update['reason'] == reason
    lines = a.admin.model('vb.document.recipient', 'search_read',
        [('document', '=', document)], 0, None, [('id', 'ASC')],
        ['agency', 'lgsp_removed_by'])
    assert [(r['agency'], r['lgsp_removed_by']) for r in lines] == [
        (side.recipient, update['id']), (added, None)]

    # At B: Sở Tài chính receives the document as a new one, Sở Nội vụ
    # the update that takes it off
    stc = agency_id(b.admin, 'STC')

    def arrived():
        _settled_poll(b)
        return b.admin.model('vb.document', 'search', [
                ('company', '=', stc), ('direction', '=', 'incoming'),
                ('subject', '=', subject + ' 0')], 0, None, None)
    _wait('the document at Sở Tài chính of B', arrived)

    def update_request():
        _settled_poll(b)
        return b.admin.model('vb.lgsp.update', 'search_read',
            [('document', '=', document_b)], 0, None, None, ['reason'])
    request, = _wait('the update at Sở Nội vụ of B', update_request)
    assert request['reason'] == reason
    side.settled()


def _bytes(value):
    "A binary value as the JSON-RPC API gives it"
    return base64.b64decode(value['base64']) if value else b''


def _leader_signed(pki, data):
    "The PDF data with the reserved fields, signed by the competent person"
    from trytond.modules.vb_signature import pades
    from trytond.modules.vb_signature.pades.testpki import TestPKI
    data = pades.reserve_fields(data, pades.standard_reservation(data))
    with pki.signer('leader') as signer:
        return pades.sign_leader(data, signer,
            pades.Appearance(image=TestPKI.signature_png()))


def _trust_and_seal(a, b, pki, seals):
    """Both provinces trust the test CA's root, as every agency trusts the
    Government's; seals: {abbreviation: certificate label} of A's agencies
    given an organization certificate. Their ids."""
    for side in (a, b):
        side.admin.model('vb.signature.trust', 'create', [{
                    'certificate': binary(pki.der('root')), 'kind': 'root'}])
    return {abbreviation: _seal_with(a, abbreviation, pki, label)
        for abbreviation, label in seals.items()}


def _seal_with(side, abbreviation, pki, label):
    """The organization certificate of side's agency: a key file from the
    test CA (label), which seals what the agency issues and signs its
    packages (XMLDSig)"""
    from trytond.modules.vb_signature.pades.testpki import PASSWORD, TestPKI
    agency = agency_id(side.admin, abbreviation)
    side.admin.model('vb.signature.certificate', 'create', [{
                'owner': 'organization', 'company': agency, 'user': None,
                'method': 'pkcs12', 'pkcs12': binary(pki.pkcs12(label)),
                'secret': PASSWORD.decode(),
                'image': binary(TestPKI.seal_png())}],
        context={'company': agency})
    return agency


def _main_file(side, document):
    "The main file of document as side holds it, with its signature check"
    files = side.admin.model('ir.attachment', 'search_read', [
            ('resource', '=', f'vb.document,{document}'),
            ('document_role', '=', 'main')], 0, None, None,
        ['name', 'data', 'signature_status', 'signature_report'])
    assert len(files) == 1, files
    return files[0]


def _report(side, report):
    "[(kind, status, reasons)] of a signature report's signatures"
    signatures = side.admin.model('vb.signature.report.signature',
        'search_read', [('report', '=', report)], 0, None, [('id', 'ASC')],
        ['kind', 'status', 'reasons'])
    return sorted((s['kind'], s['status'], s['reasons'] or '')
        for s in signatures)


def test_signed_documents_between_two_provinces(provinces, tmp_path):
    """A signs, B checks every signature and refuses what does not pass.

    Both provinces trust the (test) national root CA, as every agency
    trusts the Government's. Sở Tư pháp of A seals with its organization
    certificate: the leader's PAdES signature and A's seal reach Sở Tư
    pháp of B (policy: refuse what does not pass) in a package signed in
    XMLDSig; B's worker checks both, the clerk registers with no warning
    and A gets 01 and 03. Sở Tài chính of A seals with a certificate that
    the CA has revoked: B stores the document, its check finds the
    revocation, the registration is refused with the reasons in
    Vietnamese and changes nothing, and the clerk's refusal (02, the
    reasons filled in) reaches A.
    """
    from trytond.modules.vb_lgsp.edxml import parse
    from trytond.modules.vb_signature.document import organization_signed
    from trytond.modules.vb_signature.pades.testpki import (
        PKIServer, TestPKI)
    a, b, _ = provinces
    # Served on 127.0.0.1: B's checks fetch the CRLs of the CA
    server = PKIServer().start()
    try:
        pki = server.attach(TestPKI(server.url, str(tmp_path)))
        sealing = _trust_and_seal(a, b, pki,
            {'STP': 'org', 'STC': 'revoked'})
        stp_a, stc_a = sealing['STP'], sealing['STC']
        stp_b = agency_id(b.admin, 'STP')
        b.admin.model('company.company', 'write', [stp_b],
            {'signature_policy': 'refuse'})
        recipient = a.agency(_sql(b.database, "SELECT identifier_code "
                "FROM company_company WHERE abbreviation = 'STP' "
                "AND NOT external")[0][0])
        b_clerk = b.server.client('vanthu.stp')
        b_context = {'company': stp_b}

        def issued(agency, login, subject):
            clerk = a.server.client(login)
            document, = create_outgoing(clerk, agency, subject=subject,
                type_code='cong_van', recipients=[recipient],
                # The test PDF's standard font writes Latin-1 only
                pdf=_leader_signed(pki, minimal_pdf(unicodedata.normalize(
                            'NFKD', subject).encode('latin-1', 'ignore'
                            ).decode('latin-1'))))
            clerk.model('vb.document', 'issue', [document],
                context={'company': agency})
            document_id, = [d['lgsp_document_id'] for d in a.admin.model(
                    'vb.document', 'read', [document], ['lgsp_document_id'])]
            return document, document_id

        def checked(document):
            "B's main file, checked in the transaction that stored it"
            main = _main_file(b, document)
            assert main['signature_status'] in {'valid', 'invalid'}, main[
                'signature_status']
            return main

        def answered(document, code):
            def check():
                a.poll()
                return {s['code']: s['description']
                    for s in _statuses(a, document)}.get(code)
            return _wait(f'{code} at A', check)

        # 1. Signed and sealed by A, checked and registered by B
        good, good_id = issued(stp_a, 'vanthu.stp',
            "V/v hướng dẫn nghiệp vụ hộ tịch năm 2027")
        sealed = _bytes(_main_file(a, good)['data'])
        assert organization_signed(sealed)
        incoming = _received(b, good_id)
        main = checked(incoming)
        # The file B holds is the one A sealed
        assert _bytes(main['data']) == sealed
        assert main['signature_status'] == 'valid', _report(
            b, main['signature_report'])
        assert [(k, s) for k, s, _ in _report(b,
                main['signature_report'])] == [
            ('leader', 'valid'), ('organization', 'valid')]
        # The package B received is signed by A's organization
        message, = b.messages([('document', '=', incoming),
                ('direction', '=', 'in'), ('kind', '=', 'edoc')],
            fields=['package'])
        signature = parse(_bytes(message['package'])).signature
        assert signature.verified and "Thử Nghiệm" in signature.subject
        # No warning under the refuse policy: the signatures pass
        b_clerk.model('vb.document', 'register_document', [incoming],
            context=b_context)
        values, = b.admin.model('vb.document', 'read', [incoming],
            ['state', 'register_number'])
        assert values['state'] == 'registered' and values['register_number']
        answered(good, '01')
        answered(good, '03')

        # 2. Sealed with a revoked certificate: refused at B's gate
        forged, forged_id = issued(stc_a, 'vanthu.stc',
            "V/v quyết toán kinh phí năm 2026")
        incoming = _received(b, forged_id)
        main = checked(incoming)
        assert main['signature_status'] == 'invalid'
        signatures = _report(b, main['signature_report'])
        assert [(k, s) for k, s, _ in signatures] == [
            ('leader', 'valid'), ('organization', 'invalid')]
        assert "thu hồi" in signatures[1][2], signatures
        with pytest.raises(live.RPCError) as refused:
            b_clerk.model('vb.document', 'register_document', [incoming],
                context=b_context)
        assert refused.value.name == 'UserError', refused.value.error
        message = refused.value.message
        assert message.startswith("Không thể vào sổ"), message
        assert "thu hồi" in message, message
        values, = b.admin.model('vb.document', 'read', [incoming],
            ['state', 'register_number'])
        assert (values['state'], values['register_number']) == (
            'waiting', None)
        assert '03' not in [s['code'] for s in _statuses(a, forged)]
        # The clerk refuses it: the reason is the check's, sent back as 02
        _wizard(b_clerk, 'vb.document.refuse', incoming, 'refuse', {},
            context=b_context)
        description = answered(forged, '02')
        assert "thu hồi" in description, description
    finally:
        server.stop()
