# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""Crash-safe files: a reader sees the old content or the new, never half.

Written to a temporary file in the same directory, flushed to disk, then
renamed over the target with ``os.replace`` (atomic on POSIX and Windows).
"""
import json
import os
import uuid


def atomic_write(path, content, *, fsync=True):
    directory = os.path.dirname(path) or '.'
    temporary = os.path.join(directory,
        f'.{os.path.basename(path)}.{uuid.uuid4().hex}.tmp')
    try:
        with open(temporary, 'wb') as file:
            file.write(content)
            file.flush()
            if fsync:
                os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except FileNotFoundError:
            pass
        raise
    if fsync and hasattr(os, 'O_DIRECTORY'):
        # Make the rename itself durable
        descriptor = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def write_json(path, value, *, fsync=True):
    atomic_write(path, json.dumps(value, ensure_ascii=False, indent=1,
            sort_keys=True).encode('utf-8'), fsync=fsync)


def read_json(path):
    with open(path, 'rb') as file:
        return json.loads(file.read().decode('utf-8'))


def load_config_file(path):
    """A JSON or YAML configuration file (YAML needs PyYAML installed)"""
    with open(path, 'rb') as file:
        content = file.read()
    if path.lower().endswith(('.yaml', '.yml')):
        try:
            import yaml
        except ImportError:
            raise ValueError(f'{path}: cần cài PyYAML để đọc tệp YAML '
                '(hoặc dùng tệp JSON).')
        return yaml.safe_load(content)
    return json.loads(content.decode('utf-8'))
