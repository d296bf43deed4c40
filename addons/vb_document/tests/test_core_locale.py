# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""The Vietnamese translations of the platform strings (locale/core/vi.po).

No database: the po file is checked against the installed trytond, so that
an upstream change of an English text fails here instead of silently
losing the translation (an override only matches the current source).
"""
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import polib
import pytest

import trytond

PO_PATH = Path(__file__).resolve().parent.parent / 'locale' / 'core' / 'vi.po'
PLACEHOLDER = re.compile(r'%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa%]')
TEMPLATE = re.compile(r'\$\{[^}]*\}')
# The modules whose records may be overridden and where their XML lives
TRYTOND = Path(trytond.__file__).resolve().parent
MODULE_DIRS = {
    'ir': TRYTOND / 'ir',
    'res': TRYTOND / 'res',
    'company': TRYTOND / 'modules' / 'company',
    'party': TRYTOND / 'modules' / 'party',
    }


@pytest.fixture(scope='module')
def po():
    return polib.pofile(str(PO_PATH))


def _messages(module):
    "{fs_id: (text, text_plural)} of the ir.message records of module"
    path = MODULE_DIRS[module] / 'message.xml'
    root = ET.parse(path).getroot()
    messages = {}
    for record in root.iter('record'):
        if record.get('model') != 'ir.message':
            continue
        text = record.find("field[@name='text']")
        plural = record.find("field[@name='text_plural']")
        messages[record.get('id')] = (
            text.text, plural.text if plural is not None else None)
    return messages


def _xml_ids(module):
    "fs_ids of every record defined in the XML files of module"
    ids = set()
    for path in MODULE_DIRS[module].rglob('*.xml'):
        if {'view', 'tests', 'locale'} & set(
                path.relative_to(MODULE_DIRS[module]).parts):
            continue
        root = ET.parse(path).getroot()
        ids.update(r.get('id') for r in root.iter('record'))
        ids.update(m.get('id') for m in root.iter('menuitem'))
    return ids


def _values(entry):
    if entry.msgid_plural:
        return [entry.msgstr_plural[k] for k in sorted(entry.msgstr_plural)]
    return [entry.msgstr]


def test_header(po):
    assert po.metadata['Language'] == 'vi'
    assert 'charset=utf-8' in po.metadata['Content-Type'].lower()
    assert po.metadata['Plural-Forms'].replace(' ', '') \
        == 'nplurals=1;plural=0;'


def test_all_translated(po):
    assert len(po) > 0
    assert not po.untranslated_entries()
    assert not po.fuzzy_entries()
    assert not po.obsolete_entries()
    for entry in po:
        for value in _values(entry):
            assert value.strip(), entry.msgctxt
        if entry.msgid_plural:
            # vi has a single form
            assert sorted(entry.msgstr_plural) == [0], entry.msgctxt


def test_msgctxt_syntax(po):
    keys = set()
    for entry in po:
        assert entry.msgctxt, entry.msgid
        ttype, name, res_id = entry.msgctxt.split(':')
        assert ttype in {
            'field', 'help', 'model', 'selection', 'view',
            'wizard_button'}, entry.msgctxt
        if ttype == 'model' and res_id:
            # records of other modules: override syntax module.fs_id
            assert re.fullmatch(r'[a-z_]+\.[A-Za-z0-9_]+', res_id), \
                entry.msgctxt
        elif ttype == 'model':
            # model names
            assert name.endswith(',string'), entry.msgctxt
        else:
            assert res_id == '', entry.msgctxt
        key = (entry.msgctxt, entry.msgid)
        assert key not in keys, key
        keys.add(key)


# Placeholders a translation may leave out on purpose (%-formatting with a
# mapping ignores unused keys): the button's technical name means nothing
# to a clerk.
DROPPED = {
    'model:ir.message,text:ir.msg_button_state_record': {'%(button)s'},
    }


def test_placeholders(po):
    for entry in po:
        dropped = DROPPED.get(entry.msgctxt, set())
        for value in _values(entry):
            for pattern in (PLACEHOLDER, TEMPLATE):
                expected = [p for p in pattern.findall(entry.msgid)
                    if p not in dropped]
                assert sorted(expected) \
                    == sorted(pattern.findall(value)), entry.msgctxt
                if entry.msgid_plural:
                    assert sorted(pattern.findall(entry.msgid_plural)) \
                        == sorted(pattern.findall(value)), entry.msgctxt
            assert entry.msgid.count('\n') == value.count('\n'), \
                entry.msgctxt


def test_messages_match_upstream(po):
    "Every message exists upstream with exactly the same English text"
    messages = {m: _messages(m) for m in MODULE_DIRS}
    found = 0
    for entry in po:
        if not entry.msgctxt.startswith('model:ir.message,text:'):
            continue
        module, fs_id = entry.msgctxt.split(':')[2].split('.')
        assert module in messages, entry.msgctxt
        assert fs_id in messages[module], (
            f"{entry.msgctxt}: no such message in trytond {module}")
        text, plural = messages[module][fs_id]
        assert entry.msgid == text, (
            f"{entry.msgctxt}: English source changed upstream:\n"
            f"  po:  {entry.msgid!r}\n  xml: {text!r}")
        assert (entry.msgid_plural or None) == plural, entry.msgctxt
        found += 1
    assert found


@pytest.mark.parametrize('module', ['ir', 'res'])
def test_all_messages_translated(po, module):
    "Every message of ir and res has a translation"
    translated = {
        e.msgctxt.split(':')[2] for e in po
        if e.msgctxt.startswith('model:ir.message,text:')}
    missing = {
        f'{module}.{fs_id}' for fs_id in _messages(module)} - translated
    assert not missing


def test_overridden_records_exist(po):
    "The records overridden (menus, actions, buttons...) exist upstream"
    ids = {}
    for entry in po:
        ttype, name, res_id = entry.msgctxt.split(':')
        if ttype != 'model' or not res_id:
            continue
        module, fs_id = res_id.split('.')
        assert module in MODULE_DIRS, entry.msgctxt
        if module not in ids:
            ids[module] = _xml_ids(module)
        assert fs_id in ids[module], entry.msgctxt
