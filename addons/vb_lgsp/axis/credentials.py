# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""Who may talk to the axis, and as which agencies.

A *system* (the "systemid" the axis issues to a connected e-Office) has a
secret (VXP HMAC key and provincial X-SecretKey) and the agencies it acts
for, as mã định danh or shell patterns (``*.H32`` = the whole province).
OAuth2 clients and login users belong to a system. Tokens live in memory:
a restart of the axis invalidates them, as a gateway key rotation would.
"""
import fnmatch
import hmac
import secrets
import threading
import time
import uuid
from dataclasses import dataclass, field

from .files import load_config_file


class CredentialsError(Exception):
    def __init__(self, message):
        self.message = message
        super().__init__(message)


@dataclass
class System:
    system_id: str
    secret: str
    agencies: list = field(default_factory=list)
    name: str = ''

    def covers(self, code):
        "Whether this system acts for (sends as, receives for) ``code``"
        return any(fnmatch.fnmatchcase(code or '', pattern)
            for pattern in self.agencies)

    def __repr__(self):
        return f'System({self.system_id!r}, agencies={self.agencies!r})'


def _equal(given, expected):
    return hmac.compare_digest(str(given or '').encode('utf-8'),
        str(expected or '').encode('utf-8'))


class Credentials:

    def __init__(self):
        self.systems = {}
        self._clients = {}
        self._users = {}

    def add_system(self, system_id, secret, agencies=(), name=''):
        if not system_id or not secret:
            raise CredentialsError('Hệ thống cần system_id và secret.')
        if isinstance(agencies, str):
            agencies = [a for a in agencies.split(',') if a]
        self.systems[system_id] = System(system_id, secret, list(agencies),
            name)
        return self.systems[system_id]

    def add_client(self, client_id, client_secret, system_id):
        if system_id not in self.systems:
            raise CredentialsError(
                f'Client {client_id}: hệ thống {system_id} chưa khai báo.')
        self._clients[client_id] = (client_secret, system_id)

    def add_user(self, username, password, system_id, application_code=''):
        if system_id not in self.systems:
            raise CredentialsError(
                f'Người dùng {username}: hệ thống {system_id} chưa khai báo.')
        self._users[username] = (password, application_code, system_id)

    def load(self, path):
        """Add the systems of a JSON/YAML file::

            {"systems": [{"system_id": "...", "secret": "...",
              "agencies": ["000.00.00.H32", "*.H32"],
              "clients": [{"client_id": "...", "client_secret": "..."}],
              "users": [{"username": "...", "password": "...",
                         "application_code": "..."}]}]}
        """
        data = load_config_file(path)
        systems = data.get('systems') if isinstance(data, dict) else data
        if not isinstance(systems, list):
            raise CredentialsError(f'{path}: cần danh sách "systems".')
        for record in systems:
            system = self.add_system(record.get('system_id'),
                record.get('secret'), record.get('agencies') or [],
                record.get('name', ''))
            for client in record.get('clients') or []:
                self.add_client(client.get('client_id'),
                    client.get('client_secret'), system.system_id)
            for user in record.get('users') or []:
                self.add_user(user.get('username'), user.get('password'),
                    system.system_id, user.get('application_code', ''))

    def secret_for(self, system_id):
        system = self.systems.get(system_id)
        return system.secret if system else None

    def check_system_key(self, system_id, secret_key):
        system = self.systems.get(system_id)
        if system and _equal(secret_key, system.secret):
            return system
        return None

    def check_client(self, client_id, client_secret):
        secret, system_id = self._clients.get(client_id, (None, None))
        if secret is not None and _equal(client_secret, secret):
            return self.systems[system_id]
        return None

    def check_user(self, username, password, application_code):
        password_, code, system_id = self._users.get(username,
            (None, None, None))
        if password_ is not None and _equal(password, password_) and (
                not code or _equal(application_code, code)):
            return self.systems[system_id]
        return None


class TokenIssuer:
    "Opaque Bearer tokens (UUIDs, as WSO2 issues) with an expiry"

    def __init__(self, clock=time.monotonic):
        self._clock = clock
        self._lock = threading.Lock()
        self._tokens = {}

    def issue(self, system_id, ttl):
        token = str(uuid.UUID(bytes=secrets.token_bytes(16), version=4))
        with self._lock:
            self._tokens[token] = (system_id, self._clock() + ttl)
        return token

    def resolve(self, token):
        "The system id of a valid token, else None"
        with self._lock:
            system_id, expires = self._tokens.get(token, (None, 0))
            if system_id is None:
                return None
            if self._clock() >= expires:
                del self._tokens[token]
                return None
            return system_id

    def revoke_all(self):
        with self._lock:
            count = len(self._tokens)
            self._tokens.clear()
        return count
