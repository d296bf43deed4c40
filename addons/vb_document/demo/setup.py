# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""vbdh-setup: create and initialise a VBĐH database.

Creates the database when it does not exist (an SQLite file or a
PostgreSQL database), activates the vb_* modules with trytond-admin,
makes Vietnamese the default language with the platform's own strings
translated, and loads the demo province on request. Running it again on
an initialised database only loads what is missing.
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

MODULES = ['vb_document', 'vb_workflow', 'vb_signature', 'vb_lgsp',
    'vb_reports']
DEMO_PASSWORD = 'vbdh2026'
CORE_PO = Path(__file__).resolve().parent.parent / 'locale' / 'core' / 'vi.po'


def parse_args(argv=None):
    parser = argparse.ArgumentParser(prog='vbdh-setup', description=__doc__)
    parser.add_argument('-c', '--config', required=True,
        help="trytond configuration file")
    parser.add_argument('-d', '--database', required=True)
    parser.add_argument('-m', '--modules', nargs='+', default=MODULES,
        help="modules to activate (default: all vb_* modules)")
    parser.add_argument('--demo', action='store_true',
        help="load the demo province")
    parser.add_argument('--departments', type=int, default=20)
    parser.add_argument('--communes', type=int, default=30)
    parser.add_argument('--password', default=DEMO_PASSWORD,
        help="password of admin and of every demo user")
    parser.add_argument('--email', default='admin@haivan.gov.vn',
        help="e-mail of the admin user")
    return parser.parse_args(argv)


def _bin(name):
    "A console script of the running environment"
    path = Path(sys.executable).parent / name
    return str(path) if path.exists() else name


def database_exists(name):
    """Whether the database exists, initialised or not

    (backend.Database().list() only lists databases with Tryton tables,
    and the postgres image creates an empty one.)"""
    from trytond import backend
    from trytond.config import config
    if backend.name == 'sqlite':
        return (Path(config.get('database', 'path'))
            / f'{name}.sqlite').exists()
    database = backend.Database()
    database.connect()
    connection = database.get_connection(autocommit=True)
    try:
        cursor = connection.cursor()
        cursor.execute(
            'SELECT 1 FROM pg_database WHERE datname = %s', (name,))
        return bool(cursor.fetchone())
    finally:
        database.put_connection(connection)
        database.close()


def create_database(name):
    "Create an empty database, like trytond's test helpers do"
    from trytond import backend
    from trytond.config import config
    if backend.name == 'sqlite':
        path = Path(config.get('database', 'path'))
        path.mkdir(parents=True, exist_ok=True)
        (path / f'{name}.sqlite').touch()
        return
    database = backend.Database()
    database.connect()
    connection = database.get_connection(autocommit=True)
    try:
        database.create(connection, name)
    finally:
        database.put_connection(connection)
        database.close()


def activated_modules(name):
    "Names of the activated modules, empty for a blank database"
    from trytond import backend
    database = backend.Database(name).connect()
    connection = database.get_connection()
    try:
        cursor = connection.cursor()
        if not database.test():
            return set()
        cursor.execute(
            "SELECT name FROM ir_module WHERE state = 'activated'")
        return {n for n, in cursor}
    finally:
        database.put_connection(connection)


def admin(config_file, database, *args, password=None, email=None):
    "Run trytond-admin (schema and module activation)"
    command = [_bin('trytond-admin'), '-c', config_file, '-d', database,
        *args]
    env = dict(os.environ)
    with tempfile.NamedTemporaryFile('w', delete=False) as passfile:
        passfile.write((password or DEMO_PASSWORD) + '\n')
    env['TRYTONPASSFILE'] = passfile.name
    if email:
        command += ['--email', email]
    try:
        subprocess.run(command, check=True, env=env, stdin=subprocess.DEVNULL)
    finally:
        os.unlink(passfile.name)


def main(argv=None):
    options = parse_args(argv)
    config_file = os.path.abspath(options.config)
    from trytond.config import config
    config.update_etc(config_file)

    name = options.database
    started = time.monotonic()
    if not database_exists(name):
        print(f"Tạo cơ sở dữ liệu {name}…", flush=True)
        create_database(name)
    modules = activated_modules(name)
    missing = [m for m in options.modules if m not in modules]
    if not modules:
        admin(config_file, name, '--all', password=options.password,
            email=options.email)
    if missing:
        print(f"Kích hoạt {', '.join(missing)}…", flush=True)
        admin(config_file, name, '-u', *missing, '--activate-dependencies')
    if missing or 'vi' not in _translatable_languages(name):
        # vi exists only once vb_document is active: load its translations
        admin(config_file, name, '-u', *options.modules, '-l', 'vi')

    from .load import (
        load_demo, province_loaded, set_vietnamese_default,
        translate_platform)
    from trytond.pool import Pool
    Pool.start()
    pool = Pool(name)
    pool.init()
    translate_platform(name, CORE_PO)
    set_vietnamese_default(name)
    if options.demo and not province_loaded(name):
        print("Nạp tỉnh mẫu (demo)…", flush=True)
        load_demo(name, options.password,
            departments=options.departments, communes=options.communes)
    print(f"Cơ sở dữ liệu {name} sẵn sàng "
        f"({time.monotonic() - started:.0f} s).", flush=True)


def _translatable_languages(name):
    from trytond import backend
    database = backend.Database(name).connect()
    connection = database.get_connection()
    try:
        cursor = connection.cursor()
        cursor.execute("SELECT code FROM ir_lang WHERE translatable")
        return {c for c, in cursor}
    except Exception:
        return set()
    finally:
        database.put_connection(connection)


if __name__ == '__main__':
    main()
