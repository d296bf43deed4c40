# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""Bad input over the RPC layer: a clear Vietnamese message, nothing changed.

The users are Vietnamese (the demo's default language), so the messages
sao shows them are the ones asserted here.
"""
import pytest

from helpers import PDF, agency_id, create_incoming, create_outgoing
from live import RPCError, binary

DOCUMENT_FIELDS = ['state', 'subject', 'register_number', 'number_notation',
    'issued_date', 'write_date']


def _error(call, *args, **kwargs):
    with pytest.raises(RPCError) as error:
        call(*args, **kwargs)
    return error.value.message


@pytest.fixture(scope='module')
def clerk(demo_server):
    return demo_server.client('vanthu.snv')


@pytest.fixture(scope='module')
def snv(clerk):
    return agency_id(clerk, 'SNV')


def _count(client, model, domain):
    return client.model(model, 'search_count', domain)


def test_missing_required_field(clerk, snv):
    before = _count(clerk, 'vb.document', [])
    message = _error(clerk.model, 'vb.document', 'create', [{
                'company': snv, 'direction': 'incoming',
                'issuer_name': "Bộ Tài chính"}])
    assert "Trích yếu" in message or "Loại văn bản" in message
    assert "bắt buộc" in message or "giá trị" in message
    assert _count(clerk, 'vb.document', []) == before


def test_invalid_identifier(demo_server):
    admin = demo_server.client('admin')
    snv = agency_id(admin, 'SNV')
    code, = admin.model('company.company', 'read', [snv],
        ['identifier_code'])
    message = _error(admin.model, 'company.company', 'write', [snv],
        {'identifier_code': '12.34.H99'})
    assert "Mã định danh" in message and '12.34.H99' in message
    assert admin.model('company.company', 'read', [snv],
        ['identifier_code']) == [code]


def test_main_file_not_pdf(clerk, snv):
    document = create_incoming(clerk, snv, number_notation='5/TB-BTC')
    resource = f'vb.document,{document}'
    message = _error(clerk.model, 'ir.attachment', 'create', [{
                'name': 'cong-van.docx', 'data': binary(b'PK\x03\x04word'),
                'document_role': 'main', 'resource': resource}])
    assert "không phải là tệp PDF" in message
    assert _count(clerk, 'ir.attachment', [('resource', '=', resource)]) == 0


def test_file_over_limit(demo_server, clerk, snv):
    admin = demo_server.client('admin')
    admin.model('vb.document.configuration', 'write', [1],
        {'max_file_size': 1})
    try:
        document = create_incoming(clerk, snv, number_notation='6/TB-BTC')
        resource = f'vb.document,{document}'
        message = _error(clerk.model, 'ir.attachment', 'create', [{
                    'name': 'ban-quet.pdf',
                    'data': binary(PDF + b'0' * (1024 * 1024 + 1)),
                    'document_role': 'main', 'resource': resource}])
        assert "vượt quá giới hạn 1.0 MB" in message
        assert _count(clerk, 'ir.attachment',
            [('resource', '=', resource)]) == 0
    finally:
        admin.model('vb.document.configuration', 'write', [1],
            {'max_file_size': 50})


def test_issue_twice_and_edit_number(demo_server, clerk, snv):
    document, = create_outgoing(clerk, snv)
    clerk.model('vb.document', 'issue', [document])
    issued = clerk.model('vb.document', 'read', [document], DOCUMENT_FIELDS)
    # The button is gone once issued: Tryton refuses it before our check
    message = _error(clerk.model, 'vb.document', 'issue', [document])
    assert "Không thể thực hiện" in message
    message = _error(clerk.model, 'vb.document', 'write', [document],
        {'number_notation': '99/QĐ-SNV'})
    assert "không thể thay đổi số" in message
    message = _error(clerk.model, 'vb.document', 'delete', [document])
    assert "dự thảo" in message
    assert clerk.model('vb.document', 'read', [document],
        DOCUMENT_FIELDS) == issued


def test_register_refused(demo_server, clerk, snv):
    admin = demo_server.client('admin')
    ubnd = agency_id(admin, 'UBND')
    outgoing, = create_outgoing(admin, ubnd, recipients=[snv])
    admin.model('vb.document', 'issue', [outgoing],
        context={'company': ubnd})
    recipient, = admin.model('vb.document.recipient', 'search_read',
        [('document', '=', outgoing)], 0, None, None,
        ['incoming_document', 'state'])
    assert recipient['state'] == 'waiting'
    incoming = recipient['incoming_document']
    session, _, _ = clerk.call('wizard.vb.document.refuse.create')
    context = {'active_model': 'vb.document', 'active_id': incoming,
        'active_ids': [incoming]}
    clerk.call('wizard.vb.document.refuse.execute', session,
        {'start': {'reason': "Không thuộc thẩm quyền"}}, 'refuse',
        context=context)
    refused = clerk.model('vb.document', 'read', [incoming], DOCUMENT_FIELDS)
    assert refused[0]['state'] == 'refused'
    message = _error(clerk.model, 'vb.document', 'register_document',
        [incoming])
    assert "Không thể thực hiện" in message
    assert clerk.model('vb.document', 'read', [incoming],
        DOCUMENT_FIELDS) == refused
    # The sender sees the refusal and its reason
    recipient, = admin.model('vb.document.recipient', 'read',
        [recipient['id']], ['state', 'reason'])
    assert (recipient['state'], recipient['reason']) == (
        'refused', "Không thuộc thẩm quyền")
