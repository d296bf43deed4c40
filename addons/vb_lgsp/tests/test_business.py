# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""Revocation, update and replacement through the axis (spec §1.12),
over HTTP"""
import datetime as dt
import unittest

from trytond.model.exceptions import AccessButtonError
from trytond.modules.vb_document.tests import (
    as_user, create_agency, create_staff, minimal_pdf)
from trytond.modules.vb_lgsp.edxml import (
    Attachment, Business, BusinessKind, Organisation, ReceiverChange,
    Replacement, SignerInfo, StatusCode, TraceHeader, UpdateInfo)
from trytond.modules.vb_lgsp.exceptions import ExchangeError
from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, with_transaction
from trytond.transaction import Transaction

from .axis_fixtures import KH_NOI_VU, NA_TAI_CHINH, NGHE_AN, running_axis
from .exchange_tools import (
    acting, issue, peer, peer_document, peer_inbox, peer_status, poll,
    received_from_peer, run_tasks, send_as_peer, setup_province)


def update_of(package, reason="Đính chính trích yếu", receivers=(),
        **changes):
    "The update package (BussinessDocType 2) of a document of the peer"
    return package.replace(business=Business(kind=BusinessKind.UPDATE,
            document_id=package.effective_document_id(), reason=reason,
            update=UpdateInfo(metadata_changed=True,
                receivers_changed=bool(receivers),
                receivers=list(receivers))), **changes)


class BusinessTestCase(unittest.TestCase):
    "Revoke, update and replace, sent and received"

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
            applied, kept = received_from_peer(r, nghe_an, first, second)
            with acting(r['snv_clerk']):
                Document.register_document([applied])
            for number, package in [('75', first), ('76', second)]:
                send_as_peer(nghe_an, peer_document(number,
                        subject="Quyết định thu hồi văn bản").replace(
                        business=Business(kind=BusinessKind.REVOKE,
                            document_id=package.effective_document_id(),
                            reason="Ban hành sai thẩm quyền")))
            Transaction().user_notifications.clear()
            poll(r)
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
            old_doc, = received_from_peer(r, nghe_an, old)
            new = peer_document('81', subject="Công văn thay thế").replace(
                business=Business(kind=BusinessKind.REPLACE,
                    reason="Thay thế do sai số liệu",
                    replacements=[Replacement(old.effective_document_id(),
                            ['000.00.05.H56'])]))
            new_doc, = received_from_peer(r, nghe_an, new)
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
        with running_axis() as axis:
            r = setup_province(axis.url)
            nghe_an = peer(axis.url)
            first = issue(r, [r['na']], subject="Công văn số liệu")
            run_tasks()
            peer_inbox(nghe_an)
            for kind, subject in [('revoke', "Quyết định thu hồi"),
                    ('replace', "Công văn thay thế")]:
                issue(r, [r['na']], subject=subject,
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

    @with_transaction()
    def test_update_received(self):
        "The sender updates: the clerk applies it (15) or refuses it (16)"
        pool = Pool()
        Document = pool.get('vb.document')
        Message = pool.get('vb.lgsp.message')
        Update = pool.get('vb.lgsp.update')
        with running_axis() as axis:
            r = setup_province(axis.url)
            nghe_an = peer(axis.url)
            other_clerk = create_staff(r['snv'], 'vt2.snv', ['clerk'])
            corrected, kept, dropped = (peer_document('60'),
                peer_document('61'), peer_document('62'))
            corrected_doc, kept_doc, dropped_doc = received_from_peer(
                r, nghe_an, corrected, kept, dropped)
            with acting(r['snv_clerk']):
                Document.register_document([corrected_doc])
            run_tasks()
            peer_inbox(nghe_an, 'status')
            old_file, = corrected_doc.files
            deadline = dt.date.today() + dt.timedelta(days=20)
            new_pdf = minimal_pdf('So lieu da dinh chinh')
            updates = [
                update_of(corrected, subject="V/v đối chiếu số liệu biên "
                    "chế năm 2026 (đính chính)",
                    signer=SignerInfo('Phó Giám đốc', 'Lê Thị Hoa', 'KT'),
                    due_date=deadline,
                    attachments=[Attachment('88-STC-NS-dc.pdf', new_pdf)]),
                update_of(kept, subject="Trích yếu mới"),
                update_of(dropped, reason="Gửi nhầm nơi nhận",
                    receivers=[ReceiverChange(KH_NOI_VU, added=False)]),
                ]
            # A document we do not have, and one of ours named by another
            # sender: refused with 16, nothing changes
            unknown = update_of(peer_document('69'))
            other = peer(axis.url, organ_id=NGHE_AN)
            foreign = update_of(corrected, subject="Sửa trái phép").replace(
                sender=Organisation(NGHE_AN, 'UBND tỉnh Nghệ An'),
                document_id=corrected.effective_document_id())
            Transaction().user_notifications.clear()
            received_from_peer(r, nghe_an, *updates, unknown, drain=False)
            received_from_peer(r, other, foreign, drain=False)

            # Requests, not changes yet; the clerks are told
            corrected_doc = Document(corrected_doc.id)
            self.assertEqual(corrected_doc.subject, corrected.subject)
            self.assertEqual(corrected_doc.files, (old_file,))
            requests = [Document(d.id).lgsp_updates
                for d in (corrected_doc, kept_doc, dropped_doc)]
            self.assertEqual([[u.state for u in us] for us in requests],
                [['requested']] * 3)
            (request,), (kept_request,), (drop_request,) = requests
            self.assertEqual(request.direction, 'in')
            self.assertEqual(request.reason, "Đính chính trích yếu")
            self.assertTrue(request.files_replaced)
            self.assertIn("(đính chính)", request.changes)
            self.assertIn("Lê Thị Hoa", request.changes)
            self.assertTrue(drop_request.removed)
            told = {int(n.user) for n in Transaction().user_notifications}
            self.assertIn(r['snv_clerk'].id, told)
            refused = Message.search([('direction', '=', 'in'),
                    ('state', '=', 'refused')], order=[('id', 'ASC')])
            self.assertEqual([(m.business, m.document_id, m.sender_code)
                    for m in refused], [
                    ('update', unknown.effective_document_id(),
                        unknown.sender.organ_id),
                    ('update', corrected.effective_document_id(), NGHE_AN)])
            self.assertIn(corrected.sender.organ_id, refused[0].error)
            self.assertEqual(len(Update.search([])), 3)
            self.assertEqual(len(Document.search([
                            ('direction', '=', 'incoming')])), 3)
            answers = [(s.sender.organ_id, s.response_for.organ_id,
                    s.response_for.document_id, s.status.value)
                for s in peer_inbox(nghe_an, 'status')
                + peer_inbox(other, 'status')]
            self.assertCountEqual(answers, [
                    (KH_NOI_VU, unknown.sender.organ_id,
                        unknown.effective_document_id(), '16'),
                    (KH_NOI_VU, NGHE_AN, corrected.effective_document_id(),
                        '16')])

            # The same request sent again (built again: other bytes) is
            # recognised
            send_as_peer(nghe_an, updates[1].replace(traces=[TraceHeader(
                            kept.sender.organ_id, dt.datetime.now())]))
            poll(r)
            self.assertEqual(len(Document(kept_doc.id).lgsp_updates), 1)
            self.assertEqual([m.state for m in Message.search([
                            ('direction', '=', 'in'),
                            ('document', '=', kept_doc.id),
                            ('business', '=', 'update')],
                        order=[('id', 'ASC')])], ['stored', 'duplicate'])

            Transaction().user_notifications.clear()
            with acting(other_clerk):
                Update.apply([request, drop_request])
                with self.assertRaises(ExchangeError):
                    Update.do_refuse([kept_request], "  ")
                Update.do_refuse([kept_request],
                    "Văn bản đã giao xử lý theo trích yếu cũ")
            run_tasks()
            corrected_doc = Document(corrected_doc.id)
            self.assertEqual(corrected_doc.subject, updates[0].subject)
            self.assertEqual((corrected_doc.signer_name,
                    corrected_doc.signer_position),
                ("Lê Thị Hoa", "KT Phó Giám đốc"))
            self.assertEqual(corrected_doc.deadline, deadline)
            self.assertEqual(corrected_doc.state, 'registered')
            main, = corrected_doc.files
            self.assertEqual((main.name, main.document_role, main.data),
                ('88-STC-NS-dc.pdf', 'main', new_pdf))
            # The file received first is kept, out of the document
            self.assertEqual(old_file.__class__(old_file.id).document_role,
                None)
            self.assertEqual(Document(kept_doc.id).subject, kept.subject)
            self.assertEqual(Document(dropped_doc.id).state, 'cancelled')
            self.assertEqual([(u.state, u.user) for u in Update.browse(
                        [request, kept_request, drop_request])],
                [('applied', other_clerk), ('refused', other_clerk),
                    ('applied', other_clerk)])
            # Who registered it is told what changed
            told = {int(n.user) for n in Transaction().user_notifications}
            self.assertIn(r['snv_clerk'].id, told)
            answers = {(s.response_for.document_id, s.status.value):
                s.description for s in peer_inbox(nghe_an, 'status')}
            self.assertEqual(set(answers), {
                    (corrected.effective_document_id(), '15'),
                    (kept.effective_document_id(), '16'),
                    (dropped.effective_document_id(), '15')})
            self.assertEqual(answers[(kept.effective_document_id(), '16')],
                "Văn bản đã giao xử lý theo trích yếu cũ")

            # An update adding us to the recipients brings the document
            added = update_of(peer_document('63'),
                receivers=[ReceiverChange(KH_NOI_VU, added=True)])
            added_doc, = received_from_peer(r, nghe_an, added, drain=False)
            self.assertEqual((added_doc.state, added_doc.subject),
                ('waiting', added.subject))
            status, = peer_inbox(nghe_an, 'status')
            self.assertEqual(status.status, StatusCode.ARRIVED)

    @with_transaction()
    def test_update_sent(self):
        "The clerk corrects a sent document: an update goes to each line"
        pool = Pool()
        Document = pool.get('vb.document')
        Message = pool.get('vb.lgsp.message')
        Recipient = pool.get('vb.document.recipient')
        Urgency = pool.get('vb.document.urgency')
        SendUpdate = pool.get('vb.lgsp.update.send', type='wizard')
        with running_axis() as axis:
            r = setup_province(axis.url)
            nghe_an = peer(axis.url)
            document = issue(r, [r['na'], r['snv']],
                subject="V/v báo cáo số liệu quý I")
            # Not sent yet: the update would overtake it
            with acting(r['clerk']):
                with self.assertRaises(ExchangeError) as error:
                    Document.send_lgsp_update([document],
                        {'subject': "Sửa"}, "Sai trích yếu")
            self.assertIn(r['na'].rec_name, str(error.exception))
            run_tasks()
            received, = peer_inbox(nghe_an)
            internal = issue(r, [r['snv']])
            sent_before = Message.search([], count=True)
            urgent, = Urgency.search([('code', '=', 'urgent')])
            with acting(r['clerk']):
                for documents, values, reason in [
                        ([document], {'subject': "Sửa"}, " "),
                        ([document], {'subject': document.subject},
                            "Không đổi gì"),
                        ([document], {'page_count': 0}, "Sai số trang"),
                        ([document], {'deadline': document.issued_date
                                - dt.timedelta(days=1)}, "Sai hạn"),
                        ([internal], {'subject': "Sửa"}, "Sai"),
                        ]:
                    with self.assertRaises(ExchangeError):
                        Document.send_lgsp_update(documents, values, reason)
            # Only clerks send updates, as only they see the button
            with as_user(r['leader']), self.assertRaises(AccessButtonError):
                Document.send_lgsp_update([document],
                    {'subject': "Sửa"}, "Sai trích yếu")
            self.assertEqual(Message.search([], count=True), sent_before)
            self.assertEqual(Document(document.id).subject,
                "V/v báo cáo số liệu quý I")

            # Through the wizard, as the clerk does on the form
            new_pdf = minimal_pdf('Bao cao da sua')
            deadline = dt.date.today() + dt.timedelta(days=15)
            with acting(r['clerk']), Transaction().set_context(
                    active_model='vb.document', active_id=document.id,
                    active_ids=[document.id]):
                session, _, _ = SendUpdate.create()
                start = SendUpdate.execute(session, {}, 'start')
                defaults = {k: v for k, v in start['view']['defaults'].items()
                    if '.' not in k}
                self.assertEqual(defaults['subject'], document.subject)
                SendUpdate.execute(session, {'start': {**defaults,
                            'subject': "V/v báo cáo số liệu quý I năm 2026",
                            'deadline': deadline,
                            'urgency': urgent.id,
                            'main_file': new_pdf,
                            'main_file_name': 'bao-cao-sua.pdf',
                            'reason': "Bổ sung năm và hạn báo cáo"}},
                    'send')
                SendUpdate.delete(session)
            document = Document(document.id)
            self.assertEqual(document.subject,
                "V/v báo cáo số liệu quý I năm 2026")
            self.assertEqual((document.deadline, document.urgency),
                (deadline, urgent))
            self.assertEqual(sorted((f.name, f.document_role)
                    for f in document.files),
                [('bao-cao-sua.pdf', 'main'), ('phu-luc.pdf', 'annex')])
            update, = document.lgsp_updates
            self.assertEqual((update.direction, update.state, update.user),
                ('out', 'sent', r['clerk']))
            self.assertTrue(update.files_replaced)
            self.assertIn("năm 2026", update.changes)
            # One package for the line sent through the axis
            message, = Message.search([('business', '=', 'update')])
            self.assertEqual((message.state, message.target_code,
                    message.kind), ('pending', r['na'].identifier_code,
                    'edoc'))
            run_tasks()
            self.assertEqual(Message(message.id).state, 'sent')
            package, = peer_inbox(nghe_an)
            self.assertEqual(package.kind, BusinessKind.UPDATE)
            self.assertEqual(package.business.document_id,
                document.lgsp_document_id)
            self.assertEqual(package.effective_document_id(),
                document.lgsp_document_id)
            self.assertTrue(package.business.update.metadata_changed)
            self.assertEqual(package.business.reason,
                "Bổ sung năm và hạn báo cáo")
            self.assertEqual(package.subject, document.subject)
            self.assertEqual(package.due_date, deadline)
            self.assertEqual(package.attachments[0].data, new_pdf)

            # The recipient agrees: its line's history shows it
            send_as_peer(nghe_an, peer_status(received, '15',
                    "Đã cập nhật"))
            poll(r)
            line, = [l for l in document.recipients if l.external]
            self.assertEqual([(s.code, s.description)
                    for s in Recipient(line.id).lgsp_statuses],
                [('15', "Đã cập nhật")])

    @with_transaction()
    def test_update_changes_recipients(self):
        "An update adds a recipient and takes one off (ReceiverType 1, 0)"
        pool = Pool()
        Document = pool.get('vb.document')
        Recipient = pool.get('vb.document.recipient')
        with running_axis() as axis:
            r = setup_province(axis.url)
            nghe_an = peer(axis.url)
            document = issue(r, [r['na'], r['snv']])
            run_tasks()
            received, = peer_inbox(nghe_an)
            province = create_agency("UBND tỉnh Nghệ An", NGHE_AN,
                external=True)
            no_code = create_agency("Hội Nông dân xã Diên An",
                external=True)
            na_line, = [l for l in document.recipients if l.external]
            snv_line, = [l for l in document.recipients if not l.external]
            reason = "Bổ sung UBND tỉnh, bỏ Sở Tài chính khỏi nơi nhận"
            with acting(r['clerk']):
                for changes in [
                        {'add_agencies': [r['na']]},
                        {'add_agencies': [r['ubnd']]},
                        {'add_agencies': [no_code]},
                        {'remove_lines': [snv_line]},
                        ]:
                    with self.assertRaises(ExchangeError):
                        Document.send_lgsp_update([document], {}, reason,
                            **changes)
                self.assertFalse(Document(document.id).lgsp_updates)
                Document.send_lgsp_update([document], {}, reason,
                    add_agencies=[province], remove_lines=[na_line])
            document = Document(document.id)
            update, = document.lgsp_updates
            added_line, dropped_line = update.changes.splitlines()
            self.assertTrue(added_line.endswith(": UBND tỉnh Nghệ An"))
            self.assertTrue(
                dropped_line.endswith(": Sở Tài chính tỉnh Nghệ An"))
            self.assertEqual(Recipient(na_line.id).lgsp_removed_by, update)
            new_line, = [l for l in document.recipients
                if l.agency == province]
            self.assertEqual((new_line.state, new_line.lgsp_state),
                ('external', 'pending'))
            run_tasks()
            packages = {p.recipients[0].organ_id: p
                for p in peer_inbox(nghe_an)}
            # The line taken off gets the update naming both changes
            # (nothing else changed: the other lines get nothing); the
            # agency added gets the document as a new one
            self.assertEqual(sorted(packages), [NGHE_AN, NA_TAI_CHINH])
            taken_off = packages[NA_TAI_CHINH]
            self.assertEqual(taken_off.kind, BusinessKind.UPDATE)
            self.assertEqual(taken_off.business.document_id,
                document.lgsp_document_id)
            info = taken_off.business.update
            self.assertFalse(info.metadata_changed)
            self.assertTrue(info.receivers_changed)
            self.assertEqual(info.receivers, [
                    ReceiverChange(NGHE_AN, True),
                    ReceiverChange(NA_TAI_CHINH, False)])
            added = packages[NGHE_AN]
            self.assertEqual(added.kind, BusinessKind.NEW)
            self.assertEqual(added.effective_document_id(),
                document.lgsp_document_id)

            # A later correction goes to the lines kept, not to the one
            # taken off, which cannot be taken off twice
            with acting(r['clerk']):
                with self.assertRaises(ExchangeError):
                    Document.send_lgsp_update([document], {}, reason,
                        remove_lines=[na_line])
                Document.send_lgsp_update([document],
                    {'subject': "V/v rà soát biên chế năm 2026 (sửa)"},
                    "Sửa trích yếu")
            run_tasks()
            package, = peer_inbox(nghe_an)
            self.assertEqual(
                (package.kind, package.recipients[0].organ_id),
                (BusinessKind.UPDATE, NGHE_AN))
            self.assertTrue(package.business.update.metadata_changed)
            self.assertFalse(package.business.update.receivers_changed)
