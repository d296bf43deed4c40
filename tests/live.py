# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""A real VBĐH server for cross-module tests, browser tests and benchmarks.

The database is made by `vbdh-setup --demo` (the code path of `make run`)
once per version of the code, kept as a template, and cloned for each
test session with its filestore; the server is trytond itself serving
the web client from var/www like `make run` does.
"""
import base64
import gzip
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / 'var' / 'live'
BIN = Path(sys.executable).parent
PASSWORD = 'vbdh2026'


def backend_uri():
    return os.environ.get('TRYTOND_DATABASE__URI', 'sqlite://')


def is_postgresql():
    return backend_uri().startswith('postgresql')


def free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def write_config(name, port, **sections):
    "A trytond configuration for this test server"
    VAR.mkdir(parents=True, exist_ok=True)
    path = VAR / f'{name}.conf'
    web_root = ROOT / 'var' / 'www' / 'node_modules' / 'tryton-sao'
    text = (
        '[database]\n'
        f'uri = {backend_uri()}\n'
        f'path = {VAR / "db"}\n'
        'retry = 30\n'
        'language = vi\n'
        '[web]\n'
        f'listen = 127.0.0.1:{port}\n'
        f'root = {web_root}\n'
        '[session]\n'
        'timeout = 3600\n'
        '[queue]\n'
        'worker = False\n')
    for section, values in sections.items():
        text += f'[{section}]\n' + ''.join(
            f'{k} = {v}\n' for k, v in values.items())
    path.write_text(text)
    (VAR / 'db').mkdir(exist_ok=True)
    return path


def _pg(uri_db, sql, params=None, autocommit=True):
    import psycopg
    with psycopg.connect(uri_db, autocommit=autocommit) as conn:
        return conn.execute(sql, params).fetchall() if sql.lstrip(
            ).upper().startswith('SELECT') else conn.execute(sql, params)


def _exists(name):
    if is_postgresql():
        return bool(_pg(backend_uri() + 'postgres',
                'SELECT 1 FROM pg_database WHERE datname = %s', (name,)))
    return (VAR / 'db' / f'{name}.sqlite').exists()


def _clone(template, name):
    "Copy a database and its filestore"
    drop(name)
    if is_postgresql():
        _pg(backend_uri() + 'postgres',
            f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    else:
        shutil.copy(VAR / 'db' / f'{template}.sqlite',
            VAR / 'db' / f'{name}.sqlite')
    store = VAR / 'db' / template
    if store.exists():
        shutil.copytree(store, VAR / 'db' / name)


def _rename(old, new):
    if is_postgresql():
        _pg(backend_uri() + 'postgres',
            f'ALTER DATABASE "{old}" RENAME TO "{new}"')
    else:
        (VAR / 'db' / f'{old}.sqlite').rename(VAR / 'db' / f'{new}.sqlite')
    store = VAR / 'db' / old
    if store.exists():
        # A store named new is stale: its database was dropped without it
        # (by another checkout's run on the same server, say)
        shutil.rmtree(VAR / 'db' / new, ignore_errors=True)
        store.rename(VAR / 'db' / new)


def drop(name):
    if is_postgresql():
        uri = backend_uri() + 'postgres'
        _pg(uri, 'SELECT pg_terminate_backend(pid) FROM pg_stat_activity '
            'WHERE datname = %s', (name,))
        _pg(uri, f'DROP DATABASE IF EXISTS "{name}"')
    else:
        (VAR / 'db' / f'{name}.sqlite').unlink(missing_ok=True)
    shutil.rmtree(VAR / 'db' / name, ignore_errors=True)


def execute(name, sql, params=()):
    """Run one statement in database name, behind the server's back: for
    tests that need a state no user can reach (a request past its time).
    sql uses %s placeholders."""
    if is_postgresql():
        _pg(backend_uri() + name, sql, params)
    else:
        import sqlite3
        with sqlite3.connect(VAR / 'db' / f'{name}.sqlite') as conn:
            conn.execute(sql.replace('%s', '?'), params)


def demo_database(name, key, departments=3, communes=3):
    """A fresh demo database called name, cloned from a template per key.

    The template is built by vbdh-setup like `make run` does, with a
    smaller province to keep the tests fast.
    """
    template = f'vbdh_tpl_{key}'
    if not _exists(template):
        # Built under another name and renamed when complete, so that a
        # failed build is never taken for a template; per process, so that
        # parallel runs of the same code do not build into each other
        building = f'{template}_build{os.getpid()}'
        drop(building)
        config = write_config(building, free_port())
        subprocess.run([str(BIN / 'vbdh-setup'), '-c', str(config),
                '-d', building, '--demo', '--departments', str(departments),
                '--communes', str(communes)], check=True,
            env=_env(), stdin=subprocess.DEVNULL)
        if _exists(template):  # a parallel run finished first
            drop(building)
        else:
            _rename(building, template)
    _clone(template, name)
    return name


def _env(**extra):
    env = dict(os.environ)
    env.pop('TRYTOND_CONFIG', None)
    env.pop('DB_NAME', None)
    env.update(extra)
    return env


class Server:
    """trytond serving one database and the web client

    With workers, under gunicorn as docker-compose.yml runs the web
    service (that many processes of gthread workers); otherwise trytond's
    own single-process server, as `make run` does.
    """

    def __init__(self, database, port=None, workers=None, **sections):
        self.database = database
        self.workers = workers
        self.port = port or free_port()
        self.config = write_config(database, self.port, **sections)
        self.url = f'http://127.0.0.1:{self.port}/'
        self.process = None

    def start(self):
        log = open(VAR / f'{self.database}.log', 'w')
        if self.workers:
            command = [str(BIN / 'gunicorn'), '--workers', str(self.workers),
                '--worker-class', 'gthread', '--threads', '16',
                '--bind', f'127.0.0.1:{self.port}',
                'trytond.application:app']
        else:
            command = [str(BIN / 'trytond'), '-c', str(self.config)]
        self.process = subprocess.Popen(command,
            env=_env(TRYTOND_DATABASE_NAMES=self.database,
                **({'TRYTOND_CONFIG': str(self.config)} if self.workers
                    else {})),
            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f'trytond exited, see {VAR / self.database}.log')
            try:
                urllib.request.urlopen(self.url, timeout=2).read()
                return self
            except urllib.error.HTTPError:
                return self  # answering, without a web client installed
            except (urllib.error.URLError, ConnectionError, OSError):
                time.sleep(0.3)
        raise RuntimeError('trytond did not answer in 120 s')

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()

    def rss_bytes(self):
        "Resident memory of the server process (with its gunicorn workers)"
        def rss(pid):
            with open(f'/proc/{pid}/status') as status:
                for line in status:
                    if line.startswith('VmRSS:'):
                        return int(line.split()[1]) * 1024
            return 0
        pid = self.process.pid
        with open(f'/proc/{pid}/task/{pid}/children') as children:
            return rss(pid) + sum(rss(c) for c in children.read().split())

    def client(self, login, password=PASSWORD, language='vi'):
        return Client(self.url, self.database, login, password, language)


class RPCError(Exception):
    "An error answered by the server: (exception name, [message, …])"

    def __init__(self, error):
        super().__init__(error)
        self.error = error
        self.name = error[0] if isinstance(error, list) else str(error)
        args = error[1] if isinstance(error, list) and len(error) > 1 else []
        self.message = args[0] if isinstance(args, list) and args else str(
            args)


class Client:
    "JSON-RPC client of the trytond web API, as sao uses it"

    def __init__(self, url, database, login, password, language='vi'):
        self.base = f'{url}{database}/rpc/'
        self.login_name = login
        self.context = {}
        self._id = 0
        result = self._post(self.base, 'common.db.login',
            [login, {'password': password}, language], auth=False)
        self.user_id, self.session = result[0], result[1]
        self.context = self.call('model.res.user.get_preferences', True)

    def _post(self, url, method, params, auth=True):
        self._id += 1
        data = json.dumps({'id': self._id, 'method': method,
                'params': params}).encode()
        # As sao: trytond streams a long answer in the JSON encoder's tiny
        # chunks unless the client takes gzip
        headers = {'Content-Type': 'application/json',
            'Accept-Encoding': 'gzip'}
        if auth:
            token = base64.b64encode(
                f'{self.login_name}:{self.user_id}:{self.session}'.encode())
            headers['Authorization'] = 'Session ' + token.decode()
        status, body = self._send(url, data, headers)
        if body[:2] == b'\x1f\x8b':
            body = gzip.decompress(body)
        if status >= 400:
            raise RPCError([f'HTTP {status}', [body.decode(
                            errors='replace')[:500]]])
        answer = json.loads(body)
        if answer.get('error'):
            raise RPCError(answer['error'])
        return answer['result']

    def _send(self, url, data, headers):
        "POST data to url: (status, body); a new connection per call"
        request = urllib.request.Request(url, data=data, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as e:
            return e.code, e.read()

    def call(self, method, *args, context=None):
        "Call method with args and the user's context (last parameter)"
        ctx = dict(self.context, **(context or {}))
        return self._post(self.base, method, [*args, ctx])

    def model(self, model, method, *args, context=None):
        return self.call(f'model.{model}.{method}', *args, context=context)


def binary(data):
    "A binary value as the JSON-RPC API takes it"
    return {'__class__': 'bytes', 'base64': base64.b64encode(data).decode()}
