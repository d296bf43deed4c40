# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""Two leaders assign the same document at the same moment (PostgreSQL).

The director and his deputy (who holds a delegation) both open the
"Assign" wizard on a document submitted to the director and confirm at
once over real HTTP: one assignment is saved, the other leader gets a
clear Vietnamese message naming who assigned it, and nothing of theirs
is saved.
"""
import datetime as dt
import threading

from helpers import agency_id, create_incoming
from live import RPCError


def _date(value):
    return {'__class__': 'date', 'year': value.year, 'month': value.month,
        'day': value.day}


def _user(client, login):
    return client.model('res.user', 'search', [('login', '=', login)],
        0, 1, None)[0]


def _wizard(client, name, document, state, data):
    "Run wizard name on document up to state with the start form data"
    context = {'active_model': 'vb.document', 'active_id': document,
        'active_ids': [document]}
    session, _, _ = client.call(f'wizard.{name}.create')
    try:
        client.call(f'wizard.{name}.execute', session, {}, 'start',
            context=context)
        return client.call(f'wizard.{name}.execute', session,
            {'start': data}, state, context=context)
    finally:
        client.call(f'wizard.{name}.delete', session, context=context)


def test_two_leaders_assign_at_once(demo_server, pg_only):
    admin = demo_server.client('admin')
    snv = agency_id(admin, 'SNV')
    leaders = admin.model('res.user', 'search', [
            ('companies', 'in', [snv]),
            ('groups.name', '=', 'Lãnh đạo'),
            ('login', '!=', 'admin'),
            ], 0, 2, [('login', 'ASC')])
    if len(leaders) < 2:
        leaders = admin.model('res.user', 'search', [
                ('companies', 'in', [snv]),
                ('groups.name', '=', 'Leader'),
                ('login', '!=', 'admin'),
                ], 0, 2, [('login', 'ASC')])
    assert len(leaders) == 2, leaders
    director, deputy = admin.model('res.user', 'read', leaders, ['login'])
    officer = _user(admin, 'cv1.snv.vp')
    context = {'company': snv}
    document = create_incoming(admin, snv,
        subject="V/v rà soát vị trí việc làm năm 2027",
        number_notation='4021/BNV-CCVC')
    admin.model('vb.document', 'register_document', [document],
        context=context)
    clerk = demo_server.client('vanthu.snv')
    _wizard(clerk, 'vb.document.submit', document, 'submit', {
            'to': 'leader', 'leader': director['id'], 'note': "Kính trình"})
    today = dt.date.today()
    admin.model('vb.delegation', 'create', [{
                'company': snv,
                'principal': director['id'],
                'deputy': deputy['id'],
                'start_date': _date(today - dt.timedelta(days=1)),
                'end_date': _date(today + dt.timedelta(days=5)),
                'assign': True, 'approve': False, 'authority': 'KT',
                }], context=context)

    clients = [demo_server.client(director['login']),
        demo_server.client(deputy['login'])]
    start = threading.Barrier(len(clients))
    outcome = [None, None]

    def assign(index):
        client = clients[index]
        data = {
            'directive': f"Bút phê của lãnh đạo {index}",
            'lead_user': officer,
            'lead_unit': None,
            'co_units': [], 'co_users': [],
            'info_units': [], 'info_users': [],
            'deadline': None,
            }
        # Both forms are open before either is confirmed
        context = {'active_model': 'vb.document', 'active_id': document,
            'active_ids': [document]}
        session, _, _ = client.call('wizard.vb.document.assign.create')
        view = client.call('wizard.vb.document.assign.execute', session, {},
            'start', context=context)
        data['assignment'] = view['view']['defaults']['assignment']
        data['company'] = snv
        start.wait()
        try:
            client.call('wizard.vb.document.assign.execute', session,
                {'start': data}, 'assign', context=context)
            outcome[index] = 'ok'
        except RPCError as error:
            outcome[index] = error
        finally:
            client.call('wizard.vb.document.assign.delete', session,
                context=context)

    threads = [threading.Thread(target=assign, args=(i,))
        for i in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(o == 'ok' for o in outcome) == [False, True], outcome
    error, = [o for o in outcome if o != 'ok']
    assert error.name == 'UserError', error.error
    # In Vietnamese, naming who was first
    winner = outcome.index('ok')
    winner_name = admin.model('res.user', 'read',
        [[director, deputy][winner]['id']], ['name'])[0]['name']
    assert 'phân công' in error.message, error.message
    assert winner_name in error.message, error.message

    assignments = admin.model('vb.document.assignment', 'search_read',
        [('document', '=', document), ('role', '=', 'lead')], 0, None,
        None, ['directive', 'user'])
    assert len(assignments) == 1
    assert assignments[0]['directive'] == f"Bút phê của lãnh đạo {winner}"
    events = admin.model('vb.document.event', 'search_read',
        [('document', '=', document), ('action', '=', 'assign')], 0, None,
        None, ['user'])
    assert len(events) == 1
