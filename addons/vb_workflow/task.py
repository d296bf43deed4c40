# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""Task tracking (theo dõi nhiệm vụ, nhắc việc).

A leader assigns a task — often one of those a directive gives to
several agencies — to an agency of the installation, a unit or a
person, with a deadline. The assignees report progress and the result,
which the assigner accepts or rejects; they ask for more time, which the
assigner grants or refuses. The status (due soon, overdue, done on
time…) is computed from the dates, and searchable in SQL so that the
lists of a province (hundreds of thousands of tasks) stay fast.
"""
import datetime as dt
from collections import defaultdict
from functools import wraps

from sql import Null

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Workflow, fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Bool, Eval, If
from trytond.transaction import Transaction, without_check_access
from trytond.wizard import Button, StateTransition, StateView, Wizard

from trytond.modules.vb_document.company import current_agency
from trytond.modules.vb_document.model import (
    check_transition, strict_transition)

from .configuration import default_deadline
from .exceptions import WorkflowError, WorkflowValidationError
from .notify import tell
from .staff import agency_staff, unit_heads, unit_members

OPEN = ['in_progress', 'submitted']
# Tasks come from documents in force
TASK_DOCUMENT_STATES = ['registered', 'issued']
STATES = [
    ('in_progress', "In Progress"),
    ('submitted', "Result Submitted"),
    ('done', "Done"),
    ('cancelled', "Cancelled"),
    ]
STATUSES = [
    ('not_due', "Not Due"),
    ('due_soon', "Due Soon"),
    ('overdue', "Overdue"),
    ('done_on_time', "Done on Time"),
    ('done_late', "Done Late"),
    ]
ASSIGNEE_TYPES = [
    ('agency', "Agency"),
    ('unit', "Unit"),
    ('user', "Person"),
    ]
# What the assigner (or their deputy) does: the message naming the
# action when it is refused, and the one telling it was done under a
# delegation.
ASSIGNER_ACTIONS = {
    'accept': ('msg_task_what_accept', 'msg_task_action_accepted'),
    'reject': ('msg_task_what_reject', 'msg_task_action_rejected'),
    'approve_extension': (
        'msg_task_what_approve_extension',
        'msg_task_action_extension_approved'),
    'refuse_extension': (
        'msg_task_what_refuse_extension',
        'msg_task_action_extension_refused'),
    'cancel': ('msg_task_what_cancel', 'msg_task_action_cancelled'),
    }


def _fmt(date):
    return date.strftime('%d/%m/%Y') if date else ''


def locked(func):
    """Lock the records before func, which then sees their last state.

    The first lock request restarts the whole call with the rows locked,
    so two people deciding on the same task at once cannot both succeed.
    Like a button, func runs without access checks: it checks the person
    and the state itself (staff have no write access to tasks).
    """
    @wraps(func)
    def wrapper(cls, records, *args, **kwargs):
        cls.lock(records)
        with without_check_access():
            return func(cls, cls.browse(records), *args, **kwargs)
    return wrapper


class Task(Workflow, ModelSQL, ModelView):
    "A task assigned by a leader, followed until its result is accepted"
    __string__ = "Task"
    __name__ = 'vb.task'

    _created = {'readonly': Eval('id', -1) >= 0}

    company = fields.Many2One(
        'company.company', "Assigning Agency", required=True,
        ondelete='RESTRICT', domain=[('external', '=', False)],
        states=_created)
    name = fields.Char("Title", required=True, states=_created)
    description = fields.Text("Description", states=_created)
    document = fields.Many2One(
        'vb.document', "Source Document", ondelete='SET NULL',
        domain=[('company', '=', Eval('company', -1))], states=_created,
        help="The document (e.g. a directive) that gives the task.")
    assigner = fields.Many2One(
        'res.user', "Assigned by", required=True, ondelete='RESTRICT',
        domain=[('companies', 'in', [Eval('company', -1)])],
        states=_created,
        help="The leader who assigned the task and decides on its result "
        "and on extensions.")
    assignee_type = fields.Selection(
        ASSIGNEE_TYPES, "Assignee Type", required=True, states=_created)
    assignee_agency = fields.Many2One(
        'company.company', "Assignee Agency", ondelete='RESTRICT',
        domain=[
            ('external', '=', False),
            ('id', '!=', Eval('company', -1)),
            ],
        states={
            'invisible': Eval('assignee_type') != 'agency',
            'required': Eval('assignee_type') == 'agency',
            'readonly': _created['readonly'],
            })
    assignee_unit = fields.Many2One(
        'vb.unit', "Assignee Unit", ondelete='RESTRICT',
        domain=[('company', '=', Eval('company', -1))],
        states={
            'invisible': Eval('assignee_type') != 'unit',
            'required': Eval('assignee_type') == 'unit',
            'readonly': _created['readonly'],
            })
    assignee_user = fields.Many2One(
        'res.user', "Assignee Person", ondelete='RESTRICT',
        domain=[('companies', 'in', [Eval('company', -1)])],
        states={
            'invisible': Eval('assignee_type') != 'user',
            'required': Eval('assignee_type') == 'user',
            'readonly': _created['readonly'],
            })
    assignee = fields.Function(
        fields.Char("Assignee"), 'get_assignee', searcher='search_assignee')
    co_units = fields.Many2Many(
        'vb.task-vb.unit', 'task', 'unit', "Co-assigned Units",
        domain=[('company', '=', Eval('company', -1))],
        states={
            # The assignee agency could not read the units of the
            # assigning agency
            'invisible': Eval('assignee_type') == 'agency',
            'readonly': _created['readonly'],
            },
        help="Units that contribute (phối hợp) and may report progress.")
    co_users = fields.Many2Many(
        'vb.task-res.user', 'task', 'user', "Co-assigned Persons",
        domain=[('companies', 'in',
                [Eval('company', -1), Eval('assignee_agency', -1)])],
        states=_created,
        help="Persons who contribute (phối hợp) and may report progress.")
    deadline = fields.Date(
        "Deadline", required=True, states=_created,
        help="Changed afterwards only by an approved extension.")
    state = fields.Selection(
        STATES, "State", required=True, readonly=True, sort=False)
    state_string = state.translated('state')
    status = fields.Function(fields.Selection(
            [(None, "")] + STATUSES, "Status", sort=False),
        'get_status', searcher='search_status')
    progress = fields.Integer("Progress (%)", readonly=True)
    completion_date = fields.Date(
        "Completion Date", readonly=True,
        help="The day the accepted result was reported.")
    result = fields.Many2One(
        'vb.task.report', "Accepted Result", readonly=True,
        ondelete='SET NULL',
        states={'invisible': ~Eval('result')})
    reports = fields.One2Many(
        'vb.task.report', 'task', "Reports", readonly=True)
    extensions = fields.One2Many(
        'vb.task.extension', 'task', "Extensions", readonly=True)
    deadlines = fields.One2Many(
        'vb.task.deadline', 'task', "Deadline History", readonly=True)
    extension_pending = fields.Function(
        fields.Boolean("Extension Requested"), 'get_extension_pending')
    reminder = fields.Selection([
            (None, ""),
            ('due_soon', "Due Soon"),
            ('overdue', "Overdue"),
            ], "Reminder Sent", readonly=True,
        help="The last deadline reminder sent, so that it is sent once.")
    assigned_to_me = fields.Function(
        fields.Boolean("Assigned to Me"), 'get_assigned',
        searcher='search_assigned')
    assigned_to_my_unit = fields.Function(
        fields.Boolean("Assigned to My Unit"), 'get_assigned',
        searcher='search_assigned')
    assigned_to_my_agency = fields.Function(
        fields.Boolean("Assigned to My Agency"), 'get_assigned',
        searcher='search_assigned')
    assigned_by_me = fields.Function(
        fields.Boolean("Assigned by Me"), 'get_assigned',
        searcher='search_assigned')

    del _created

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t,
                    (t.company, Index.Equality()),
                    (t.state, Index.Equality(cardinality='low'))),
                Index(t,
                    (t.assignee_agency, Index.Equality()),
                    (t.state, Index.Equality(cardinality='low'))),
                Index(t, (t.assignee_unit, Index.Equality())),
                Index(t, (t.assignee_user, Index.Equality())),
                Index(t, (t.assigner, Index.Equality())),
                Index(t, (t.document, Index.Equality())),
                # The statuses of open tasks and the reminders
                Index(t, (t.deadline, Index.Range()),
                    where=t.state.in_(OPEN)),
                })
        cls._order = [('deadline', 'ASC'), ('id', 'DESC')]
        cls._transitions |= {
            ('in_progress', 'submitted'),
            ('submitted', 'done'),
            ('submitted', 'in_progress'),
            ('in_progress', 'cancelled'),
            ('submitted', 'cancelled'),
            }
        in_progress = Eval('state') == 'in_progress'
        submitted = Eval('state') == 'submitted'
        pending = Eval('extension_pending', False)
        cls._buttons.update({
                'report': {
                    'invisible': ~in_progress,
                    'icon': 'tryton-forward',
                    'depends': ['state'],
                    },
                'request_extension': {
                    'invisible': ~in_progress | pending,
                    'icon': 'tryton-forward',
                    'depends': ['state', 'extension_pending'],
                    },
                'accept_result': {
                    'invisible': ~submitted,
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                'reject_result': {
                    'invisible': ~submitted,
                    'icon': 'tryton-back',
                    'depends': ['state'],
                    },
                'approve_extension': {
                    'invisible': ~pending,
                    'icon': 'tryton-ok',
                    'depends': ['extension_pending'],
                    },
                'refuse_extension': {
                    'invisible': ~pending,
                    'icon': 'tryton-cancel',
                    'depends': ['extension_pending'],
                    },
                'cancel': {
                    'invisible': ~Eval('state').in_(OPEN),
                    'icon': 'tryton-cancel',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_company(cls):
        return current_agency()

    @classmethod
    def default_assigner(cls):
        return Transaction().user or None

    @classmethod
    def default_assignee_type(cls):
        return 'agency'

    @classmethod
    def default_state(cls):
        return 'in_progress'

    @classmethod
    def default_progress(cls):
        return 0

    @fields.depends('assignee_type', 'assignee_agency', 'assignee_unit',
        'assignee_user')
    def on_change_assignee_type(self):
        for kind, _ in ASSIGNEE_TYPES:
            if kind != self.assignee_type:
                setattr(self, 'assignee_' + kind, None)

    @fields.depends('document', 'name', 'deadline')
    def on_change_document(self):
        if self.document:
            if not self.name and self.document.subject:
                self.name = self.document.subject.splitlines()[0][:200]
            if not self.deadline and self.document.deadline:
                self.deadline = self.document.deadline

    @property
    def assignee_record(self):
        if self.assignee_type:
            return getattr(self, 'assignee_' + self.assignee_type, None)

    def get_assignee(self, name):
        record = self.assignee_record
        return record.rec_name if record else None

    @classmethod
    def search_assignee(cls, name, clause):
        _, operator, value = clause[:3]
        if operator.startswith('!') or operator.startswith('not '):
            bool_op = 'AND'
        else:
            bool_op = 'OR'
        return [bool_op] + [
            ('assignee_%s.rec_name' % kind, operator, value)
            for kind, _ in ASSIGNEE_TYPES]

    # Status

    @classmethod
    def _today(cls):
        return Pool().get('ir.date').today()

    @classmethod
    def due_soon_limit(cls, warning_days, today=None):
        """The last deadline that is "due soon" today.

        A task is due soon when at most warning_days working days
        (vb.workflow.day.working_days_between) separate today from its
        deadline: the limit is the day before the next working day.
        """
        Day = Pool().get('vb.workflow.day')
        today = today or cls._today()
        return (Day.add_working_days(today, warning_days + 1)
            - dt.timedelta(days=1))

    @classmethod
    def get_status(cls, tasks, name):
        today = cls._today()
        limits = {}
        result = {}
        for task in tasks:
            status = None
            if task.state == 'done':
                late = (task.completion_date
                    and task.completion_date > task.deadline)
                status = 'done_late' if late else 'done_on_time'
            elif task.state in OPEN:
                if task.deadline < today:
                    status = 'overdue'
                else:
                    days = task.company.get_warning_days()
                    if days not in limits:
                        limits[days] = cls.due_soon_limit(days, today)
                    status = ('due_soon' if task.deadline <= limits[days]
                        else 'not_due')
            result[task.id] = status
        return result

    @classmethod
    def _limit_domain(cls, today, operator):
        """The deadline compared with the due-soon limit of the agency.

        Agencies share few warning days values: one date per value, and
        the agencies having it by a sub-query, keep it one SQL query.
        """
        Company = Pool().get('company.company')
        company = Company.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*company.select(company.warning_days,
                group_by=[company.warning_days]))
        by_days = defaultdict(set)
        for raw, in cursor:
            by_days[Company(warning_days=raw).get_warning_days()].add(raw)
        if len(by_days) <= 1:
            days = (next(iter(by_days)) if by_days
                else Company(warning_days=None).get_warning_days())
            return [('deadline', operator, cls.due_soon_limit(days, today))]
        domain = ['OR']
        for days, raws in by_days.items():
            agencies = ['OR']
            if None in raws:
                agencies.append(('company.warning_days', '=', None))
            values = [r for r in raws if r is not None]
            if values:
                agencies.append(('company.warning_days', 'in', values))
            domain.append([
                    ('deadline', operator, cls.due_soon_limit(days, today)),
                    agencies])
        return domain

    @classmethod
    def _status_domain(cls, status, today):
        table = cls.__table__()
        done = table.state == 'done'
        on_time = (table.completion_date == Null) | (
            table.completion_date <= table.deadline)
        if status == 'overdue':
            return [('state', 'in', OPEN), ('deadline', '<', today)]
        elif status == 'due_soon':
            return [
                ('state', 'in', OPEN),
                ('deadline', '>=', today),
                cls._limit_domain(today, '<='),
                ]
        elif status == 'not_due':
            return [('state', 'in', OPEN), cls._limit_domain(today, '>')]
        elif status == 'done_on_time':
            return [('state', '=', 'done'), ('id', 'in', table.select(
                        table.id, where=done & on_time))]
        elif status == 'done_late':
            return [('state', '=', 'done'), ('id', 'in', table.select(
                        table.id, where=done & ~on_time))]
        elif status is None:
            return [('state', 'not in', OPEN + ['done'])]
        return [('id', '=', -1)]

    @classmethod
    def search_status(cls, name, clause):
        _, operator, value = clause[:3]
        today = cls._today()
        values = value if isinstance(value, (list, tuple)) else [value]
        domain = ['OR'] + [cls._status_domain(v, today) for v in values]
        if operator in {'=', 'in'}:
            return domain
        return cls._negate(domain)

    @classmethod
    def _negate(cls, domain):
        "Domains have no NOT: exclude the ids the domain selects"
        with without_check_access():
            query = cls.search(domain, order=[], query=True)
        return [('id', 'not in', query)]

    # The lists of the current user

    @classmethod
    def _assigned_domains(cls):
        User = Pool().get('res.user')
        user = User(Transaction().user)
        agency = Transaction().context.get('company')
        nothing = [('id', '=', -1)]
        return {
            'assigned_to_me': ['OR',
                ('assignee_user', '=', user.id),
                ('co_users', 'in', [user.id]),
                ],
            'assigned_to_my_unit': ['OR',
                ('assignee_unit', '=', user.unit.id),
                ('co_units', 'in', [user.unit.id]),
                ] if user.unit else nothing,
            'assigned_to_my_agency': (
                [('assignee_agency', '=', agency)] if agency else nothing),
            'assigned_by_me': [('assigner', '=', user.id)],
            }

    @classmethod
    def get_assigned(cls, tasks, names):
        User = Pool().get('res.user')
        user = User(Transaction().user)
        agency = Transaction().context.get('company')
        result = {n: {} for n in names}
        for task in tasks:
            values = {
                'assigned_to_me': (task.assignee_user == user
                    or user in task.co_users),
                'assigned_to_my_unit': bool(user.unit) and (
                    task.assignee_unit == user.unit
                    or user.unit in task.co_units),
                'assigned_to_my_agency': bool(agency) and (
                    task.assignee_agency is not None
                    and task.assignee_agency.id == agency),
                'assigned_by_me': task.assigner == user,
                }
            for name in names:
                result[name][task.id] = values[name]
        return result

    @classmethod
    def search_assigned(cls, name, clause):
        _, operator, value = clause[:3]
        domain = cls._assigned_domains()[name]
        if (operator == '=') == bool(value):
            return domain
        return cls._negate(domain)

    @classmethod
    def get_extension_pending(cls, tasks, name):
        Extension = Pool().get('vb.task.extension')
        with without_check_access():
            pending = {e.task.id for e in Extension.search([
                        ('task', 'in', [t.id for t in tasks]),
                        ('state', '=', 'requested'),
                        ])}
        return {t.id: t.id in pending for t in tasks}

    # Who acts

    def responsible_users(self):
        """Who answers for the task: reports the result, asks for time.

        The person assigned; for a unit, its heads; for an agency, its
        leaders and clerks.
        """
        if self.assignee_type == 'user' and self.assignee_user:
            return [self.assignee_user]
        elif self.assignee_type == 'unit' and self.assignee_unit:
            return unit_heads([self.assignee_unit])
        elif self.assignee_type == 'agency' and self.assignee_agency:
            return agency_staff(self.assignee_agency, ['leader', 'clerk'])
        return []

    def contributor_users(self):
        "Who may report progress: the responsible users and the co-assignees"
        users = list(self.responsible_users()) + list(self.co_users)
        units = list(self.co_units)
        if self.assignee_type == 'unit' and self.assignee_unit:
            units.append(self.assignee_unit)
        return users + unit_members(units)

    def notified_users(self):
        "Who hears of the task: the responsible users and co-assignees"
        return (list(self.responsible_users()) + list(self.co_users)
            + unit_heads(self.co_units))

    def _check_user(self, users, what):
        pool = Pool()
        User = pool.get('res.user')
        user = Transaction().user
        if user and user not in {u.id for u in users}:
            raise WorkflowError(gettext('vb_workflow.msg_not_allowed',
                    user=User(user).rec_name,
                    what=gettext('vb_workflow.' + what, task=self.rec_name)))

    def _act_as_assigner(self, action):
        "Return the delegation the current user acts under, if any"
        Delegation = Pool().get('vb.delegation')
        what, _ = ASSIGNER_ACTIONS[action]
        _, delegation = Delegation.acting([self.assigner], 'assign',
            gettext('vb_workflow.' + what, task=self.rec_name))
        return delegation

    def _notify_delegation(self, delegation, action):
        if delegation:
            _, done = ASSIGNER_ACTIONS[action]
            delegation.notify_action(self, gettext('vb_workflow.' + done))

    def _check_in_progress(self):
        if self.state != 'in_progress':
            raise WorkflowError(gettext(
                    'vb_workflow.msg_task_not_in_progress',
                    task=self.rec_name, state=self.state_string))

    # Creation

    @classmethod
    def on_modification(cls, mode, tasks, field_names=None):
        super().on_modification(mode, tasks, field_names=field_names)
        if mode == 'create':
            Deadline = Pool().get('vb.task.deadline')
            user = Transaction().user
            now = dt.datetime.now()
            with without_check_access():
                Deadline.create([{
                            'task': t.id,
                            'new_deadline': t.deadline,
                            'reason': gettext(
                                'vb_workflow.msg_task_deadline_assigned'),
                            'user': user or t.assigner.id,
                            'date': now,
                            } for t in tasks])
            for task in tasks:
                tell(task.notified_users(), task,
                    'vb_workflow.msg_task_assigned',
                    assigner=task.assigner.rec_name,
                    task=task.rec_name, assignee=task.assignee or '',
                    deadline=_fmt(task.deadline))

    @classmethod
    def validate_fields(cls, tasks, field_names):
        super().validate_fields(tasks, field_names)
        if field_names is None or field_names & {
                'assignee_type', 'assignee_agency', 'assignee_unit',
                'assignee_user', 'co_units'}:
            for task in tasks:
                task.check_assignee()

    def check_assignee(self):
        "Exactly the assignee of the assignee type is set"
        for kind, _ in ASSIGNEE_TYPES:
            value = getattr(self, 'assignee_' + kind)
            if bool(value) != (kind == self.assignee_type):
                raise WorkflowValidationError(gettext(
                        'vb_workflow.msg_task_one_assignee',
                        task=self.rec_name))
        if self.assignee_type == 'agency' and self.co_units:
            raise WorkflowValidationError(gettext(
                    'vb_workflow.msg_task_co_units_agency',
                    task=self.rec_name))

    @classmethod
    def read(cls, ids, fields_names):
        # The assignee agency may not read the source document, but it
        # must see which document gives the task: its name is given
        # (clicking it still applies the rules of the document).
        names = [n for n in fields_names if n == 'document.rec_name']
        if not names or not Transaction().check_access:
            return super().read(ids, fields_names)
        rows = super().read(ids, [n for n in fields_names if n not in names])
        with without_check_access():
            documents = {r['id']: r for r in super().read(
                    [r['id'] for r in rows],
                    ['document', 'document.rec_name'])}
        for row in rows:
            row['document.'] = documents[row['id']]['document.']
        return rows

    @classmethod
    def copy(cls, tasks, default=None):
        default = default.copy() if default is not None else {}
        for name in ['reports', 'extensions', 'deadlines', 'result',
                'completion_date', 'reminder']:
            default.setdefault(name, None)
        default.setdefault('progress', 0)
        default.setdefault('assigner', Transaction().user or None)
        return super().copy(tasks, default=default)

    # Assignees' actions

    @classmethod
    @ModelView.button_action('vb_workflow.wizard_task_submit')
    def report(cls, tasks):
        for task in tasks:
            task._check_in_progress()

    @classmethod
    @locked
    def do_report_progress(cls, tasks, content, progress, files=()):
        "Record the progress of tasks, told to their assigners"
        for task in tasks:
            task._check_in_progress()
            task._check_user(task.contributor_users(),
                'msg_task_what_report_progress')
        if progress is None or not 0 <= progress <= 100:
            raise WorkflowValidationError(gettext(
                    'vb_workflow.msg_task_progress_range'))
        cls._create_reports(tasks, 'progress', content, progress, files)
        cls.write(tasks, {'progress': progress})
        user = Pool().get('res.user')(Transaction().user)
        for task in tasks:
            tell([task.assigner], task, 'vb_workflow.msg_task_progress',
                user=user.rec_name, task=task.rec_name, progress=progress)

    @classmethod
    @locked
    @strict_transition('submitted')
    def do_submit_result(cls, tasks, content, files=()):
        "Submit the result of tasks for their assigners' approval"
        for task in tasks:
            task._check_user(task.responsible_users(),
                'msg_task_what_report_result')
        cls._create_reports(tasks, 'result', content, 100, files)
        cls.write(tasks, {'progress': 100, 'state': 'submitted'})
        user = Pool().get('res.user')(Transaction().user)
        for task in tasks:
            tell([task.assigner], task,
                'vb_workflow.msg_task_result_submitted',
                user=user.rec_name, task=task.rec_name)

    @classmethod
    def _create_reports(cls, tasks, kind, content, progress, files):
        pool = Pool()
        Report = pool.get('vb.task.report')
        Attachment = pool.get('ir.attachment')
        Date = pool.get('ir.date')
        content = (content or '').strip()
        if not content:
            raise WorkflowValidationError(gettext(
                    'vb_workflow.msg_task_content_required'))
        with without_check_access():
            reports = Report.create([{
                        'task': t.id,
                        'kind': kind,
                        'date': Date.today(),
                        'author': Transaction().user or None,
                        'progress': progress,
                        'content': content,
                        'state': 'submitted' if kind == 'result' else None,
                        } for t in tasks])
            files = [(name, data) for name, data in files if data]
            if files:
                Attachment.create([{
                            'name': name,
                            'data': data,
                            'resource': str(report),
                            } for report in reports for name, data in files])
        return reports

    @classmethod
    @ModelView.button_action('vb_workflow.wizard_task_extend')
    def request_extension(cls, tasks):
        for task in tasks:
            task._check_in_progress()
            task._check_no_pending_extension()

    def _check_no_pending_extension(self):
        if self.extension_pending:
            raise WorkflowError(gettext(
                    'vb_workflow.msg_task_extension_pending',
                    task=self.rec_name))

    @classmethod
    @locked
    def do_request_extension(cls, tasks, new_deadline, reason):
        "Ask the assigners to move the deadline of tasks to new_deadline"
        pool = Pool()
        Extension = pool.get('vb.task.extension')
        User = pool.get('res.user')
        reason = (reason or '').strip()
        if not reason:
            raise WorkflowValidationError(gettext(
                    'vb_workflow.msg_task_reason_required'))
        for task in tasks:
            task._check_in_progress()
            task._check_user(task.responsible_users(),
                'msg_task_what_extend')
            task._check_no_pending_extension()
            if not new_deadline or new_deadline <= task.deadline:
                raise WorkflowValidationError(gettext(
                        'vb_workflow.msg_task_extension_date',
                        task=task.rec_name, deadline=_fmt(task.deadline)))
        now = dt.datetime.now()
        with without_check_access():
            Extension.create([{
                        'task': t.id,
                        'requested_by': Transaction().user or None,
                        'requested_at': now,
                        'old_deadline': t.deadline,
                        'new_deadline': new_deadline,
                        'reason': reason,
                        'state': 'requested',
                        } for t in tasks])
        user = User(Transaction().user)
        for task in tasks:
            tell([task.assigner], task,
                'vb_workflow.msg_task_extension_requested',
                user=user.rec_name, task=task.rec_name,
                old=_fmt(task.deadline), new=_fmt(new_deadline),
                reason=reason)

    # Assigner's decisions

    def _pending(self, Model, domain, message):
        with without_check_access():
            records = Model.search([('task', '=', self.id)] + domain,
                limit=1)
        if not records:
            raise WorkflowError(gettext(
                    'vb_workflow.' + message, task=self.rec_name))
        return records[0]

    def _pending_extension(self):
        Extension = Pool().get('vb.task.extension')
        return self._pending(Extension, [('state', '=', 'requested')],
            'msg_task_no_extension_pending')

    def _pending_result(self):
        Report = Pool().get('vb.task.report')
        return self._pending(Report,
            [('kind', '=', 'result'), ('state', '=', 'submitted')],
            'msg_task_no_result_pending')

    @classmethod
    @ModelView.button
    @locked
    @strict_transition('done')
    def accept_result(cls, tasks):
        "Accept the results: the tasks are done the day they were reported"
        pool = Pool()
        Report = pool.get('vb.task.report')
        User = pool.get('res.user')
        delegations = {t: t._act_as_assigner('accept') for t in tasks}
        user = Transaction().user or None
        now = dt.datetime.now()
        for task in tasks:
            result = task._pending_result()
            with without_check_access():
                Report.write([result], {
                        'state': 'accepted',
                        'decided_by': user,
                        'decided_at': now,
                        })
            task.result = result
            task.completion_date = result.date
            task.progress = 100
            task.state = 'done'
        cls.save(tasks)
        cls._close_extensions(tasks)
        name = User(user).rec_name if user else ''
        for task in tasks:
            tell(task.responsible_users(), task,
                'vb_workflow.msg_task_result_accepted',
                user=name, task=task.rec_name)
            task._notify_delegation(delegations[task], 'accept')

    @classmethod
    @ModelView.button_action('vb_workflow.wizard_task_reject_result')
    def reject_result(cls, tasks):
        check_transition(cls, tasks, 'in_progress')

    @classmethod
    @locked
    @strict_transition('in_progress')
    def do_reject_result(cls, tasks, reason):
        "Send the results back to the assignees with the reason"
        pool = Pool()
        Report = pool.get('vb.task.report')
        User = pool.get('res.user')
        reason = (reason or '').strip()
        if not reason:
            raise WorkflowValidationError(gettext(
                    'vb_workflow.msg_task_reason_required'))
        delegations = {t: t._act_as_assigner('reject') for t in tasks}
        user = Transaction().user or None
        now = dt.datetime.now()
        results = [t._pending_result() for t in tasks]
        with without_check_access():
            Report.write(results, {
                    'state': 'rejected',
                    'decided_by': user,
                    'decided_at': now,
                    'rejection_reason': reason,
                    })
        cls.write(tasks, {'state': 'in_progress'})
        name = User(user).rec_name if user else ''
        for task in tasks:
            tell(task.responsible_users(), task,
                'vb_workflow.msg_task_result_rejected',
                user=name, task=task.rec_name, reason=reason)
            task._notify_delegation(delegations[task], 'reject')

    @classmethod
    @ModelView.button
    @locked
    def approve_extension(cls, tasks):
        "Move the deadlines to the dates asked for"
        pool = Pool()
        Extension = pool.get('vb.task.extension')
        Deadline = pool.get('vb.task.deadline')
        User = pool.get('res.user')
        extensions = {t: t._pending_extension() for t in tasks}
        delegations = {
            t: t._act_as_assigner('approve_extension') for t in tasks}
        user = Transaction().user or None
        now = dt.datetime.now()
        with without_check_access():
            Extension.write(list(extensions.values()), {
                    'state': 'approved',
                    'decided_by': user,
                    'decided_at': now,
                    })
            Deadline.create([{
                        'task': t.id,
                        'old_deadline': t.deadline,
                        'new_deadline': e.new_deadline,
                        'reason': e.reason,
                        'user': user,
                        'date': now,
                        'extension': e.id,
                        } for t, e in extensions.items()])
        for task, extension in extensions.items():
            task.deadline = extension.new_deadline
            # The new deadline deserves its own reminders
            task.reminder = None
        cls.save(tasks)
        name = User(user).rec_name if user else ''
        for task in tasks:
            tell(task.responsible_users(), task,
                'vb_workflow.msg_task_extension_approved',
                user=name, task=task.rec_name, new=_fmt(task.deadline))
            task._notify_delegation(delegations[task], 'approve_extension')

    @classmethod
    @ModelView.button_action('vb_workflow.wizard_task_refuse_extension')
    def refuse_extension(cls, tasks):
        for task in tasks:
            task._pending_extension()

    @classmethod
    @locked
    def do_refuse_extension(cls, tasks, reason):
        "Keep the deadlines, telling the assignees why"
        pool = Pool()
        Extension = pool.get('vb.task.extension')
        User = pool.get('res.user')
        reason = (reason or '').strip()
        if not reason:
            raise WorkflowValidationError(gettext(
                    'vb_workflow.msg_task_reason_required'))
        extensions = {t: t._pending_extension() for t in tasks}
        delegations = {
            t: t._act_as_assigner('refuse_extension') for t in tasks}
        user = Transaction().user or None
        with without_check_access():
            Extension.write(list(extensions.values()), {
                    'state': 'refused',
                    'decided_by': user,
                    'decided_at': dt.datetime.now(),
                    'decision_note': reason,
                    })
        name = User(user).rec_name if user else ''
        for task, extension in extensions.items():
            tell(task.responsible_users(), task,
                'vb_workflow.msg_task_extension_refused',
                user=name, task=task.rec_name,
                new=_fmt(extension.new_deadline), reason=reason)
            task._notify_delegation(delegations[task], 'refuse_extension')

    @classmethod
    @ModelView.button
    @locked
    @strict_transition('cancelled')
    def cancel(cls, tasks):
        "Withdraw tasks that are no longer needed"
        User = Pool().get('res.user')
        delegations = {t: t._act_as_assigner('cancel') for t in tasks}
        cls._close_extensions(tasks)
        user = Transaction().user
        name = User(user).rec_name if user else ''
        for task in tasks:
            tell(task.notified_users(), task,
                'vb_workflow.msg_task_cancelled',
                user=name, task=task.rec_name)
            task._notify_delegation(delegations[task], 'cancel')

    @classmethod
    def _close_extensions(cls, tasks):
        "Requests still pending when a task closes have no object any more"
        Extension = Pool().get('vb.task.extension')
        with without_check_access():
            pending = Extension.search([
                    ('task', 'in', [t.id for t in tasks]),
                    ('state', '=', 'requested'),
                    ])
            if pending:
                Extension.write(pending, {
                        'state': 'cancelled',
                        'decided_at': dt.datetime.now(),
                        })

    # Reminders

    @classmethod
    def remind(cls):
        """Tell the assignees once when a task is due soon, once overdue.

        Run daily by ir.cron, agency by agency so that "today" is the
        agency's; only the tasks to remind are read.
        """
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*table.select(table.company,
                where=table.state.in_(OPEN)
                & ((table.reminder == Null) | (table.reminder != 'overdue')),
                group_by=[table.company]))
        for company_id, in cursor.fetchall():
            with Transaction().set_context(company=company_id):
                cls._remind([('company', '=', company_id)])

    @classmethod
    def _remind(cls, domain):
        overdue = cls.search(domain + [
                ('status', '=', 'overdue'),
                ['OR', ('reminder', '=', None), ('reminder', '!=', 'overdue')],
                ], order=[])
        for task in overdue:
            tell(task.notified_users(), task, 'vb_workflow.msg_task_overdue',
                task=task.rec_name, deadline=_fmt(task.deadline))
        if overdue:
            cls.write(overdue, {'reminder': 'overdue'})
        due_soon = cls.search(domain + [
                ('status', '=', 'due_soon'),
                ('reminder', '=', None),
                ], order=[])
        for task in due_soon:
            tell(task.notified_users(), task,
                'vb_workflow.msg_task_due_soon',
                task=task.rec_name, deadline=_fmt(task.deadline))
        if due_soon:
            cls.write(due_soon, {'reminder': 'due_soon'})


class TaskUnit(ModelSQL):
    "Task - Co-assigned Unit"
    __string__ = "Task - Co-assigned Unit"
    __name__ = 'vb.task-vb.unit'
    task = fields.Many2One(
        'vb.task', "Task", required=True, ondelete='CASCADE')
    unit = fields.Many2One(
        'vb.unit', "Unit", required=True, ondelete='CASCADE')


class TaskUser(ModelSQL):
    "Task - Co-assigned Person"
    __string__ = "Task - Co-assigned Person"
    __name__ = 'vb.task-res.user'
    task = fields.Many2One(
        'vb.task', "Task", required=True, ondelete='CASCADE')
    user = fields.Many2One(
        'res.user', "User", required=True, ondelete='CASCADE')


class TaskReport(ModelSQL, ModelView):
    "A progress report or the result of a task, with its files"
    __string__ = "Task Report"
    __name__ = 'vb.task.report'

    task = fields.Many2One(
        'vb.task', "Task", required=True, ondelete='CASCADE', readonly=True)
    kind = fields.Selection([
            ('progress', "Progress"),
            ('result', "Result"),
            ], "Kind", required=True, readonly=True)
    kind_string = kind.translated('kind')
    date = fields.Date("Date", required=True, readonly=True)
    author = fields.Many2One('res.user', "Reported by", readonly=True)
    progress = fields.Integer("Progress (%)", readonly=True)
    content = fields.Text("Content", required=True, readonly=True)
    files = fields.One2Many('ir.attachment', 'resource', "Files",
        readonly=True)
    state = fields.Selection([
            (None, ""),
            ('submitted', "Submitted"),
            ('accepted', "Accepted"),
            ('rejected', "Rejected"),
            ], "Decision", readonly=True,
        states={'invisible': Eval('kind') != 'result'})
    decided_by = fields.Many2One('res.user', "Decided by", readonly=True,
        states={'invisible': ~Eval('decided_by')})
    decided_at = fields.DateTime("Decided at", readonly=True,
        states={'invisible': ~Eval('decided_at')})
    rejection_reason = fields.Text("Rejection Reason", readonly=True,
        states={'invisible': Eval('state') != 'rejected'})

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('task')
        t = cls.__table__()
        cls._sql_indexes.add(Index(t, (t.task, Index.Equality())))
        cls._order = [('date', 'DESC'), ('id', 'DESC')]

    def get_rec_name(self, name):
        return '%s - %s' % (self.kind_string, self.date.strftime('%d/%m/%Y')
            if self.date else '')


class TaskExtension(ModelSQL, ModelView):
    "A request to move the deadline of a task (gia hạn)"
    __string__ = "Task Extension"
    __name__ = 'vb.task.extension'

    task = fields.Many2One(
        'vb.task', "Task", required=True, ondelete='CASCADE', readonly=True)
    requested_by = fields.Many2One(
        'res.user', "Requested by", readonly=True)
    requested_at = fields.DateTime("Requested at", readonly=True)
    old_deadline = fields.Date("Deadline", readonly=True)
    new_deadline = fields.Date("Requested Deadline", required=True,
        readonly=True)
    reason = fields.Text("Reason", required=True, readonly=True)
    state = fields.Selection([
            ('requested', "Requested"),
            ('approved', "Approved"),
            ('refused', "Refused"),
            ('cancelled', "Cancelled"),
            ], "State", required=True, readonly=True, sort=False)
    decided_by = fields.Many2One('res.user', "Decided by", readonly=True)
    decided_at = fields.DateTime("Decided at", readonly=True)
    decision_note = fields.Text("Refusal Reason", readonly=True,
        states={'invisible': Eval('state') != 'refused'})

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('task')
        t = cls.__table__()
        cls._sql_indexes.add(Index(t,
                (t.task, Index.Equality()),
                (t.state, Index.Equality(cardinality='low'))))
        cls._order = [('requested_at', 'DESC'), ('id', 'DESC')]

    @classmethod
    def default_state(cls):
        return 'requested'

    def get_rec_name(self, name):
        return _fmt(self.new_deadline)


class TaskDeadline(ModelSQL, ModelView):
    "A change of the deadline of a task; the first one is the assignment"
    __string__ = "Task Deadline Change"
    __name__ = 'vb.task.deadline'

    task = fields.Many2One(
        'vb.task', "Task", required=True, ondelete='CASCADE', readonly=True)
    old_deadline = fields.Date("Previous Deadline", readonly=True)
    new_deadline = fields.Date("Deadline", required=True, readonly=True)
    reason = fields.Text("Reason", readonly=True)
    user = fields.Many2One('res.user', "Changed by", readonly=True)
    date = fields.DateTime("Changed at", required=True, readonly=True)
    extension = fields.Many2One('vb.task.extension', "Extension",
        readonly=True, ondelete='SET NULL')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('task')
        t = cls.__table__()
        cls._sql_indexes.add(Index(t, (t.task, Index.Equality())))
        cls._order = [('date', 'ASC'), ('id', 'ASC')]

    def get_rec_name(self, name):
        return _fmt(self.new_deadline)


class Document(metaclass=PoolMeta):
    __name__ = 'vb.document'

    tasks = fields.One2Many('vb.task', 'document', "Tasks", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._buttons.update({
                'create_tasks': {
                    'invisible': ~Eval('state').in_(TASK_DOCUMENT_STATES),
                    'icon': 'tryton-forward',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def copy(cls, documents, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('tasks', None)
        return super().copy(documents, default=default)

    @classmethod
    @ModelView.button_action('vb_workflow.wizard_task_assign')
    def create_tasks(cls, documents):
        for document in documents:
            document.check_task_source()

    def check_task_source(self):
        if self.state not in TASK_DOCUMENT_STATES:
            states = dict(self.fields_get(['state'])['state']['selection'])
            raise WorkflowError(gettext(
                    'vb_workflow.msg_task_document_state',
                    document=self.rec_name,
                    state=states.get(self.state, self.state)))


class Cron(metaclass=PoolMeta):
    __name__ = 'ir.cron'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.method.selection.append(
            ('vb.task|remind', "Remind Task Deadlines"))


class SubmitStart(ModelView):
    "Report on a Task"
    __string__ = "Report on a Task"
    __name__ = 'vb.task.submit.start'

    kind = fields.Selection([
            ('progress', "Progress"),
            ('result', "Result"),
            ], "Report", required=True,
        help="A result goes to the assigner for approval.")
    progress = fields.Integer("Progress (%)",
        domain=[If(Eval('kind') == 'progress',
                [('progress', '>=', 0), ('progress', '<=', 100)],
                [])],
        states={
            'invisible': Eval('kind') != 'progress',
            'required': Eval('kind') == 'progress',
            })
    content = fields.Text("Content", required=True)
    files = fields.One2Many('vb.task.submit.file', None, "Files")


class SubmitFile(ModelView):
    "A file sent with a report"
    __string__ = "Report File"
    __name__ = 'vb.task.submit.file'

    name = fields.Char("Name", required=True)
    data = fields.Binary("File", filename='name', required=True)


class Submit(Wizard):
    "Report Progress or the Result of a Task"
    __name__ = 'vb.task.submit'
    start = StateView('vb.task.submit.start',
        'vb_workflow.task_submit_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Report", 'submit', 'tryton-ok', default=True),
            ])
    submit = StateTransition()

    def default_start(self, fields):
        return {
            'kind': 'progress',
            'progress': self.record.progress if self.record else 0,
            }

    def transition_submit(self):
        start = self.start
        files = [(f.name, f.data) for f in start.files]
        if start.kind == 'result':
            self.model.do_submit_result(self.records, start.content, files)
        else:
            self.model.do_report_progress(
                self.records, start.content, start.progress, files)
        return 'end'


class ExtendStart(ModelView):
    "Ask for More Time"
    __string__ = "Ask for More Time"
    __name__ = 'vb.task.extend.start'

    deadline = fields.Date("Current Deadline", readonly=True)
    new_deadline = fields.Date("New Deadline", required=True,
        domain=[If(Bool(Eval('deadline')),
                ('new_deadline', '>', Eval('deadline')), ())])
    reason = fields.Text("Reason", required=True)


class Extend(Wizard):
    "Ask for More Time"
    __name__ = 'vb.task.extend'
    start = StateView('vb.task.extend.start',
        'vb_workflow.task_extend_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Ask", 'request', 'tryton-ok', default=True),
            ])
    request = StateTransition()

    def default_start(self, fields):
        return {'deadline': self.record.deadline if self.record else None}

    def transition_request(self):
        self.model.do_request_extension(
            self.records, self.start.new_deadline, self.start.reason)
        return 'end'


class ReasonStart(ModelView):
    "Give a Reason"
    __string__ = "Give a Reason"
    __name__ = 'vb.task.reason.start'

    reason = fields.Text("Reason", required=True)


class RejectResult(Wizard):
    "Reject the Result of a Task"
    __name__ = 'vb.task.reject_result'
    start = StateView('vb.task.reason.start',
        'vb_workflow.task_reason_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Reject", 'reject', 'tryton-ok', default=True),
            ])
    reject = StateTransition()

    def transition_reject(self):
        self.model.do_reject_result(self.records, self.start.reason)
        return 'end'


class RefuseExtension(Wizard):
    "Refuse the Extension of a Task"
    __name__ = 'vb.task.refuse_extension'
    start = StateView('vb.task.reason.start',
        'vb_workflow.task_reason_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Refuse", 'refuse', 'tryton-ok', default=True),
            ])
    refuse = StateTransition()

    def transition_refuse(self):
        self.model.do_refuse_extension(self.records, self.start.reason)
        return 'end'


class AssignStart(ModelView):
    "Create Tasks from a Document"
    __string__ = "Create Tasks from a Document"
    __name__ = 'vb.task.assign.start'

    document = fields.Many2One('vb.document', "Document", readonly=True)
    company = fields.Many2One('company.company', "Agency", readonly=True)
    name = fields.Char("Title", required=True)
    description = fields.Text("Description")
    assigner = fields.Many2One('res.user', "Assigned by", required=True,
        domain=[('companies', 'in', [Eval('company', -1)])])
    deadline = fields.Date("Deadline", required=True)
    agencies = fields.Many2Many('company.company', None, None,
        "Agencies",
        domain=[('external', '=', False), ('id', '!=', Eval('company', -1))],
        help="One task is created for each agency, unit and person.")
    units = fields.Many2Many('vb.unit', None, None, "Units",
        domain=[('company', '=', Eval('company', -1))])
    users = fields.Many2Many('res.user', None, None, "Persons",
        domain=[('companies', 'in', [Eval('company', -1)])])
    co_units = fields.Many2Many('vb.unit', None, None, "Co-assigned Units",
        domain=[('company', '=', Eval('company', -1))])
    co_users = fields.Many2Many('res.user', None, None,
        "Co-assigned Persons",
        domain=[('companies', 'in', [Eval('company', -1)])])


class Assign(Wizard):
    "Create Tasks from a Document"
    __name__ = 'vb.task.assign'
    start = StateView('vb.task.assign.start',
        'vb_workflow.task_assign_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Create Tasks", 'assign', 'tryton-ok', default=True),
            ])
    assign = StateTransition()

    def default_start(self, fields):
        document = self.record
        user = Transaction().user
        values = {
            'document': document.id,
            'company': document.company.id,
            'name': (document.subject or '').splitlines()[0][:200]
            if document.subject else None,
            'deadline': document.deadline or default_deadline(document),
            }
        if user and document.company in Pool().get('res.user')(
                user).companies:
            values['assigner'] = user
        return values

    def transition_assign(self):
        Task = Pool().get('vb.task')
        start = self.start
        document = self.record
        document.check_task_source()
        targets = ([('agency', a) for a in start.agencies]
            + [('unit', u) for u in start.units]
            + [('user', u) for u in start.users])
        if not targets:
            raise WorkflowValidationError(gettext(
                    'vb_workflow.msg_task_no_assignee'))
        Task.create([{
                    'company': document.company.id,
                    'document': document.id,
                    'name': start.name,
                    'description': start.description,
                    'assigner': start.assigner.id,
                    'deadline': start.deadline,
                    'assignee_type': kind,
                    'assignee_' + kind: target.id,
                    'co_units': [('add', [u.id for u in start.co_units
                                if kind != 'agency'])],
                    'co_users': [('add', [u.id for u in start.co_users])],
                    } for kind, target in targets])
        return 'end'
