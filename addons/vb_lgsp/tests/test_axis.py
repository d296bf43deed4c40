# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""The axis simulator over real HTTP on 127.0.0.1: signature checks,
routing, resend recognition, persistence, request log, faults."""
import concurrent.futures
import datetime as dt
import json
import os
import time
import unittest

from trytond.modules.vb_lgsp.axis import AxisApp, AxisServer
from trytond.modules.vb_lgsp.axis.faults import (
    FaultError, FaultInjector, parse_fault_option)
from trytond.modules.vb_lgsp.axis.package import (
    PackageError, inspect_package)
from trytond.modules.vb_lgsp.transport import (
    PermanentError, ProvincialRestTransport, RetryableError, VXPTransport)
from trytond.modules.vb_lgsp.transport.http import HttpClient, encode_multipart
from trytond.modules.vb_lgsp.transport.signing import (
    VN_TZ, sha256_hex, sign_headers)

from .axis_fixtures import (
    AGENCIES, KH_NOI_VU, KH_XA, KHANH_HOA, NA_TAI_CHINH, NGHE_AN, SYSTEMS,
    VPCP, edoc, running_axis, status, store_directory)

H32 = 'H32.VBDH'
H41 = 'H41.VBDH'


def call_admin(url, method, action, body=None, token=None):
    headers = {'Content-Type': 'application/json'}
    if token:
        headers['X-Admin-Token'] = token
    response = HttpClient(5).request(method, f'{url}/_admin/{action}',
        headers=headers, body=json.dumps(body).encode() if body else None)
    return response.status, response.json()


def vxp_request(url, action, params=None, *, system=H32, secret=None,
        files=None, now=None, method='POST', tamper=None):
    "A hand-made signed VXP request → (HTTP status, JSON body)"
    if files:
        content_type, body = encode_multipart(files=files)
    else:
        content_type, body = 'application/json', b''
    headers = sign_headers(system, secret or SYSTEMS[system][0],
        params or {}, content_type, now=now)
    headers.update(tamper or {})
    response = HttpClient(5).request(method, f'{url}/{action}',
        headers=headers, body=body if method == 'POST' else None)
    return response.status, response.json()


class AxisCase(unittest.TestCase):

    def setUp(self):
        context = running_axis()
        self.server = context.__enter__()
        self.addCleanup(context.__exit__, None, None, None)
        self.url = self.server.url

    def transport(self, system, organ_id=None):
        return VXPTransport(self.url, system, SYSTEMS[system][0],
            organ_id=organ_id, timeout=5)

    def log(self):
        return call_admin(self.url, 'GET', 'log')[1]['entries']


class SignatureTestCase(AxisCase):

    def test_valid_request(self):
        status_, body = vxp_request(self.url, 'countReceiveEdoc',
            method='GET')
        self.assertEqual((status_, body['status'], body['count']),
            (200, 'OK', 0))

    def test_refused_requests(self):
        now = dt.datetime.now(VN_TZ)
        for tamper, kwargs, reason in [
                ({'XroadVnpt-hash-header': '0' * 64}, {}, 'mismatch'),
                ({}, {'secret': 'khoa-sai'}, 'mismatch'),
                ({}, {'now': now - dt.timedelta(minutes=10)}, 'expired'),
                ({}, {'now': now + dt.timedelta(minutes=10)}, 'expired'),
                ({'XroadVnpt-messagetype': 'status'}, {}, 'header_mismatch'),
                ({'XroadVnpt-sign-header': ''}, {}, 'missing'),
                ]:
            status_, body = vxp_request(self.url, 'getReceivedEdocList',
                {'servicetype': 'eDoc', 'messagetype': 'edoc'},
                tamper=tamper, **kwargs)
            self.assertEqual(status_, 401, reason)
            self.assertEqual((body['status'], body['ErrorCode']),
                ('FAIL', 15), reason)
            self.assertTrue(body['ErrorDesc'], reason)
        status_, body = vxp_request(self.url, 'getAgenciesList',
            system='H99.KHAC', secret='x')
        self.assertEqual((status_, body['ErrorCode']), (401, 15))
        reasons = [e.get('signature') for e in self.log()]
        self.assertEqual(reasons, ['mismatch', 'mismatch', 'expired',
                'expired', 'header_mismatch', 'missing', 'unknown_system'])
        # Nothing was stored by refused requests
        self.assertEqual(call_admin(self.url, 'GET', 'messages')[1],
            {'messages': []})

    def test_hash_file(self):
        package = edoc(KHANH_HOA, [NGHE_AN])
        params = {'from': KHANH_HOA, 'to': json.dumps([NGHE_AN]),
            'servicetype': 'eDoc', 'messagetype': 'edoc'}
        files = [('file_doc', 'a.edxml', 'application/xml', package)]
        # The file was replaced after signing
        status_, body = vxp_request(self.url, 'sendEdoc', {**params,
                'hash-file': sha256_hex(b'other bytes')}, files=files)
        self.assertEqual((status_, body['ErrorCode']), (400, 10))
        status_, body = vxp_request(self.url, 'sendEdoc', params,
            files=files)
        self.assertEqual((status_, body['ErrorCode']), (400, 10))
        status_, body = vxp_request(self.url, 'sendEdoc', {**params,
                'hash-file': sha256_hex(package)}, files=files)
        self.assertEqual((status_, body['status'], body['ErrorCode']),
            (200, 'OK', 0))
        self.assertTrue(body['DocId'])

    def test_wrong_method_and_path(self):
        status_, body = vxp_request(self.url, 'getEdoc', {'docId': 'x'},
            method='GET')
        self.assertEqual((status_, body['ErrorCode']), (405, 17))
        response = HttpClient(5).request('GET', f'{self.url}/khongCo')
        self.assertEqual(response.status, 404)


class RoutingTestCase(AxisCase):

    def test_per_agency_inboxes(self):
        "A system sees the deliveries of its own agencies only"
        h32 = self.transport(H32, KHANH_HOA)
        h41 = self.transport(H41, NGHE_AN)
        vpcp = self.transport('VPCP.VBDH', VPCP)
        h32.send(edoc(KHANH_HOA, [VPCP, NGHE_AN], number=1), [VPCP, NGHE_AN])
        h41.send(edoc(NGHE_AN, [KH_NOI_VU, KH_XA], number=2,
                notation='UBND-TH'), [KH_NOI_VU, KH_XA], from_id=NGHE_AN)
        vpcp.send(edoc(VPCP, [KHANH_HOA], number=3, notation='VPCP-TCCV'),
            [KHANH_HOA])
        self.assertEqual([(i.from_id, i.to_id) for i in vpcp.inbox()],
            [(KHANH_HOA, VPCP)])
        self.assertEqual([(i.from_id, i.to_id) for i in h41.inbox()],
            [(KHANH_HOA, NGHE_AN)])
        self.assertEqual([(i.from_id, i.to_id) for i in h32.inbox()],
            [(NGHE_AN, KH_NOI_VU), (NGHE_AN, KH_XA), (VPCP, KHANH_HOA)])
        # A delivery of another system is unknown to this one
        other = vpcp.inbox()[0].doc_id
        with self.assertRaises(PermanentError) as context:
            h41.fetch(other)
        self.assertEqual(context.exception.code, 'not_found')
        with self.assertRaises(PermanentError):
            h41.ack(other)
        self.assertEqual(len(vpcp.inbox()), 1)

    def test_recipients_from_package(self):
        "Without a 'to' parameter the edXML To elements are the recipients"
        package = edoc(KHANH_HOA, [NGHE_AN, NA_TAI_CHINH])
        receipt = ProvincialRestTransport(self.url, H32,
            SYSTEMS[H32][0]).send(package, [])
        self.assertEqual(sorted(receipt.receivers), [NGHE_AN, NA_TAI_CHINH])

    def test_explicit_recipients_win(self):
        "Per-recipient sending: the 'to' parameter narrows the package's To"
        h32 = self.transport(H32, KHANH_HOA)
        package = edoc(KHANH_HOA, [NGHE_AN, NA_TAI_CHINH])
        first = h32.send(package, [NGHE_AN])
        second = h32.send(package, [NA_TAI_CHINH])
        self.assertNotEqual(first.doc_id, second.doc_id)
        self.assertFalse(second.duplicate)
        self.assertEqual(sorted(i.to_id for i in self.transport(H41).inbox()),
            [NGHE_AN, NA_TAI_CHINH])

    def test_status_routing(self):
        "Statuses go to the original sender; a withdrawal (13) to the" \
            " original recipients"
        h32 = self.transport(H32, KHANH_HOA)
        h41 = self.transport(H41, NGHE_AN)
        h32.send(edoc(KHANH_HOA, [NGHE_AN, NA_TAI_CHINH]),
            [NGHE_AN, NA_TAI_CHINH])
        h41.send(status(NA_TAI_CHINH, KHANH_HOA, 125, 'UBND-VP', '03'), [],
            'status', from_id=NA_TAI_CHINH)
        self.assertEqual([(i.from_id, i.to_id, i.kind)
                for i in h32.inbox('status')],
            [(NA_TAI_CHINH, KHANH_HOA, 'status')])
        withdraw = h32.send(status(KHANH_HOA, KHANH_HOA, 125, 'UBND-VP',
                '13', 'Yêu cầu lấy lại văn bản'), [], 'status')
        self.assertEqual(sorted(withdraw.receivers), [NGHE_AN, NA_TAI_CHINH])
        self.assertEqual(len(h41.inbox('status')), 2)
        # A withdrawal of a document the axis never carried has no recipient
        with self.assertRaises(PermanentError) as context:
            h32.send(status(KHANH_HOA, KHANH_HOA, 999, 'UBND-VP', '13'), [],
                'status')
        self.assertEqual(context.exception.code, 'bad_recipient')

    def test_kind_from_package(self):
        "No messageType: a package with a StatusCode is a status"
        content_type, body = encode_multipart(files=[('edocFile', 's.edxml',
                    'application/xml', status(NGHE_AN, KHANH_HOA, 125,
                        'UBND-VP', '02', 'Sai đơn vị nhận'))])
        response = HttpClient(5).request('POST', f'{self.url}/v1/sendEdoc',
            headers={'X-SystemId': H41, 'X-SecretKey': SYSTEMS[H41][0],
                'Content-Type': content_type}, body=body)
        self.assertEqual(response.status, 200)
        self.assertEqual(response.json()['receivers'][0]['to'], KHANH_HOA)
        h32 = self.transport(H32)
        self.assertEqual(len(h32.inbox('status')), 1)
        self.assertEqual(h32.inbox('edoc'), [])

    def test_login_and_download(self):
        "Provincial login token as Bearer; VXP downloadEdoc streams bytes"
        package = edoc(KHANH_HOA, [NGHE_AN])
        self.transport(H32, KHANH_HOA).send(package, [NGHE_AN])
        client = HttpClient(5)
        response = client.request('POST', f'{self.url}/api/lgspedoc/login',
            headers={'Content-Type': 'application/json'},
            body=json.dumps({'username': 'vanthu.h41', 'password':
                    'mat-khau-thu', 'applicationCode': 'VBDH'}).encode())
        login = response.json()
        self.assertEqual((login['success'], login['expiresIn']), (True, 1800))
        listing = client.request('GET', f'{self.url}/v1/syncReceivedEdocList',
            headers={'Authorization': f'Bearer {login["token"]}'}).json()
        doc_id = listing['data'][0]['docId']
        response = client.request('POST', f'{self.url}/api/lgspedoc/login',
            headers={'Content-Type': 'application/json'},
            body=json.dumps({'username': 'vanthu.h41', 'password': 'sai',
                    'applicationCode': 'VBDH'}).encode())
        self.assertEqual((response.status, response.json()['success']),
            (401, False))
        headers = sign_headers(H41, SYSTEMS[H41][0], {'docId': doc_id},
            'application/json')
        response = client.request('GET', f'{self.url}/downloadEdoc',
            headers=headers)
        self.assertEqual(response.status, 200)
        self.assertEqual(response.body, package)
        self.assertIn(doc_id, response.header('Content-Disposition'))
        status_, body = vxp_request(self.url, 'getAgenciesListQD20',
            {'level': '5'})
        self.assertEqual((status_, body['ErrorCode']), (400, 17))

    def test_inbox_date_filter(self):
        h32 = self.transport(H32, KHANH_HOA)
        h32.send(edoc(KHANH_HOA, [NGHE_AN]), [NGHE_AN])
        h41 = self.transport(H41)
        today = dt.datetime.now(VN_TZ).date()
        self.assertEqual(len(h41.inbox(from_date=today, to_date=today)), 1)
        tomorrow = today + dt.timedelta(days=1)
        self.assertEqual(h41.inbox(from_date=tomorrow), [])
        rest = ProvincialRestTransport(self.url, H41, SYSTEMS[H41][0])
        self.assertEqual(len(rest.inbox(from_date=today, to_date=today)), 1)
        self.assertEqual(rest.inbox(to_date=today - dt.timedelta(days=1)),
            [])


class ResendTestCase(AxisCase):

    def test_keys(self):
        h32 = self.transport(H32, KHANH_HOA)
        first = h32.send(edoc(KHANH_HOA, [NGHE_AN]), [NGHE_AN])
        # Same bytes through the other API
        again = ProvincialRestTransport(self.url, H32, SYSTEMS[H32][0]).send(
            edoc(KHANH_HOA, [NGHE_AN]), [])
        self.assertEqual((again.doc_id, again.duplicate),
            (first.doc_id, True))
        # An update (BussinessDocType 2) of the same document is new
        update = h32.send(edoc(KHANH_HOA, [NGHE_AN], business=2,
                subject='Cập nhật trích yếu'), [NGHE_AN])
        self.assertFalse(update.duplicate)
        # A revocation (1) is new once, then recognised
        revoke = h32.send(edoc(KHANH_HOA, [NGHE_AN], business=1), [NGHE_AN])
        self.assertFalse(revoke.duplicate)
        self.assertTrue(h32.send(edoc(KHANH_HOA, [NGHE_AN], business=1,
                    timestamp='2026/03/06 08:00:00'), [NGHE_AN]).duplicate)
        # Each status code once per document and recipient
        h41 = self.transport(H41, NGHE_AN)
        s01 = h41.send(status(NGHE_AN, KHANH_HOA, 125, 'UBND-VP', '01'), [],
            'status')
        self.assertTrue(h41.send(status(NGHE_AN, KHANH_HOA, 125, 'UBND-VP',
                    '01', timestamp='2026/03/05 16:30:00'), [],
                'status').duplicate)
        s03 = h41.send(status(NGHE_AN, KHANH_HOA, 125, 'UBND-VP', '03'), [],
            'status')
        self.assertNotEqual(s01.doc_id, s03.doc_id)
        self.assertEqual(len(self.transport(H41).inbox()), 3)
        self.assertEqual(len(h32.inbox('status')), 2)
        results = [e['result'] for e in self.log()
            if e['action'] == 'sendEdoc']
        self.assertEqual(results, ['accepted', 'duplicate', 'accepted',
                'accepted', 'duplicate', 'accepted', 'duplicate',
                'accepted'])

    def test_idempotency_key_per_system(self):
        h32 = self.transport(H32, KHANH_HOA)
        h41 = self.transport(H41, NGHE_AN)
        a = h32.send(edoc(KHANH_HOA, [NGHE_AN], number=1), [NGHE_AN],
            message_id='42')
        b = h41.send(edoc(NGHE_AN, [KHANH_HOA], number=2), [KHANH_HOA],
            message_id='42')
        self.assertNotEqual(a.doc_id, b.doc_id)
        self.assertFalse(b.duplicate)

    def test_concurrent_resends(self):
        "Eight simultaneous sends of one message: stored once"
        package = edoc(KHANH_HOA, [NGHE_AN])

        def send(_):
            return self.transport(H32, KHANH_HOA).send(package, [NGHE_AN],
                message_id='same')
        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            receipts = list(pool.map(send, range(8)))
        self.assertEqual(len({r.doc_id for r in receipts}), 1)
        self.assertEqual(sum(not r.duplicate for r in receipts), 1)
        self.assertEqual(len(self.transport(H41).inbox()), 1)


class PackageTestCase(AxisCase):

    def test_hostile_packages_refused(self):
        h32 = self.transport(H32, KHANH_HOA)
        xxe = (b'<?xml version="1.0"?><!DOCTYPE edXML [<!ENTITY x SYSTEM '
            b'"file:///etc/passwd">]><edXML><MessageHeader><From><OrganId>'
            b'&x;</OrganId></From></MessageHeader></edXML>')
        bomb = (b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa">'
            b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><l>&b;</l>')
        for content in (xxe, bomb, b'', b'PK\x03\x04zip',
                b'<edXML><Other/></edXML>',
                b'<edXML><MessageHeader><From/></MessageHeader></edXML>'):
            with self.assertRaises(PermanentError) as context:
                h32.send(content, [NGHE_AN])
            self.assertEqual(context.exception.axis_code, 22, content)
        self.assertEqual(call_admin(self.url, 'GET', 'messages')[1],
            {'messages': []})

    def test_inspect(self):
        info = inspect_package(edoc(KHANH_HOA, [NGHE_AN, VPCP],
                attachment=('a.pdf', b'%PDF-1.7 x')))
        self.assertEqual((info.from_id, info.to_ids, info.code),
            (KHANH_HOA, [NGHE_AN, VPCP], '125/UBND-VP'))
        self.assertEqual(info.document_id,
            '000.00.00.H32,2026/03/05,125/UBND-VP')
        self.assertEqual(info.business_doc_type, '0')
        self.assertEqual(info.attachments, [{'fileName': 'a.pdf',
                    'fileContent': 'JVBERi0xLjcgeA=='}])
        info = inspect_package(status(NGHE_AN, KHANH_HOA, 125, 'UBND-VP',
                '06'))
        self.assertTrue(info.is_status)
        self.assertEqual((info.status_code, info.response_for_organ),
            ('06', KHANH_HOA))
        # Another namespace, or none, reads alike
        bare = (b'<edXML xmlns="http://www.e-doc.vn/Schema/"><MessageHeader>'
            b'<From><OrganId>000.00.00.H32</OrganId></From><To><OrganId>'
            b'000.00.00.H41</OrganId></To></MessageHeader></edXML>')
        self.assertEqual(inspect_package(bare).to_ids, [NGHE_AN])
        with self.assertRaises(PackageError):
            inspect_package(b'<a>')

    def test_size_limit(self):
        with running_axis(max_package_size=4096) as server:
            transport = VXPTransport(server.url, H32, SYSTEMS[H32][0],
                organ_id=KHANH_HOA)
            big = edoc(KHANH_HOA, [NGHE_AN], attachment=('a.pdf',
                    b'%PDF' + os.urandom(6000)))
            with self.assertRaises(PermanentError) as context:
                transport.send(big, [NGHE_AN])
            self.assertEqual(context.exception.code, 'too_large')
            # Far over the limit: refused before the body is parsed
            huge = edoc(KHANH_HOA, [NGHE_AN], attachment=('a.pdf',
                    b'%PDF' + b'0' * (1200 * 1024)))
            with self.assertRaises(PermanentError) as context:
                transport.send(huge, [NGHE_AN])
            self.assertEqual(context.exception.http_status, 413)
            self.assertTrue(transport.send(edoc(KHANH_HOA, [NGHE_AN]),
                    [NGHE_AN]).doc_id)

    def test_provincial_get_edoc_shape(self):
        self.transport(H32, KHANH_HOA).send(edoc(KHANH_HOA, [NGHE_AN],
                attachment=('125.pdf', b'%PDF-1.7 noi dung')), [NGHE_AN])
        headers = {'X-SystemId': H41, 'X-SecretKey': SYSTEMS[H41][0]}
        client = HttpClient(5)
        listing = client.request('GET', f'{self.url}/v1/syncReceivedEdocList',
            headers=headers, params={'messageType': 'edoc'}).json()
        self.assertEqual((listing['success'], listing['count']), (True, 1))
        doc_id = listing['data'][0]['docId']
        data = client.request('GET', f'{self.url}/lgsp/edoc/v1/getEdoc',
            headers=headers, params={'docId': doc_id}).json()['data']
        self.assertEqual(data['from'], KHANH_HOA)
        self.assertEqual(data['fromName'], 'UBND tỉnh Khánh Hòa')
        self.assertEqual(data['edocCode'], '125/UBND-VP')
        self.assertEqual(data['edocAbstract'],
            'V/v báo cáo tình hình thực hiện nhiệm vụ')
        self.assertTrue(data['edxml'].startswith('<?xml'))
        self.assertEqual(data['attachments'], [{'fileName': '125.pdf',
                    'fileContent': 'JVBERi0xLjcgbm9pIGR1bmc='}])
        response = client.request('POST', f'{self.url}/v1/updateStatus',
            headers={**headers, 'Content-Type': 'application/json'},
            body=json.dumps({'docId': doc_id, 'status': 'hoan-thanh'})
            .encode())
        body = response.json()
        self.assertEqual((response.status, body['success'],
                body['data']['errorCode']), (400, False, 17))


class StatusTestCase(AxisCase):

    def test_done_is_final(self):
        self.transport(H32, KHANH_HOA).send(edoc(KHANH_HOA, [NGHE_AN]),
            [NGHE_AN])
        h41 = self.transport(H41)
        item, = h41.inbox()
        h41.ack(item.doc_id, 'fail')
        self.assertEqual([i.status for i in h41.inbox()], ['fail'])
        h41.ack(item.doc_id, 'done')
        h41.ack(item.doc_id, 'done')
        with self.assertRaises(PermanentError) as context:
            h41.ack(item.doc_id, 'processing')
        self.assertIn('done', context.exception.message)
        # Still downloadable after the acknowledgement
        self.assertTrue(h41.fetch(item.doc_id).startswith(b'<?xml'))
        message, = call_admin(self.url, 'GET', 'messages')[1]['messages']
        events = [h['event'] for h in message['deliveries'][0]['history']]
        self.assertEqual(events, ['fail', 'done', 'done', 'fetched'])


class PersistenceTestCase(unittest.TestCase):

    def test_survives_restart(self):
        with store_directory() as store:
            with running_axis(store) as server:
                h32 = VXPTransport(server.url, H32, SYSTEMS[H32][0],
                    organ_id=KHANH_HOA)
                first = h32.send(edoc(KHANH_HOA, [NGHE_AN, NA_TAI_CHINH]),
                    [NGHE_AN, NA_TAI_CHINH], message_id='m1')
                h41 = VXPTransport(server.url, H41, SYSTEMS[H41][0])
                h41.ack(first.receivers[NGHE_AN])
                h32.register_agency('000.00.11.H32', 'Sở Y tế')
            # Nothing half-written is left behind
            for folder in ('messages', 'blobs'):
                names = os.listdir(os.path.join(store, folder))
                self.assertFalse([n for n in names if n.endswith('.tmp')])
            # A temporary file of a write interrupted by a crash is ignored
            with open(os.path.join(store, 'messages', '.x.json.1.tmp'),
                    'w') as file:
                file.write('{"trun')
            with running_axis(store) as server:
                h32 = VXPTransport(server.url, H32, SYSTEMS[H32][0],
                    organ_id=KHANH_HOA)
                h41 = VXPTransport(server.url, H41, SYSTEMS[H41][0])
                self.assertEqual([i.doc_id for i in h41.inbox()],
                    [first.receivers[NA_TAI_CHINH]])
                again = h32.send(edoc(KHANH_HOA, [NGHE_AN, NA_TAI_CHINH]),
                    [NGHE_AN, NA_TAI_CHINH], message_id='m1')
                self.assertEqual((again.doc_id, again.duplicate),
                    (first.doc_id, True))
                self.assertIn('000.00.11.H32',
                    [a.code for a in h32.agencies()])
                entries = call_admin(server.url, 'GET', 'log')[1]['entries']
                self.assertEqual([e['seq'] for e in entries],
                    list(range(1, len(entries) + 1)))
                self.assertEqual([e['result'] for e in entries
                        if e['action'] == 'sendEdoc'],
                    ['accepted', 'duplicate'])


class ReconciliationTestCase(AxisCase):

    def test_log_tells_what_happened(self):
        h32 = self.transport(H32, KHANH_HOA)
        h41 = self.transport(H41, NGHE_AN)
        for number in range(1, 4):
            h32.send(edoc(KHANH_HOA, [NGHE_AN], number=number),
                [NGHE_AN], message_id=f'out-{number}')
        h32.send(edoc(KHANH_HOA, [NGHE_AN], number=1), [NGHE_AN],
            message_id='out-1')
        for item in h41.inbox():
            h41.fetch(item.doc_id)
            h41.ack(item.doc_id)
        entries = self.log()
        accepted = {e['docId'] for e in entries if e['result'] == 'accepted'}
        duplicates = {e['docId'] for e in entries
            if e['result'] == 'duplicate'}
        delivered = {e['messageDocId'] for e in entries
            if e['result'] == 'delivered'}
        acknowledged = {e['messageDocId'] for e in entries
            if e['result'] == 'acknowledged' and e['ackStatus'] == 'done'}
        self.assertEqual(len(accepted), 3)
        self.assertLessEqual(duplicates, accepted)
        self.assertEqual(delivered, accepted)
        self.assertEqual(acknowledged, accepted)
        messages = call_admin(self.url, 'GET', 'messages')[1]['messages']
        self.assertEqual({m['docId'] for m in messages}, accepted)
        self.assertEqual({m['idempotencyKey'] for m in messages},
            {'out-1', 'out-2', 'out-3'})
        for message in messages:
            self.assertEqual([d['status'] for d in message['deliveries']],
                ['done'])


class FaultTestCase(AxisCase):

    def test_admin_faults(self):
        status_, body = call_admin(self.url, 'POST', 'faults',
            {'mode': '500', 'count': 2, 'actions': ['getReceivedEdocList']})
        self.assertEqual(status_, 200)
        self.assertEqual(body['faults'][0]['count'], 2)
        h41 = self.transport(H41)
        for _ in range(2):
            with self.assertRaises(RetryableError):
                h41.inbox()
        # Other endpoints were not affected; the fault is used up
        self.assertEqual(h41.count(), 0)
        self.assertEqual(h41.inbox(), [])
        self.assertEqual(call_admin(self.url, 'GET', 'faults')[1],
            {'faults': []})
        status_, body = call_admin(self.url, 'POST', 'faults',
            {'mode': 'explode'})
        self.assertEqual(status_, 400)
        self.assertIn('explode', body['error'])
        call_admin(self.url, 'POST', 'faults', {'mode': '503'})
        with self.assertRaises(RetryableError):
            h41.inbox()
        call_admin(self.url, 'DELETE', 'faults')
        self.assertEqual(h41.inbox(), [])
        faults = [(e['action'], e.get('fault'), e['httpStatus'])
            for e in self.log()]
        self.assertEqual(faults, [
                ('getReceivedEdocList', '500', 500),
                ('getReceivedEdocList', '500', 500),
                ('countReceiveEdoc', None, 200),
                ('getReceivedEdocList', None, 200),
                ('getReceivedEdocList', '503', 503),
                ('getReceivedEdocList', None, 200)])

    def test_reset_and_slow(self):
        package = edoc(KHANH_HOA, [NGHE_AN])
        call_admin(self.url, 'POST', 'faults', {'faults': [
                    {'mode': 'reset', 'count': 1},
                    {'mode': 'slow', 'count': 1, 'delay': 1.5}]})
        h32 = VXPTransport(self.url, H32, SYSTEMS[H32][0],
            organ_id=KHANH_HOA, timeout=0.5)
        with self.assertRaises(RetryableError) as context:
            h32.send(package, [NGHE_AN], message_id='x')
        self.assertEqual(context.exception.code, 'connection')
        # Reset before processing: nothing stored
        self.assertEqual(call_admin(self.url, 'GET', 'health')[1]['messages'],
            0)
        # Slow: processed, but the client gave up
        with self.assertRaises(RetryableError) as context:
            h32.send(package, [NGHE_AN], message_id='x')
        self.assertEqual(context.exception.code, 'timeout')
        self.assertEqual(call_admin(self.url, 'GET', 'health')[1]['messages'],
            1)
        time.sleep(1.2)
        self.assertTrue(h32.send(package, [NGHE_AN],
                message_id='x').duplicate)
        results = [(e.get('fault'), e['result']) for e in self.log()]
        self.assertEqual(results, [('reset', 'fault'), ('slow', 'accepted'),
                (None, 'duplicate')])

    def test_admin_token(self):
        with running_axis(admin_token='bi-mat-quan-tri') as server:
            status_, _ = call_admin(server.url, 'GET', 'health')
            self.assertEqual(status_, 401)
            status_, body = call_admin(server.url, 'GET', 'health',
                token='bi-mat-quan-tri')
            self.assertEqual((status_, body['status']), (200, 'ok'))

    def test_fault_options(self):
        fault = parse_fault_option('drop_after_accept:2@sendEdoc,getEdoc',
            delay=4)
        self.assertEqual((fault.mode, fault.count, fault.delay,
                fault.actions), ('drop_after_accept', 2, 4, ['sendEdoc',
                    'getEdoc']))
        self.assertEqual(parse_fault_option('500').count, None)
        for bad in ('boom', '200', '500:0', '500:x'):
            with self.assertRaises(FaultError):
                parse_fault_option(bad)
        injector = FaultInjector()
        injector.add({'mode': '429', 'count': 1, 'apis': ['rest']})
        self.assertIsNone(injector.take('vxp', 'sendEdoc'))
        self.assertEqual(injector.take('rest', 'sendEdoc').http_status, 429)
        self.assertIsNone(injector.take('rest', 'sendEdoc'))


class DirectoryFileTestCase(unittest.TestCase):

    def test_example_configuration(self):
        "The demo files shipped next to the simulator work as documented"
        from trytond.modules.vb_lgsp.axis.server import (
            app_from_args, build_parser)
        examples = os.path.join(os.path.dirname(
                inspect_package.__code__.co_filename), 'examples')
        with open(os.path.join(examples, 'credentials.json'),
                encoding='utf-8') as file:
            secrets = {s['system_id']: s['secret']
                for s in json.load(file)['systems']}
        with store_directory() as store:
            app = app_from_args(build_parser().parse_args(['--store', store,
                        '--agencies', os.path.join(examples, 'agencies.json'),
                        '--credentials', os.path.join(examples,
                            'credentials.json'), '--no-fsync']))
            with AxisServer(app) as server:
                sender = VXPTransport(server.url, 'H32.VBDH',
                    secrets['H32.VBDH'], organ_id=KHANH_HOA)
                self.assertEqual(len(sender.agencies()), 9)
                receipt = sender.send(edoc(KHANH_HOA, [NGHE_AN]), [NGHE_AN])
                receiver = ProvincialRestTransport(server.url, 'H41.VBDH',
                    secrets['H41.VBDH'])
                self.assertEqual([i.doc_id for i in receiver.inbox()],
                    [receipt.receivers[NGHE_AN]])

    def test_json_and_yaml_directory(self):
        from trytond.modules.vb_lgsp.axis.directory import (
            DirectoryError, load_agencies)
        with store_directory() as folder:
            path = os.path.join(folder, 'agencies.json')
            with open(path, 'w', encoding='utf-8') as file:
                json.dump({'agencies': AGENCIES}, file, ensure_ascii=False)
            self.assertEqual(load_agencies(path), AGENCIES)
            path = os.path.join(folder, 'agencies.yaml')
            with open(path, 'w', encoding='utf-8') as file:
                file.write('- code: 000.00.00.H32\n  name: UBND tỉnh Khánh '
                    'Hòa\n')
            self.assertEqual(load_agencies(path), [{'code': '000.00.00.H32',
                        'name': 'UBND tỉnh Khánh Hòa'}])
            with self.assertRaises(DirectoryError):
                AxisApp(folder, agencies=[{'code': '000.00.00.H32'}])
