# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"Register counters under contention: numbers, restarts, turns (locking.py)"
import threading
import time
import unittest
from collections import Counter
from unittest.mock import patch

from trytond import backend
from trytond.exceptions import UserError
from trytond.modules.vb_document import locking
from trytond.pool import Pool

from .tools import CommittingTestCase, create_agency, run_restarted

YEAR = 2026


def _next_number(register_id, hold=0):
    "Take the next number of the register, holding its counter hold seconds"
    pool = Pool()
    Register = pool.get('vb.document.register')
    Counter_ = pool.get('vb.document.register.counter')
    number = Counter_.next_number(Register(register_id), YEAR)
    time.sleep(hold)
    return number


@unittest.skipUnless(backend.name == 'postgresql',
    "SQLite has a single writer: nothing waits for a row")
class LockingTestCase(CommittingTestCase):

    def _register(self, name, code, abbreviation):
        def create():
            agency = create_agency(name, code, abbreviation)
            Register = Pool().get('vb.document.register')
            register, = Register.search([
                    ('company', '=', agency.id),
                    ('direction', '=', 'outgoing')])
            return register.id
        register_id = run_restarted(create)
        run_restarted(lambda: _next_number(register_id))  # the year's counter
        return register_id

    def test_waiting_calls_start_again_once(self):
        "Clerks queued on one register each restart once, not at each number"
        register_id = self._register("Sở Nội vụ", '000.00.01.H99', 'SNV')
        clerks, per_clerk = 4, 6
        runs = Counter()
        numbers, errors = [], []

        def issue(clerk, i):
            runs[clerk, i] += 1
            # Held long enough that the other clerks are all waiting
            return _next_number(register_id, hold=0.03)

        def work(clerk):
            try:
                for i in range(per_clerk):
                    numbers.append(run_restarted(lambda: issue(clerk, i)))
            except Exception as e:  # reported by the main thread
                errors.append(e)

        threads = [threading.Thread(target=work, args=(c,))
            for c in range(clerks)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
        self.assertEqual(errors, [])
        self.assertEqual(sorted(numbers),
            list(range(2, clerks * per_clerk + 2)))
        # Before the queue, each waiting call started again at every
        # number taken while it waited: 2.5 times a call with 4 clerks
        self.assertLessEqual(max(runs.values()), 2)
        self.assertGreater(sum(runs.values()), clerks * per_clerk)

    def test_unused_turn_ends(self):
        """A call that waited for its turn and then failed before it
        numbered holds the register TURN_UNUSED seconds at most"""
        register_id = self._register("Sở Y tế", '000.00.02.H99', 'SYT')
        holding, release = threading.Event(), threading.Event()
        runs = Counter()
        results = {}

        def hold():
            def run():
                number = _next_number(register_id)
                holding.set()
                release.wait(30)
                return number
            results['holder'] = run_restarted(run)

        def fail_after_waiting():
            def run():
                runs['failing'] += 1
                if runs['failing'] > 1:
                    # Restarted with its turn: fails before numbering
                    raise UserError("hỏng trước khi lấy số")
                return _next_number(register_id)
            try:
                run_restarted(run)
            except UserError:
                results['failing'] = 'failed'

        with patch.object(locking, 'TURN_UNUSED', 1):
            holder = threading.Thread(target=hold)
            holder.start()
            self.assertTrue(holding.wait(30))
            failing = threading.Thread(target=fail_after_waiting)
            failing.start()
            # It waits for its turn, behind the holder
            deadline = time.monotonic() + 10
            while runs['failing'] < 1 and time.monotonic() < deadline:
                time.sleep(0.01)
            time.sleep(0.2)
            release.set()
            holder.join(30)
            failing.join(30)
            self.assertEqual(results['failing'], 'failed')
            self.assertEqual(runs['failing'], 2)
            started = time.monotonic()
            number = run_restarted(lambda: _next_number(register_id))
            waited = time.monotonic() - started
        self.assertEqual(number, results['holder'] + 1)
        # Its turn ended by PostgreSQL after 1 s idle, not LOCK_WAIT
        self.assertLess(waited, 10)

    def test_row_held_outside_the_queue(self):
        "A counter locked by a raw UPDATE is waited for in place"
        register_id = self._register("Sở Tư pháp", '000.00.03.H99', 'STP')

        def counter_id():
            Counter_ = Pool().get('vb.document.register.counter')
            counter, = Counter_.search([('register', '=', register_id)])
            return counter.id
        counter = run_restarted(counter_id)
        holding, release = threading.Event(), threading.Event()

        def raw_hold():
            from trytond.transaction import Transaction

            def run():
                cursor = Transaction().connection.cursor()
                cursor.execute('SELECT 1 FROM vb_document_register_counter '
                    'WHERE id = %s FOR UPDATE', (counter,))
                holding.set()
                release.wait(30)
            run_restarted(run)

        holder = threading.Thread(target=raw_hold)
        holder.start()
        self.assertTrue(holding.wait(30))
        threading.Timer(0.5, release.set).start()
        started = time.monotonic()
        number = run_restarted(lambda: _next_number(register_id))
        holder.join(30)
        self.assertGreaterEqual(time.monotonic() - started, 0.4)
        self.assertEqual(number, 2)
