"""Static checks of the Docker deployment (no Docker engine needed).

``docker compose config`` cannot run without an engine, so
``docker-compose.yml`` is parsed with PyYAML (which resolves the ``<<``
merge keys and anchors like compose does), and the Dockerfile and the
trytond configuration are read as text.
"""
import configparser
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
COMPOSE = ROOT / 'docker-compose.yml'
DOCKERFILE = ROOT / 'Dockerfile'
CONFIG_DIR = ROOT / 'config'
PG_CONFIG = CONFIG_DIR / 'trytond-postgresql.conf'

APP_SERVICES = {
    'init': 'vbdh-setup',
    'web': 'gunicorn',
    'worker': 'trytond-worker',
    'cron': 'trytond-cron',
    }
CONFIG_MOUNT = '/etc/trytond'


@pytest.fixture(scope='module')
def compose():
    with COMPOSE.open(encoding='utf-8') as f:
        data = yaml.safe_load(f)
    assert isinstance(data, dict)
    return data


@pytest.fixture(scope='module')
def services(compose):
    services = compose.get('services')
    assert isinstance(services, dict) and services
    return services


def command(service):
    "The command of a service as a list of arguments"
    cmd = service.get('command')
    if cmd is None:
        return []
    if isinstance(cmd, str):
        return shlex.split(cmd)
    return [str(a) for a in cmd]


def environment(service):
    env = service.get('environment') or {}
    if isinstance(env, list):
        env = dict(e.split('=', 1) if '=' in e else (e, None) for e in env)
    return env


def volumes(service):
    "(source, target, options) of the volumes of a service"
    result = []
    for volume in service.get('volumes') or []:
        if isinstance(volume, dict):
            options = 'ro' if volume.get('read_only') else ''
            result.append(
                (volume.get('source'), volume['target'], options))
        else:
            parts = volume.split(':')
            if len(parts) == 1:
                result.append((None, parts[0], ''))
            else:
                result.append((parts[0], parts[1],
                        parts[2] if len(parts) > 2 else ''))
    return result


def is_named(source):
    return bool(source) and not source.startswith(('.', '/', '~', '$'))


def depends_on(service):
    deps = service.get('depends_on') or {}
    if isinstance(deps, list):
        deps = {d: {} for d in deps}
    return deps


def test_compose_parses(compose):
    assert 'services' in compose


def test_services_exist(services):
    assert {'db', 'init', 'web', 'worker', 'cron'} <= set(services)


def test_db(services):
    db = services['db']
    assert re.fullmatch(r'(docker\.io/)?(library/)?postgres:15([.-].*)?',
        db['image']), db['image']
    sources = {s for s, t, _ in volumes(db) if t == '/var/lib/postgresql/data'}
    assert sources and all(is_named(s) for s in sources)
    env = environment(db)
    assert env['POSTGRES_USER'] == 'tryton'
    assert env['POSTGRES_PASSWORD'] == 'tryton'
    assert env['POSTGRES_DB'] == 'vbdh'
    test = db['healthcheck']['test']
    test = ' '.join(test) if isinstance(test, list) else test
    assert 'pg_isready' in test


@pytest.mark.parametrize('name,program', sorted(APP_SERVICES.items()))
def test_app_service(services, name, program):
    service = services[name]
    build = service.get('build')
    if isinstance(build, dict):
        build = build.get('context')
    web = services['web']
    assert build in {'.', './'} or (
        service.get('image') and service.get('image') == web.get('image'))
    assert command(service)[0] == program


def test_app_services_share_image(services):
    images = {services[n].get('image') for n in APP_SERVICES}
    assert len(images) == 1


@pytest.mark.parametrize('name', sorted(APP_SERVICES))
def test_app_environment(services, name):
    env = environment(services[name])
    assert env['TRYTOND_DATABASE__URI'] == 'postgresql://tryton:tryton@db:5432/'
    assert env['TRYTOND_DATABASE_NAMES'] == 'vbdh'
    assert env['TRYTOND_CONFIG'] == f'{CONFIG_MOUNT}/trytond-postgresql.conf'


@pytest.mark.parametrize('name', sorted(APP_SERVICES))
def test_app_volumes(services, name):
    mounts = {t: (s, o) for s, t, o in volumes(services[name])}
    assert mounts['/var/lib/trytond'][0] == 'filestore'
    source, options = mounts[CONFIG_MOUNT]
    assert (ROOT / source).resolve() == CONFIG_DIR.resolve()
    assert 'ro' in options.split(',')


@pytest.mark.parametrize('name', sorted(APP_SERVICES))
def test_app_config_files_exist(services, name):
    "Every /etc/trytond/... file a service names is in config/"
    service = services[name]
    words = command(service) + [
        str(v) for v in environment(service).values()]
    referenced = {w for w in words if w.startswith(CONFIG_MOUNT + '/')}
    assert referenced
    for path in referenced:
        assert (CONFIG_DIR / path[len(CONFIG_MOUNT) + 1:]).is_file(), path


def test_commands(services):
    assert command(services['init'])[1:] == [
        '--config', f'{CONFIG_MOUNT}/trytond-postgresql.conf',
        '--database', 'vbdh', '--demo']
    web = command(services['web'])
    assert web[-1] == 'trytond.application:app'
    assert '0.0.0.0:8000' in web
    assert web[web.index('--workers') + 1] == '4'
    database = ['-c', f'{CONFIG_MOUNT}/trytond-postgresql.conf', '-d', 'vbdh']
    assert command(services['cron'])[1:] == database
    # Retries scheduled by the LGSP outbox are picked up within 5 s; a
    # task failing at commit is logged (INFO)
    assert command(services['worker'])[1:] == database + ['-t', '5', '-vv']
    # One instance hands out about 18 tasks a second (docker-compose.yml)
    assert services['worker']['deploy']['replicas'] == 2


def test_web_port_on_loopback(services):
    assert services['web']['ports'] == ['127.0.0.1:8000:8000']


def test_named_volumes_declared(compose, services):
    declared = set(compose.get('volumes') or {})
    used = {s for service in services.values()
        for s, _, _ in volumes(service) if is_named(s)}
    assert used
    assert used <= declared, used - declared
    assert 'filestore' in declared


def test_depends_on(services):
    for name, service in services.items():
        for target, condition in depends_on(service).items():
            assert target in services, (name, target)
            assert target != name
    assert depends_on(services['init'])['db']['condition'] == (
        'service_healthy')
    for name in ['web', 'worker', 'cron']:
        deps = depends_on(services[name])
        assert deps['init']['condition'] == (
            'service_completed_successfully'), name


def test_init_is_one_shot(services):
    assert services['init'].get('restart', 'no') in {'no', False}


def test_axis_simulator(services):
    "vbdh-axis with its store on a volume and the example directory"
    axis = command(services['axis'])
    assert axis[0] == 'vbdh-axis'
    assert axis[axis.index('--port') + 1] == '8100'
    assert 'ports' not in services['axis']
    mounts = {target for _, target, _ in volumes(services['axis'])}
    assert {'/var/lib/vbdh-axis', '/etc/vbdh-axis'} <= mounts


@pytest.fixture(scope='module')
def trytond_config():
    assert PG_CONFIG.is_file()
    parser = configparser.ConfigParser(interpolation=None)
    assert parser.read(PG_CONFIG, encoding='utf-8') == [str(PG_CONFIG)]
    return parser


def test_config_sections(trytond_config):
    assert {'database', 'web', 'queue'} <= set(trytond_config.sections())


def test_config_values(trytond_config):
    c = trytond_config
    # A config file overrides TRYTOND_DATABASE__URI in trytond 8.0
    assert not c.has_option('database', 'uri')
    assert c.get('database', 'path') == '/var/lib/trytond'
    assert c.getint('database', 'retry') == 30
    assert c.get('database', 'language') == 'vi'
    assert c.get('web', 'root') == '/opt/vbdh/www/node_modules/tryton-sao'
    assert c.getboolean('queue', 'worker')
    assert c.getboolean('bus', 'allow_subscribe')
    assert c.getboolean('attachment', 'filestore')
    assert c.getint('session', 'timeout') > 0


def test_config_env_uri_wins(trytond_config):
    "trytond takes the URI from the environment with this file loaded"
    pytest.importorskip('trytond.config')
    uri = 'postgresql://tryton:tryton@db:5432/'
    env = {k: v for k, v in os.environ.items()
        if not k.startswith('TRYTOND_')}
    env.update(TRYTOND_CONFIG=str(PG_CONFIG), TRYTOND_DATABASE__URI=uri)
    code = ("import trytond.config as config; "
        "print(config.get('database', 'uri')); "
        "print(config.get('database', 'path'))")
    result = subprocess.run([sys.executable, '-c', code], env=env,
        capture_output=True, text=True, check=True)
    assert result.stdout.split() == [uri, '/var/lib/trytond']


@pytest.fixture(scope='module')
def dockerfile():
    assert DOCKERFILE.is_file()
    text = DOCKERFILE.read_text(encoding='utf-8')
    # join continuation lines
    return re.sub(r'\\\n', ' ', text)


def test_dockerfile(dockerfile):
    lines = [l.strip() for l in dockerfile.splitlines()
        if l.strip() and not l.lstrip().startswith('#')]
    assert any(re.match(r'FROM\s+python:3\.11', l) for l in lines)
    assert any(re.match(r'EXPOSE\s+8000\b', l) for l in lines)
    assert 'tryton-sao@8.0' in dockerfile
    assert 'ln -s .. node_modules/tryton-sao/node_modules' in dockerfile
    assert re.search(r'web/po2json\.py\s+web/locale/vi\.po\s+'
        r'/opt/vbdh/www/node_modules/tryton-sao/locale/vi\.json', dockerfile)
    assert re.search(r'pip install\s+"?\.\[postgresql\]"?', dockerfile)
    users = [l.split()[1] for l in lines if l.startswith('USER ')]
    assert users and users[-1] not in {'root', '0'}
    assert '/var/lib/trytond' in dockerfile


def test_dockerfile_copies_what_the_build_needs(dockerfile):
    "The build copies pyproject.toml and the folders it refers to"
    copied = set()
    for line in dockerfile.splitlines():
        words = line.split()
        if words[:1] == ['COPY']:
            copied.update(w.rstrip('/') for w in words[1:-1]
                if not w.startswith('--'))
    assert {'pyproject.toml', 'addons', 'web'} <= copied or '.' in copied
