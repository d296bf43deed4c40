# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""Citizen feedback (PAKN) end to end over HTTP.

The province's feedback portal posts an item with its file to Sở Nội vụ's
channel; it becomes an incoming document waiting for the clerk, once even
when posted twice. The clerk registers it and issues the reply: the answer
with the reply's number and file is posted back to the portal's callback.
Malformed items and calls without a valid key are refused and store
nothing.
"""
import base64
import json
import threading
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from helpers import PDF, agency_id, catalog_id, create_outgoing

from trytond.modules.vb_signature.client import Server

PORTAL_USER = 'portal.pakn'


class Portal:
    "The feedback portal's callback: records what it is posted"

    def __init__(self):
        self.received = []
        portal = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                length = int(self.headers.get('Content-Length') or 0)
                portal.received.append(json.loads(self.rfile.read(length)))
                self.send_response(200)
                self.end_headers()

        self.server = ThreadingHTTPServer(('127.0.0.1', 0), Handler)
        self.url = f'http://127.0.0.1:{self.server.server_port}/tra-loi'
        threading.Thread(target=self.server.serve_forever,
            daemon=True).start()

    def stop(self):
        self.server.shutdown()


@pytest.fixture(scope='module')
def portal():
    portal = Portal()
    yield portal
    portal.stop()


@pytest.fixture(scope='module')
def channel(demo_server):
    admin = demo_server.client('admin')
    snv = agency_id(admin, 'SNV')
    user, = admin.model('res.user', 'create', [{'login': PORTAL_USER,
                'name': "Cổng phản ánh kiến nghị tỉnh",
                'companies': [('add', [snv])], 'company': snv}])
    admin.model('vb.lgsp.channel', 'create', [{
                'name': "Cổng PAKN tỉnh", 'code': 'pakn-snv', 'kind': 'pakn',
                'company': snv, 'user': user,
                'document_type': catalog_id(admin, 'vb.document.type',
                    'cong_van')}])
    key = Server(demo_server.url, demo_server.database).call('POST',
        '/user/application/', {'user': PORTAL_USER,
            'application': 'vb_lgsp_inbound'})
    application, = admin.model('res.user.application', 'search',
        [('key', '=', key)], 0, None, None)
    admin.model('res.user.application', 'validate_', [application])
    return {'key': key, 'snv': snv}


def post(demo_server, code, data, key):
    request = urllib.request.Request(
        f'{demo_server.url}{demo_server.database}/vb_lgsp/inbound/{code}',
        data=json.dumps(data).encode(), method='POST',
        headers={'Content-Type': 'application/json'})
    if key:
        request.add_header('Authorization', f'bearer {key}')
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        body = error.read().decode()
        try:
            return error.code, json.loads(body)
        except ValueError:
            return error.code, body


def item(portal, reference, **values):
    return {'reference': reference,
        'subject': "Phản ánh việc chậm giải quyết hồ sơ chuyển đổi đất",
        'sender': "Nguyễn Thị Hoa", 'contact': "0912 345 678",
        'content': "Hồ sơ nộp từ tháng 8 đến nay chưa có kết quả.",
        'callback_url': portal.url,
        'files': [{'name': 'don-phan-anh.pdf',
                'data': base64.b64encode(PDF).decode()}], **values}


def test_feedback_becomes_document_and_answer_goes_back(
        demo_server, portal, channel):
    status, answer = post(demo_server, 'pakn-snv', item(portal, 'PA-2026-001'),
        channel['key'])
    assert status == 200 and answer['state'] == 'waiting', answer
    # Posted again (the portal did not get the answer): stored once
    assert post(demo_server, 'pakn-snv', item(portal, 'PA-2026-001'),
        channel['key']) == (200, answer)
    clerk = demo_server.client('vanthu.snv')
    snv = channel['snv']
    feedback, = clerk.model('vb.document', 'read', [answer['id']],
        ['source', 'state', 'subject', 'issuer_name', 'note', 'files'],
        context={'company': snv})
    assert (feedback['source'], feedback['state']) == ('pakn', 'waiting')
    assert feedback['issuer_name'] == "Nguyễn Thị Hoa"
    assert "0912 345 678" in feedback['note']
    main, = clerk.model('ir.attachment', 'read', feedback['files'],
        ['document_role', 'name'])
    assert main['document_role'] == 'main'
    clerk.model('vb.document', 'register_document', [answer['id']],
        context={'company': snv})

    reply, = create_outgoing(clerk, snv,
        subject="Trả lời phản ánh của bà Nguyễn Thị Hoa")
    clerk.model('vb.document', 'write', [reply], {'reply_to': answer['id']},
        context={'company': snv})
    clerk.model('vb.document', 'issue', [reply], context={'company': snv})
    number, = clerk.model('vb.document', 'read', [reply],
        ['number_notation'])
    posted, = portal.received
    assert posted['reference'] == 'PA-2026-001'
    assert posted['answer']['number_notation'] == number['number_notation']
    assert base64.b64decode(posted['answer']['files'][0]['data']) == PDF
    state, = clerk.model('vb.document', 'read', [answer['id']],
        ['channel_answer_state'])
    assert state['channel_answer_state'] == 'sent'


@pytest.mark.parametrize('values, message', [
        ({'subject': ''}, 'subject'),
        ({'files': [{'name': 'x.pdf', 'data': 'không phải base64'}]},
            'base64'),
        ({'callback_url': 'file:///etc/passwd'}, 'callback_url'),
        ])
def test_malformed_item_refused(demo_server, portal, channel, values,
        message):
    clerk = demo_server.client('vanthu.snv')
    before = clerk.model('vb.document', 'search_count', [])
    status, answer = post(demo_server, 'pakn-snv',
        item(portal, 'PA-2026-BAD', **values), channel['key'])
    assert status == 400 and message in answer['message'], answer
    assert clerk.model('vb.document', 'search_count', []) == before


def test_without_key_or_channel_refused(demo_server, portal, channel):
    assert post(demo_server, 'pakn-snv', item(portal, 'PA-X'), None)[0] == 401
    assert post(demo_server, 'pakn-snv', item(portal, 'PA-X'), 'sai')[0] == 401
    assert post(demo_server, 'khong-co', item(portal, 'PA-X'),
        channel['key'])[0] == 404
