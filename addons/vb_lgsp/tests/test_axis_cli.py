# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""The ``vbdh-axis`` command as a separate process, spoken to over HTTP."""
import signal
import subprocess
import sys
import time
import unittest

from trytond.modules.vb_lgsp.transport import (
    HttpClient, ProvincialRestTransport, RetryableError, VXPTransport)

from .axis_fixtures import (
    AGENCIES, KHANH_HOA, NGHE_AN, SYSTEMS, credentials_document, edoc,
    free_port, store_directory, write_json)

COMMAND = [sys.executable, '-m', 'trytond.modules.vb_lgsp.axis']


class CommandTestCase(unittest.TestCase):

    def start(self, *arguments):
        port = free_port()
        process = subprocess.Popen(COMMAND + ['--port', str(port),
                *arguments], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True)
        self.addCleanup(self._stop, process)
        url = f'http://127.0.0.1:{port}'
        deadline = time.monotonic() + 20
        while True:
            try:
                response = HttpClient(1).request('GET',
                    f'{url}/_admin/health')
                if response.status == 200:
                    return process, url
            except RetryableError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                self.fail(f'vbdh-axis did not start: {process.stderr.read()}')
            time.sleep(0.1)

    @staticmethod
    def _stop(process):
        if process.poll() is None:
            process.kill()
        process.wait(10)
        process.stdout.close()
        process.stderr.close()

    def terminate(self, process):
        process.send_signal(signal.SIGTERM)
        self.assertEqual(process.wait(10), 0)
        return process.stderr.read()

    def test_run_stop_restart(self):
        with store_directory() as store:
            agencies = write_json(store, 'agencies.json', AGENCIES)
            credentials = write_json(store, 'credentials.json',
                credentials_document())
            process, url = self.start('--store', f'{store}/data',
                '--agencies', agencies, '--credentials', credentials,
                '--fault', '500:1@sendEdoc', '--no-fsync')
            sender = VXPTransport(url, 'H32.VBDH', SYSTEMS['H32.VBDH'][0],
                organ_id=KHANH_HOA, timeout=5)
            package = edoc(KHANH_HOA, [NGHE_AN])
            # The fault given on the command line, then success
            with self.assertRaises(RetryableError) as context:
                sender.send(package, [NGHE_AN], message_id='cli-1')
            self.assertEqual(context.exception.http_status, 500)
            receipt = sender.send(package, [NGHE_AN], message_id='cli-1')
            receiver = ProvincialRestTransport(url, 'H41.VBDH',
                SYSTEMS['H41.VBDH'][0], timeout=5)
            item, = receiver.inbox()
            self.assertEqual(item.doc_id, receipt.receivers[NGHE_AN])
            self.assertEqual(receiver.fetch(item.doc_id), package)
            stderr = self.terminate(process)
            self.assertIn('vbdh-axis: đang phục vụ tại', stderr)

            # Same store, credentials given as options this time
            process, url = self.start('--store', f'{store}/data',
                '--agencies', agencies, '--system',
                f'H41.VBDH:{SYSTEMS["H41.VBDH"][0]}:*.H41', '--system',
                f'H32.VBDH:{SYSTEMS["H32.VBDH"][0]}:*.H32')
            receiver = ProvincialRestTransport(url, 'H41.VBDH',
                SYSTEMS['H41.VBDH'][0], timeout=5)
            self.assertEqual([i.doc_id for i in receiver.inbox()],
                [item.doc_id])
            receiver.ack(item.doc_id)
            self.assertEqual(receiver.inbox(), [])
            sender = VXPTransport(url, 'H32.VBDH', SYSTEMS['H32.VBDH'][0],
                organ_id=KHANH_HOA, timeout=5)
            self.assertTrue(sender.send(package, [NGHE_AN],
                    message_id='cli-1').duplicate)
            self.terminate(process)

    def test_bad_options(self):
        with store_directory() as store:
            result = subprocess.run(COMMAND + ['--store', store,
                    '--system', 'chi-co-ma'], capture_output=True, text=True,
                timeout=30)
            self.assertEqual(result.returncode, 2)
            self.assertIn('--system "chi-co-ma" sai cú pháp', result.stderr)
            result = subprocess.run(COMMAND + ['--store', store,
                    '--fault', 'boom'], capture_output=True, text=True,
                timeout=30)
            self.assertEqual(result.returncode, 2)
            self.assertIn('Chế độ lỗi "boom" không hợp lệ', result.stderr)
