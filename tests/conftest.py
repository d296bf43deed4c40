# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"Fixtures of the cross-module tests: a live demo server per test session"
import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import live  # noqa: E402
from run import code_key  # noqa: E402


@pytest.fixture(scope='session')
def demo_server():
    "trytond serving a fresh copy of the demo province (Vietnamese)"
    name = f'vbdh_test_{os.getpid()}'
    live.demo_database(name, code_key())
    server = live.Server(name).start()
    yield server
    server.stop()
    live.drop(name)


@pytest.fixture
def pg_only():
    if not live.is_postgresql():
        pytest.skip("needs PostgreSQL (SQLite has no row locks)")
