# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""Dossiers (hồ sơ công việc) and the yearly dossier plan (danh mục hồ sơ).

Nghị định 30/2020 (Điều 28–31, Phụ lục V–VI): at the start of the year the
agency lists the dossiers it will form (code, title, unit, retention, usage
mode); officers open a dossier from that plan, file the incoming and
outgoing documents of the matter in it, and close it when the matter is
over. Its metadata are those of PL VI Phần II.III and TT 02/2019 (mã hồ sơ =
mã định danh + năm + số và ký hiệu, tiêu đề, thời hạn bảo quản, chế độ sử
dụng, người lập, ngôn ngữ, thời gian bắt đầu/kết thúc, tổng số văn bản,
tổng số trang, từ khóa, ghi chú). Closed dossiers kept five years or more
are handed over to the archive (archive.py).
"""
import datetime as dt

from trytond import backend
from trytond.i18n import gettext
from trytond.model import (
    Index, ModelSQL, ModelView, Unique, Workflow, fields, sequence_ordered)
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Bool, Eval, Id
from trytond.tools import grouped_slice
from trytond.transaction import Transaction, without_check_access
from trytond.wizard import (
    Button, StateAction, StateTransition, StateView, Wizard)

from .archival import codes
from .archival.metadata import DEFAULT_LANGUAGE
from .archival.pdfcheck import inspect_pdf
from .company import current_agency
from .document import _translated_field
from .exceptions import DossierError, DossierValidationError
from .model import check_transition, strict_transition

USAGE_MODES = [
    ('public', "Public"),
    ('conditional', "Conditional Use"),
    ('secret', "Secret"),
    ]
STATES = [
    ('open', "Open"),
    ('closed', "Closed"),
    ('handed_over', "Handed Over"),
    ]
# Fields a dossier takes from its line of the plan when it is opened
PLAN_FIELDS = ['notation', 'title', 'unit', 'creator', 'retention_permanent',
    'retention_years', 'usage_mode']
_ADMIN_GROUPS = ['group_agency_admin', 'group_system_admin']
# Written by the server only (close, reopen, hand over, totals)
RECORDED_FIELDS = {
    'state', 'code', 'year', 'handover', 'closed_at', 'closed_by',
    'reopen_reason', 'reopened_by', 'reopened_at', 'start_date', 'end_date',
    'doc_total', 'page_total'}


def _is_admin():
    "Whether the user administers agencies: may reopen closed dossiers"
    pool = Pool()
    User = pool.get('res.user')
    ModelData = pool.get('ir.model.data')
    if not Transaction().user:
        return True
    admins = {ModelData.get_id('vb_document', g) for g in _ADMIN_GROUPS}
    return bool(admins & set(User.get_groups()))


class RetentionMixin:
    "Thời hạn bảo quản (years or permanent) and chế độ sử dụng"
    __slots__ = ()
    retention_permanent = fields.Boolean("Permanent",
        help="Kept permanently (Vĩnh viễn).")
    retention_years = fields.Integer("Retention (Years)",
        domain=[('retention_years', '>', 0)],
        states={
            'invisible': Bool(Eval('retention_permanent')),
            'required': ~Eval('retention_permanent'),
            })
    retention = fields.Function(fields.Char("Retention"), 'get_retention')
    usage_mode = fields.Selection(USAGE_MODES, "Usage Mode", required=True,
        help="Chế độ sử dụng.")

    @classmethod
    def default_retention_permanent(cls):
        return False

    @classmethod
    def default_usage_mode(cls):
        return 'public'

    @property
    def retention_period(self):
        "The years of retention, None when permanent"
        return None if self.retention_permanent else self.retention_years

    def get_retention(self, name):
        if not self.retention_permanent and not self.retention_years:
            return ''
        return codes.maintenance_text(self.retention_period)

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        if values.get('retention_permanent'):
            values['retention_years'] = None
        return values

    @classmethod
    def validate_fields(cls, records, field_names):
        super().validate_fields(records, field_names)
        if field_names is None or 'notation' in field_names:
            for record in records:
                if not codes.is_valid_notation(record.notation):
                    raise DossierValidationError(gettext(
                            'vb_document.msg_dossier_notation_invalid',
                            notation=record.notation))


class DossierPlan(ModelSQL, ModelView):
    "Dossier Plan"
    __string__ = "Dossier Plan"
    __name__ = 'vb.dossier.plan'

    company = fields.Many2One(
        'company.company', "Agency", required=True, ondelete='RESTRICT',
        domain=[('external', '=', False)],
        states={'readonly': Eval('id', -1) >= 0})
    year = fields.Integer("Year", required=True,
        domain=[('year', '>=', 1945), ('year', '<=', 9999)],
        states={'readonly': Eval('id', -1) >= 0})
    name = fields.Char("Name", required=True)
    lines = fields.One2Many('vb.dossier.plan.line', 'plan', "Dossiers")
    note = fields.Text("Note")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('company_year_unique', Unique(t, t.company, t.year),
                'vb_document.msg_dossier_plan_unique'),
            ]
        cls._order = [('year', 'DESC'), ('id', 'DESC')]
        cls._buttons.update({
                'copy_next_year': {
                    'invisible': Eval('id', -1) < 0,
                    'icon': 'tryton-copy',
                    'depends': ['id'],
                    },
                })

    @classmethod
    def default_company(cls):
        return current_agency()

    @classmethod
    def default_year(cls):
        return Pool().get('ir.date').today().year

    @classmethod
    def default_name(cls):
        return cls._default_name(cls.default_year())

    @classmethod
    def _default_name(cls, year):
        return gettext('vb_document.msg_dossier_plan_name', year=year)

    @fields.depends('year')
    def on_change_year(self):
        if self.year:
            self.name = self._default_name(self.year)

    @classmethod
    @ModelView.button_action('vb_document.wizard_dossier_plan_copy')
    def copy_next_year(cls, plans):
        pass

    @classmethod
    def copy_to_year(cls, plans, year):
        "Copy the plans with their lines to year; return the new plans"
        copies = []
        for plan in plans:
            if cls.search([
                        ('company', '=', plan.company.id),
                        ('year', '=', year),
                        ], limit=1):
                raise DossierError(gettext(
                        'vb_document.msg_dossier_plan_exists',
                        agency=plan.company.rec_name, year=year))
            copies.extend(cls.copy([plan], default={
                        'year': year,
                        'name': cls._default_name(year),
                        }))
        return copies


class DossierPlanLine(RetentionMixin, sequence_ordered(), ModelSQL,
        ModelView):
    "Dossier Plan Line"
    __string__ = "Dossier Plan Line"
    __name__ = 'vb.dossier.plan.line'

    plan = fields.Many2One('vb.dossier.plan', "Plan", required=True,
        ondelete='CASCADE')
    company = fields.Function(fields.Many2One('company.company', "Agency"),
        'on_change_with_company')
    heading = fields.Char("Heading",
        help="The heading of the plan the dossier is listed under, "
        "e.g. I. Tổ chức, cán bộ.")
    notation = fields.Char("Number and Notation", required=True,
        size=codes.NOTATION_MAX_LENGTH, strip=True,
        help="Số và ký hiệu hồ sơ: the ordinal and the abbreviation of the "
        "heading, e.g. 01.TCCB.")
    title = fields.Char("Title", required=True, size=500)
    unit = fields.Many2One('vb.unit', "Responsible Unit",
        ondelete='RESTRICT', domain=[('company', '=', Eval('company', -1))])
    creator = fields.Many2One('company.employee', "Dossier Keeper",
        ondelete='RESTRICT', domain=[('company', '=', Eval('company', -1))],
        help="The person who forms the dossier (người lập hồ sơ).")
    note = fields.Text("Note")
    dossiers = fields.One2Many('vb.dossier', 'plan_line', "Opened Dossiers",
        readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('plan')
        t = cls.__table__()
        cls._sql_constraints += [
            ('plan_notation_unique', Unique(t, t.plan, t.notation),
                'vb_document.msg_dossier_plan_line_unique'),
            ]
        cls._sql_indexes.add(Index(t, (t.plan, Index.Equality())))
        cls._buttons.update({
                'open_dossier': {
                    'invisible': Eval('id', -1) < 0,
                    'icon': 'tryton-folder',
                    'depends': ['id'],
                    },
                })

    @fields.depends('plan', '_parent_plan.company')
    def on_change_with_company(self, name=None):
        return self.plan.company if self.plan else None

    def get_rec_name(self, name):
        return f'{self.notation} - {self.title}'

    @classmethod
    def search_rec_name(cls, name, clause):
        _, operator, value, *_ = clause
        bool_op = 'AND' if operator.startswith('!') or operator.startswith(
            'not ') else 'OR'
        return [bool_op,
            ('notation', operator, value),
            ('title', operator, value),
            ]

    @classmethod
    def copy(cls, lines, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('dossiers', None)
        return super().copy(lines, default=default)

    def _dossier_values(self):
        "The values of a dossier opened from this line"
        values = {
            'company': self.plan.company.id,
            'plan_line': self.id,
            'year': self.plan.year,
            }
        for name in PLAN_FIELDS:
            value = getattr(self, name)
            if value is not None:
                # Missing values are left to the defaults (the keeper is
                # the user who opens it)
                values[name] = (
                    value.id if isinstance(value, ModelSQL) else value)
        return values

    @classmethod
    @ModelView.button_action('vb_document.act_dossier_opened')
    def open_dossier(cls, lines):
        """Open the dossier of each line: the one already opened, or a new
        one with the line's code, title, retention and usage mode."""
        Dossier = Pool().get('vb.dossier')
        dossiers = []
        to_create = []
        for line in lines:
            if line.dossiers:
                dossiers.extend(line.dossiers)
            else:
                to_create.append(line._dossier_values())
        dossiers.extend(Dossier.create(to_create))
        return {'res_id': [d.id for d in dossiers]}


class Dossier(RetentionMixin, Workflow, ModelSQL, ModelView):
    "Dossier"
    __string__ = "Dossier"
    __name__ = 'vb.dossier'
    _states = {'readonly': Eval('state') != 'open'}

    company = fields.Many2One(
        'company.company', "Agency", required=True, ondelete='RESTRICT',
        domain=[('external', '=', False)],
        states={'readonly': Eval('id', -1) >= 0})
    plan_line = fields.Many2One('vb.dossier.plan.line', "Dossier Plan",
        required=True, ondelete='RESTRICT',
        domain=[('plan.company', '=', Eval('company', -1))],
        states={'readonly': Eval('id', -1) >= 0})
    year = fields.Integer("Year", readonly=True,
        help="The year the dossier is formed (FileCatalog).")
    notation = fields.Char("Number and Notation", required=True,
        size=codes.NOTATION_MAX_LENGTH, strip=True, states=_states,
        help="Số và ký hiệu hồ sơ (FileNotation), e.g. 01.TCCB.")
    code = fields.Char("Dossier Code", readonly=True,
        help="Mã hồ sơ: the identifier code of the agency, the year and the "
        "number and notation, e.g. 000.00.05.H99.2026.01.TCCB.")
    title = fields.Text("Title", required=True, states=_states)
    unit = fields.Many2One('vb.unit', "Responsible Unit",
        ondelete='RESTRICT', domain=[('company', '=', Eval('company', -1))],
        states=_states)
    creator = fields.Many2One('company.employee', "Dossier Keeper",
        ondelete='RESTRICT', domain=[('company', '=', Eval('company', -1))],
        states=_states,
        help="The person who forms the dossier (người lập hồ sơ).")
    language = fields.Char("Language", required=True, states=_states)
    keywords = fields.Char("Keywords", states=_states)
    note = fields.Text("Notes", states=_states)
    state = fields.Selection(STATES, "State", required=True, readonly=True,
        sort=False)
    state_string = state.translated('state')
    documents = fields.One2Many('vb.document', 'dossier', "Documents",
        add_remove=[
            ('company', '=', Eval('company', -1)),
            ('dossier', '=', None),
            ],
        domain=[('company', '=', Eval('company', -1))],
        order=[('issued_date', 'ASC NULLS LAST'),
            ('arrival_date', 'ASC NULLS LAST'), ('id', 'ASC')],
        states=_states)
    start_date = fields.Date("Start Date", readonly=True,
        help="The date of its earliest document.")
    end_date = fields.Date("End Date", readonly=True,
        help="The date of its latest document.")
    doc_total = fields.Integer("Documents", readonly=True)
    page_total = fields.Integer("Pages", readonly=True,
        help="The pages of the PDF files of its documents, counted when the "
        "dossier is closed.")
    handover_required = fields.Function(
        fields.Boolean("To Hand Over",
            help="Kept 5 years or more: handed over to the archive."),
        'get_handover_required', searcher='search_handover_required')
    closed_at = fields.DateTime("Closed At", readonly=True)
    closed_by = fields.Many2One('res.user', "Closed By", readonly=True)
    reopen_reason = fields.Text("Reason for Reopening", readonly=True,
        states={'invisible': ~Eval('reopen_reason')})
    reopened_by = fields.Many2One('res.user', "Reopened By", readonly=True,
        states={'invisible': ~Eval('reopened_by')})
    reopened_at = fields.DateTime("Reopened At", readonly=True,
        states={'invisible': ~Eval('reopened_at')})
    handover = fields.Many2One('vb.dossier.handover', "Handover",
        readonly=True, ondelete='RESTRICT',
        states={'invisible': ~Eval('handover')})
    del _states

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('code_unique', Unique(t, t.company, t.code),
                'vb_document.msg_dossier_code_unique'),
            ]
        cls._sql_indexes.update({
                Index(t,
                    (t.company, Index.Equality()),
                    (t.state, Index.Equality(cardinality='low'))),
                Index(t, (t.plan_line, Index.Equality())),
                Index(t, (t.handover, Index.Equality())),
                })
        cls._order = [('year', 'DESC'), ('code', 'ASC'), ('id', 'DESC')]
        cls._transitions |= {
            ('open', 'closed'),
            ('closed', 'open'),
            ('closed', 'handed_over'),
            }
        groups = Eval('context', {}).get('groups', [])
        cls._buttons.update({
                'close': {
                    'invisible': Eval('state') != 'open',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                'reopen': {
                    'invisible': (Eval('state') != 'closed')
                    | ~(Id('vb_document', 'group_agency_admin').in_(groups)
                        | Id('vb_document', 'group_system_admin').in_(
                            groups)),
                    'icon': 'tryton-undo',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_company(cls):
        return current_agency()

    @classmethod
    def default_state(cls):
        return 'open'

    @classmethod
    def default_language(cls):
        return DEFAULT_LANGUAGE

    @classmethod
    def default_creator(cls):
        return Transaction().context.get('employee')

    @classmethod
    def default_doc_total(cls):
        return 0

    @fields.depends('plan_line', 'company', *PLAN_FIELDS)
    def on_change_plan_line(self):
        if not self.plan_line:
            return
        self.company = self.plan_line.plan.company
        self.year = self.plan_line.plan.year
        for name in PLAN_FIELDS:
            value = getattr(self.plan_line, name)
            # Keep the default keeper (the user) if the plan names nobody
            if value is not None or name != 'creator':
                setattr(self, name, value)

    def get_rec_name(self, name):
        title = (self.title or '').splitlines()[0][:80] if self.title else ''
        return f'{self.code} - {title}' if self.code else title

    @classmethod
    def search_rec_name(cls, name, clause):
        _, operator, value, *_ = clause
        bool_op = 'AND' if operator.startswith('!') or operator.startswith(
            'not ') else 'OR'
        return [bool_op,
            ('code', operator, value),
            ('title', operator, value),
            ]

    def get_handover_required(self, name):
        return codes.requires_handover(self.retention_period)

    @classmethod
    def search_handover_required(cls, name, clause):
        _, operator, value = clause
        required = ['OR',
            ('retention_permanent', '=', True),
            ('retention_years', '>=', codes.HANDOVER_MIN_YEARS),
            ]
        if (operator == '=') == bool(value):
            return required
        return [
            ('retention_permanent', '=', False),
            ['OR',
                ('retention_years', '=', None),
                ('retention_years', '<', codes.HANDOVER_MIN_YEARS)],
            ]

    @classmethod
    def preprocess_values(cls, mode, values):
        pool = Pool()
        PlanLine = pool.get('vb.dossier.plan.line')
        values = super().preprocess_values(mode, values)
        if mode == 'create' and values.get('plan_line'):
            # Opened through the API or the client without the on_change:
            # what is not given comes from the plan
            line = PlanLine(values['plan_line'])
            for name, value in line._dossier_values().items():
                if name in {'company', 'year'} or name not in values:
                    values[name] = value
        return values

    def compute_fields(self, field_names=None):
        values = super().compute_fields(field_names)
        if (field_names is None
                or {'notation', 'year', 'company'} & set(field_names)):
            code = self._file_code()
            if code != self.code:
                values['code'] = code
        return values

    def _file_code(self):
        organ_id = self.company.identifier_code
        if not organ_id:
            raise DossierValidationError(gettext(
                    'vb_document.msg_dossier_agency_no_identifier',
                    agency=self.company.rec_name))
        return codes.file_code(organ_id, self.year, self.notation)

    @classmethod
    def validate_fields(cls, dossiers, field_names):
        super().validate_fields(dossiers, field_names)
        if field_names is None or {'plan_line', 'company'} & field_names:
            for dossier in dossiers:
                if dossier.plan_line.plan.company != dossier.company:
                    raise DossierValidationError(gettext(
                            'vb_document.msg_dossier_plan_agency',
                            dossier=dossier.rec_name))

    @classmethod
    def check_modification(cls, mode, dossiers, values=None, external=False):
        super().check_modification(
            mode, dossiers, values=values, external=external)
        if mode == 'create' and external:
            for dossier in dossiers:
                if dossier.state != 'open' or dossier.handover:
                    raise DossierError(gettext(
                            'vb_document.msg_dossier_recorded_fields',
                            fields=_translated_field(cls, 'state')))
        elif mode == 'delete':
            for dossier in dossiers:
                if dossier.state != 'open' or dossier.documents:
                    raise DossierError(gettext(
                            'vb_document.msg_dossier_delete',
                            dossier=dossier.rec_name))
        elif mode == 'write' and external:
            # The state and what closing, reopening and handing over
            # record are readonly in the client; Tryton does not enforce
            # it, so refuse them through RPC, as every field of a dossier
            # that is no longer open
            recorded = set(values) & RECORDED_FIELDS
            if recorded:
                raise DossierError(gettext(
                        'vb_document.msg_dossier_recorded_fields',
                        fields=', '.join(sorted(
                                _translated_field(cls, f)
                                for f in recorded))))
            for dossier in dossiers:
                if dossier.state != 'open':
                    raise DossierError(gettext(
                            'vb_document.msg_dossier_not_editable',
                            dossier=dossier.rec_name,
                            state=dossier.state_string))

    @classmethod
    def copy(cls, dossiers, default=None):
        default = default.copy() if default is not None else {}
        for name in ['documents', 'closed_at', 'closed_by', 'reopen_reason',
                'reopened_by', 'reopened_at', 'handover', 'start_date',
                'end_date', 'page_total']:
            default.setdefault(name, None)
        default.setdefault('doc_total', 0)
        return super().copy(dossiers, default=default)

    @classmethod
    def update_totals(cls, dossiers, pages=False):
        """Compute the dates and the number of documents of dossiers, and
        with pages, the number of pages of their PDF files."""
        with without_check_access():
            dossiers = cls.browse([int(d) for d in dossiers])
            for dossier in dossiers:
                documents = dossier.documents
                dates = [d._dossier_date() for d in documents]
                dates = [d for d in dates if d]
                dossier.doc_total = len(documents)
                dossier.start_date = min(dates) if dates else None
                dossier.end_date = max(dates) if dates else None
                if pages:
                    dossier.page_total = sum(
                        d._dossier_pages() for d in documents)
            cls.save(dossiers)

    @classmethod
    @ModelView.button
    @strict_transition('closed')
    def close(cls, dossiers):
        """Close dossiers whose matter is over: every document finished
        (see vb.document._dossier_document_finished)."""
        pool = Pool()
        Document = pool.get('vb.document')
        for dossier in dossiers:
            if not dossier.documents:
                raise DossierError(gettext(
                        'vb_document.msg_dossier_close_empty',
                        dossier=dossier.rec_name))
        unfinished = set(Document._dossier_unfinished(
                [d for x in dossiers for d in x.documents]))
        for dossier in dossiers:
            pending = [d for d in dossier.documents if d in unfinished]
            if pending:
                raise DossierError(gettext(
                        'vb_document.msg_dossier_close_unfinished',
                        dossier=dossier.rec_name,
                        documents='; '.join(
                            f'{d.rec_name} ({d.state_string})'
                            for d in pending[:5])
                        + ('; …' if len(pending) > 5 else '')))
        cls.update_totals(dossiers, pages=True)
        now = dt.datetime.now()
        for dossier in dossiers:
            dossier.state = 'closed'
            dossier.closed_at = now
            dossier.closed_by = Transaction().user
        cls.save(dossiers)

    @classmethod
    @ModelView.button_action('vb_document.wizard_dossier_reopen')
    def reopen(cls, dossiers):
        check_transition(cls, dossiers, 'open')

    @classmethod
    @strict_transition('open')
    def do_reopen(cls, dossiers, reason):
        "Reopen closed dossiers: agency administrators only, with a reason"
        for dossier in dossiers:
            if not _is_admin():
                raise DossierError(gettext(
                        'vb_document.msg_dossier_reopen_admin',
                        dossier=dossier.rec_name))
        if not reason or not reason.strip():
            raise DossierError(gettext(
                    'vb_document.msg_dossier_reopen_reason'))
        cls.write(dossiers, {
                'state': 'open',
                'reopen_reason': reason.strip(),
                'reopened_by': Transaction().user,
                'reopened_at': dt.datetime.now(),
                })

    @classmethod
    @strict_transition('handed_over')
    def hand_over(cls, dossiers, handover):
        "Record that closed dossiers were handed over in handover"
        cls.write(dossiers, {'state': 'handed_over', 'handover': handover.id})


class ReopenStart(ModelView):
    "Reopen Dossier"
    __string__ = "Reopen Dossier"
    __name__ = 'vb.dossier.reopen.start'
    reason = fields.Text("Reason", required=True)


class Reopen(Wizard):
    "Reopen Dossier"
    __name__ = 'vb.dossier.reopen'
    start = StateView('vb.dossier.reopen.start',
        'vb_document.dossier_reopen_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Reopen", 'reopen', 'tryton-ok', default=True),
            ])
    reopen = StateTransition()

    def transition_reopen(self):
        self.model.do_reopen(self.records, self.start.reason)
        return 'end'


class PlanCopyStart(ModelView):
    "Copy Dossier Plan"
    __string__ = "Copy Dossier Plan"
    __name__ = 'vb.dossier.plan.copy.start'
    plan = fields.Many2One('vb.dossier.plan', "Plan", readonly=True)
    year = fields.Integer("Year", required=True,
        domain=[('year', '>=', 1945), ('year', '<=', 9999)])


class PlanCopy(Wizard):
    "Copy Dossier Plan to Next Year"
    __name__ = 'vb.dossier.plan.copy'
    start = StateView('vb.dossier.plan.copy.start',
        'vb_document.dossier_plan_copy_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Copy", 'copy_', 'tryton-ok', default=True),
            ])
    copy_ = StateAction('vb_document.act_dossier_plan_opened')

    def default_start(self, fields):
        return {
            'plan': self.record.id,
            'year': self.record.year + 1,
            }

    def do_copy_(self, action):
        plans = self.model.copy_to_year([self.record], self.start.year)
        action['res_id'] = [p.id for p in plans]
        return action, {}


class Document(metaclass=PoolMeta):
    __name__ = 'vb.document'

    dossier = fields.Many2One('vb.dossier', "Dossier", ondelete='RESTRICT',
        domain=[
            ('company', '=', Eval('company', -1)),
            # Only open dossiers can be chosen; the current one stays valid
            ['OR',
                ('state', '=', 'open'),
                ('id', '=', Eval('dossier', -1)),
                ],
            ],
        help="The dossier (hồ sơ) the document is filed in.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.add(Index(t, (t.dossier, Index.Equality())))

    @classmethod
    def copy(cls, documents, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('dossier', None)
        return super().copy(documents, default=default)

    def _dossier_date(self):
        "The date that places the document in the time of its dossier"
        return (self.issued_date or self.arrival_date
            or (self.create_date.date() if self.create_date else None))

    def _dossier_pages(self):
        """The pages of the document: those of its PDF files, else the
        number entered on the document"""
        pages = 0
        for file in self.files:
            if file.type == 'data' and file.data:
                pages += inspect_pdf(file.data).pages or 0
        return pages or self.page_count or 0

    def _dossier_document_finished(self):
        """Whether the work on the document is over, so that its dossier
        can be closed.

        vb_document knows its own states: an incoming document is finished
        once registered, an outgoing one once issued. Drafts, documents
        waiting for receipt, refused and cancelled ones are not: they are
        taken out of the dossier before it is closed (NĐ 30 asks to remove
        drafts and duplicates when closing).

        Modules that follow the processing of documents override this
        hook, e.g. vb_workflow, for its processing_state::

            def _dossier_document_finished(self):
                return (super()._dossier_document_finished()
                    and (self.direction != 'incoming'
                        or self.processing_state in {None, 'done'}))

        Meanwhile _dossier_unfinished also treats as unfinished the
        documents matched by _open_domain(), which vb_workflow already
        extends with the incoming documents whose processing has started
        and is not completed.
        """
        return ((self.direction == 'incoming' and self.state == 'registered')
            or (self.direction == 'outgoing' and self.state == 'issued'))

    @classmethod
    def _dossier_unfinished(cls, documents):
        "The documents, among documents, whose work is not over"
        open_ids = set()
        with without_check_access():
            for sub_documents in grouped_slice(
                    documents, backend.MAX_QUERY_PARAMS):
                open_ids.update(d.id for d in cls.search([
                            ('id', 'in', [d.id for d in sub_documents]),
                            cls._open_domain(),
                            ]))
        return [d for d in documents
            if d.id in open_ids or not d._dossier_document_finished()]

    @classmethod
    def check_modification(cls, mode, documents, values=None, external=False):
        if mode == 'write' and 'dossier' in values:
            cls._check_dossier_change(documents, values['dossier'])
            if external:
                # Filing is allowed in any state of the document: the
                # edit guards of vb_document only see the other fields
                values = {k: v for k, v in values.items() if k != 'dossier'}
        elif mode == 'delete':
            for document in documents:
                if document.dossier and document.dossier.state != 'open':
                    raise DossierError(gettext(
                            'vb_document.msg_dossier_not_open',
                            dossier=document.dossier.rec_name,
                            state=document.dossier.state_string))
        super().check_modification(
            mode, documents, values=values, external=external)

    @classmethod
    def _check_dossier_change(cls, documents, dossier_id):
        Dossier = Pool().get('vb.dossier')
        if Transaction().context.get('_vb_dossier_release'):
            return
        target = Dossier(dossier_id) if dossier_id is not None else None
        if target and target.state != 'open':
            raise DossierError(gettext(
                    'vb_document.msg_dossier_not_open',
                    dossier=target.rec_name, state=target.state_string))
        for document in documents:
            current = document.dossier
            if current == target or current is None:
                continue
            if current.state != 'open':
                raise DossierError(gettext(
                        'vb_document.msg_dossier_not_open',
                        dossier=current.rec_name,
                        state=current.state_string))
            if target:
                raise DossierError(gettext(
                        'vb_document.msg_dossier_document_elsewhere',
                        document=document.rec_name,
                        dossier=current.rec_name))

    @classmethod
    def on_write(cls, documents, values):
        callbacks = super().on_write(documents, values)
        if 'dossier' in values:
            dossiers = {d.dossier.id for d in documents if d.dossier}
            if values['dossier'] is not None:
                dossiers.add(values['dossier'])
            if dossiers:
                Dossier = Pool().get('vb.dossier')
                callbacks.append(
                    lambda: Dossier.update_totals(sorted(dossiers)))
        return callbacks

    @classmethod
    def on_modification(cls, mode, documents, field_names=None):
        super().on_modification(mode, documents, field_names=field_names)
        if mode == 'create':
            dossiers = {d.dossier.id for d in documents if d.dossier}
            if dossiers:
                Pool().get('vb.dossier').update_totals(sorted(dossiers))

    @classmethod
    def on_delete(cls, documents):
        callbacks = super().on_delete(documents)
        dossiers = {d.dossier.id for d in documents if d.dossier}
        if dossiers:
            Dossier = Pool().get('vb.dossier')
            callbacks.append(lambda: Dossier.update_totals(sorted(dossiers)))
        return callbacks

    @classmethod
    def validate_fields(cls, documents, field_names):
        super().validate_fields(documents, field_names)
        if field_names is None or {'dossier', 'company'} & field_names:
            for document in documents:
                if (document.dossier
                        and document.dossier.company != document.company):
                    raise DossierValidationError(gettext(
                            'vb_document.msg_dossier_document_agency',
                            document=document.rec_name,
                            dossier=document.dossier.rec_name))

    @classmethod
    def transfer(cls, documents, agency):
        # Documents moving to another agency leave their dossier, which
        # stays with the agency that formed it
        filed = [d for d in documents if d.dossier]
        if filed:
            with Transaction().set_context(_vb_dossier_release=True):
                cls.write(filed, {'dossier': None})
            documents = cls.browse(documents)
        super().transfer(documents, agency)
