# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""Revocation and replacement through the axis (spec §1.12), over HTTP"""
import unittest

from trytond.modules.vb_lgsp.edxml import (
    Business, BusinessKind, Replacement, StatusCode)
from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, with_transaction
from trytond.transaction import Transaction

from .axis_fixtures import running_axis
from .exchange_tools import (
    acting, issue, peer, peer_document, peer_inbox, run_tasks, send_as_peer,
    setup_province)


class BusinessTestCase(unittest.TestCase):
    "Revoke and replace, sent and received"

    @classmethod
    def setUpClass(cls):
        activate_module('vb_lgsp')

    @with_transaction()
    def test_revocation_received(self):
        "The sender revokes: the clerk applies it (15) or refuses it (16)"
        Document = Pool().get('vb.document')
        with running_axis() as axis:
            r = setup_province(axis.url)
            nghe_an = peer(axis.url)
            first, second = peer_document('70'), peer_document('71')
            for package in (first, second):
                send_as_peer(nghe_an, package)
            r['connection'].poll_inbox()
            run_tasks()
            peer_inbox(nghe_an, 'status')
            applied, kept = [Document.search([('lgsp_document_id', '=',
                            p.effective_document_id())])[0]
                for p in (first, second)]
            with acting(r['snv_clerk']):
                Document.register_document([applied])
            for number, package in [('75', first), ('76', second)]:
                send_as_peer(nghe_an, peer_document(number,
                        subject="Quyết định thu hồi văn bản").replace(
                        business=Business(kind=BusinessKind.REVOKE,
                            document_id=package.effective_document_id(),
                            reason="Ban hành sai thẩm quyền")))
            Transaction().user_notifications.clear()
            r['connection'].poll_inbox()
            run_tasks()
            applied, kept = Document(applied.id), Document(kept.id)
            self.assertEqual([(d.lgsp_withdrawal, d.lgsp_withdrawal_kind,
                        d.lgsp_withdrawal_reason) for d in (applied, kept)],
                [('requested', 'revoke', "Ban hành sai thẩm quyền")] * 2)
            # The revocation packages are requests, not new documents
            self.assertEqual(Document.search([('lgsp_document_id', 'in',
                            ['75', '76'])]), [])
            self.assertIn(r['snv_clerk'].id,
                {int(n.user) for n in Transaction().user_notifications})
            with acting(r['snv_clerk']):
                Document.lgsp_accept_withdrawal([applied])
                Document.refuse_withdrawal([kept], "Đã xử lý xong")
            run_tasks()
            self.assertEqual(Document(applied.id).state, 'cancelled')
            self.assertEqual(Document(kept.id).state, 'waiting')
            answers = {(s.response_for.document_id, s.status)
                for s in peer_inbox(nghe_an, 'status')
                if s.status in {StatusCode('15'), StatusCode('16')}}
            self.assertEqual(answers, {
                    (first.effective_document_id(), StatusCode('15')),
                    (second.effective_document_id(), StatusCode('16'))})

    @with_transaction()
    def test_replacement_received(self):
        "A replacement is a new document that replaces the one it names"
        Document = Pool().get('vb.document')
        with running_axis() as axis:
            r = setup_province(axis.url)
            nghe_an = peer(axis.url)
            old = peer_document('80')
            send_as_peer(nghe_an, old)
            r['connection'].poll_inbox()
            run_tasks()
            new = peer_document('81', subject="Công văn thay thế").replace(
                business=Business(kind=BusinessKind.REPLACE,
                    reason="Thay thế do sai số liệu",
                    replacements=[Replacement(old.effective_document_id(),
                            ['000.00.05.H56'])]))
            send_as_peer(nghe_an, new)
            r['connection'].poll_inbox()
            run_tasks()
            old_doc, = Document.search([('lgsp_document_id', '=',
                        old.effective_document_id())])
            new_doc, = Document.search([('lgsp_document_id', '=',
                        new.effective_document_id())])
            relation, = new_doc.relations
            self.assertEqual((relation.kind, relation.target),
                ('replace', old_doc))
            self.assertEqual(Document(old_doc.id).validity, 'valid')
            with acting(r['snv_clerk']):
                Document.register_document([new_doc])
            self.assertEqual(Document(old_doc.id).validity, 'replaced')

    @with_transaction()
    def test_revocation_and_replacement_sent(self):
        "Issuing a document that revokes or replaces a sent one says so"
        pool = Pool()
        Document = pool.get('vb.document')
        Relation = pool.get('vb.document.relation')
        with running_axis() as axis:
            r = setup_province(axis.url)
            nghe_an = peer(axis.url)
            first = issue(r, [r['na']], subject="Công văn số liệu")
            run_tasks()
            peer_inbox(nghe_an)
            for kind, subject in [('revoke', "Quyết định thu hồi"),
                    ('replace', "Công văn thay thế")]:
                document = issue(r, [r['na']], subject=subject,
                    relations=[(kind, first, "Sai số liệu")])
                run_tasks()
                package, = peer_inbox(nghe_an)
                self.assertEqual(package.kind, BusinessKind(
                        {'revoke': 1, 'replace': 3}[kind]))
                if kind == 'revoke':
                    self.assertEqual(package.business.document_id,
                        first.lgsp_document_id)
                    self.assertEqual(package.business.reason, "Sai số liệu")
                else:
                    self.assertEqual([x.document_id
                            for x in package.business.replacements],
                        [first.lgsp_document_id])
