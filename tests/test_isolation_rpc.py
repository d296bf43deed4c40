# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""Agency isolation over the real RPC layer (HTTP JSON-RPC, sessions).

A clerk of Sở Nội vụ must not search, read, write, delete, click any
button, open any wizard, attach files or read the chat of documents of
UBND tỉnh; and nothing of UBND's document may change while trying.
"""
import pytest

from helpers import PDF, agency_id, create_incoming, create_outgoing
from live import RPCError, binary

BUTTONS = ['register_document', 'refuse', 'issue', 'cancel']


@pytest.fixture(scope='module')
def documents(demo_server):
    admin = demo_server.client('admin')
    ubnd = agency_id(admin, 'UBND')
    incoming = create_incoming(admin, ubnd,
        subject="Văn bản mật của UBND tỉnh")
    outgoing, = create_outgoing(admin, ubnd)
    return admin, ubnd, [incoming, outgoing]


FIELDS = ['subject', 'state', 'number_notation', 'register_number',
    'company', 'write_date']


def test_search_and_read(demo_server, documents):
    admin, ubnd, ids = documents
    clerk = demo_server.client('vanthu.snv')
    found = clerk.model('vb.document', 'search', [], 0, None, None)
    assert found and not set(found) & set(ids)
    assert clerk.model('vb.document', 'search',
        [('id', 'in', ids)], 0, None, None) == []
    assert clerk.model('vb.document', 'search_count',
        [('company', '=', ubnd)]) == 0
    for document in ids:
        with pytest.raises(RPCError) as error:
            clerk.model('vb.document', 'read', [document], ['subject'])
        # Access errors travel as UserError with the rule that refused
        assert error.value.name == 'UserError'
    assert clerk.model('vb.document', 'search_read',
        [('id', '=', ids[0])], 0, None, None, ['subject', 'files']) == []


def test_write_delete_buttons_wizards(demo_server, documents):
    admin, ubnd, ids = documents
    before = admin.model('vb.document', 'read', ids, FIELDS)
    clerk = demo_server.client('vanthu.snv')
    with pytest.raises(RPCError):
        clerk.model('vb.document', 'write', ids, {'subject': "Bị sửa"})
    with pytest.raises(RPCError):
        clerk.model('vb.document', 'delete', ids)
    for button in BUTTONS:
        for document in ids:
            with pytest.raises(RPCError):
                clerk.model('vb.document', button, [document])
    session, _, _ = clerk.call('wizard.vb.document.refuse.create')
    with pytest.raises(RPCError):
        clerk.call('wizard.vb.document.refuse.execute', session,
            {'start': {'reason': "Không hợp lệ"}}, 'refuse',
            context={'active_model': 'vb.document', 'active_id': ids[0],
                'active_ids': [ids[0]]})
    with pytest.raises(RPCError):
        clerk.model('vb.document', 'copy', ids, {})
    assert admin.model('vb.document', 'read', ids, FIELDS) == before


def test_attachments_and_notes(demo_server, documents):
    admin, ubnd, ids = documents
    clerk = demo_server.client('vanthu.snv')
    resource = f'vb.document,{ids[0]}'
    with pytest.raises(RPCError):
        clerk.model('ir.attachment', 'create', [{'name': 'x.pdf',
                    'data': binary(PDF), 'resource': resource}])
    assert clerk.model('ir.attachment', 'search',
        [('resource', '=', f'vb.document,{ids[1]}')], 0, None, None) == []
    with pytest.raises(RPCError):
        clerk.model('ir.note', 'create', [{'message': "Ghi chú lạ",
                    'resource': resource}])
    assert admin.model('ir.attachment', 'search_count',
        [('resource', '=', resource)]) == 0


def test_chat(demo_server, documents):
    admin, ubnd, ids = documents
    resource = f'vb.document,{ids[0]}'
    admin.model('ir.chat.channel', 'post', resource,
        "Đề nghị Văn phòng tham mưu", 'internal')
    clerk = demo_server.client('vanthu.snv')
    for method, args in [
            ('get', [resource]),
            ('post', [resource, "Đọc trộm", 'internal']),
            ('get_followers', [resource]),
            ('subscribe', [resource]),
            ]:
        with pytest.raises(RPCError):
            clerk.model('ir.chat.channel', method, *args)
    messages = admin.model('ir.chat.channel', 'get', resource)
    assert [m['content'] for m in messages] == ["Đề nghị Văn phòng tham mưu"]


def test_own_agency_still_works(demo_server):
    "The same user works normally on documents of its own agency"
    clerk = demo_server.client('vanthu.snv')
    snv = agency_id(clerk, 'SNV')
    document = create_incoming(clerk, snv, number_notation='77/BNV-TCBC')
    clerk.model('vb.document', 'register_document', [document])
    state, = clerk.model('vb.document', 'read', [document], ['state'])
    assert state['state'] == 'registered'
