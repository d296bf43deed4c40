# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"The audit hash chain without database"
import copy
import datetime as dt
import hashlib
import hmac
import json
from decimal import Decimal

import pytest

from trytond.modules.vb_document.auditchain import (
    GENESIS, HMAC_SHA256, SHA256, AuditChainError, canonical_details,
    canonical_time, entry_hash, link, payload, seal, sealed, verify)

T0 = dt.datetime(2026, 11, 21, 3, 15, 42, 120034)


def _entries(count=5, chain=7):
    return [{
            'id': 100 + i,
            'chain': chain,
            'time': T0 + dt.timedelta(seconds=i),
            'user': 3,
            'login': 'vanthu.snv',
            'action': 'write' if i % 2 else 'file_download',
            'model': 'vb.document',
            'record': 40 + i,
            'document': 40 + i,
            'ip': '203.0.113.%d' % i,
            'details': {'fields': ['subject'], 'name': "Quyết định số %d" % i},
            } for i in range(count)]


def _chain(count=5, key=None):
    entries = _entries(count)
    head = link(entries, key=key)
    return entries, head


def test_canonical_details_is_stable():
    a = canonical_details({'b': 1, 'a': "Phê duyệt", 'c': [1, 2]})
    b = canonical_details({'c': [1, 2], 'a': "Phê duyệt", 'b': 1})
    assert a == b == '{"a":"Phê duyệt","b":1,"c":[1,2]}'
    assert canonical_details(None) == '{}'
    assert canonical_details({'d': dt.date(2026, 1, 2),
            'n': Decimal('1.50'), 's': {'y', 'x'}}) == (
        '{"d":"2026-01-02","n":"1.50","s":["x","y"]}')


@pytest.mark.parametrize('details', [
        {'x': object()}, {'x': float('nan')}, {'x': [float('inf')]},
        {1: 'khóa số'}, ['không', 'phải', 'dict'], 'chuỗi'])
def test_bad_details_refused_in_vietnamese(details):
    with pytest.raises(AuditChainError) as info:
        canonical_details(details)
    assert info.value.code == 'bad_details'
    assert "nhật ký" in info.value.message


def test_canonical_time():
    assert canonical_time(T0) == '2026-11-21T03:15:42.120034'
    assert canonical_time(T0.replace(microsecond=0)) == (
        '2026-11-21T03:15:42.000000')
    # A database may give the timestamp back as text
    assert canonical_time('2026-11-21 03:15:42.120034') == (
        '2026-11-21T03:15:42.120034')
    aware = dt.datetime(2026, 11, 21, 10, 15, 42, 120034,
        tzinfo=dt.timezone(dt.timedelta(hours=7)))
    assert canonical_time(aware) == '2026-11-21T03:15:42.120034'
    with pytest.raises(AuditChainError):
        canonical_time(dt.date(2026, 11, 21))


def test_hash_is_sha256_of_previous_and_payload():
    entry = _entries(1)[0]
    entry['details'] = canonical_details(entry['details'])
    entry['sequence'] = 1
    data = payload(entry)
    decoded = json.loads(data.decode('utf-8'))
    assert decoded['login'] == 'vanthu.snv'
    assert decoded['time'] == '2026-11-21T03:15:42.120034'
    assert decoded['v'] == 1
    assert set(decoded) == {
        'chain', 'sequence', 'time', 'user', 'login', 'action', 'model',
        'record', 'document', 'ip', 'details', 'v'}
    assert entry_hash(GENESIS, entry) == hashlib.sha256(
        GENESIS.encode() + b'\n' + payload(entry)).hexdigest()
    assert entry_hash(GENESIS, entry, key='bí mật') == hmac.new(
        'bí mật'.encode(), GENESIS.encode() + b'\n' + payload(entry),
        hashlib.sha256).hexdigest()


def test_link_numbers_and_chains():
    entries, head = _chain(5)
    assert [e['sequence'] for e in entries] == [1, 2, 3, 4, 5]
    assert entries[0]['prev_hash'] == GENESIS
    for before, after in zip(entries, entries[1:]):
        assert after['prev_hash'] == before['hash']
    assert head == (5, entries[-1]['hash'])
    assert {e['scheme'] for e in entries} == {SHA256}
    # Appending continues from the head
    more = _entries(2)
    new_head = link(more, head=head)
    assert [e['sequence'] for e in more] == [6, 7]
    assert more[0]['prev_hash'] == head[1]
    result = verify(entries + more, head=new_head)
    assert result.ok and result.count == 7 and result.last == 7


def test_intact_chain_verifies():
    entries, head = _chain(5)
    result = verify(entries, head=head)
    assert result.ok
    assert (result.count, result.first, result.last) == (5, 1, 5)
    assert verify([], head=(0, GENESIS)).ok


def test_changed_entry_detected():
    entries, head = _chain(5)
    entries[2]['details'] = entries[2]['details'].replace('2', '9')
    result = verify(entries, head=head)
    assert not result.ok
    assert result.problem.code == 'changed'
    assert result.problem.sequence == 3
    assert result.problem.entry_id == 102
    assert result.count == 2
    assert result.problem.message == "Mục số 3 đã bị sửa sau khi ghi."


@pytest.mark.parametrize('field, value', [
        ('user', 1), ('login', 'admin'), ('action', 'delete'),
        ('ip', '198.51.100.7'), ('record', 999), ('chain', 8),
        ('time', T0 - dt.timedelta(days=1))])
def test_every_field_is_covered(field, value):
    entries, head = _chain(3)
    entries[1][field] = value
    result = verify(entries, head=head)
    assert result.problem.code == 'changed' and result.problem.sequence == 2


def test_rehashed_entry_breaks_the_next_link():
    entries, head = _chain(5)
    # Someone edits entry 2 and recomputes its own hash
    entries[1]['login'] = 'admin'
    entries[1]['hash'] = entry_hash(entries[1]['prev_hash'], entries[1])
    result = verify(entries, head=head)
    assert result.problem.code == 'link'
    assert result.problem.sequence == 3


def test_deleted_entry_detected():
    entries, head = _chain(5)
    del entries[1]
    result = verify(entries, head=head)
    assert result.problem.code == 'missing'
    assert result.problem.sequence == 2
    assert "Thiếu mục số 2" in result.problem.message


def test_deleted_and_renumbered_entry_detected():
    entries, head = _chain(5)
    del entries[1]
    for entry in entries[1:]:
        entry['sequence'] -= 1
    result = verify(entries, head=head)
    # Renumbering changes the hashed content of the next entry
    assert result.problem.code == 'changed'
    assert result.problem.sequence == 2


def test_duplicate_sequence_detected():
    entries, head = _chain(3)
    entries.insert(2, copy.deepcopy(entries[1]))
    result = verify(entries, head=head)
    assert result.problem.code == 'duplicate'
    assert result.problem.sequence == 2


def test_truncated_chain_detected_by_head():
    entries, head = _chain(5)
    result = verify(entries[:3], head=head)
    assert result.problem.code == 'truncated'
    assert result.problem.sequence == 4
    assert (result.problem.expected, result.problem.found) == (5, 3)
    assert result.problem.message == (
        "Các mục cuối đã bị xóa: chuỗi dừng ở mục số 3 nhưng đã ghi đến "
        "mục số 5.")
    # Everything deleted
    result = verify([], head=head)
    assert result.problem.code == 'truncated'
    assert result.problem.sequence == 1


def test_head_mismatch_detected():
    entries, head = _chain(4)
    result = verify(entries, head=(4, GENESIS))
    assert result.problem.code == 'head'
    result = verify(entries, head=(3, entries[2]['hash']))
    assert result.problem.code == 'head'


def test_segment_verification():
    entries, head = _chain(8)
    result = verify(entries[3:6], start=None)
    assert result.ok and (result.first, result.last) == (4, 6)
    # The segment joined to its predecessor
    result = verify(entries[3:6], start=(4, entries[2]['hash']))
    assert result.ok
    result = verify(entries[3:6], start=(4, GENESIS))
    assert result.problem.code == 'link' and result.problem.sequence == 4
    damaged = copy.deepcopy(entries[3:])
    del damaged[2]
    result = verify(damaged, start=None, head=head)
    assert result.problem.code == 'missing' and result.problem.sequence == 6


def test_keyed_chain():
    key = 'khóa-bí-mật-của-tỉnh'
    entries, head = _chain(4, key=key)
    assert {e['scheme'] for e in entries} == {HMAC_SHA256}
    assert verify(entries, head=head, key=key).ok
    # Wrong key: the first entry does not verify
    result = verify(entries, head=head, key='khóa khác')
    assert result.problem.code == 'changed' and result.problem.sequence == 1
    # No key configured where the chain is checked
    result = verify(entries, head=head)
    assert result.problem.code == 'key_missing'


def test_rewriting_the_whole_chain_needs_the_key():
    "Without a key an attacker can rebuild every hash; with one he cannot"
    for key in (None, 'khóa-bí-mật'):
        entries, head = _chain(4, key=key)
        forged = copy.deepcopy(entries)
        forged[1]['login'] = 'admin'
        for entry in forged:
            del entry['sequence']
        forged_head = link(forged)  # recomputed without the key
        result = verify(forged, head=forged_head, key=key)
        if key is None:
            assert result.ok  # the known limit of an unkeyed chain
        else:
            assert result.problem.code == 'unkeyed'
            assert result.problem.sequence == 1
            for entry in forged:
                entry['scheme'] = HMAC_SHA256
            result = verify(forged, head=forged_head, key=key)
            assert result.problem.code == 'changed'
            assert result.problem.sequence == 1


def test_unkeyed_entry_refused_where_key_configured():
    entries = _entries(4)
    head = link(entries[:2], key='k')
    link(entries[2:], head=head)
    result = verify(entries, key='k')
    assert result.problem.code == 'unkeyed' and result.problem.sequence == 3
    assert "khóa bí mật" in result.problem.message


def test_missing_field_refused():
    entry = dict(_entries(1)[0], sequence=1)
    del entry['ip']
    with pytest.raises(AuditChainError) as info:
        payload(entry)
    assert info.value.code == 'missing_field'
    entry = dict(_entries(1)[0], sequence=1)
    entry['record'] = '12'
    with pytest.raises(AuditChainError) as info:
        payload(entry)
    assert info.value.code == 'bad_field'


@pytest.mark.parametrize('key', [None, 'khóa-bí-mật'])
def test_seal_of_an_entry_waiting_for_its_place(key):
    "Stored before it is chained, an entry is sealed on its own fields"
    scheme = HMAC_SHA256 if key else SHA256
    entry = dict(_entries(1)[0], sequence=None, scheme=scheme,
        details=canonical_details(_entries(1)[0]['details']))
    entry['hash'] = seal(entry, key=key)
    assert sealed(entry, key=key)
    # The seal covers neither a number nor a previous hash
    assert seal(dict(entry, sequence=9), key=key) == entry['hash']
    assert seal(entry, key=key) != entry_hash(GENESIS, entry, key=key)
    # Changed, forged without hash, or sealed under another key or scheme
    assert not sealed(dict(entry, login='admin'), key=key)
    assert not sealed(dict(entry, hash=None), key=key)
    assert not sealed(entry, key='khóa khác' if key else 'k')
    assert not sealed(dict(entry, details=object()), key=key)
    # Once chained it verifies as any entry
    head = link([entry], key=key)
    assert verify([entry], head=head, key=key).ok
