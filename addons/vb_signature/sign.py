# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""The "Ký số" wizard: the signer signs one document or a batch.

With a key held by the server (PKCS#12 or PKCS#11) every selected document
is signed with one password or PIN; with a remote key the wizard prepares
one request per document and the signing tool (vbdh-sign, a token plugin,
a signing service) answers them.
"""
from trytond.i18n import gettext
from trytond.model import ModelView, fields
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction
from trytond.wizard import Button, StateTransition, StateView, Wizard

from .certificate import METHODS


class SignStart(ModelView):
    "Sign Documents"
    __string__ = "Sign Documents"
    __name__ = 'vb.signature.sign.start'

    documents = fields.Many2Many('vb.document', None, None, "Documents",
        readonly=True)
    certificate = fields.Many2One('vb.signature.certificate', "Certificate",
        required=True,
        domain=[
            ('owner', '=', 'personal'),
            ('user', '=', Eval('user', -1)),
            ('status', 'in', ['valid', 'expiring']),
            ])
    user = fields.Many2One('res.user', "User", readonly=True)
    method = fields.Selection(METHODS, "Signing Method", readonly=True)
    secret_stored = fields.Boolean("Secret Stored", readonly=True)
    secret = fields.Char("Password or PIN",
        states={
            'invisible': (Eval('method') == 'remote')
            | Eval('secret_stored', False),
            'required': (Eval('method') != 'remote')
            & ~Eval('secret_stored', False),
            })

    @fields.depends('certificate')
    def on_change_certificate(self):
        self.method = self.certificate.method if self.certificate else None
        self.secret_stored = bool(self.certificate
            and self.certificate.secret_stored)


class SignRemote(ModelView):
    "Waiting for the Signing Tool"
    __string__ = "Waiting for the Signing Tool"
    __name__ = 'vb.signature.sign.remote'

    requests = fields.One2Many('vb.signature.request', None, "Requests",
        readonly=True)
    message = fields.Text("Instructions", readonly=True)


class Sign(Wizard):
    "Sign Documents"
    __name__ = 'vb.signature.sign'
    start = StateView('vb.signature.sign.start',
        'vb_signature.sign_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Sign", 'sign', 'tryton-ok', default=True),
            ])
    sign = StateTransition()
    remote = StateView('vb.signature.sign.remote',
        'vb_signature.sign_remote_view_form', [
            Button("Close", 'end', 'tryton-close', default=True),
            ])

    def default_start(self, fields):
        Certificate = Pool().get('vb.signature.certificate')
        user = Transaction().user
        certificate = Certificate.personal(user)
        values = {
            'documents': [d.id for d in self.records],
            'user': user,
            }
        if certificate:
            values.update({
                    'certificate': certificate.id,
                    'method': certificate.method,
                    'secret_stored': certificate.secret_stored,
                    })
        return values

    def transition_sign(self):
        pool = Pool()
        Document = pool.get('vb.document')
        Request = pool.get('vb.signature.request')
        documents = list(self.records)
        certificate = self.start.certificate
        if certificate.method == 'remote':
            self.remote.requests = Request.prepare(documents, certificate)
            return 'remote'
        Document.sign_as_leader(documents, certificate,
            self.start.secret or None)
        return 'end'

    def default_remote(self, fields):
        return {
            'requests': [r.id for r in self.remote.requests],
            'message': gettext('vb_signature.msg_remote_instructions',
                count=len(self.remote.requests)),
            }
