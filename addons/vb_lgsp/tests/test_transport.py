# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""The three transports against the simulator over real HTTP on
127.0.0.1: the exchange itself, error classification, OAuth2 tokens."""
import http.server
import json
import threading
import time
import unittest
import urllib.request

from trytond.modules.vb_lgsp.transport import (
    ClientCredentials, HttpClient, OAuth2Transport, PermanentError,
    ProvincialRestTransport, RetryableError, TransportError, VXPTransport,
    make_transport)

from .axis_fixtures import (
    CLIENTS, KH_NOI_VU, KHANH_HOA, LOCKED, NA_TAI_CHINH, NGHE_AN, SYSTEMS,
    VPCP, edoc, free_port, running_axis, status)

H32_SECRET = SYSTEMS['H32.VBDH'][0]
H41_SECRET = SYSTEMS['H41.VBDH'][0]


def admin(server, method, action, body=None):
    request = urllib.request.Request(f'{server.url}/_admin/{action}',
        method=method, data=json.dumps(body).encode() if body else None,
        headers={'Content-Type': 'application/json'})
    with urllib.request.urlopen(request, timeout=5) as response:
        return json.loads(response.read())


class AxisTestCase(unittest.TestCase):
    "A fresh simulator per test"
    axis_options = {}

    def setUp(self):
        context = running_axis(**self.axis_options)
        self.server = context.__enter__()
        self.addCleanup(context.__exit__, None, None, None)

    def vxp(self, system='H32.VBDH', organ_id=KHANH_HOA, **kwargs):
        kwargs.setdefault('timeout', 5)
        return VXPTransport(self.server.url, system, SYSTEMS[system][0],
            organ_id=organ_id, **kwargs)

    def provincial(self, system='H41.VBDH', **kwargs):
        kwargs.setdefault('timeout', 5)
        return ProvincialRestTransport(self.server.url, system,
            SYSTEMS[system][0], **kwargs)

    def oauth2(self, client='h41-client', **kwargs):
        kwargs.setdefault('timeout', 5)
        return OAuth2Transport(self.server.url, '/token', client,
            CLIENTS[client][0], **kwargs)

    def assertError(self, cls, code, function, *args, **kwargs):
        with self.assertRaises(cls) as context:
            function(*args, **kwargs)
        self.assertEqual(context.exception.code, code)
        self.assertTrue(context.exception.message)
        return context.exception


class ExchangeTestCase(AxisTestCase):

    def test_vxp_to_provincial_and_back(self):
        "Khánh Hòa sends by VXP, Nghệ An receives by REST, status returns"
        pdf = b'%PDF-1.7\n' + bytes(range(256)) * 40 + b'\n%%EOF\n'
        package = edoc(KHANH_HOA, [NGHE_AN, NA_TAI_CHINH],
            attachment=('125-UBND-VP.pdf', pdf))
        sender = self.vxp()
        receipt = sender.send(package, [NGHE_AN, NA_TAI_CHINH],
            message_id='outbox-1')
        self.assertFalse(receipt.duplicate)
        self.assertEqual(set(receipt.receivers), {NGHE_AN, NA_TAI_CHINH})

        receiver = self.provincial()
        items = receiver.inbox('edoc')
        self.assertEqual(sorted(i.to_id for i in items),
            [NGHE_AN, NA_TAI_CHINH])
        self.assertEqual({i.doc_id for i in items},
            set(receipt.receivers.values()))
        for item in items:
            self.assertEqual(item.from_id, KHANH_HOA)
            self.assertEqual(item.kind, 'edoc')
            self.assertEqual(item.size, len(package))
            self.assertIsNotNone(item.created)
            self.assertEqual(receiver.fetch(item.doc_id, sha256=item.sha256),
                package)
        self.assertEqual(receiver.inbox('status'), [])
        # Nothing for Khánh Hòa, nothing for the VPCP
        self.assertEqual(sender.inbox('edoc'), [])
        self.assertEqual(self.vxp('VPCP.VBDH', VPCP).inbox(), [])

        # Each recipient acknowledges its own delivery
        receiver.ack(receipt.receivers[NGHE_AN], 'done')
        self.assertEqual([i.to_id for i in receiver.inbox()], [NA_TAI_CHINH])
        receiver.ack(receipt.receivers[NA_TAI_CHINH], 'processing')
        self.assertEqual([i.status for i in receiver.inbox()], ['processing'])
        receiver.ack(receipt.receivers[NA_TAI_CHINH], 'done')
        self.assertEqual(receiver.inbox(), [])

        # Status 01 goes back to the sender without naming it
        receipt01 = receiver.send(status(NGHE_AN, KHANH_HOA, 125, 'UBND-VP',
                '01'), [], 'status')
        statuses = sender.inbox('status')
        self.assertEqual([(s.doc_id, s.from_id, s.to_id) for s in statuses],
            [(receipt01.receivers[KHANH_HOA], NGHE_AN, KHANH_HOA)])
        self.assertEqual(sender.count('status'), 1)
        self.assertEqual(sender.count('edoc'), 0)
        content = sender.fetch(statuses[0].doc_id, sha256=statuses[0].sha256)
        self.assertIn(b'StatusCode>01</', content)
        sender.ack(statuses[0].doc_id)
        self.assertEqual(sender.inbox('status'), [])

        # The sender sees who received what (getSentEdocList)
        rows = {r['toCode']: r for r in sender.sent(receipt.doc_id)}
        self.assertEqual(rows[NGHE_AN]['receiveStatus'], 'done')
        self.assertEqual(rows[NGHE_AN]['notation'], '125/UBND-VP')
        self.assertTrue(rows[NGHE_AN]['receivedTime'])

    def test_oauth2_exchange(self):
        "Bearer token for every call, fetched once and reused"
        self.vxp().send(edoc(KHANH_HOA, [NGHE_AN]), [NGHE_AN])
        transport = self.oauth2()
        items = transport.inbox()
        self.assertEqual(len(items), 1)
        self.assertTrue(transport.fetch(items[0].doc_id).startswith(b'<?xml'))
        transport.ack(items[0].doc_id)
        receipt = transport.send(status(NGHE_AN, KHANH_HOA, 125, 'UBND-VP',
                '03', 'Đã tiếp nhận'), [KHANH_HOA], 'status')
        self.assertEqual(list(receipt.receivers), [KHANH_HOA])
        self.assertEqual(transport.inbox(), [])
        self.assertEqual(transport.bearer.fetch_count, 1)
        self.assertEqual([a.code for a in transport.agencies()][:2],
            [VPCP, KHANH_HOA])

    def test_resend_recognised(self):
        "Same message id, same bytes or same DocumentId: one message"
        sender = self.vxp()
        first = sender.send(edoc(KHANH_HOA, [NGHE_AN]), [NGHE_AN],
            message_id='m-1')
        # Rebuilt package (another trace timestamp), same outbox message
        again = sender.send(edoc(KHANH_HOA, [NGHE_AN],
                timestamp='2026/03/05 15:09:00'), [NGHE_AN],
            message_id='m-1')
        self.assertTrue(again.duplicate)
        self.assertEqual(again.doc_id, first.doc_id)
        self.assertEqual(again.receivers, first.receivers)
        # No id: the same document to the same recipient
        same = sender.send(edoc(KHANH_HOA, [NGHE_AN],
                timestamp='2026/03/05 15:10:00'), [NGHE_AN])
        self.assertEqual((same.doc_id, same.duplicate), (first.doc_id, True))
        self.assertEqual(len(self.provincial().inbox()), 1)

    def test_directory(self):
        entries = {e.code: e for e in self.vxp().agencies()}
        self.assertEqual(entries[KH_NOI_VU].parent_code, KHANH_HOA)
        self.assertEqual(entries[KHANH_HOA].parent_code, None)
        self.assertEqual(entries['000.07.21.H32'].parent_code,
            '000.00.21.H32')
        self.assertEqual(entries[VPCP].name, 'Văn phòng Chính phủ')
        transport = self.vxp()
        transport.register_agency('000.00.11.H32', 'Sở Y tế tỉnh Khánh Hòa',
            parent_code=KHANH_HOA, mail='syt@khanhhoa.gov.vn')
        transport.delete_agency(KH_NOI_VU)
        units = {e.code: e for e in transport.synchronize_units()}
        self.assertTrue(units[KH_NOI_VU].deleted)
        self.assertFalse(units['000.00.11.H32'].deleted)
        self.assertEqual(units['000.00.11.H32'].parent_code, KHANH_HOA)
        self.assertEqual(units['000.00.11.H32'].version, '1')
        self.assertIsNotNone(units[KH_NOI_VU].modified)
        self.assertNotIn(KH_NOI_VU, [e.code for e in transport.agencies()])
        self.assertEqual([e.code for e in transport.agencies_qd20(1)],
            [VPCP, KHANH_HOA, NGHE_AN])
        # Only its own agencies
        self.assertError(PermanentError, 'invalid_request',
            transport.delete_agency, NGHE_AN)
        provincial = {e.code for e in self.provincial().agencies()}
        self.assertIn('000.00.11.H32', provincial)

    def test_make_transport(self):
        transport = make_transport({'kind': 'vxp', 'base_url':
                self.server.url, 'system_id': 'H32.VBDH',
                'secret': H32_SECRET, 'organ_id': KHANH_HOA, 'timeout': 3})
        self.assertIsInstance(transport, VXPTransport)
        self.assertEqual(transport.http.timeout, 3)
        transport.send(edoc(KHANH_HOA, [NGHE_AN]), [NGHE_AN])
        provincial = make_transport({'kind': 'provincial',
                'base_url': self.server.url, 'system_id': 'H41.VBDH',
                'secret': H41_SECRET})
        oauth2 = make_transport({'kind': 'oauth2', 'base_url':
                self.server.url, 'client_id': 'h41-client',
                'client_secret': CLIENTS['h41-client'][0]})
        self.assertEqual(len(provincial.inbox()), 1)
        self.assertEqual(oauth2.inbox(), provincial.inbox())
        self.assertError(PermanentError, 'invalid_request', make_transport,
            {'kind': 'smtp'})

    def test_secrets_not_shown(self):
        transports = [self.vxp(), self.provincial(), self.oauth2()]
        for transport in transports:
            text = repr(transport) + repr(getattr(transport, 'bearer', ''))
            for secret in (H32_SECRET, H41_SECRET, CLIENTS['h41-client'][0]):
                self.assertNotIn(secret, text)
        wrong = VXPTransport(self.server.url, 'H32.VBDH', 'sai-khoa-bi-mat')
        error = self.assertError(PermanentError, 'auth', wrong.inbox)
        self.assertNotIn('sai-khoa-bi-mat', error.message)


class ErrorTestCase(AxisTestCase):

    def test_permanent_refusals(self):
        sender = self.vxp()
        error = self.assertError(PermanentError, 'bad_recipient', sender.send,
            edoc(KHANH_HOA, ['000.00.00.H99']), ['000.00.00.H99'])
        self.assertEqual(error.axis_code, 18)
        self.assertIn('000.00.00.H99', error.message)
        error = self.assertError(PermanentError, 'bad_recipient', sender.send,
            edoc(KHANH_HOA, [LOCKED]), [LOCKED])
        self.assertEqual(error.axis_code, 23)
        error = self.assertError(PermanentError, 'malformed', sender.send,
            b'<edXML><khong-dong>', [NGHE_AN])
        self.assertEqual(error.axis_code, 22)
        error = self.assertError(PermanentError, 'sender_not_registered',
            sender.send, edoc(NGHE_AN, [KHANH_HOA]), [KHANH_HOA],
            from_id=NGHE_AN)
        self.assertEqual(error.http_status, 403)
        self.assertError(PermanentError, 'not_found', sender.fetch,
            'khong-co-van-ban')
        self.assertError(PermanentError, 'invalid_request', sender.ack,
            'x', 'xong')
        self.assertError(PermanentError, 'invalid_request', sender.inbox,
            'thu-cong')
        # Header values must stay ASCII (codes, ids)
        self.assertError(PermanentError, 'invalid_request', sender.send,
            edoc(KHANH_HOA, [NGHE_AN]), [NGHE_AN], from_id='Sở Nội vụ')
        # The same refusals through the provincial API
        provincial = self.provincial()
        self.assertError(PermanentError, 'malformed', provincial.send,
            b'not xml', [])
        self.assertError(PermanentError, 'sender_not_registered',
            provincial.send, edoc(KHANH_HOA, [NGHE_AN]), [])
        self.assertError(PermanentError, 'not_found', provincial.fetch,
            'khong-co')
        wrong = ProvincialRestTransport(self.server.url, 'H41.VBDH', 'sai')
        self.assertError(PermanentError, 'auth', wrong.inbox)

    def test_connection_refused(self):
        port = free_port()
        for transport in (
                VXPTransport(f'http://127.0.0.1:{port}', 's', 'k'),
                ProvincialRestTransport(f'http://127.0.0.1:{port}', 's', 'k'),
                OAuth2Transport(f'http://127.0.0.1:{port}', '/token', 'c',
                    'k')):
            error = self.assertError(RetryableError, 'connection',
                transport.inbox)
            self.assertTrue(error.retryable)

    def test_server_errors_and_rate_limit(self):
        admin(self.server, 'POST', 'faults', {'faults': [
                    {'mode': '500', 'count': 1, 'actions': ['sendEdoc']},
                    {'mode': '503', 'count': 1, 'actions': ['sendEdoc']},
                    {'mode': '429', 'count': 1, 'actions': ['sendEdoc']}]})
        sender = self.vxp()
        package = edoc(KHANH_HOA, [NGHE_AN])
        error = self.assertError(RetryableError, 'server_error', sender.send,
            package, [NGHE_AN])
        self.assertEqual((error.http_status, error.axis_code), (500, 20))
        self.assertError(RetryableError, 'server_error', sender.send,
            package, [NGHE_AN])
        error = self.assertError(RetryableError, 'rate_limited', sender.send,
            package, [NGHE_AN])
        self.assertEqual(error.retry_after, 1)
        # The faults are used up: the fourth try goes through, once
        self.assertFalse(sender.send(package, [NGHE_AN]).duplicate)
        self.assertEqual(len(self.provincial().inbox()), 1)

    def test_timeout(self):
        admin(self.server, 'POST', 'faults', {'mode': 'timeout', 'count': 1,
                'delay': 3, 'apis': ['rest']})
        transport = self.provincial(timeout=0.5)
        started = time.monotonic()
        self.assertError(RetryableError, 'timeout', transport.inbox)
        self.assertLess(time.monotonic() - started, 2.5)
        self.assertEqual(transport.inbox(), [])

    def test_drop_after_accept_then_resend(self):
        "The axis stores the package but the answer is lost: resend is safe"
        admin(self.server, 'POST', 'faults', {'mode': 'drop_after_accept',
                'count': 1, 'actions': ['sendEdoc']})
        sender = self.vxp()
        package = edoc(KHANH_HOA, [NGHE_AN])
        self.assertError(RetryableError, 'connection', sender.send, package,
            [NGHE_AN], message_id='outbox-7')
        receipt = sender.send(package, [NGHE_AN], message_id='outbox-7')
        self.assertTrue(receipt.duplicate)
        items = self.provincial().inbox()
        self.assertEqual([i.doc_id for i in items],
            [receipt.receivers[NGHE_AN]])

    def test_non_json_answer(self):
        "A proxy's HTML page instead of the API: retry later"
        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = b'<html>Bad gateway page</html>'
                self.send_response(200)
                self.send_header('Content-Type', 'text/html')
                self.send_header('Content-Length', str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            do_GET = do_POST

            def log_message(self, *args):
                pass
        server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), Handler)
        threading.Thread(target=server.serve_forever, args=(0.05,),
            daemon=True).start()
        self.addCleanup(server.server_close)
        self.addCleanup(server.shutdown)
        url = f'http://127.0.0.1:{server.server_address[1]}'
        error = self.assertError(RetryableError, 'protocol',
            VXPTransport(url, 's', 'k').inbox)
        self.assertIn('Bad gateway', error.message)
        self.assertError(RetryableError, 'protocol',
            ProvincialRestTransport(url, 's', 'k').fetch, 'x')

    def test_integrity(self):
        self.vxp().send(edoc(KHANH_HOA, [NGHE_AN]), [NGHE_AN])
        transport = self.provincial()
        item, = transport.inbox()
        self.assertError(RetryableError, 'integrity', transport.fetch,
            item.doc_id, sha256='0' * 64)

    def test_response_size_limit(self):
        self.vxp().send(edoc(KHANH_HOA, [NGHE_AN]), [NGHE_AN])
        transport = self.provincial(http=HttpClient(5, max_response=100))
        self.assertError(PermanentError, 'too_large', transport.inbox)


class OAuth2TestCase(AxisTestCase):

    def test_refresh_on_401(self):
        "Tokens revoked on the gateway: one new token, the call succeeds"
        transport = self.oauth2()
        self.assertEqual(transport.inbox(), [])
        self.assertEqual(admin(self.server, 'POST', 'tokens/revoke'),
            {'revoked': 1})
        self.assertEqual(transport.inbox(), [])
        self.assertEqual(transport.bearer.fetch_count, 2)
        log = admin(self.server, 'GET', 'log')['entries']
        self.assertEqual([(e['action'], e['httpStatus']) for e in log], [
                ('token', 200), ('syncReceivedEdocList', 200),
                ('syncReceivedEdocList', 401), ('token', 200),
                ('syncReceivedEdocList', 200)])

    def test_token_cached_until_expiry(self):
        now = [1000.0]
        provider = ClientCredentials(f'{self.server.url}/token',
            'h41-client', CLIENTS['h41-client'][0], clock=lambda: now[0],
            leeway=30)
        token = provider.token()
        now[0] += 3500
        self.assertEqual(provider.token(), token)
        now[0] += 100  # within the leeway of the 3600 s lifetime
        self.assertNotEqual(provider.token(), token)
        self.assertEqual(provider.fetch_count, 2)
        transport = OAuth2Transport(self.server.url, '/token', 'unused',
            'unused', token_provider=provider)
        transport.inbox()
        self.assertEqual(provider.fetch_count, 2)

    def test_bad_client(self):
        transport = OAuth2Transport(self.server.url, '/token', 'h41-client',
            'khong-dung')
        error = self.assertError(PermanentError, 'auth', transport.inbox)
        self.assertEqual(error.http_status, 401)
        # Token endpoint down: retry later
        admin(self.server, 'POST', 'faults', {'mode': '503', 'count': 1,
                'apis': ['oauth']})
        self.assertError(RetryableError, 'server_error',
            self.oauth2().inbox)

    def test_bearer_with_system_key(self):
        "Bearer and X-SystemId together must name the same system"
        transport = self.oauth2(system_id='H41.VBDH', secret_key=H41_SECRET)
        self.assertEqual(transport.inbox(), [])
        mixed = self.oauth2(system_id='H32.VBDH', secret_key=H32_SECRET)
        self.assertError(PermanentError, 'auth', mixed.inbox)


class RequireBearerTestCase(AxisTestCase):
    axis_options = {'require_bearer': True}

    def test_system_key_alone_refused(self):
        self.assertError(PermanentError, 'auth', self.provincial().inbox)
        self.assertEqual(self.oauth2(system_id='H41.VBDH',
                secret_key=H41_SECRET).inbox(), [])


class TransportErrorTestCase(unittest.TestCase):

    def test_required_configuration(self):
        for factory in (
                lambda: VXPTransport('', 's', 'k'),
                lambda: VXPTransport('http://x', '', 'k'),
                lambda: ProvincialRestTransport(''),
                lambda: ClientCredentials('http://x/token', 'c', '')):
            with self.assertRaises(PermanentError):
                factory()
        self.assertTrue(issubclass(RetryableError, TransportError))
        self.assertTrue(issubclass(PermanentError, TransportError))
