#!/usr/bin/env python3
# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""Run every test (or the benchmarks) on PostgreSQL.

Uses the server on 127.0.0.1:5432 when it answers, else starts a
throwaway cluster with the system's initdb/pg_ctl, and only when neither
is possible falls back to SQLite — saying so loudly.
"""
import argparse
import atexit
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / 'var'
PG_BINDIRS = sorted(Path('/usr/lib/postgresql').glob('*/bin'), reverse=True)


def banner(*lines):
    print('!' * 78, *('!!! ' + line for line in lines), '!' * 78,
        sep='\n', flush=True)


def _pg_bin(name):
    for bindir in PG_BINDIRS:
        if (bindir / name).exists():
            return str(bindir / name)
    return shutil.which(name)


def _answers(uri):
    "Whether a PostgreSQL server accepts us at uri"
    try:
        import psycopg
    except ImportError:
        return False
    try:
        with psycopg.connect(uri + 'postgres', connect_timeout=3) as conn:
            conn.execute('SELECT 1')
        return True
    except Exception:
        return False


def start_cluster():
    "Start a throwaway cluster; return its URI or None"
    initdb, pg_ctl = _pg_bin('initdb'), _pg_bin('pg_ctl')
    if not initdb or not pg_ctl:
        return None
    base = Path(tempfile.mkdtemp(prefix='vbdh-pg-'))
    data, port = base / 'data', 55432
    as_postgres = os.geteuid() == 0
    if as_postgres:  # initdb refuses to run as root
        shutil.chown(base, 'postgres')

    def call(*args):
        command = list(args)
        if as_postgres:
            command = ['su', 'postgres', '-c', ' '.join(
                    f"'{a}'" for a in command)]
        return subprocess.run(command, capture_output=True, text=True)

    result = call(initdb, '-D', str(data), '-U', 'postgres', '-A', 'trust',
        '-E', 'UTF8', '--locale=C.UTF-8')
    if result.returncode:
        print(result.stderr, file=sys.stderr)
        return None
    result = call(pg_ctl, '-D', str(data), '-l', str(base / 'log'), '-w',
        'start', '-o', f'-c listen_addresses=127.0.0.1 -p {port} '
        f'-k {base} -c fsync=off -c synchronous_commit=off '
        '-c full_page_writes=off -c max_connections=200')
    if result.returncode:
        print(result.stderr, file=sys.stderr)
        return None
    atexit.register(lambda: (call(pg_ctl, '-D', str(data), '-m', 'fast',
                'stop'), shutil.rmtree(base, ignore_errors=True)))
    return f'postgresql://postgres@127.0.0.1:{port}/'


def database_uri():
    "Return (uri, description)"
    if os.environ.get('VBDH_TEST_DB'):
        return os.environ['VBDH_TEST_DB'], 'VBDH_TEST_DB'
    for uri in ['postgresql://postgres@127.0.0.1:5432/',
            'postgresql://127.0.0.1:5432/']:
        if _answers(uri):
            return uri, 'PostgreSQL 127.0.0.1:5432'
    uri = start_cluster()
    if uri and _answers(uri):
        return uri, 'PostgreSQL (cụm tạm thời / throwaway cluster)'
    return 'sqlite://', None


def code_key():
    "Hash of everything that shapes a test database"
    digest = hashlib.sha1()
    for path in sorted((ROOT / 'addons').rglob('*')):
        if path.suffix in {'.py', '.xml', '.cfg', '.po'} \
                and '__pycache__' not in path.parts:
            digest.update(str(path.relative_to(ROOT)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _owner_alive(name):
    "Whether name ends in the id of a running process (a live test's copy)"
    pid = name.rsplit('_', 1)[-1].removeprefix('build')
    if not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    return True


def drop_database(uri, name):
    import psycopg
    with psycopg.connect(uri + 'postgres', autocommit=True) as conn:
        conn.execute('SELECT pg_terminate_backend(pid) FROM pg_stat_activity '
            'WHERE datname = %s', (name,))
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')


def drop_stale_templates(uri, key):
    """trytond's DB_CACHE keys templates by module names only: drop them
    when the code changed, or tests would run on an old schema."""
    import psycopg
    stamp = VAR / 'test-cache-key'
    if stamp.exists() and stamp.read_text() == key:
        return
    with psycopg.connect(uri + 'postgres', autocommit=True) as conn:
        names = [n for n, in conn.execute(
                "SELECT datname FROM pg_database WHERE datname LIKE 'test-%%'"
                " OR datname LIKE 'vbdh_test_%%' OR datname LIKE 'vbdh_tpl_%%'")]
        for name in names:
            if _owner_alive(name):
                continue  # a parallel run's database: not stale, just busy
            drop_database(uri, name)
        existing = {n for n, in conn.execute(
                'SELECT datname FROM pg_database')}
    # The filestores of the databases dropped, and of none: a parallel
    # run's are in use (removing them all lost the files of a running
    # test's documents)
    stores = VAR / 'live' / 'db'
    for store in (stores.iterdir() if stores.exists() else []):
        if store.name not in existing and not _owner_alive(store.name):
            shutil.rmtree(store, ignore_errors=True)
    stamp.write_text(key)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--bench', action='store_true')
    parser.add_argument('pytest_args', nargs='*')
    options = parser.parse_args()
    VAR.mkdir(exist_ok=True)
    uri, description = database_uri()
    env = dict(os.environ, TRYTOND_DATABASE__URI=uri,
        PYTHONDONTWRITEBYTECODE='1')
    env.pop('TRYTOND_CONFIG', None)
    key = code_key()
    if description:
        print(f'*** Kiểm thử trên {description}: {uri}', flush=True)
        drop_stale_templates(uri, key)
        # Dumps in a folder of this code's key, not trytond's shared
        # postgresql:// templates: those are named after the modules only,
        # so another checkout or a developer's run on the same server
        # (different code, same names) leaves them with another schema
        cache = VAR / 'dbcache' / f'{key}-postgresql'
        cache.mkdir(parents=True, exist_ok=True)
        # VBDH_DB_SUFFIX keeps parallel runs (helpers, worktrees) apart
        suffix = os.environ.get('VBDH_DB_SUFFIX', '')
        env.update(DB_CACHE=str(cache),
            DB_NAME=f'test_vbdh_{key}{suffix}')
        # A test database an interrupted run left behind would make the
        # first test that restores its template fail (DuplicateDatabase)
        drop_database(uri, env['DB_NAME'])
    else:
        banner("KHÔNG CÓ POSTGRESQL: chạy kiểm thử trên SQLite.",
            "NO POSTGRESQL AVAILABLE: FALLING BACK TO SQLITE.",
            "The concurrency and PostgreSQL-only tests are skipped.")
        cache = VAR / 'dbcache' / key
        cache.mkdir(parents=True, exist_ok=True)
        env.update(DB_CACHE=str(cache))
    python = sys.executable
    if options.bench:
        # e.g. tests/run.py --bench -- --only search
        command = [python, str(ROOT / 'tests' / 'bench' / 'run.py'),
            *options.pytest_args]
    else:
        command = [python, '-m', 'pytest', '-p', 'no:cacheprovider',
            '-q', '-rs', *(options.pytest_args or ['addons', 'tests'])]
    started = time.monotonic()
    result = subprocess.run(command, cwd=ROOT, env=env)
    print(f'*** {time.monotonic() - started:.0f} s', flush=True)
    # pytest exits 5 when it collected nothing: that is a failure here
    return result.returncode


if __name__ == '__main__':
    sys.exit(main())
