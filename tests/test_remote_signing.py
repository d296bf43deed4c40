# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""Remote signing end to end over HTTP, with the reference client.

A leader of Sở Nội vụ whose key never reaches the server (USB token,
signing service) signs a draft: the server prepares it, `vbdh-sign` signs
the request with the local key and sends the signature back; the server
embeds it and checks the file. An expired request, a signature over the
wrong data and a call without a valid key are refused with a Vietnamese
message and change nothing.
"""
import base64
import datetime as dt
import subprocess
import json

import pytest

from helpers import agency_id, create_outgoing
from live import BIN, binary, execute

from trytond.modules.vb_signature.client import ClientError, Server
from trytond.modules.vb_signature.client import sign_pending
from trytond.modules.vb_signature.pades.testpki import PKIServer, TestPKI

LEADER = 'ld1.snv'


@pytest.fixture(scope='module')
def pki():
    server = PKIServer().start()
    yield server.attach(TestPKI(server.url))
    server.stop()


@pytest.fixture(scope='module')
def setup(demo_server, pki):
    "The trust root, the leader's remote certificate and signing key"
    admin = demo_server.client('admin')
    snv = agency_id(admin, 'SNV')
    admin.model('vb.signature.trust', 'create', [{
                'certificate': binary(pki.der('root')), 'kind': 'root'}])
    leader = demo_server.client(LEADER)
    leader.model('vb.signature.certificate', 'create', [{
                'owner': 'personal', 'company': snv, 'user': leader.user_id,
                'method': 'remote', 'certificate': binary(pki.der('leader')),
                'image': binary(TestPKI.signature_png())}],
        context={'company': snv})
    # The key of the signing tool: asked by the tool, validated by an admin
    key = Server(demo_server.url, demo_server.database).request_key(LEADER)
    application, = admin.model('res.user.application', 'search',
        [('key', '=', key)], 0, None, None)
    admin.model('res.user.application', 'validate_', [application])
    return {'admin': admin, 'leader': leader, 'snv': snv, 'key': key,
        'clerk': demo_server.client('vanthu.snv')}


def _draft(setup, subject):
    "A draft of SNV whose signer is the leader, ready to sign"
    leader, clerk, snv = setup['leader'], setup['clerk'], setup['snv']
    employee = leader.context['employee']
    document, = create_outgoing(clerk, snv, subject=subject)
    clerk.model('vb.document', 'write', [document], {'signer': employee},
        context={'company': snv})
    return document


def _request_signature(client, document):
    "Run the Ký số wizard: with a remote certificate it prepares a request"
    context = {'active_model': 'vb.document', 'active_id': document,
        'active_ids': [document]}
    session, _, _ = client.call('wizard.vb.signature.sign.create')
    start = client.call('wizard.vb.signature.sign.execute', session, {},
        'start', context=context)
    values = start['view']['defaults']
    assert values['method'] == 'remote'
    result = client.call('wizard.vb.signature.sign.execute', session,
        {'start': {'certificate': values['certificate'], 'secret': None,
                'documents': [document], 'user': values['user'],
                'method': 'remote', 'secret_stored': False}},
        'sign', context=context)
    client.call('wizard.vb.signature.sign.delete', session)
    return result['view']['defaults']


def _document(client, document):
    return client.model('vb.document', 'read', [document],
        ['leader_signed_at', 'signature_status', 'signature_lines'])[0]


def test_sign_remotely_with_the_reference_client(demo_server, pki, setup):
    document = _draft(setup, "Quyết định ký từ xa")
    remote = _request_signature(setup['leader'], document)
    assert "30 phút" in remote['message']
    tool = Server(demo_server.url, demo_server.database, setup['key'])
    pending = tool.pending()
    assert [r['document'] for r in pending] == [
        setup['leader'].model('vb.document', 'read', [document],
            ['rec_name'])[0]['rec_name']]
    messages = []
    with pki.signer('leader') as signer:
        done = sign_pending(tool, signer, out=messages.append)
    assert [d['verification'] for d in done] == ['valid'], messages
    assert tool.pending() == []
    values = _document(setup['leader'], document)
    assert values['leader_signed_at'] and values['signature_status'] == 'valid'
    line, = setup['leader'].model('vb.signature.report.signature', 'read',
        values['signature_lines'], ['kind', 'signer', 'status'])
    assert (line['kind'], line['signer'], line['status']) == (
        'leader', 'Nguyễn Văn An', 'valid')


def test_signature_over_wrong_data_refused(demo_server, pki, setup):
    document = _draft(setup, "Quyết định ký sai dữ liệu")
    _request_signature(setup['leader'], document)
    tool = Server(demo_server.url, demo_server.database, setup['key'])
    request, = tool.pending()
    with pki.signer('leader') as signer:
        from trytond.modules.vb_signature.client import sign_attributes
        wrong = sign_attributes(signer, b'other data')
    with pytest.raises(ClientError) as error:
        tool.answer(request['id'], signature=wrong)
    assert "không ký đúng dữ liệu" in str(error.value)
    # Another key's signature over the right data is refused too
    with pki.signer('org') as other:
        from trytond.modules.vb_signature.client import check_request
        forged = sign_attributes(other, check_request(request))
    with pytest.raises(ClientError):
        tool.answer(request['id'], signature=forged)
    assert [r['id'] for r in tool.pending()] == [request['id']]
    assert not _document(setup['leader'], document)['leader_signed_at']
    # The right answer still works
    with pki.signer('leader') as signer:
        assert sign_pending(tool, signer, out=lambda *a: None)


def test_expired_request_refused(demo_server, pki, setup):
    document = _draft(setup, "Quyết định hết hạn ký")
    remote = _request_signature(setup['leader'], document)
    request_id, = remote['requests']
    # Half an hour later
    execute(demo_server.database, 'UPDATE vb_signature_request SET '
        'expires_at = %s WHERE id = %s',
        (dt.datetime(2026, 1, 1), request_id))
    tool = Server(demo_server.url, demo_server.database, setup['key'])
    with pki.signer('leader') as signer:
        with pytest.raises(ClientError) as error:
            tool.answer(request_id, signature=sign_attributes_of(
                    setup, request_id, signer))
    assert "hết hạn" in str(error.value)
    assert not _document(setup['leader'], document)['leader_signed_at']
    # Listing closes it
    assert request_id not in [r['id'] for r in tool.pending()]
    # The agency's administrator sees it too
    state, = setup['admin'].model('vb.signature.request', 'read',
        [request_id], ['state'])
    assert state['state'] == 'expired'


def sign_attributes_of(setup, request_id, signer):
    from trytond.modules.vb_signature.client import sign_attributes
    pending, = setup['leader'].model('vb.signature.request', 'read',
        [request_id], ['pending'])
    attributes = base64.b64decode(json.loads(pending['pending'])[
            'signed_attributes'])
    return sign_attributes(signer, attributes)


def test_without_a_valid_key_refused(demo_server, setup):
    for key in (None, 'not-a-key'):
        with pytest.raises(ClientError) as error:
            Server(demo_server.url, demo_server.database, key).pending()
        assert '401' in str(error.value)


def test_console_script_lists_requests(demo_server, setup):
    result = subprocess.run([str(BIN / 'vbdh-sign'), '--url',
            demo_server.url, '--database', demo_server.database,
            '--key', setup['key'], 'list'], capture_output=True, text=True,
        timeout=60)
    assert result.returncode == 0, result.stderr
    result = subprocess.run([str(BIN / 'vbdh-sign'), '--url',
            demo_server.url, '--database', demo_server.database,
            '--key', 'sai', 'list'], capture_output=True, text=True,
        timeout=60)
    assert result.returncode == 1 and "Lỗi" in result.stderr
