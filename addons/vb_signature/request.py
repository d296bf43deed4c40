# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""Remote (interrupted) signing: the key never comes to the server.

The way Vietnamese officials sign with a USB token through a local signing
tool, or on their phone through a remote-signing service: the server
prepares the PDF and its digest (a request bound to the document's file
version, expiring), an external party returns the raw signature or a CMS,
the server embeds it, verifies the file and goes on as after any signature.

The HTTP API (routes.py) and the reference client `vbdh-sign` (client.py)
talk about these requests. A provider (a CSC-API service, a provider's own
API) is one `RemoteSigner` class: it gets the request and answers it.
"""
import base64
import datetime as dt
import hashlib
import json

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Workflow, fields
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction, without_check_access

from . import pades
from .exceptions import RemoteSigningError

# How long a prepared request waits for its signature
LIFETIME = dt.timedelta(minutes=30)
STATES = [
    ('pending', "Waiting for Signature"),
    ('done', "Signed"),
    ('expired', "Expired"),
    ('cancelled', "Cancelled"),
    ]


class RemoteSigner:
    """A remote-signing provider: sign one request and return the answer.

    `sign(request)` gets the JSON of `Request.to_api()` (the hash to sign
    in 'to_sign', the document digest in 'document_digest') and returns
    {'signature': bytes} (raw, over to_sign's signed attributes) or
    {'cms': bytes} (a detached CMS over the document digest).
    """

    def sign(self, request):
        raise NotImplementedError


class Request(Workflow, ModelSQL, ModelView):
    "Remote Signing Request"
    __string__ = "Remote Signing Request"
    __name__ = 'vb.signature.request'

    document = fields.Many2One('vb.document', "Document", required=True,
        ondelete='CASCADE', readonly=True)
    company = fields.Many2One('company.company', "Agency", required=True,
        ondelete='CASCADE', readonly=True)
    attachment = fields.Many2One('ir.attachment', "File", required=True,
        ondelete='CASCADE', readonly=True)
    user = fields.Many2One('res.user', "Signer", required=True,
        ondelete='CASCADE', readonly=True)
    certificate = fields.Many2One('vb.signature.certificate', "Certificate",
        required=True, ondelete='CASCADE', readonly=True)
    role = fields.Selection([
            ('leader', "Competent Person"),
            ], "Role", required=True, readonly=True)
    state = fields.Selection(STATES, "State", required=True, readonly=True)
    state_string = state.translated('state')
    expires_at = fields.DateTime("Expires At", required=True, readonly=True)
    source_sha256 = fields.Char("File Version (SHA-256)", readonly=True)
    pending = fields.Text("Pending Signature", readonly=True)
    prepared = fields.Binary("Prepared File", file_id='prepared_id',
        readonly=True)
    prepared_id = fields.Char("Prepared File ID", readonly=True)
    done_at = fields.DateTime("Signed At", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.user, Index.Equality()),
                    (t.state, Index.Equality(cardinality='low'))),
                Index(t, (t.document, Index.Equality())),
                })
        cls._order = [('create_date', 'DESC'), ('id', 'DESC')]
        cls._transitions |= {
            ('pending', 'done'),
            ('pending', 'expired'),
            ('pending', 'cancelled'),
            }
        cls._buttons.update({
                'cancel': {
                    'invisible': Eval('state') != 'pending',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_state(cls):
        return 'pending'

    def get_rec_name(self, name):
        return f'{self.document.rec_name} ({self.state_string})'

    @classmethod
    def prepare(cls, documents, certificate):
        """Prepare the signer's signature of each document for the external
        key; return the pending requests"""
        pool = Pool()
        Document = pool.get('vb.document')
        user = Transaction().user
        Document.check_signable(documents, user)
        certificate.check_usable()
        if certificate.method != 'remote' or certificate.user.id != user:
            raise RemoteSigningError(gettext(
                    'vb_signature.msg_request_wrong_certificate',
                    certificate=certificate.rec_name))
        # Requests are written by the server only (users read their own)
        with without_check_access():
            return cls._prepare(documents, certificate)

    @classmethod
    def _prepare(cls, documents, certificate):
        user = Transaction().user
        # A new request replaces the open one of the same document
        cls.cancel(cls.search([
                    ('document', 'in', [d.id for d in documents]),
                    ('user', '=', user),
                    ('state', '=', 'pending'),
                    ]))
        now = dt.datetime.now()
        values = []
        for document in documents:
            main = document.main_file()
            try:
                prepared, pending = pades.prepare_external(
                    document.draft_data(main), 'leader',
                    certificate.appearance(),
                    certificate=bytes(certificate.certificate),
                    tsa=document.company.tsa_url or None)
            except pades.SignatureError as error:
                raise RemoteSigningError(gettext(
                        'vb_signature.msg_signing_failed',
                        reason=error.message))
            values.append({
                    'document': document.id,
                    'company': document.company.id,
                    'attachment': main.id,
                    'user': user,
                    'certificate': certificate.id,
                    'role': 'leader',
                    'expires_at': now + LIFETIME,
                    'source_sha256': hashlib.sha256(
                        bytes(main.data)).hexdigest(),
                    'pending': json.dumps(pending.to_dict()),
                    'prepared': prepared,
                    })
        return cls.create(values)

    def to_api(self):
        "What the signing tool needs, as JSON"
        pending = json.loads(self.pending)
        return {
            'id': self.id,
            'document': self.document.rec_name,
            'agency': self.company.rec_name,
            'role': self.role,
            'expires_at': self.expires_at.replace(
                tzinfo=dt.timezone.utc).isoformat(),
            'certificate_serial': self.certificate.serial,
            'to_sign': pending['to_sign'],
            'signed_attributes': pending['signed_attributes'],
            'document_digest': pending['document_digest'],
            'digest_algorithm': pending['digest_algorithm'],
            }

    @classmethod
    def mine(cls):
        "The pending requests of the user, those expired closed first"
        cls.expire()
        return cls.search([
                ('user', '=', Transaction().user),
                ('state', '=', 'pending'),
                ])

    def complete(self, signature=None, cms=None):
        """Embed the external signature; the request must be pending, not
        expired, for the current version of the file, and the signature
        over this request's data by its certificate"""
        pool = Pool()
        Document = pool.get('vb.document')
        self.__class__.lock([self])
        if self.user.id != Transaction().user:
            raise RemoteSigningError(gettext(
                    'vb_signature.msg_request_not_yours'))
        if self.state != 'pending':
            raise RemoteSigningError(gettext(
                    'vb_signature.msg_request_not_pending',
                    state=self.state_string))
        # Refusals change nothing: the request stays as it was (an expired
        # one is closed by the cron) and the answer can be sent again
        if self.expires_at < dt.datetime.now():
            raise RemoteSigningError(gettext('vb_signature.msg_request_expired',
                    document=self.document.rec_name))
        current = hashlib.sha256(bytes(self.attachment.data)).hexdigest()
        if current != self.source_sha256:
            raise RemoteSigningError(gettext('vb_signature.msg_request_file_changed',
                    document=self.document.rec_name))
        try:
            with without_check_access():
                prepared = bytes(self.__class__(self.id).prepared)
            data = pades.embed_external(prepared,
                json.loads(self.pending), signature=signature, cms=cms,
                tsa=self.company.tsa_url or None)
        except pades.SignatureError as error:
            raise RemoteSigningError(gettext('vb_signature.msg_request_refused',
                    reason=error.message))
        document = self.document
        Document.check_signable([document], self.user.id)
        report = document.store_signed(self.attachment, data, 'leader',
            self.certificate)
        with without_check_access():
            self.__class__.write([self], {
                    'state': 'done',
                    'done_at': dt.datetime.now(),
                    'prepared': None,
                    })
        Document.leader_signed([document], self.certificate)
        return report

    def sign_with(self, provider):
        "Have a RemoteSigner provider sign this request"
        answer = provider.sign(self.to_api())
        return self.complete(**answer)

    @classmethod
    @ModelView.button
    @Workflow.transition('cancelled')
    def cancel(cls, requests):
        cls.write(requests, {'prepared': None})

    @classmethod
    def expire(cls, requests=None):
        "Close the pending requests past their time (cron)"
        if requests is None:
            requests = cls.search([
                    ('state', '=', 'pending'),
                    ('expires_at', '<', dt.datetime.now()),
                    ])
        requests = [r for r in requests if r.state == 'pending']
        if requests:
            with without_check_access():
                cls.write(requests, {'state': 'expired', 'prepared': None})
        return requests


def decode_answer(values):
    "The raw signature or CMS of the API's JSON body (base64)"
    answer = {}
    for key in ('signature', 'cms'):
        if values.get(key):
            try:
                answer[key] = base64.b64decode(values[key], validate=True)
            except (ValueError, TypeError):
                raise RemoteSigningError(gettext(
                        'vb_signature.msg_request_bad_base64', field=key))
    if len(answer) != 1:
        raise RemoteSigningError(gettext(
                'vb_signature.msg_request_answer_missing'))
    return answer
