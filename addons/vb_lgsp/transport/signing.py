# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""HMAC request signing of the national axis SDK (VXP), spec §3.2.

Every request parameter travels as a header ``XroadVnpt-<name>``; the
compact JSON of those headers is signed with HMAC-SHA256 keyed by the
system's secret. The same module signs (client) and verifies (simulator)
so both sides cannot drift apart.
"""
import datetime as dt
import hashlib
import hmac
import json
import re

PREFIX = 'XroadVnpt-'
VERSION = '3.0.201608'
USER_AGENT = 'JAVASDKAgent/1.0.0 XRoad/VPCP'
SIGN_HEADER = PREFIX + 'sign-header'
SIGN_HEADER_KEY = PREFIX + 'sign-header-key'
HASH_HEADER = PREFIX + 'hash-header'
VERSION_HEADER = PREFIX + 'version'
# The Java SDK formats the time in the JVM's zone; the axis runs in Vietnam
VN_TZ = dt.timezone(dt.timedelta(hours=7))

_TIMESTAMP_RE = re.compile(
    r'^(\d{2})(\d{2})(\d{4})T(\d{2})(\d{2})(\d{2})\+(\d{4})$')


def format_timestamp(moment=None):
    """``ddMMyyyy'T'HHmmss+SSSS`` (Java pattern of the SDK): the four digits
    after ``+`` are milliseconds, not a zone offset."""
    if moment is None:
        moment = dt.datetime.now(VN_TZ)
    elif moment.tzinfo is not None:
        moment = moment.astimezone(VN_TZ)
    return (moment.strftime('%d%m%YT%H%M%S')
        + f'+{moment.microsecond // 1000:04d}')


def parse_timestamp(text):
    "The aware datetime (Vietnam time) of an SDK timestamp"
    match = _TIMESTAMP_RE.match(text or '')
    if not match:
        raise ValueError(text)
    day, month, year, hour, minute, second, millis = map(int,
        match.groups())
    if millis > 999:
        raise ValueError(text)
    return dt.datetime(year, month, day, hour, minute, second,
        millis * 1000, tzinfo=VN_TZ)


def sha256_hex(content):
    "The ``hash-file`` parameter of sendEdoc: lower-case hex SHA-256"
    return hashlib.sha256(content).hexdigest()


def _hmac_hex(secret, text):
    return hmac.new(secret.encode('utf-8'), text.encode('utf-8'),
        hashlib.sha256).hexdigest()


def sign_headers(system_id, secret, params, content_type, now=None):
    """Headers of a signed VXP request.

    ``params`` are the call's "header JSON" (e.g. ``docId``), values are
    strings. Header values must be ASCII to survive HTTP, so a non-ASCII
    value raises ValueError (the SDK only sends codes and ids there).
    """
    signed_values = {
        'Content-Type': content_type,
        'timestamp': format_timestamp(now),
        'systemid': system_id,
        }
    for name, value in params.items():
        signed_values[name] = str(value)
    for name, value in signed_values.items():
        if not str(value).isascii() or not str(name).isascii():
            raise ValueError(name)
    signed = {PREFIX + name: value for name, value in signed_values.items()}
    # Compact JSON as Gson writes it; non-ASCII would be kept verbatim
    text = json.dumps(signed, ensure_ascii=False, separators=(',', ':'))
    headers = dict(signed)
    headers['Content-Type'] = content_type
    headers[SIGN_HEADER_KEY] = ';'.join(signed_values)
    headers[SIGN_HEADER] = text
    headers[HASH_HEADER] = _hmac_hex(secret, text)
    headers[VERSION_HEADER] = VERSION
    headers['User-Agent'] = USER_AGENT
    return headers


class SignatureError(Exception):
    "A VXP request whose signature cannot be accepted (Vietnamese message)"

    def __init__(self, reason, message):
        self.reason = reason
        self.message = message
        super().__init__(message)


class SignedRequest:
    "What a verified VXP request says: its system and its parameters"

    def __init__(self, system_id, params, timestamp):
        self.system_id = system_id
        self.params = params
        self.timestamp = timestamp

    def get(self, name, default=None):
        return self.params.get(name, default)


def verify_headers(get_header, secret_for, *, now=None, max_skew=300):
    """Verify a signed VXP request and return a ``SignedRequest``.

    ``get_header(name)`` reads a received header (case-insensitive);
    ``secret_for(system_id)`` returns the secret or None. The HMAC is
    recomputed over the received ``sign-header`` text itself (its key
    order is the client's), then every signed entry must match the header
    actually sent so that no parameter can be swapped after signing.
    ``max_skew`` seconds bounds the timestamp's distance from ``now``
    (0 disables the check).
    """
    text = get_header(SIGN_HEADER)
    digest = get_header(HASH_HEADER)
    if not text or not digest:
        raise SignatureError('missing',
            'Thiếu chữ ký yêu cầu (XroadVnpt-sign-header/hash-header).')
    try:
        signed = json.loads(text)
    except ValueError:
        signed = None
    if not isinstance(signed, dict) or not all(
            isinstance(k, str) and isinstance(v, str) and k.startswith(PREFIX)
            for k, v in signed.items()):
        raise SignatureError('malformed',
            'Nội dung XroadVnpt-sign-header không đúng định dạng.')
    params = {k[len(PREFIX):]: v for k, v in signed.items()}
    system_id = params.get('systemid')
    secret = secret_for(system_id) if system_id else None
    if secret is None:
        raise SignatureError('unknown_system',
            'Mã hệ thống (systemid) không được đăng ký trên trục.')
    if not hmac.compare_digest(_hmac_hex(secret, text),
            digest.strip().lower()):
        raise SignatureError('mismatch',
            'Chữ ký yêu cầu (XroadVnpt-hash-header) không đúng.')
    keys = get_header(SIGN_HEADER_KEY)
    if keys is not None and set(filter(None, keys.split(';'))) != set(
            params):
        raise SignatureError('header_mismatch',
            'Danh sách tham số được ký không khớp XroadVnpt-sign-header.')
    for name, value in signed.items():
        if get_header(name) != value:
            raise SignatureError('header_mismatch',
                f'Giá trị tiêu đề {name} khác với giá trị đã ký.')
    try:
        timestamp = parse_timestamp(params.get('timestamp'))
    except ValueError:
        raise SignatureError('bad_timestamp',
            'Tham số timestamp thiếu hoặc sai định dạng ddMMyyyyTHHmmss+SSSS.')
    if max_skew:
        if now is None:
            now = dt.datetime.now(VN_TZ)
        if abs((now - timestamp).total_seconds()) > max_skew:
            raise SignatureError('expired',
                'Yêu cầu đã hết hạn: timestamp lệch quá '
                f'{max_skew} giây so với giờ của trục.')
    for name in ('Content-Type', 'timestamp', 'systemid'):
        params.pop(name, None)
    return SignedRequest(system_id, params, timestamp)
