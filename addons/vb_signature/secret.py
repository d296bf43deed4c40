# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""Passwords and PINs of server-held keys, never stored in clear.

They are encrypted with Fernet (AES-128-CBC + HMAC-SHA256) under a key
kept OUTSIDE the database: the `secret` option of the `[vb_signature]`
section (TRYTOND_VB_SIGNATURE__SECRET, a Fernet key: 32 url-safe base64
bytes), else a file `vb_signature.key` created with mode 0600 in the data
directory (`[database] path`). A copy of the database alone therefore
gives no usable key. Losing the key file means entering the passwords again.
"""
import os
from pathlib import Path

from trytond.config import config

KEY_FILE = 'vb_signature.key'


class SecretError(Exception):
    pass


def _key_path():
    return Path(config.get('database', 'path')) / KEY_FILE


def _key():
    configured = config.get('vb_signature', 'secret', default=None)
    if configured:
        return configured.encode('ascii')
    from cryptography.fernet import Fernet
    path = _key_path()
    try:
        return path.read_bytes().strip()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    key = Fernet.generate_key()
    try:
        # O_EXCL: two processes starting at once keep the first key
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_bytes().strip()
    with os.fdopen(fd, 'wb') as file:
        file.write(key)
    return key


def encrypt(text):
    "The token of `text` (str), to store"
    from cryptography.fernet import Fernet
    return Fernet(_key()).encrypt(text.encode('utf-8')).decode('ascii')


def decrypt(token):
    "The text of a stored token; SecretError when the key changed"
    from cryptography.fernet import Fernet, InvalidToken
    try:
        return Fernet(_key()).decrypt(token.encode('ascii')).decode('utf-8')
    except (InvalidToken, ValueError) as e:
        raise SecretError(str(e)) from e
