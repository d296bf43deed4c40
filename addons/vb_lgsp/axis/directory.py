# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""The axis's agency directory (danh bạ mã định danh).

Loaded from a JSON/YAML file given at start; agencies registered or deleted
through the API are kept in ``directory.json`` of the store, so they
survive a restart while the start file stays read-only.
"""
import os
import threading

from trytond.modules.vb_document.vn import is_valid_identifier, parent_of

from .files import load_config_file, read_json, write_json
from .store import now_text

class DirectoryError(Exception):
    def __init__(self, message):
        self.message = message
        super().__init__(message)


def level_of(code):
    "QĐ 20 level (1–4) of a well-formed mã định danh, else None"
    if not is_valid_identifier(code):
        return None
    l4, l3, l2, _ = code.split('.')
    if l4 != '000':
        return 4
    if l3 != '00':
        return 3
    if l2 != '00':
        return 2
    return 1


def _first(record, *names, default=''):
    for name in names:
        value = record.get(name)
        if value not in (None, ''):
            return value
    return default


def _normalise(record):
    code = str(_first(record, 'code', 'organ_id', 'OrganId')).strip()
    name = str(_first(record, 'name', 'OrganName')).strip()
    if not code or not name:
        raise DirectoryError(
            f'Đơn vị trong danh bạ thiếu mã (code) hoặc tên (name): {record}')
    return {
        'code': code,
        'name': name,
        'parent': str(_first(record, 'parent', 'parent_code', 'pcode'))
        .strip() or None,
        'id': str(_first(record, 'id')),
        'mail': str(_first(record, 'mail', 'email')),
        'mobile': str(_first(record, 'mobile')),
        'fax': str(_first(record, 'fax')),
        'oldCode': str(_first(record, 'oldCode', 'old_code')),
        'code102': str(_first(record, 'code102', default=code)),
        'centerCode': str(_first(record, 'centerCode', 'center_code')),
        'isAgency': bool(record.get('isAgency', record.get('is_agency',
                True))),
        'locked': bool(record.get('locked', False)),
        'deleted': bool(record.get('deleted', False)),
        'version': int(record.get('version') or 1),
        'modifyDate': str(_first(record, 'modifyDate', default='')),
        }


def load_agencies(path):
    "Agency records of a directory file: a list, or {'agencies': [...]}"
    data = load_config_file(path)
    if isinstance(data, dict):
        data = data.get('agencies')
    if not isinstance(data, list):
        raise DirectoryError(f'{path}: cần một danh sách đơn vị '
            '(hoặc khóa "agencies").')
    return data


class Directory:
    "Thread-safe directory; ``overlay_path`` persists runtime changes"

    def __init__(self, records=(), overlay_path=None, *, fsync=True):
        self._lock = threading.Lock()
        self._overlay_path = overlay_path
        self._fsync = fsync
        self._overlay = {}
        self._entries = {}
        for record in records:
            entry = _normalise(record)
            self._entries[entry['code']] = entry
        if overlay_path and os.path.exists(overlay_path):
            self._overlay = read_json(overlay_path)
            for code, entry in self._overlay.items():
                self._entries[code] = entry
        self._assign_ids()

    def _assign_ids(self):
        used = {e['id'] for e in self._entries.values() if e['id']}
        next_id = 1
        for entry in self._entries.values():
            if not entry['id']:
                while str(next_id) in used:
                    next_id += 1
                entry['id'] = str(next_id)
                used.add(entry['id'])

    def _parent_code(self, entry):
        if entry['parent']:
            return entry['parent']
        if is_valid_identifier(entry['code']):
            code = parent_of(entry['code'])
            # Skip levels the directory does not list
            while code and code not in self._entries:
                code = parent_of(code)
            return code
        return None

    def status(self, code):
        "'ok', 'unknown', 'deleted' or 'locked'"
        entry = self._entries.get(code)
        if entry is None:
            return 'unknown'
        if entry['deleted']:
            return 'deleted'
        if entry['locked']:
            return 'locked'
        return 'ok'

    def name_of(self, code):
        entry = self._entries.get(code)
        return entry['name'] if entry else ''

    def _record(self, entry):
        parent = self._entries.get(self._parent_code(entry) or '')
        return {
            'id': entry['id'],
            'pid': parent['id'] if parent else '',
            'code': entry['code'],
            'name': entry['name'],
            'mail': entry['mail'],
            'oldCode': entry['oldCode'],
            'code102': entry['code102'],
            }

    def agencies(self, level=None):
        "getAgenciesList / getAgenciesListQD20 records (not deleted)"
        with self._lock:
            return [self._record(e) for e in self._entries.values()
                if not e['deleted']
                and (level is None or level_of(e['code']) == level)]

    def synchronize_units(self):
        "getSynchronizeUnit records, deletions included"
        with self._lock:
            return [{**self._record(e),
                    'centerCode': e['centerCode'],
                    'version': e['version'],
                    'deleted': e['deleted'],
                    'modifyDate': e['modifyDate'],
                    'isAgency': e['isAgency'],
                    } for e in self._entries.values()]

    def register(self, record):
        "registerAgency: add or update an agency (pcode = parent code)"
        entry = _normalise({**record, 'parent': record.get('pcode')})
        with self._lock:
            old = self._entries.get(entry['code'])
            entry['id'] = (old or {}).get('id') or entry['id']
            entry['version'] = (old['version'] + 1) if old else 1
            entry['modifyDate'] = now_text()
            entry['deleted'] = False
            self._entries[entry['code']] = entry
            self._assign_ids()
            self._save(entry)
        return self._record(entry)

    def delete(self, code):
        "deleteAgency: keep the entry, flagged, for getSynchronizeUnit"
        with self._lock:
            entry = self._entries.get(code)
            if entry is None or entry['deleted']:
                raise DirectoryError(f'Đơn vị {code} không có trong danh bạ.')
            entry = {**entry, 'deleted': True,
                'version': entry['version'] + 1, 'modifyDate': now_text()}
            self._entries[code] = entry
            self._save(entry)

    def _save(self, entry):
        self._overlay[entry['code']] = entry
        if self._overlay_path:
            write_json(self._overlay_path, self._overlay, fsync=self._fsync)
