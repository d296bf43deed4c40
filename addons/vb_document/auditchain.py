# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""Hash chain of the audit trail, without database.

Every entry stores the hash of the previous entry of its chain and its own
hash, computed over the previous hash and a canonical serialisation of its
fields: changing an entry breaks its own hash, deleting one breaks the
link of the next one (and leaves a gap in the sequence numbers), deleting
the last ones leaves the chain shorter than its recorded head.

With a secret key (kept outside the database, in the server configuration)
the hash is an HMAC: somebody who can write to the database but does not
know the key cannot rewrite the chain consistently. Where a key is
configured every entry must be keyed (set it before the first entry).
Without a key, plain SHA-256 detects edits made without recomputing the
following hashes; rewriting the whole chain is then possible and only an
external copy of the head detects it.

The Tryton model (audit.py) stores and reads the entries; this module only
computes and checks.
"""
import datetime as dt
import hashlib
import hmac
import json
import math
from collections.abc import Mapping
from decimal import Decimal
from typing import NamedTuple

GENESIS = '0' * 64
SHA256 = 'sha256'
HMAC_SHA256 = 'hmac-sha256'
SCHEMES = (SHA256, HMAC_SHA256)
# What a pending entry's seal follows instead of a previous hash
PENDING = 'pending'

# Bumped if the serialisation ever changes: old entries keep verifying
FORMAT_VERSION = 1
# The fields of an entry covered by its hash, in the serialisation
FIELDS = (
    'chain', 'sequence', 'time', 'user', 'login', 'action', 'model',
    'record', 'document', 'ip', 'details')


class AuditChainError(Exception):
    """Input the chain cannot hash.

    `code` is stable for programs, `message` is the Vietnamese text.
    """

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message

    def __str__(self):
        return self.message


def _json_default(value):
    if isinstance(value, dt.datetime):
        return canonical_time(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (set, frozenset)):
        try:
            return sorted(value)
        except TypeError:
            pass
    raise AuditChainError('bad_details',
        "Chi tiết của mục nhật ký chứa giá trị không ghi được: "
        f"{type(value).__name__} ({value!r:.80}).")


def _check_numbers(value):
    # JSON has no NaN or infinity; json.dumps would write invalid JSON
    if isinstance(value, float) and not math.isfinite(value):
        raise AuditChainError('bad_details',
            "Chi tiết của mục nhật ký chứa số không hợp lệ: "
            f"{value!r}.")
    if isinstance(value, Mapping):
        for key, item in value.items():
            if not isinstance(key, str):
                raise AuditChainError('bad_details',
                    "Tên trường trong chi tiết của mục nhật ký phải là "
                    f"chuỗi ký tự: {key!r}.")
            _check_numbers(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            _check_numbers(item)


def canonical_details(details):
    """The details of an entry as canonical JSON text.

    Keys sorted, no spaces, UTF-8 characters kept: the same details always
    give the same text, which is what is stored and hashed.
    """
    if details is None:
        details = {}
    if not isinstance(details, Mapping):
        raise AuditChainError('bad_details',
            "Chi tiết của mục nhật ký phải là một từ điển (dict), không "
            f"phải {type(details).__name__}.")
    _check_numbers(details)
    return json.dumps(details, sort_keys=True, ensure_ascii=False,
        separators=(',', ':'), default=_json_default, allow_nan=False)


def canonical_time(value):
    "A naive UTC timestamp as ISO text with microseconds"
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if not isinstance(value, dt.datetime):
        raise AuditChainError('bad_time',
            f"Thời điểm của mục nhật ký không hợp lệ: {value!r}.")
    if value.tzinfo is not None:
        value = value.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return value.isoformat(sep='T', timespec='microseconds')


def payload(entry):
    "The bytes an entry's hash covers (after the previous hash)"
    try:
        values = {name: entry[name] for name in FIELDS}
    except KeyError as e:
        raise AuditChainError('missing_field',
            f"Mục nhật ký thiếu trường {e.args[0]!r}.") from e
    values['time'] = canonical_time(values['time'])
    if not isinstance(values['details'], str):
        values['details'] = canonical_details(values['details'])
    for name in ('chain', 'sequence', 'user', 'record', 'document'):
        if values[name] is not None and not isinstance(values[name], int):
            raise AuditChainError('bad_field',
                f"Trường {name!r} của mục nhật ký phải là số nguyên: "
                f"{values[name]!r}.")
    values['v'] = FORMAT_VERSION
    return json.dumps(values, sort_keys=True, ensure_ascii=False,
        separators=(',', ':')).encode('utf-8')


def entry_hash(prev_hash, entry, key=None):
    """The hash of entry following prev_hash.

    SHA-256 of prev_hash, a newline and the payload; with key, the
    HMAC-SHA-256 of the same bytes.
    """
    data = prev_hash.encode('ascii') + b'\n' + payload(entry)
    if key is None:
        return hashlib.sha256(data).hexdigest()
    if isinstance(key, str):
        key = key.encode('utf-8')
    return hmac.new(key, data, hashlib.sha256).hexdigest()


def seal(entry, key=None):
    """The hash of an entry stored before its place in the chain is known.

    The storage layer commits entries first and chains them afterwards
    (audit.py): meanwhile the entry's hash covers its own fields, without
    number nor previous hash, so that an entry changed or forged before
    it was chained is not chained (with a key, only the server can seal).
    """
    return entry_hash(PENDING, dict(entry, sequence=None), key=key)


def sealed(entry, key=None):
    "Whether a pending entry carries its own seal under key"
    scheme = entry.get('scheme') or SHA256
    if (scheme == HMAC_SHA256) != (key is not None):
        return False
    try:
        expected = seal(entry, key=key)
    except (AuditChainError, ValueError, TypeError):
        return False
    return hmac.compare_digest(expected, entry.get('hash') or '')


def link(entries, head=(0, GENESIS), key=None):
    """Number and hash entries (mappings) appended after head.

    head is (last sequence, last hash) of the chain. Sets 'sequence',
    'prev_hash', 'hash' and 'scheme' on each entry (in order) and returns
    the new head.
    """
    sequence, prev = head
    scheme = HMAC_SHA256 if key is not None else SHA256
    for entry in entries:
        sequence += 1
        entry['sequence'] = sequence
        entry['details'] = (entry['details']
            if isinstance(entry.get('details'), str)
            else canonical_details(entry.get('details')))
        entry['prev_hash'] = prev
        entry['scheme'] = scheme
        entry['hash'] = prev = entry_hash(prev, entry, key=key)
    return sequence, prev


class Problem(NamedTuple):
    """The first inconsistency found by verify.

    code: 'changed' (the entry's content no longer gives its hash),
    'link' (the entry does not follow the previous one: an entry was
    rewritten with a new hash, removed or moved), 'missing' (a sequence
    number is absent), 'duplicate' (a sequence number is used twice),
    'truncated' (the chain ends before its head), 'head' (the last entry is
    not the head), 'key_missing' (a keyed entry and no key), 'unkeyed' (a
    plain SHA-256 entry where a key is configured: all entries must then be
    keyed, or the whole chain could be rewritten without the key),
    'unchained' (a row without a sequence number and without a valid
    seal: added outside the chain, or changed before it was chained;
    reported by the storage layer, which sees such rows).
    """
    code: str
    sequence: int
    entry_id: object = None
    expected: object = None
    found: object = None

    @property
    def message(self):
        "Vietnamese explanation (the Tryton layer has its own translations)"
        return {
            'changed': "Mục số {s} đã bị sửa sau khi ghi.",
            'link': "Mục số {s} không nối tiếp mục trước: mục trước đã bị "
                "sửa hoặc xóa, hoặc chuỗi đã bị thay đổi.",
            'missing': "Thiếu mục số {s}: mục này đã bị xóa.",
            'duplicate': "Mục số {s} xuất hiện hai lần.",
            'truncated': "Các mục cuối đã bị xóa: chuỗi dừng ở mục số "
                "{f} nhưng đã ghi đến mục số {e}.",
            'head': "Mục cuối số {s} không khớp với đầu chuỗi đã ghi.",
            'key_missing': "Mục số {s} được bảo vệ bằng khóa bí mật nhưng "
                "máy chủ này chưa cấu hình khóa.",
            'unchained': "Có mục được thêm ngoài chuỗi nhật ký (mã {i}).",
            'unkeyed': "Mục số {s} không được bảo vệ bằng khóa bí mật "
                "dù máy chủ đã cấu hình khóa.",
            }[self.code].format(s=self.sequence, e=self.expected,
                f=self.found, i=self.entry_id)


class Result(NamedTuple):
    "Outcome of verify: count entries checked, first..last sequence"
    problem: Problem = None
    count: int = 0
    first: int = None
    last: int = None
    last_hash: str = None

    @property
    def ok(self):
        return self.problem is None


def verify(entries, start=(1, GENESIS), head=None, key=None):
    """Check entries (mappings, ordered by sequence) of one chain.

    start is (sequence, previous hash) the first entry must have: (1,
    GENESIS) for a whole chain, (sequence, None) for a segment starting at
    a known number whose first link is trusted, None to verify a segment
    from whatever entry comes first. head is the (last sequence,
    last hash) recorded for the chain, checked at the end when given.
    Returns a Result with the first problem found.
    """
    count = 0
    first = last = None
    if start is not None:
        expected, prev = start
    else:
        expected = prev = None
    for entry in entries:
        sequence = entry['sequence']
        if expected is None:
            expected = sequence
        if prev is None and count == 0:
            prev = entry['prev_hash']
        if first is None:
            first = sequence
        entry_id = entry.get('id')
        if sequence < expected:
            return Result(Problem('duplicate', sequence, entry_id),
                count, first, last, prev)
        if sequence > expected:
            return Result(Problem('missing', expected, None,
                    expected=expected, found=sequence),
                count, first, last, prev)
        scheme = entry.get('scheme') or SHA256
        if scheme == HMAC_SHA256 and key is None:
            return Result(Problem('key_missing', sequence, entry_id),
                count, first, last, prev)
        if scheme != HMAC_SHA256 and key is not None:
            return Result(Problem('unkeyed', sequence, entry_id),
                count, first, last, prev)
        try:
            computed = entry_hash(entry['prev_hash'], entry,
                key=key if scheme == HMAC_SHA256 else None)
        except (AuditChainError, ValueError, TypeError):
            computed = None
        if computed is None or not hmac.compare_digest(
                computed, entry['hash'] or ''):
            return Result(Problem('changed', sequence, entry_id),
                count, first, last, prev)
        if entry['prev_hash'] != prev:
            return Result(Problem('link', sequence, entry_id,
                    expected=prev, found=entry['prev_hash']),
                count, first, last, prev)
        prev = entry['hash']
        last = sequence
        expected += 1
        count += 1
    if head is not None:
        head_sequence, head_hash = head
        found = last if last is not None else (
            expected - 1 if expected is not None else 0)
        if found < head_sequence:
            return Result(Problem('truncated', found + 1,
                    expected=head_sequence, found=found),
                count, first, last, prev)
        if found > head_sequence or (found and prev != head_hash):
            return Result(Problem('head', found), count, first, last, prev)
    return Result(None, count, first, last, prev)
