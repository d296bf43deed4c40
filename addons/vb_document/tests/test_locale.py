# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""Static checks of the Vietnamese translation (no database).

Refresh the catalogue after adding or changing a string:

    trytond-admin -c <conf> -d <scratch db> -u vb_document -l vi \\
        --export-translations

then translate the new ``msgstr`` and run these tests.
"""
import configparser
import re
import unicodedata
import xml.etree.ElementTree as ET
from pathlib import Path

import polib
import pytest

MODULE = 'vb_document'
MODULE_DIR = Path(__file__).resolve().parent.parent
PO_PATH = MODULE_DIR / 'locale' / 'vi.po'
# Named printf placeholders as used by gettext(…, name=value)
PLACEHOLDER = re.compile(
    r'%\((\w+)\)[-#0 +]*(?:\d+|\*)?(?:\.(?:\d+|\*))?[diouxXeEfFgGcrsa]')


@pytest.fixture(scope='module')
def po():
    return polib.pofile(str(PO_PATH))


def _entries(po):
    return [e for e in po if not e.obsolete]


def _ir_messages():
    "{fs_id: text} of the ir.message records of the module's XML files"
    cfg = configparser.ConfigParser()
    cfg.read(MODULE_DIR / 'tryton.cfg', encoding='utf-8')
    xml_files = cfg.get('tryton', 'xml', fallback='').split()
    messages = {}
    for name in xml_files:
        root = ET.parse(MODULE_DIR / name).getroot()
        for record in root.iter('record'):
            if record.get('model') != 'ir.message':
                continue
            for field in record.iter('field'):
                if field.get('name') == 'text':
                    messages[record.get('id')] = field.text or ''
    return messages


def _message_context(fs_id):
    # The export writes "<type>:<model>,<field>:<fs_id>"; the module prefix
    # is only used to override strings of other modules.
    return 'model:ir.message,text:%s' % fs_id


def test_header(po):
    # trytond-admin --export-translations writes only the Content-Type
    assert 'charset=utf-8' in po.metadata.get('Content-Type', '').lower()
    assert po.metadata.get('Language', 'vi') == 'vi'


def test_not_empty(po):
    assert len(_entries(po)) > 0


def test_all_translated(po):
    untranslated = [(e.msgctxt, e.msgid) for e in _entries(po)
        if not e.translated() and 'fuzzy' not in e.flags]
    assert not untranslated, "untranslated entries: %s" % untranslated


def test_no_fuzzy(po):
    fuzzy = [(e.msgctxt, e.msgid) for e in _entries(po) if 'fuzzy' in e.flags]
    assert not fuzzy, "fuzzy entries: %s" % fuzzy


def test_no_obsolete(po):
    obsolete = [(e.msgctxt, e.msgid) for e in po.obsolete_entries()]
    assert not obsolete, "obsolete entries: %s" % obsolete


def test_contexts_unique(po):
    seen, duplicates = set(), []
    for e in _entries(po):
        key = (e.msgctxt, e.msgid)
        if key in seen:
            duplicates.append(key)
        seen.add(key)
    assert not duplicates, "duplicate entries: %s" % duplicates


def test_placeholders(po):
    wrong = []
    for e in _entries(po):
        expected = sorted(PLACEHOLDER.findall(e.msgid))
        found = sorted(PLACEHOLDER.findall(e.msgstr))
        if expected != found:
            wrong.append((e.msgctxt, expected, found))
    assert not wrong, "placeholders differ (context, msgid, msgstr): %s" % (
        wrong,)


def test_nfc(po):
    wrong = [(e.msgctxt, e.msgstr) for e in _entries(po)
        if unicodedata.normalize('NFC', e.msgstr) != e.msgstr]
    assert not wrong, "msgstr not NFC-normalised: %s" % wrong


def test_messages_translated(po):
    "Every ir.message of the module has an up-to-date translation"
    entries = {e.msgctxt: e for e in _entries(po)
        if e.msgctxt and e.msgctxt.startswith('model:ir.message,text:')}
    messages = _ir_messages()
    assert messages
    missing, stale = [], []
    for fs_id, text in sorted(messages.items()):
        entry = entries.get(_message_context(fs_id))
        if entry is None:
            missing.append(fs_id)
        elif entry.msgid != text:
            stale.append(fs_id)
    assert not missing, "ir.message without translation: %s" % missing
    assert not stale, (
        "English text changed since the translation (re-export and "
        "translate again): %s" % stale)
    unknown = sorted(set(entries) - {_message_context(i) for i in messages})
    assert not unknown, "translations of removed messages: %s" % unknown
