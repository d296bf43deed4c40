# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""Verification reports of the files of documents (Nghị định 30, Điều 21).

Every PDF file of a document is checked when its content changes: in the
queue for received files, at once after each signing step here. The report
of pades.verify is stored with the file (one row per check, kept: the
history shows what was checked when) and shown on the document.
"""
import datetime as dt
import hashlib
import logging

from sql import Null

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, fields
from trytond.pool import Pool, PoolMeta
from trytond.tools import reduce_ids
from trytond.transaction import Transaction, without_check_access

from trytond.modules.vb_document.search import file_tasks
from trytond.modules.vb_document.vn import is_pdf

from .pades import Policy, SignatureError, verify

logger = logging.getLogger(__name__)

FILE_STATUSES = [
    (None, ""),
    ('pending', "Waiting for Check"),
    ('unsigned', "Not Signed"),
    ('valid', "Valid"),
    ('invalid', "Invalid"),
    ]
KINDS = [
    ('leader', "Competent Person"),
    ('organization', "Organization"),
    ('timestamp', "Document Timestamp"),
    ('other', "Other"),
    ]
SIGNATURE_STATUSES = [
    ('valid', "Valid"),
    ('invalid', "Invalid"),
    ]


def _parse_time(text):
    "A naive UTC datetime of an ISO 8601 text (Tryton stores UTC)"
    if not text:
        return None
    when = dt.datetime.fromisoformat(text)
    return when.astimezone(dt.timezone.utc).replace(tzinfo=None)


def policy_of(agency):
    "The verification policy an agency configured"
    return Policy(
        revocation=agency.signature_revocation or 'hard-fail',
        fetch=agency.signature_online
        if agency.signature_online is not None else True)


class Report(ModelSQL, ModelView):
    "Signature Verification Report"
    __string__ = "Signature Verification Report"
    __name__ = 'vb.signature.report'

    attachment = fields.Many2One('ir.attachment', "File", required=True,
        ondelete='CASCADE', readonly=True)
    document = fields.Many2One('vb.document', "Document", readonly=True,
        ondelete='CASCADE')
    company = fields.Many2One('company.company', "Agency", readonly=True,
        ondelete='CASCADE')
    file_name = fields.Char("File Name", readonly=True)
    file_sha256 = fields.Char("File SHA-256", readonly=True)
    status = fields.Selection(FILE_STATUSES, "Status", readonly=True)
    status_string = status.translated('status')
    reasons = fields.Text("Reasons", readonly=True)
    checked_at = fields.DateTime("Checked At", readonly=True)
    signatures = fields.One2Many('vb.signature.report.signature', 'report',
        "Signatures", readonly=True)
    data = fields.Text("Report (JSON)", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.attachment, Index.Equality())),
                Index(t, (t.document, Index.Equality())),
                })
        cls._order = [('checked_at', 'DESC'), ('id', 'DESC')]

    def get_rec_name(self, name):
        return f'{self.file_name} ({self.status_string})'

    @classmethod
    def check_modification(cls, mode, reports, values=None, external=False):
        super().check_modification(mode, reports, values=values,
            external=external)
        if external and mode in {'write', 'delete'}:
            from trytond.model.exceptions import AccessError
            raise AccessError(gettext('vb_signature.msg_report_readonly'))

    @classmethod
    def from_pades(cls, attachment, data, report):
        "Store the pades Report of `data`, the content of `attachment`"
        document = attachment.resource
        if not report.signatures and report.codes == ['no_signature']:
            status = 'unsigned'
        else:
            status = 'valid' if report.valid else 'invalid'
        reasons = list(report.reasons)
        for signature in report.signatures:
            reasons.extend(signature.reasons)
        record, = cls.create([{
                    'attachment': attachment.id,
                    'document': document.id,
                    'company': document.company.id,
                    'file_name': attachment.name,
                    'file_sha256': hashlib.sha256(data).hexdigest(),
                    'status': status,
                    'reasons': '\n'.join(dict.fromkeys(reasons)) or None,
                    'checked_at': _parse_time(report.checked_at),
                    'data': report.to_json(),
                    'signatures': [('create', [{
                                    'kind': s.kind,
                                    'field_name': s.field,
                                    'signer': s.signer,
                                    'organization': s.organization,
                                    'issuer': s.issuer,
                                    'serial': s.serial,
                                    'signing_time': _parse_time(
                                        s.signing_time),
                                    'timestamp': _parse_time(s.timestamp),
                                    'status': s.status,
                                    'reasons': '\n'.join(s.reasons) or None,
                                    } for s in report.signatures])],
                    }])
        return record


class ReportSignature(ModelSQL, ModelView):
    "Verified Signature"
    __string__ = "Verified Signature"
    __name__ = 'vb.signature.report.signature'

    report = fields.Many2One('vb.signature.report', "Report", required=True,
        ondelete='CASCADE', readonly=True)
    kind = fields.Selection(KINDS, "Kind", readonly=True)
    kind_string = kind.translated('kind')
    field_name = fields.Char("Field", readonly=True)
    signer = fields.Char("Signer", readonly=True)
    organization = fields.Char("Organization", readonly=True)
    issuer = fields.Char("Certificate Issuer", readonly=True)
    serial = fields.Char("Certificate Serial", readonly=True)
    signing_time = fields.DateTime("Signing Time", readonly=True)
    timestamp = fields.DateTime("Timestamp", readonly=True)
    status = fields.Selection(SIGNATURE_STATUSES, "Status", readonly=True)
    reasons = fields.Text("Reasons", readonly=True)
    file_name = fields.Function(fields.Char("File"), 'get_report_field')
    checked_at = fields.Function(fields.DateTime("Checked At"),
        'get_report_field')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.add(Index(t, (t.report, Index.Equality())))
        cls._order = [('report', 'DESC'), ('id', 'ASC')]

    def get_report_field(self, name):
        return getattr(self.report, name)

    def get_rec_name(self, name):
        return f'{self.signer} ({self.kind_string})'


class Attachment(metaclass=PoolMeta):
    __name__ = 'ir.attachment'

    signature_status = fields.Selection(FILE_STATUSES, "Digital Signatures",
        readonly=True)
    signature_report = fields.Many2One('vb.signature.report',
        "Verification Report", readonly=True, ondelete='SET NULL')
    signature_reasons = fields.Function(fields.Text("Signature Problems"),
        'get_signature_reasons')

    def get_signature_reasons(self, name):
        return self.signature_report.reasons if self.signature_report else None

    @classmethod
    def copy(cls, attachments, default=None):
        default = dict(default or {})
        default.setdefault('signature_status')
        default.setdefault('signature_report')
        return super().copy(attachments, default=default)

    @staticmethod
    def _is_document_pdf(attachment):
        return (attachment.type == 'data' and attachment.resource
            and attachment.resource.__name__ == 'vb.document'
            and (attachment.document_role == 'main'
                or is_pdf(attachment.data)))

    @classmethod
    def _files_changed(cls, attachments):
        super()._files_changed(attachments)
        # Signed here and checked at once (document.py)
        if Transaction().context.get('vb_signature_checked'):
            return
        files = [a for a in attachments if cls._is_document_pdf(a)]
        if files:
            cls._set_signature(files, 'pending')

    @classmethod
    def _process_files(cls, attachments):
        # In vb_document's file task, before the text: the registration
        # waits for the check, and the text of a scan (OCR) takes seconds
        cls.check_waiting(attachments)
        super()._process_files(attachments)

    @classmethod
    def check_waiting(cls, attachments):
        "Check those of attachments whose check is waiting; return them"
        pending = [a for a in attachments if a.signature_status == 'pending']
        if pending:
            cls.verify_signatures(pending)
        return pending

    @classmethod
    def check_received(cls, attachments):
        # Checked with the package, as the exchange requires: the file task
        # then finds them checked, and a clerk registering the document
        # as soon as it shows does not check them a second time
        super().check_received(attachments)
        files = [a for a in attachments if cls._is_document_pdf(a)]
        if files:
            cls.verify_signatures(files)

    @classmethod
    def _set_signature(cls, attachments, status, report=None):
        # In SQL: the files of numbered documents cannot be written through
        # the ORM, and a check is not a change of the file
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*table.update(
                [table.signature_status, table.signature_report],
                [status, report.id if report else Null],
                where=reduce_ids(table.id, [a.id for a in attachments])))

    @classmethod
    def verify_signatures(cls, attachments):
        """Check the signatures of the files and store the reports.

        A queue task, also called at once by the gate on receipt and after
        signing. Return the reports.
        """
        # Checking is the system's work, whoever's action caused it
        with without_check_access():
            return cls._verify_signatures(attachments)

    @classmethod
    def _verify_signatures(cls, attachments):
        pool = Pool()
        Report = pool.get('vb.signature.report')
        Trust = pool.get('vb.signature.trust')
        roots, intermediates = Trust.store()
        reports = []
        for attachment in attachments:
            if not attachment.resource or (
                    attachment.resource.__name__ != 'vb.document'):
                continue
            data = bytes(attachment.data or b'')
            # A damaged main file is reported as such; other files that
            # are not PDF (spreadsheets, images) have no signature to check
            if attachment.document_role != 'main' and not is_pdf(data):
                cls._set_signature([attachment], None)
                continue
            policy = policy_of(attachment.resource.company)
            policy.intermediates = tuple(intermediates)
            try:
                result = verify(data, roots, policy)
            except SignatureError as error:
                # No trust root configured: nothing can be valid
                from .pades import Report as PadesReport
                result = PadesReport(False, [], [error.code],
                    [gettext('vb_signature.msg_no_trust_roots')],
                    dt.datetime.now(dt.timezone.utc).isoformat())
            report = Report.from_pades(attachment, data, result)
            cls._set_signature([attachment], report.status, report)
            reports.append(report)
        return reports

    @classmethod
    def verify_pending(cls):
        """Queue again the files left waiting (cron): a worker killed in
        the middle of a check must not leave a file unchecked"""
        pending = cls.search([('signature_status', '=', 'pending')])
        if pending:
            with file_tasks('vb_signature'):
                cls.__queue__.verify_signatures(pending)
        return pending


class Cron(metaclass=PoolMeta):
    __name__ = 'ir.cron'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.method.selection.append(
            ('ir.attachment|verify_pending',
                "Check the Signatures of Files Left Waiting"))
