# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""Handover of closed dossiers to the agency archive (nộp lưu).

Which dossiers: closed ones kept five years or more, or permanently —
Nghị định 30/2020 Điều 30–31 make their transfer to the agency archive
mandatory (within a year after the matter ends); shorter ones stay with the
unit until they are destroyed. The package itself (ZIP, metadata XML,
manifest, handover list) is built by the plain package ``archival``; the
handover record keeps the package and the SHA-256 of its manifest, so that
verifying a package later also detects one rewritten consistently.
"""
from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, fields
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction, check_access
from trytond.wizard import Button, StateAction, StateView, Wizard

from .archival import (
    ArchivalError, DocumentRecord, DossierRecord, FileRecord, build_package,
    verify_package)
from .company import current_agency
from .exceptions import HandoverError


class Handover(ModelSQL, ModelView):
    "Dossier Handover"
    __string__ = "Dossier Handover"
    __name__ = 'vb.dossier.handover'
    _rec_name = 'package_id'

    company = fields.Many2One('company.company', "Agency", required=True,
        readonly=True, ondelete='RESTRICT')
    date = fields.Date("Date", required=True, readonly=True)
    package_id = fields.Char("Package Identifier", readonly=True)
    dossiers = fields.One2Many('vb.dossier', 'handover', "Dossiers",
        readonly=True)
    dossier_count = fields.Integer("Dossiers", readonly=True)
    file_count = fields.Integer("Files", readonly=True)
    non_pdfa_count = fields.Integer("Files not in PDF/A", readonly=True)
    package = fields.Binary("Package", readonly=True, filename='package_name',
        file_id='package_file_id')
    package_name = fields.Char("Package File Name", readonly=True)
    package_file_id = fields.Char("Package File ID", readonly=True)
    package_sha256 = fields.Char("Package SHA-256", readonly=True)
    manifest_sha256 = fields.Char("Manifest SHA-256", readonly=True,
        help="Recorded to detect a package whose files and manifest were "
        "both rewritten.")
    report = fields.Text("Report", readonly=True)
    created_by = fields.Many2One('res.user', "Exported By", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.company, Index.Equality())),
                Index(t, (t.package_id, Index.Equality())),
                })
        cls._order = [('date', 'DESC'), ('id', 'DESC')]

    @classmethod
    def export(cls, dossiers):
        """Build the package of dossiers, record it and mark them handed
        over. The dossiers are checked here, not by the caller: the
        wizard's transitions run without access checks."""
        pool = Pool()
        Dossier = pool.get('vb.dossier')
        Date = pool.get('ir.date')
        if not dossiers:
            raise HandoverError(gettext('vb_document.msg_handover_no_dossier'))
        with check_access():
            # The record rules of the user: only dossiers of its agencies
            Dossier.read([d.id for d in dossiers], ['id'])
        company = dossiers[0].company
        for dossier in dossiers:
            if (dossier.state != 'closed' or not dossier.handover_required
                    or dossier.company != company):
                raise HandoverError(gettext(
                        'vb_document.msg_handover_not_eligible',
                        dossier=dossier.rec_name))
        dossiers = sorted(dossiers, key=lambda d: d.code)
        records = [cls._dossier_record(d) for d in dossiers]
        try:
            built = build_package(company.rec_name,
                company.identifier_code, records)
        except ArchivalError as exception:
            raise HandoverError(gettext(
                    'vb_document.msg_handover_package_error',
                    reason=exception.message)) from exception
        with Transaction().set_context(company=company.id):
            today = Date.today()
        handover = cls(
            company=company, date=today, package_id=built.package_id,
            dossier_count=built.dossier_count, file_count=built.file_count,
            non_pdfa_count=len(built.non_pdfa), package=built.data,
            package_name=built.name, package_sha256=built.sha256,
            manifest_sha256=built.manifest_sha256, report=built.summary(),
            created_by=Transaction().user)
        handover.save()
        Dossier.hand_over(dossiers, handover)
        return handover

    @classmethod
    def _dossier_record(cls, dossier):
        "The archival description of dossier, documents by date"
        documents = sorted(dossier.documents,
            key=lambda d: (d._dossier_date() or dossier.start_date, d.id))
        return DossierRecord(
            organ_id=dossier.company.identifier_code,
            year=dossier.year,
            notation=dossier.notation,
            title=dossier.title,
            retention_years=dossier.retention_period,
            mode=dossier.usage_mode,
            creator=(dossier.creator.party.name if dossier.creator else ''),
            language=dossier.language,
            start_date=dossier.start_date,
            end_date=dossier.end_date,
            page_total=dossier.page_total,
            keywords=dossier.keywords or '',
            description=dossier.note or '',
            documents=[cls._document_record(d, dossier) for d in documents])

    @classmethod
    def _document_record(cls, document, dossier):
        "The archival description of a document of dossier, with its files"
        incoming = document.direction == 'incoming'
        files = sorted(
            [f for f in document.files if f.type == 'data'],
            key=lambda f: (f.document_role != 'main', f.id))
        return DocumentRecord(
            direction=document.direction,
            type_name=document.type.name,
            subject=document.subject,
            number_notation=document.number_notation or '',
            issued_date=document.issued_date,
            organ_name=(document.issuer_name or document.company.rec_name),
            language=dossier.language,
            description=document.note or '',
            signer_position=document.signer_position or '',
            signer_name=document.signer_name or '',
            priority=document.urgency.name,
            secrecy=document.secrecy.name,
            due_date=document.deadline,
            arrival_date=document.arrival_date if incoming else None,
            arrival_number=document.register_number if incoming else None,
            to_places=', '.join(u.rec_name for u in document.recipient_units)
            if incoming else '',
            recipients=[] if incoming else [
                (r.agency.identifier_code or '', r.agency.rec_name)
                for r in document.recipients],
            mode=dossier.usage_mode,
            confidence=('digitised' if incoming and document.source == 'paper'
                else 'original'),
            identifier=str(document),
            files=[FileRecord(f.name, f.data or b'',
                    role=f.document_role or 'annex') for f in files])

    @classmethod
    def verify(cls, data):
        """Verify a package: (VerificationReport, the handover that
        exported it or None, the Vietnamese summary)"""
        pool = Pool()
        User = pool.get('res.user')
        Lang = pool.get('ir.lang')
        try:
            report = verify_package(data)
        except ArchivalError as exception:
            raise HandoverError(gettext(
                    'vb_document.msg_handover_package_refused',
                    reason=exception.message)) from exception
        handover = None
        if report.package_id:
            handovers = cls.search([
                    ('package_id', '=', report.package_id),
                    ('company', 'in', User.get_companies()),
                    ], limit=1)
            handover = handovers[0] if handovers else None
        lines = []
        if handover:
            report.manifest_altered = (
                handover.manifest_sha256 != report.manifest_sha256)
            lines.append(gettext('vb_document.msg_handover_verify_known',
                    date=Lang.get().strftime(handover.date),
                    agency=handover.company.rec_name))
        else:
            lines.append(gettext('vb_document.msg_handover_verify_unknown'))
        return report, handover, '\n'.join([report.summary(), *lines])


class HandoverExportStart(ModelView):
    "Hand Over Dossiers"
    __string__ = "Hand Over Dossiers"
    __name__ = 'vb.dossier.handover.export.start'
    company = fields.Many2One('company.company', "Agency", required=True,
        readonly=True)
    dossiers = fields.Many2Many('vb.dossier', None, None, "Dossiers",
        required=True,
        domain=[
            ('company', '=', Eval('company', -1)),
            ('state', '=', 'closed'),
            ('handover_required', '=', True),
            ],
        help="Closed dossiers kept 5 years or more, or permanently.")


class HandoverExport(Wizard):
    "Hand Over Dossiers"
    __name__ = 'vb.dossier.handover.export'
    start = StateView('vb.dossier.handover.export.start',
        'vb_document.dossier_handover_export_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Export", 'export', 'tryton-ok', default=True),
            ])
    export = StateAction('vb_document.act_dossier_handover_opened')

    def default_start(self, fields):
        pool = Pool()
        Dossier = pool.get('vb.dossier')
        company = current_agency()
        domain = [
            ('company', '=', company),
            ('state', '=', 'closed'),
            ('handover_required', '=', True),
            ]
        if self.model and self.model.__name__ == 'vb.dossier' \
                and self.records:
            domain.append(('id', 'in', [r.id for r in self.records]))
        with check_access():
            dossiers = Dossier.search(domain)
        return {
            'company': company,
            'dossiers': [d.id for d in dossiers],
            }

    def do_export(self, action):
        Handover = Pool().get('vb.dossier.handover')
        handover = Handover.export(list(self.start.dossiers))
        action['res_id'] = [handover.id]
        return action, {}


class HandoverVerifyStart(ModelView):
    "Verify Handover Package"
    __string__ = "Verify Handover Package"
    __name__ = 'vb.dossier.handover.verify.start'
    package = fields.Binary("Package", required=True,
        filename='package_name')
    package_name = fields.Char("File Name")


class HandoverVerifyResult(ModelView):
    "Verify Handover Package"
    __string__ = "Handover Package Verification"
    __name__ = 'vb.dossier.handover.verify.result'
    intact = fields.Boolean("Intact", readonly=True)
    handover = fields.Many2One('vb.dossier.handover', "Exported as",
        readonly=True)
    missing = fields.Integer("Missing Files", readonly=True)
    altered = fields.Integer("Altered Files", readonly=True)
    unexpected = fields.Integer("Added Files", readonly=True)
    non_pdfa = fields.Integer("Files not in PDF/A", readonly=True)
    summary = fields.Text("Report", readonly=True)


class HandoverVerify(Wizard):
    "Verify Handover Package"
    __name__ = 'vb.dossier.handover.verify'
    start = StateView('vb.dossier.handover.verify.start',
        'vb_document.dossier_handover_verify_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Verify", 'result', 'tryton-ok', default=True),
            ])
    result = StateView('vb.dossier.handover.verify.result',
        'vb_document.dossier_handover_verify_result_view_form', [
            Button("Close", 'end', 'tryton-close', default=True),
            ])

    def default_result(self, fields):
        Handover = Pool().get('vb.dossier.handover')
        report, handover, summary = Handover.verify(self.start.package)
        return {
            'intact': report.ok,
            'handover': handover.id if handover else None,
            'missing': len(report.missing),
            'altered': len(report.altered),
            'unexpected': len(report.unexpected),
            'non_pdfa': len(report.non_pdfa),
            'summary': summary,
            }
