# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""Append-only log of every request the axis answered (or dropped).

One JSON object per line in ``log.jsonl``: the evidence the tests reconcile
both sides against (what was accepted, delivered, acknowledged, refused,
faulted). Appending a line is not atomic like the store's records, so a
crash can leave a torn last line: readers skip lines that do not parse.
"""
import json
import os
import threading


class RequestLog:

    def __init__(self, path, *, fsync=True):
        self.path = path
        self._fsync = fsync
        self._lock = threading.Lock()
        self._seq = max((e.get('seq', 0) for e in self.read()), default=0)

    def append(self, entry):
        with self._lock:
            self._seq += 1
            entry = {'seq': self._seq, **entry}
            line = json.dumps(entry, ensure_ascii=False, sort_keys=True)
            with open(self.path, 'ab') as file:
                file.write(line.encode('utf-8') + b'\n')
                file.flush()
                if self._fsync:
                    os.fsync(file.fileno())
        return entry

    def read(self, since=0):
        "Entries with ``seq`` greater than ``since``"
        if not os.path.exists(self.path):
            return []
        entries = []
        with open(self.path, 'rb') as file:
            for line in file:
                try:
                    entry = json.loads(line.decode('utf-8'))
                except ValueError:
                    continue
                if isinstance(entry, dict) and entry.get('seq', 0) > since:
                    entries.append(entry)
        return entries
