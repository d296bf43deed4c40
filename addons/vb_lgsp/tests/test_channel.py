# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"Inbound channels: items stored once, answers retried with backoff"
import base64
import datetime as dt
import unittest
from unittest.mock import patch

from trytond.i18n import gettext
from trytond.modules.vb_document.exceptions import FileValidationError
from trytond.modules.vb_document.tests import (
    create_agency, create_staff, minimal_pdf)
from trytond.modules.vb_lgsp import channel as channel_module
from trytond.modules.vb_lgsp.exceptions import ChannelError
from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, with_transaction
from trytond.transaction import Transaction


class ChannelTestCase(unittest.TestCase):
    "Test the inbound channels"

    @classmethod
    def setUpClass(cls):
        activate_module('vb_lgsp')

    def _channel(self, kind='one_stop'):
        pool = Pool()
        Channel = pool.get('vb.lgsp.channel')
        Type = pool.get('vb.document.type')
        agency = create_agency("UBND xã Hòa Bình", '000.00.31.H99', 'UBND')
        portal = create_staff(agency, 'portal', [])
        admin = create_staff(agency, 'qt', ['agency_admin'])
        type_, = Type.search([('code', '=', 'thong_bao')])
        channel, = Channel.create([{'name': "Một cửa xã", 'code': 'mc',
                    'kind': kind, 'company': agency.id, 'user': portal.id,
                    'document_type': type_.id}])
        return channel, admin

    def _item(self, reference='HS-001', **values):
        return {'reference': reference, 'subject': "Hồ sơ cấp giấy phép",
            'callback_url': 'http://127.0.0.1:9/tra-loi',
            'files': [{'name': '../../etc/ho-so.pdf',
                    'data': base64.b64encode(minimal_pdf()).decode()}],
            **values}

    @with_transaction()
    def test_item_stored_once(self):
        "An item becomes a waiting incoming document, once per reference"
        channel, _ = self._channel()
        document = channel.receive(self._item())
        self.assertEqual((document.direction, document.state,
                document.source), ('incoming', 'waiting', 'one_stop'))
        self.assertEqual([f.name for f in document.files], ['ho-so.pdf'])
        self.assertEqual(channel.receive(self._item()), document)
        for values in [{'subject': ''}, {'files': 'x'},
                {'files': [{'name': 'a', 'data': '%%%'}]}]:
            with self.subTest(values=values), \
                    self.assertRaises(ChannelError):
                channel.receive(self._item('HS-002', **values))

    @with_transaction()
    def test_file_too_large(self):
        "A file over the agency's limit: vb_document's message, nothing kept"
        pool = Pool()
        Configuration = pool.get('vb.document.configuration')
        Document = pool.get('vb.document')
        channel, _ = self._channel()
        Configuration.write([Configuration(1)], {'max_file_size': 1})
        big = minimal_pdf() + b' ' * (1024 * 1024)
        with Transaction().set_context(language='vi'), \
                self.assertRaises(FileValidationError) as error:
            channel.receive(self._item(files=[{'name': 'lon.pdf',
                            'data': base64.b64encode(big).decode()}]))
        expected = gettext('vb_document.msg_file_too_large', name='lon.pdf',
            size=1.0, limit=1.0)
        self.assertEqual(error.exception.message, expected)
        self.assertFalse(Document.search([('channel', '=', channel.id)]))

    @with_transaction()
    def test_answer_retried_then_failed(self):
        "A portal down gets the answer later, with growing delays"
        pool = Pool()
        Document = pool.get('vb.document')
        channel, admin = self._channel()
        document = channel.receive(self._item())
        Document.write([document], {'channel_answer_state': 'pending',
                'channel_answer_next': dt.datetime.now()})
        answer = {'reference': 'HS-001', 'answer': {}}
        with patch.object(Document, '_channel_answer',
                    return_value=answer), \
                patch.object(channel_module, '_post_json',
                    return_value="HTTP 503: Service Unavailable") as post:
            Document.post_channel_answers([document])
            document = Document(document.id)
            self.assertEqual(document.channel_answer_state, 'pending')
            self.assertEqual(document.channel_answer_attempts, 1)
            first = document.channel_answer_next
            self.assertGreater(first, dt.datetime.now())
            # Not due yet: the cron leaves it
            self.assertEqual(Document.retry_channel_answers(), [])
            Transaction().user_notifications.clear()
            for _ in range(channel_module.MAX_ATTEMPTS - 1):
                Document.write([document], {
                        'channel_answer_next': dt.datetime.now()})
                Document.retry_channel_answers()
            document = Document(document.id)
            self.assertEqual(document.channel_answer_state, 'failed')
            self.assertEqual(post.call_count, channel_module.MAX_ATTEMPTS)
            self.assertIn(admin.id, [int(n.user)
                    for n in Transaction().user_notifications])
        Document.write([document], {'channel_answer_state': 'pending',
                'channel_answer_next': dt.datetime.now()})
        with patch.object(Document, '_channel_answer',
                    return_value=answer), \
                patch.object(channel_module, '_post_json', return_value=None):
            Document.retry_channel_answers()
        self.assertEqual(Document(document.id).channel_answer_state, 'sent')
