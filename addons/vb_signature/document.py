# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""The signing steps of documents and the gate on receipt.

Outgoing (Nghị định 30/2020, Điều 14–15, 32–33): the signer signs the main
PDF ("Ký số", sign.py, or remotely, request.py); when the clerk issues, the
number and date are written into the signed file and the agency's
organization signature is applied in the same revision (`_finish_files`,
called by vb.document.issue between numbering and delivery); annexes in PDF
get the invisible organization signature with the 10 pt text. A main file
given after issuing (the corrected file of a vb_lgsp update) is sealed the
same way (`_finish_new_main_file`).

Incoming (Điều 21.2): a document received electronically is checked before
the clerk can register it; per the agency's policy (default: refuse) the
clerk refuses it with the reasons, which vb_lgsp sends back as status 02.
"""
import datetime as dt

from trytond.i18n import gettext
from trytond.model import ModelView, fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import Transaction, without_check_access

from trytond.modules.vb_document.ir import file_documents

from . import pades
from .exceptions import (
    InvalidSignatureError, InvalidSignatureWarning, SigningError)
from .pades.layout import (
    FIELD_DATE, FIELD_LEADER, FIELD_NUMBER, FIELD_ORGANIZATION)
from .pades.pdfio import open_writer
from .pades.signing import field_states
from .verification import FILE_STATUSES

# The fields a draft is made with (pades.has_reservation)
RESERVED_FIELDS = {FIELD_NUMBER, FIELD_DATE, FIELD_LEADER, FIELD_ORGANIZATION}
# Sources of documents that arrive as signed electronic files
ELECTRONIC_SOURCES = {'internal', 'lgsp'}


def _signing_error(error):
    "A user error for a pades error (its message is already Vietnamese)"
    return SigningError(gettext('vb_signature.msg_signing_failed',
            reason=error.message))


def leader_signed(data):
    "Whether the competent person's field of the PDF is signed"
    return _field_filled(data, FIELD_LEADER)


def organization_signed(data):
    "Whether the organization's field of the PDF is signed"
    return _field_filled(data, FIELD_ORGANIZATION)


def _field_filled(data, name):
    try:
        return signature_fields(data).get(name) == 'filled'
    except pades.SignatureError:
        return False


def signature_fields(data):
    """{name: 'empty' or 'filled'} of the PDF's fields, read in one parse
    (pyHanko reads the whole file: about 5 ms a page). Raise
    pades.SignatureError when the PDF cannot be read."""
    return field_states(open_writer(data))


class Document(metaclass=PoolMeta):
    __name__ = 'vb.document'

    signature_status = fields.Function(fields.Selection(FILE_STATUSES,
            "Digital Signatures",
            help="The result of the check of the main file's signatures."),
        'get_signature_info')
    signature_reasons = fields.Function(fields.Text("Signature Problems"),
        'get_signature_info')
    signature_lines = fields.Function(fields.Many2Many(
            'vb.signature.report.signature', None, None, "Signatures"),
        'get_signature_lines')
    leader_signed_by = fields.Many2One('res.user', "Signed Digitally By",
        readonly=True,
        states={'invisible': Eval('direction') != 'outgoing'})
    leader_signed_at = fields.DateTime("Signed Digitally At", readonly=True,
        states={'invisible': Eval('direction') != 'outgoing'})
    sealed_at = fields.DateTime("Organization Signature At", readonly=True,
        states={'invisible': Eval('direction') != 'outgoing'})

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._buttons.update({
                'sign': {
                    'invisible': ((Eval('direction') != 'outgoing')
                        | ~Eval('state').in_(
                            sorted(cls._signable_states()))
                        | Eval('leader_signed_at')),
                    'icon': 'tryton-ok',
                    'depends': ['direction', 'state', 'leader_signed_at'],
                    },
                'check_signatures': {
                    'invisible': ~Eval('files', []),
                    'icon': 'tryton-refresh',
                    'depends': ['files'],
                    },
                })

    @classmethod
    def _signable_states(cls):
        "States in which the signer may sign the main file"
        return {'draft'}

    @classmethod
    def copy(cls, documents, default=None):
        default = dict(default or {})
        for name in ['leader_signed_by', 'leader_signed_at', 'sealed_at']:
            default.setdefault(name)
        return super().copy(documents, default=default)

    @classmethod
    def _files_by_document(cls, documents, main_only=False):
        Attachment = Pool().get('ir.attachment')
        domain = [('resource', 'in', [str(d) for d in documents])]
        if main_only:
            domain.append(('document_role', '=', 'main'))
        attachments = Attachment.search(domain, order=[('id', 'ASC')])
        # From the column: the resource read through the ORM checks that
        # the document exists, by a search selecting its every column
        owners = file_documents([a.id for a in attachments])
        result = {d.id: [] for d in documents}
        for attachment in attachments:
            result[owners[attachment.id]].append(attachment)
        return result

    def main_file(self):
        files = self._files_by_document([self], main_only=True)[self.id]
        return files[0] if files else None

    @classmethod
    def get_signature_info(cls, documents, names):
        result = {n: {d.id: None for d in documents} for n in names}
        for document_id, files in cls._files_by_document(
                documents, main_only=True).items():
            if not files:
                continue
            if 'signature_status' in names:
                result['signature_status'][document_id] = (
                    files[0].signature_status)
            if 'signature_reasons' in names:
                result['signature_reasons'][document_id] = (
                    files[0].signature_reasons)
        return result

    @classmethod
    def get_signature_lines(cls, documents, name):
        return {document_id: [line.id for f in files if f.signature_report
                    for line in f.signature_report.signatures]
            for document_id, files in cls._files_by_document(
                documents).items()}

    # Outgoing: the signer's signature --------------------------------------

    @classmethod
    @ModelView.button_action('vb_signature.wizard_sign')
    def sign(cls, documents):
        pass

    @classmethod
    def check_signable(cls, documents, user_id):
        "Raise unless the user may sign the main file of each document now"
        User = Pool().get('res.user')
        employees = set(User(user_id).employees)
        for document in documents:
            if (document.direction != 'outgoing'
                    or document.state not in cls._signable_states()):
                raise SigningError(gettext(
                        'vb_signature.msg_sign_wrong_state',
                        document=document.rec_name,
                        state=document.state_string))
            if document.leader_signed_at:
                raise SigningError(gettext(
                        'vb_signature.msg_sign_already',
                        document=document.rec_name))
            if not document.signer or document.signer not in employees:
                raise SigningError(gettext(
                        'vb_signature.msg_sign_not_signer',
                        document=document.rec_name,
                        signer=document.signer.rec_name
                        if document.signer else '-'))
            document._check_main_file()

    def draft_data(self, main=None):
        """The main file (main: its attachment, when the caller has it)
        with the fields of the clerk and both signatures, reserved at the
        standard places when the draft has none"""
        data = bytes((main or self.main_file()).data)
        try:
            if not pades.has_reservation(data):
                data = pades.reserve_fields(data,
                    pades.standard_reservation(data))
        except pades.SignatureError as error:
            raise _signing_error(error)
        return data

    @classmethod
    def sign_as_leader(cls, documents, certificate, secret_text=None):
        """Sign the main files with the signer's key held by the server
        (PKCS#12 or PKCS#11): one key session, one password or PIN, for
        all the documents (batch signing)"""
        user = Transaction().user
        cls.check_signable(documents, user)
        certificate.check_usable()
        mains = cls._files_by_document(documents, main_only=True)
        signed = []
        with certificate.signer(secret_text) as signer:
            for document in documents:
                main = mains[document.id][0]
                try:
                    data = pades.sign_leader(document.draft_data(main),
                        signer, certificate.appearance(),
                        tsa=document.company.tsa_url or None)
                except pades.SignatureError as error:
                    raise _signing_error(error)
                signed.append((document, main, data))
        for document, main, data in signed:
            document.store_signed(main, data, 'leader', certificate)
        cls.leader_signed(documents, certificate)

    def store_signed(self, attachment, data, role, certificate, check=True):
        """Keep the signed bytes of a file, check them (now, or in the file
        task when not check) and log the step; the report, if checked"""
        pool = Pool()
        Attachment = pool.get('ir.attachment')
        Audit = pool.get('vb.document.audit')
        # The signing step writes files its user may not edit (a document
        # under review, an issued one): it was checked above
        with without_check_access(), Transaction().set_context(
                vb_signature_checked=check):
            Attachment.write([attachment], {'data': data})
        report = None
        if check:
            report, = Attachment.verify_signatures([attachment])
        Audit.record(self, 'sign', {
                'file': attachment.name,
                'role': role,
                'certificate': certificate.serial if certificate else None,
                'signer': certificate.subject_name if certificate else None,
                'status': report.status if report else 'pending',
                })
        return report

    @classmethod
    def leader_signed(cls, documents, certificate):
        """The signer's signature is in the main files (hook: vb_workflow
        approves the drafts under review)"""
        # Allowed by check_signable: the signer may not edit the document
        with without_check_access():
            cls.write(documents, {
                    'leader_signed_by': Transaction().user,
                    'leader_signed_at': dt.datetime.now(),
                    })

    # Outgoing: number, date and the organization's signature ---------------

    @classmethod
    def _finish_files(cls, documents):
        super()._finish_files(documents)
        files = cls._files_by_document(documents)
        sealed = []
        for document in documents:
            mains = [f for f in files[document.id]
                if f.document_role == 'main']
            if not mains:
                continue
            annexes = [f for f in files[document.id]
                if f.document_role == 'annex'
                and f.data and bytes(f.data).startswith(b'%PDF')]
            if document._seal(mains[0], annexes,
                    'vb_signature.msg_issue_not_signed'):
                sealed.append(document)
        if sealed:
            with without_check_access():
                cls.write(sealed, {'sealed_at': dt.datetime.now()})

    def _finish_new_main_file(self, attachment):
        super()._finish_new_main_file(attachment)
        # A draft's main file is sealed when the draft is issued
        if self.direction != 'outgoing' or self.state != 'issued':
            return
        data = bytes(attachment.data)
        fields = self._signature_fields(data)
        # Sealed by the agency before it was given: kept as it is (its
        # signatures are checked as any file's)
        if fields.get(FIELD_ORGANIZATION) == 'filled':
            return
        # The annexes sent before keep the signature they got at the issue
        if self._seal(attachment, (), 'vb_signature.msg_new_main_not_signed',
                fields=fields):
            with without_check_access():
                self.__class__.write([self], {'sealed_at': dt.datetime.now()})

    @staticmethod
    def _signature_fields(data):
        try:
            return signature_fields(data)
        except pades.SignatureError as error:
            # Issued electronically as PDF only (NĐ 30/2020, Phụ lục I)
            raise _signing_error(error)

    def _seal(self, main, annexes, not_signed, fields=None):
        """Apply the agency's organization signature to the main file, with
        the number and date of the document in the same revision, and the
        invisible one with the 10 pt text to the PDF annexes.

        Return whether the main file was sealed: a main file without the
        competent person's signature nor reserved fields (signed on paper
        and scanned) is left as it is; one with reserved fields is refused
        with the message not_signed. fields: signature_fields of the main
        file, when the caller read them.
        """
        Certificate = Pool().get('vb.signature.certificate')
        data = bytes(main.data)
        if fields is None:
            fields = self._signature_fields(data)
        if fields.get(FIELD_LEADER) != 'filled':
            if set(fields) >= RESERVED_FIELDS:
                raise SigningError(gettext(not_signed,
                        document=self.rec_name))
            # Signed on paper and scanned: nothing to seal
            return False
        certificate = Certificate.of_agency(self.company)
        if not certificate:
            raise SigningError(gettext(
                    'vb_signature.msg_issue_no_certificate',
                    agency=self.company.rec_name))
        tsa = self.company.tsa_url or None
        results = []
        with certificate.signer() as signer:
            try:
                results.append((main, pades.seal(data, signer,
                            certificate.appearance(),
                            number=self.register_number,
                            date=self.issued_date, tsa=tsa)))
                for annex in annexes:
                    results.append((annex, pades.seal_annex(
                                bytes(annex.data), signer,
                                self.number_notation, tsa=tsa)))
            except pades.SignatureError as error:
                raise _signing_error(error)
        # Checked by the file task after the commit, not here: the issue
        # holds the register's counter, and a check asks the CA's OCSP
        # responders and CRLs over the network (up to a second each),
        # which every other clerk of the register would wait for
        for attachment, signed in results:
            self.store_signed(attachment, signed, 'organization', certificate,
                check=False)
        return True

    # Incoming: the gate on receipt ------------------------------------------

    @classmethod
    @ModelView.button
    def check_signatures(cls, documents):
        "Check the signatures of every PDF file of the documents again"
        Attachment = Pool().get('ir.attachment')
        files = [f for fs in cls._files_by_document(documents).values()
            for f in fs if Attachment._is_document_pdf(f)]
        Attachment.verify_signatures(files)

    @classmethod
    def signature_problems(cls, documents):
        """{document: [reasons]} of the electronic incoming documents whose
        files do not pass; files not yet checked are checked now"""
        Attachment = Pool().get('ir.attachment')
        electronic = [d for d in documents if d.direction == 'incoming'
            and d.source in ELECTRONIC_SOURCES]
        if not electronic:
            return {}
        files = cls._files_by_document(electronic)
        unchecked = [f for fs in files.values() for f in fs
            if Attachment._is_document_pdf(f)
            and f.signature_status in {None, 'pending'}]
        if unchecked:
            Attachment.verify_signatures(unchecked)
            files = cls._files_by_document(electronic)
        problems = {}
        for document in electronic:
            reasons = []
            for attachment in files[document.id]:
                if not Attachment._is_document_pdf(attachment):
                    continue
                if attachment.signature_status == 'valid':
                    continue
                reason = (attachment.signature_reasons
                    or gettext('vb_signature.msg_file_unsigned'))
                reasons.append(f'{attachment.name}: {reason}')
            if not any(f.document_role == 'main' for f in files[document.id]):
                reasons.append(gettext('vb_signature.msg_no_main_file'))
            if reasons:
                problems[document] = reasons
        return problems

    @classmethod
    @ModelView.button
    def register_document(cls, documents):
        pool = Pool()
        Warning_ = pool.get('res.user.warning')
        for document, reasons in cls.signature_problems(documents).items():
            text = '\n'.join(reasons)
            if (document.company.signature_policy or 'refuse') == 'refuse':
                raise InvalidSignatureError(gettext(
                        'vb_signature.msg_receipt_refuse',
                        document=document.rec_name, reasons=text))
            key = Warning_.format('vb_signature_invalid', [document])
            if Warning_.check(key):
                raise InvalidSignatureWarning(key, gettext(
                        'vb_signature.msg_receipt_warn',
                        document=document.rec_name, reasons=text))
        super().register_document(documents)


class Refuse(metaclass=PoolMeta):
    __name__ = 'vb.document.refuse'

    def default_start(self, fields):
        "The reason is prefilled with the signature problems found"
        default = getattr(super(), 'default_start', None)
        values = default(fields) if default else {}
        problems = self.model.signature_problems(self.records) if (
            self.model.__name__ == 'vb.document') else {}
        if problems:
            values['reason'] = gettext('vb_signature.msg_refuse_reason',
                reasons='\n'.join(r for rs in problems.values() for r in rs))
        return values
