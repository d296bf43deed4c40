"""Checks of the Vietnamese translation of the sao web client (no database).

``web/locale/vi.po`` translates the UI strings of the Tryton web client
(npm package tryton-sao 8.0) and ``web/po2json.py`` converts it into the
``locale/vi.json`` file that sao loads.  The msgids of sao's
``locale/messages.pot`` are embedded below so that a missing or stale entry
in vi.po is detected without network access or the npm package.
"""
import collections
import importlib.util
import json
import re
import unicodedata
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[1]
PO_PATH = ROOT / 'web' / 'locale' / 'vi.po'
PO2JSON_PATH = ROOT / 'web' / 'po2json.py'

# Every msgid of locale/messages.pot in tryton-sao 8.0.11 (269 entries).
POT_MSGIDS = (
    'Are your sure to leave?',
    'Incompatible version of the server.',
    'Version mismatch',
    'Could not connect to the server.',
    'Connection error',
    'Check menu entries to add favorites',
    'Add to favorites',
    'Remove from favorites',
    'Favorites',
    'Action',
    'New',
    'Save',
    'Switch',
    'Reload/Undo',
    'Duplicate',
    'Delete',
    'Previous',
    'Next',
    'Search',
    'Close Tab',
    'Attachment',
    'Note',
    'Relate',
    'Print',
    'Email',
    'Previous tab',
    'Next tab',
    'Global search',
    'Show this help',
    'Show/Hide access keys',
    'Help',
    'Close',
    'Documentation...',
    'Keyboard shortcuts',
    'Global shortcuts',
    'Tab shortcuts',
    'Unable to reach the server.',
    'Error: "%1". Try again later.',
    'Login',
    'Database',
    'User name',
    'Login with',
    'Too many requests. Try again later.',
    'Not found.',
    'Send you an email to reset your password.',
    'Reset forgotten password',
    'A request to reset your password has been sent.\nPlease check your mailbox.',
    'Your selection:',
    'Cancel',
    'OK',
    'Y',
    'M',
    'w',
    'd',
    'h',
    'm',
    's',
    'By: ',
    ', ',
    'y',
    'Yes',
    'True',
    't',
    'False',
    'Always ignore this warning.',
    'Do you want to proceed?',
    'No',
    'Concurrency Warning',
    'This record has been modified while you were editing it.',
    'Choose:',
    '"Cancel" to cancel saving;',
    '"Compare" to see the modified version;',
    '"Write Anyway" to save your current version.',
    'Compare',
    'Compare: %1',
    'Write Anyway',
    'Application Error',
    'Details',
    'Report Bug',
    'Processing',
    'Search...',
    'Create...',
    'Create "%1"...',
    'Download',
    '...',
    'Bold',
    'Italic',
    'Underline',
    'Font',
    'Size',
    'Justify Right',
    'Justify Left',
    'Justify Center',
    'Justify Full',
    'Switch view',
    'Previous Record',
    'Next Record',
    'Create a new record',
    'Save this record',
    'Reload',
    'View Logs...',
    'Show revisions...',
    'Add an attachment to the record',
    'Add a note to the record',
    'Chat',
    'Chat on the record',
    'Email...',
    'Send an email using the record',
    'Export',
    'Import',
    'The following action requires to close all tabs.\nDo you want to continue?',
    'Launch action',
    'Open related records',
    'Print report',
    'This record has been modified\ndo you want to save it?',
    'Record saved.',
    'Working now on the duplicated record(s).',
    'Are you sure to remove this record?',
    'Are you sure to remove those records?',
    'Records removed.',
    'Records not removed.',
    'You have to select one record.',
    'Add...',
    'Preview',
    'Manage...',
    'Template',
    'Attachment (%1)',
    'Note (%1/%2)',
    'Filters',
    'Clear Search',
    'Bookmarks',
    'Remove this bookmark',
    'Bookmark this filter',
    'Bookmark Name:',
    'Show active records',
    'Show inactive records',
    'Find',
    'From',
    'To',
    'Open the calendar',
    'ID',
    'Created by',
    'Created at',
    'Modified by',
    'Modified at',
    '"%1" is required.',
    '"%1" is not valid according to its domain.',
    'The values of "%1" are not valid.',
    'Pre-validation',
    ':',
    'Scan',
    'Translate',
    'Edit',
    'Fuzzy',
    'You need to save the record before adding translations.',
    'No other language available.',
    'Show',
    'Hide',
    'Select a color for "%1"',
    'Open the record',
    'Clear the field',
    'Search a record',
    'Add',
    'Remove',
    'Open',
    'Undelete',
    'Restore',
    'Save As',
    'Save As...',
    'Select',
    'Select...',
    'Clear',
    'Open...',
    'Choose a language',
    '%1%',
    'Menu',
    'Copy Selected Rows',
    'Reset Column Widths',
    '#ERROR',
    'Failed to copy text to clipboard: %1',
    'More',
    ': ',
    'Today',
    'Month',
    'Week',
    'Day',
    ',...',
    '%1 (%2)',
    'Select your action',
    'No action defined.',
    'Discard changes',
    'Save and New',
    'Add and New',
    'Apply changes',
    'Attachments (%1)',
    'Notes (%1)',
    'Logs (%1)',
    'Model:',
    'ID:',
    'Module:',
    'XML ID:',
    'Created by:',
    'Created at:',
    'Last Modified by:',
    'Last Modified at:',
    'Search %1',
    'Revision',
    'All Fields',
    'Fields Selected',
    'CSV Parameters',
    'Delimiter:',
    'Quote Char:',
    'CSV Import: %1',
    'Auto-Detect',
    'File to Import',
    'Encoding:',
    'Lines to Skip:',
    'You must select an import file first.',
    'Detection failed',
    'Unknown column header "%1"',
    'Error',
    'Import failed',
    '%1 record imported',
    'CSV Export: %1',
    'Save Export',
    'URL Export',
    'Delete Export',
    'Predefined Exports',
    'Selected Records',
    'Listed Records',
    'Export:',
    'Ignore search limit',
    'Use locale format',
    'Add Field Names',
    '%1 (string)',
    '%1 (model name)',
    '%1/Record Name',
    'What is the name of this export?',
    'Override %1 definition?',
    '%1 record saved',
    'Email %1',
    'To:',
    'Cc:',
    'Bcc:',
    'Subject:',
    'Reports',
    'Attachments',
    'Files',
    'Send',
    'Remove File',
    'Code Scanner',
    'Code',
    'Toggle Sound',
    'Wizard',
    'Add a follower',
    'Subscribe a follower to this channel',
    'Show followers',
    'Unsubscribe',
    'Subscribe',
    'Are you sure to unsubscribe "%1" from this channel?',
    'Enter a message',
    'Submit the message',
    'Make this an internal message',
    'No notifications at this time',
    'All Notifications...',
    'Preferences...',
    'Help...',
    'Logout',
    'Translate view',
)

# Plural entries of messages.pot: msgid -> msgid_plural.
POT_PLURALS = {
    '%1 record imported': '%1 records imported',
    '%1 record saved': '%1 records saved',
}

# Placeholders that must survive translation: printf style (%s, %d),
# sao/gettext.js positional (%1, %2, ...) and brace style ({0}, {name}).
PLACEHOLDER_RE = re.compile(r'%[sd]|%\d+|\{[^{}]*\}')

KEY_STRINGS = {
    'Login': 'Đăng nhập',
    'Search': 'Tìm kiếm',
    'Save': 'Lưu',
    'Delete': 'Xóa',
    'Cancel': 'Hủy',
    'New': 'Tạo mới',
    'Attachment': 'Tệp đính kèm',
    'Note': 'Ghi chú',
    'Chat': 'Trao đổi',
    'Preferences...': 'Tùy chọn...',
    'Logout': 'Đăng xuất',
}

# sao 8.0 has no bare "Password" msgid (the login password prompt label comes
# from the server); these are its password-related strings.
PASSWORD_MSGIDS = (
    'Send you an email to reset your password.',
    'Reset forgotten password',
    'A request to reset your password has been sent.\n'
    'Please check your mailbox.',
)

# Keys of Sao.common.timedelta._get_separator (duration unit suffixes).
TIMEDELTA_MSGIDS = ('Y', 'M', 'w', 'd', 'h', 'm', 's')


def _load_po2json():
    spec = importlib.util.spec_from_file_location('po2json', PO2JSON_PATH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope='module')
def po():
    return polib.pofile(str(PO_PATH))


@pytest.fixture(scope='module')
def data():
    return _load_po2json().convert(str(PO_PATH))


def _placeholders(text):
    return collections.Counter(PLACEHOLDER_RE.findall(text))


def test_embedded_pot_list_is_sane():
    assert len(POT_MSGIDS) == 269
    assert len(set(POT_MSGIDS)) == len(POT_MSGIDS)
    assert set(POT_PLURALS) <= set(POT_MSGIDS)


def test_po_matches_pot(po):
    entries = {e.msgid: e for e in po if not e.obsolete}
    missing = [m for m in POT_MSGIDS if m not in entries]
    extra = sorted(set(entries) - set(POT_MSGIDS))
    assert not missing, f"msgids of messages.pot missing in vi.po: {missing}"
    assert not extra, f"msgids in vi.po but not in messages.pot: {extra}"
    for msgid, msgid_plural in POT_PLURALS.items():
        assert entries[msgid].msgid_plural == msgid_plural


def test_po_fully_translated(po):
    assert po.untranslated_entries() == []
    assert po.fuzzy_entries() == []
    assert po.obsolete_entries() == []
    assert all(e.msgctxt is None for e in po)
    assert po.percent_translated() == 100
    for e in po:
        if e.msgid_plural:
            assert e.msgstr_plural.get(0), e.msgid
            assert all(e.msgstr_plural.values()), e.msgid
        else:
            assert e.msgstr, e.msgid


def test_po_header(po):
    assert po.metadata['Language'] == 'vi'
    assert po.metadata['Plural-Forms'] == 'nplurals=1; plural=0;'
    assert po.metadata['Content-Type'] == 'text/plain; charset=UTF-8'


def test_msgstr_nfc(po):
    for e in po:
        for text in [e.msgstr, *e.msgstr_plural.values()]:
            assert text == unicodedata.normalize('NFC', text), e.msgid


def test_json_header(data):
    header = data['']
    assert header['language'] == 'vi'
    assert header['plural-forms'] == 'nplurals=1; plural=0;'
    assert 'charset=UTF-8' in header['content-type']


def test_json_has_every_pot_msgid(data):
    missing = [m for m in POT_MSGIDS if m not in data]
    assert not missing, f"untranslated in vi.json: {missing}"
    assert len(data) == len(POT_MSGIDS) + 1  # + the "" header entry
    for msgid in POT_MSGIDS:
        value = data[msgid]
        if msgid in POT_PLURALS:
            assert value[0] == POT_PLURALS[msgid]
            assert len(value) >= 2 and all(value[1:]), msgid
        else:
            assert value[0] is None
            assert len(value) == 2 and value[1], msgid


@pytest.mark.parametrize('msgid', POT_MSGIDS)
def test_placeholders_kept(data, msgid):
    value = data[msgid]
    source = value[0] if msgid in POT_PLURALS else msgid
    expected = _placeholders(msgid) | _placeholders(source)
    for msgstr in value[1:]:
        assert _placeholders(msgstr) >= expected, (msgid, msgstr)
        # Multi-line messages keep their line structure.
        assert msgstr.count('\n') == msgid.count('\n'), (msgid, msgstr)


@pytest.mark.parametrize('msgid,expected', sorted(KEY_STRINGS.items()))
def test_key_strings(data, msgid, expected):
    assert data[msgid] == [None, expected]


def test_password_strings(data):
    assert 'Password' not in POT_MSGIDS
    for msgid in PASSWORD_MSGIDS:
        assert 'mật khẩu' in data[msgid][1].lower(), msgid


def test_timedelta_separators_parseable(data):
    # sao parses durations by matching these suffixes with endsWith(), so
    # they must be distinct, free of spaces and not suffixes of each other.
    seps = [data[k][1] for k in TIMEDELTA_MSGIDS]
    assert len(set(seps)) == len(seps)
    for a in seps:
        assert a and ' ' not in a and ':' not in a
        for b in seps:
            assert a == b or not b.endswith(a), (a, b)


def test_cli_writes_same_json(tmp_path, data):
    out = tmp_path / 'vi.json'
    _load_po2json().main([str(PO_PATH), str(out)])
    assert json.loads(out.read_text(encoding='utf-8')) == data
