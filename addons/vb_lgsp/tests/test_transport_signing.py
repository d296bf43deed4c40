# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""VXP request signing, error classification and the parsing helpers of
the transports (no network)."""
import datetime as dt
import hashlib
import hmac
import json
import unittest

from werkzeug.datastructures import Headers
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from trytond.modules.vb_lgsp.transport import (
    PermanentError, RetryableError, error_for_axis_code,
    error_for_http_status)
from trytond.modules.vb_lgsp.transport.base import (
    agencies_from_records, parse_axis_datetime)
from trytond.modules.vb_lgsp.transport.http import encode_multipart
from trytond.modules.vb_lgsp.transport.signing import (
    VN_TZ, SignatureError, format_timestamp, parse_timestamp, sign_headers,
    verify_headers)

SECRET = 'q1w2e3r4t5y6u7i8o9p0a1s2d3f4g5h6j7k8l9z0x1c='
MOMENT = dt.datetime(2026, 3, 5, 15, 2, 11, 123000, tzinfo=VN_TZ)


def _getter(headers):
    received = Headers(headers)
    return received.get


class SigningTestCase(unittest.TestCase):

    def test_timestamp_format(self):
        "ddMMyyyy'T'HHmmss+SSSS: the four digits are milliseconds"
        self.assertEqual(format_timestamp(MOMENT), '05032026T150211+0123')
        self.assertEqual(parse_timestamp('05032026T150211+0123'), MOMENT)
        utc = MOMENT.astimezone(dt.timezone.utc)
        self.assertEqual(format_timestamp(utc), '05032026T150211+0123')
        for bad in ('2026-03-05T15:02:11', '05032026T150211+9999', ''):
            with self.assertRaises(ValueError):
                parse_timestamp(bad)

    def test_signed_headers(self):
        "Headers and HMAC exactly as spec §3.2 describes them"
        headers = sign_headers('vxp.saas.03', SECRET,
            {'docId': 'abc-1'}, 'application/json', now=MOMENT)
        expected_json = (
            '{"XroadVnpt-Content-Type":"application/json",'
            '"XroadVnpt-timestamp":"05032026T150211+0123",'
            '"XroadVnpt-systemid":"vxp.saas.03",'
            '"XroadVnpt-docId":"abc-1"}')
        self.assertEqual(headers['XroadVnpt-sign-header'], expected_json)
        self.assertEqual(headers['XroadVnpt-sign-header-key'],
            'Content-Type;timestamp;systemid;docId')
        self.assertEqual(headers['XroadVnpt-hash-header'], hmac.new(
                SECRET.encode(), expected_json.encode(),
                hashlib.sha256).hexdigest())
        self.assertEqual(headers['XroadVnpt-docId'], 'abc-1')
        self.assertEqual(headers['XroadVnpt-systemid'], 'vxp.saas.03')
        self.assertEqual(headers['Content-Type'], 'application/json')
        self.assertEqual(headers['XroadVnpt-version'], '3.0.201608')
        self.assertEqual(headers['User-Agent'],
            'JAVASDKAgent/1.0.0 XRoad/VPCP')

    def test_non_ascii_parameter_refused(self):
        with self.assertRaises(ValueError):
            sign_headers('s', SECRET, {'to': 'Sở Nội vụ'}, 'application/json')

    def test_verify(self):
        headers = sign_headers('H32', SECRET, {'docId': 'x', 'status': 'done'},
            'application/json', now=MOMENT)
        signed = verify_headers(_getter(headers),
            {'H32': SECRET}.get, now=MOMENT + dt.timedelta(seconds=10))
        self.assertEqual(signed.system_id, 'H32')
        self.assertEqual(signed.params, {'docId': 'x', 'status': 'done'})
        self.assertEqual(signed.timestamp, MOMENT)

    def test_verify_key_order_free(self):
        "The HMAC is over the received text: any key order verifies"
        headers = sign_headers('H32', SECRET, {'docId': 'x'},
            'application/json', now=MOMENT)
        reordered = json.dumps(dict(reversed(list(json.loads(
                headers['XroadVnpt-sign-header']).items()))),
            separators=(',', ':'))
        headers['XroadVnpt-sign-header'] = reordered
        headers['XroadVnpt-hash-header'] = hmac.new(SECRET.encode(),
            reordered.encode(), hashlib.sha256).hexdigest().upper()
        self.assertEqual(verify_headers(_getter(headers), {'H32': SECRET}.get,
                now=MOMENT).params, {'docId': 'x'})

    def _refused(self, headers, reason, **kwargs):
        kwargs.setdefault('now', MOMENT)
        with self.assertRaises(SignatureError) as context:
            verify_headers(_getter(headers), {'H32': SECRET}.get, **kwargs)
        self.assertEqual(context.exception.reason, reason)
        self.assertTrue(context.exception.message)
        return context.exception

    def test_refusals(self):
        good = sign_headers('H32', SECRET, {'docId': 'x'},
            'application/json', now=MOMENT)
        self._refused({}, 'missing')
        self._refused({**good, 'XroadVnpt-sign-header': '[1]'}, 'malformed')
        self._refused(sign_headers('H99', SECRET, {}, 'application/json',
                now=MOMENT), 'unknown_system')
        self._refused(sign_headers('H32', 'another secret', {},
                'application/json', now=MOMENT), 'mismatch')
        # A parameter header changed after signing
        self._refused({**good, 'XroadVnpt-docId': 'y'}, 'header_mismatch')
        self._refused({**good, 'XroadVnpt-sign-header-key':
                'Content-Type;timestamp'}, 'header_mismatch')
        error = self._refused(good, 'expired',
            now=MOMENT + dt.timedelta(seconds=301))
        self.assertIn('300 giây', error.message)
        self._refused(good, 'expired', now=MOMENT - dt.timedelta(hours=1))
        # The check can be disabled
        self.assertEqual(verify_headers(_getter(good), {'H32': SECRET}.get,
                now=MOMENT + dt.timedelta(days=1), max_skew=0).system_id,
            'H32')


class ClassificationTestCase(unittest.TestCase):

    def test_http_statuses(self):
        for status, cls, code in [
                (500, RetryableError, 'server_error'),
                (502, RetryableError, 'server_error'),
                (503, RetryableError, 'server_error'),
                (408, RetryableError, 'timeout'),
                (429, RetryableError, 'rate_limited'),
                (400, PermanentError, 'rejected'),
                (401, PermanentError, 'auth'),
                (403, PermanentError, 'forbidden'),
                (404, PermanentError, 'not_found'),
                (413, PermanentError, 'too_large'),
                (302, PermanentError, 'redirect'),
                ]:
            error = error_for_http_status(status)
            self.assertIsInstance(error, cls, status)
            self.assertEqual(error.code, code, status)
            self.assertEqual(error.retryable, cls is RetryableError)
            self.assertEqual(error.http_status, status)
            self.assertIn(f'HTTP {status}', error.message)

    def test_axis_codes(self):
        "Guide v2.2 codes: 20 is transient, the others are not"
        for axis_code, cls, code in [
                (10, PermanentError, 'malformed'),
                ('15', PermanentError, 'auth'),
                (18, PermanentError, 'bad_recipient'),
                (19, PermanentError, 'sender_not_registered'),
                (20, RetryableError, 'server_error'),
                (21, PermanentError, 'malformed'),
                (22, PermanentError, 'malformed'),
                (23, PermanentError, 'bad_recipient'),
                (99, PermanentError, 'rejected'),
                ]:
            error = error_for_axis_code(axis_code)
            self.assertIsInstance(error, cls, axis_code)
            self.assertEqual(error.code, code, axis_code)

    def test_axis_code_refines_4xx_only(self):
        error = error_for_http_status(422, 'x', axis_code=18)
        self.assertEqual((error.code, error.retryable),
            ('bad_recipient', False))
        # A 503 stays retryable whatever the body says
        error = error_for_http_status(503, axis_code=22)
        self.assertTrue(error.retryable)

    def test_vietnamese_message(self):
        error = error_for_http_status(429, retry_after=7)
        self.assertEqual(error.retry_after, 7)
        self.assertIn('quá tải', error.message)
        error = error_for_axis_code(18, 'Đơn vị nhận 000.00.00.H99 không tồn '
            'tại')
        self.assertIn('Đơn vị nhận không tồn tại', error.message)
        self.assertIn('000.00.00.H99', error.message)
        self.assertIn('mã lỗi trục 18', str(error))


class ParsingTestCase(unittest.TestCase):

    def test_datetimes(self):
        expected = dt.datetime(2026, 3, 5, 15, 2, 11, tzinfo=VN_TZ)
        for text in ('2026-03-05T15:02:11+07:00', '05/03/2026 15:02:11',
                '2026/03/05 15:02:11', '2026-03-05 15:02:11'):
            self.assertEqual(parse_axis_datetime(text), expected, text)
        self.assertEqual(parse_axis_datetime(1772697731000), expected)
        self.assertIsNone(parse_axis_datetime('hôm qua'))
        self.assertIsNone(parse_axis_datetime(None))

    def test_agencies_parent_by_pid(self):
        entries = agencies_from_records([
                {'id': 7, 'pid': 0, 'code': '000.00.00.H32',
                    'name': 'UBND tỉnh Khánh Hòa'},
                {'id': 9, 'pid': 7, 'code': '000.00.05.H32',
                    'name': 'Sở Nội vụ', 'deleted': 'true'},
                {'id': 10, 'pcode': '000.00.05.H32', 'code': '001.05.00.H32',
                    'name': 'Phòng'},
                {'id': 11, 'name': 'không mã'},
                'rác'])
        self.assertEqual([e.code for e in entries],
            ['000.00.00.H32', '000.00.05.H32', '001.05.00.H32'])
        self.assertIsNone(entries[0].parent_code)
        self.assertEqual(entries[1].parent_code, '000.00.00.H32')
        self.assertTrue(entries[1].deleted)
        self.assertEqual(entries[2].parent_code, '000.00.05.H32')

    def test_multipart_round_trip(self):
        "What encode_multipart writes, a standard parser reads back"
        payload = bytes(range(256)) * 3
        content_type, body = encode_multipart(
            fields=[('messageType', 'edoc'), ('ghi_chu', 'Tiếng Việt')],
            files=[('edocFile', 'so "1".edxml', 'application/xml', payload)])
        request = Request(EnvironBuilder(method='POST', data=body,
                content_type=content_type).get_environ())
        self.assertEqual(request.form['messageType'], 'edoc')
        self.assertEqual(request.form['ghi_chu'], 'Tiếng Việt')
        upload = request.files['edocFile']
        self.assertEqual(upload.read(), payload)
        self.assertEqual(upload.filename, 'so "1".edxml')
