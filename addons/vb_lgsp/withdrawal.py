# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""Withdrawal of a sent document ("lấy lại", spec §1.12).

The sender asks its external recipients for the document back with status
13 and a reason; each recipient's clerk agrees (15: the document is
cancelled on its side) or refuses (16, with a reason, e.g. it is already
processed). The answers come back as statuses of the recipient lines.
"""
from trytond.i18n import gettext
from trytond.model import ModelView, fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import Transaction, without_check_access
from trytond.wizard import Button, StateTransition, StateView, Wizard

from trytond.modules.vb_document.notify import agency_users, tell

from .exceptions import ExchangeError

WITHDRAWAL_KINDS = [
    (None, ""),
    ('withdraw', "Withdrawal (Status 13)"),
    ('revoke', "Revocation"),
    ]
WITHDRAWAL_STATES = [
    (None, ""),
    ('requested', "Withdrawal Requested"),
    ('accepted', "Withdrawal Accepted"),
    ('refused', "Withdrawal Refused"),
    ]


class Document(metaclass=PoolMeta):
    __name__ = 'vb.document'

    lgsp_withdrawal = fields.Selection(WITHDRAWAL_STATES, "Withdrawal",
        readonly=True, states={'invisible': ~Eval('lgsp_withdrawal')},
        help="A request of the sender to have the document back (status "
        "13) and its answer.")
    lgsp_withdrawal_reason = fields.Text("Reason of the Withdrawal",
        readonly=True, states={'invisible': ~Eval('lgsp_withdrawal')})
    lgsp_withdrawal_kind = fields.Selection(WITHDRAWAL_KINDS,
        "Request of the Sender", readonly=True,
        states={'invisible': ~Eval('lgsp_withdrawal')},
        help="Withdrawal: the sender wants the document back (13). "
        "Revocation (thu hồi, Nghị định 30 Điều 18.4b): the sender revoked "
        "it; accepting cancels it here.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        # A document withdrawn before its registration is cancelled
        cls._transitions |= {('waiting', 'cancelled')}
        cls._buttons.update({
                'lgsp_withdraw': {
                    'invisible': ((Eval('direction') != 'outgoing')
                        | (Eval('state') != 'issued')
                        | Eval('lgsp_withdrawal')
                        | ~Eval('lgsp_document_id')),
                    'icon': 'tryton-undo',
                    'depends': ['direction', 'state', 'lgsp_withdrawal',
                        'lgsp_document_id'],
                    },
                'lgsp_accept_withdrawal': {
                    'invisible': Eval('lgsp_withdrawal') != 'requested',
                    'icon': 'tryton-ok',
                    'depends': ['lgsp_withdrawal'],
                    },
                'lgsp_refuse_withdrawal': {
                    'invisible': Eval('lgsp_withdrawal') != 'requested',
                    'icon': 'tryton-cancel',
                    'depends': ['lgsp_withdrawal'],
                    },
                })

    @classmethod
    def copy(cls, documents, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('lgsp_withdrawal', None)
        default.setdefault('lgsp_withdrawal_reason', None)
        default.setdefault('lgsp_withdrawal_kind', None)
        return super().copy(documents, default=default)

    @classmethod
    @ModelView.button_action('vb_lgsp.wizard_withdraw')
    def lgsp_withdraw(cls, documents):
        pass

    @classmethod
    def request_withdrawal(cls, documents, reason):
        "Ask the external recipients the documents were sent to (13)"
        pool = Pool()
        Message = pool.get('vb.lgsp.message')
        User = pool.get('res.user')
        reason = (reason or '').strip()
        if not reason:
            raise ExchangeError(gettext('vb_lgsp.msg_withdrawal_reason'))
        user = User(Transaction().user) if Transaction().user else None
        for document in documents:
            lines = [r for r in document.recipients
                if r.lgsp_state == 'sent' and r.lgsp_status != '02']
            if (document.direction != 'outgoing' or document.lgsp_withdrawal
                    or not lines):
                raise ExchangeError(gettext(
                        'vb_lgsp.msg_withdrawal_nothing',
                        document=document.rec_name))
            with without_check_access():
                for line in lines:
                    Message.queue_withdrawal(line, reason, user)
        cls.write(documents, {
                'lgsp_withdrawal': 'requested',
                'lgsp_withdrawal_reason': reason,
                'lgsp_withdrawal_kind': 'withdraw',
                })

    def receive_withdrawal(self, reason, kind='withdraw'):
        """Record the sender's request (withdraw: status 13, revoke: a
        revocation package); False when it was recorded before"""
        if self.lgsp_withdrawal == 'requested' and (
                self.lgsp_withdrawal_kind == kind):
            return False
        if self.lgsp_withdrawal and kind == 'withdraw':
            return False
        # A revocation overrides an answered withdrawal: the document is
        # revoked even if the clerk kept it before
        self.__class__.write([self], {
                'lgsp_withdrawal': 'requested',
                'lgsp_withdrawal_reason': reason or None,
                'lgsp_withdrawal_kind': kind,
                })
        self._tell_clerks_withdrawal()
        return True

    def _tell_clerks_withdrawal(self):
        tell(agency_users(self.company, ['clerk']), [self],
            'vb_lgsp.msg_revocation_received'
            if self.lgsp_withdrawal_kind == 'revoke'
            else 'vb_lgsp.msg_withdrawal_received', icon='tryton-warning',
            agency=self.issuer_name or self.lgsp_sender_code,
            document=self.rec_name, reason=self.lgsp_withdrawal_reason or '')

    @classmethod
    @ModelView.button
    def lgsp_accept_withdrawal(cls, documents):
        "Give the document back: cancelled here, 15 to the sender"
        documents = [d for d in documents if d.lgsp_withdrawal == 'requested']
        to_cancel = [d for d in documents
            if d.state in {'waiting', 'registered'}]
        if to_cancel:
            cls.cancel(to_cancel)
        cls.write(documents, {'lgsp_withdrawal': 'accepted'})
        cls.tell_lgsp_sender(documents, '15')
        for document in documents:
            if document.lgsp_withdrawal_kind == 'revoke':
                document._tell_revoked()

    def _tell_revoked(self):
        "Tell who handled a document its sender revoked"
        tell(self._relation_handlers(), [self],
            'vb_lgsp.msg_revocation_applied', icon='tryton-warning',
            document=self.rec_name,
            agency=self.issuer_name or self.lgsp_sender_code or '')

    @classmethod
    @ModelView.button_action('vb_lgsp.wizard_refuse_withdrawal')
    def lgsp_refuse_withdrawal(cls, documents):
        pass

    @classmethod
    def refuse_withdrawal(cls, documents, reason):
        "Keep the document: 16 with the reason to the sender"
        reason = (reason or '').strip()
        if not reason:
            raise ExchangeError(gettext('vb_lgsp.msg_withdrawal_reason'))
        documents = [d for d in documents if d.lgsp_withdrawal == 'requested']
        cls.write(documents, {'lgsp_withdrawal': 'refused'})
        cls.tell_lgsp_sender(documents, '16', reason)


class ReasonStart(ModelView):
    "Reason"
    __string__ = "Reason"
    __name__ = 'vb.lgsp.reason.start'
    reason = fields.Text("Reason", required=True)


class Withdraw(Wizard):
    "Withdraw the Document"
    __name__ = 'vb.lgsp.withdraw'
    start = StateView('vb.lgsp.reason.start',
        'vb_lgsp.reason_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Ask to Withdraw", 'withdraw', 'tryton-ok', default=True),
            ])
    withdraw = StateTransition()

    def transition_withdraw(self):
        self.model.request_withdrawal(self.records, self.start.reason)
        return 'end'


class RefuseWithdrawal(Wizard):
    "Refuse the Withdrawal"
    __name__ = 'vb.lgsp.withdrawal.refuse'
    start = StateView('vb.lgsp.reason.start',
        'vb_lgsp.reason_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Refuse", 'refuse', 'tryton-ok', default=True),
            ])
    refuse = StateTransition()

    def transition_refuse(self):
        self.model.refuse_withdrawal(self.records, self.start.reason)
        return 'end'
