# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""With vb_workflow: the signer's approval of a draft is the signing step.

A signer with a usable personal certificate approves by signing ("Ký số"):
the signature approves the draft; the plain "Approve" button is refused to
them, so no draft leaves the chain unsigned by someone who can sign.
A signer without a certificate approves as before (signature on paper).
"""
from trytond.i18n import gettext
from trytond.model import ModelView
from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction

from .exceptions import SigningError


class Document(metaclass=PoolMeta):
    __name__ = 'vb.document'

    @classmethod
    def _signable_states(cls):
        return super()._signable_states() | {'review', 'approved'}

    def _signer_step_open(self):
        return any(a.kind == 'signer' for a in self._pending_approvals())

    @classmethod
    def check_signable(cls, documents, user_id):
        super().check_signable(documents, user_id)
        for document in documents:
            if document.state == 'draft' and document.find_approval_chain():
                raise SigningError(gettext(
                        'vb_signature.msg_sign_submit_first',
                        document=document.rec_name))
            if document.state == 'review' and not (
                    document._signer_step_open()):
                raise SigningError(gettext(
                        'vb_signature.msg_sign_not_yet',
                        document=document.rec_name))

    @classmethod
    @ModelView.button
    def approve_review(cls, documents, comment=None):
        # Checked before any decision is recorded
        cls._check_approval_by_signing(documents)
        super().approve_review(documents, comment=comment)

    @classmethod
    def _check_approval_by_signing(cls, documents):
        "The signer with a certificate must approve by signing"
        pool = Pool()
        Certificate = pool.get('vb.signature.certificate')
        User = pool.get('res.user')
        user = Transaction().user
        if Certificate.personal(user) is None:
            return
        employees = set(User(user).employees)
        for document in documents:
            if (document.state == 'review'
                    and not document.leader_signed_at
                    and document.signer in employees
                    and document._signer_step_open()):
                raise SigningError(gettext(
                        'vb_signature.msg_approve_by_signing',
                        document=document.rec_name))

    @classmethod
    def leader_signed(cls, documents, certificate):
        super().leader_signed(documents, certificate)
        # Read again: the approval checks the signing just written
        to_approve = [d for d in cls.browse([d.id for d in documents])
            if d.state == 'review' and d._signer_step_open()]
        for document in to_approve:
            cls.approve_review([document])
