# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""Processing of incoming documents (xử lý văn bản đến).

The clerk submits (trình) a registered document to a leader, or directly
to a unit; the leader assigns it (phân công) with a directive (bút phê)
to a lead handler, co-handlers and recipients for information; a unit
head passes the unit's part to officers; officers handle, report, forward
or return it; the lead closes it. Each of these is an assignment
(vb.document.assignment) made by the holder of another one, so the
assignments form the tree of who assigned whom, and each action is an
event (vb.document.event) of the document's timeline.
"""
import datetime as dt

from sql.aggregate import Count
from sql.conditionals import Coalesce, NullIf
from sql.functions import CurrentTimestamp

from trytond import backend
from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, fields, tree
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Bool, Eval, If, PYSONEncoder
from trytond.tools import grouped_slice, reduce_ids
from trytond.transaction import Transaction, without_check_access
from trytond.wizard import (
    Button, StateTransition, StateView, Wizard)

from trytond.modules.vb_document.model import SelectionStringsMixin

from .configuration import default_deadline
from .exceptions import WorkflowError, WorkflowValidationError
from .notify import tell
from .staff import (
    agency_staff, group_id, headed_units, in_group, unit_heads)

ROLES = [
    ('submit', "Submitted"),
    ('lead', "Lead"),
    ('co', "Co-handling"),
    ('info', "For Information"),
    ]
STATES = [
    ('pending', "To Do"),
    ('processing', "In Progress"),
    ('done', "Done"),
    ('transferred', "Passed On"),
    ('returned', "Returned"),
    ('closed', "Closed"),
    ]
OPEN = ['pending', 'processing']
PROCESSING_STATES = [
    (None, ""),
    ('submitted', "Submitted"),
    ('assigned', "Assigned"),
    ('processing', "In Progress"),
    ('done', "Completed"),
    ('returned', "Returned"),
    ]
ACTIONS = [
    ('submit', "Submitted"),
    ('assign', "Assigned"),
    ('reassign', "Assigned within the Unit"),
    ('forward', "Forwarded"),
    ('progress', "Reported Progress"),
    ('result', "Reported the Result"),
    ('opinion', "Gave an Opinion"),
    ('read', "Read"),
    ('return', "Returned"),
    ('reply', "Drafted a Reply"),
    ('close', "Completed"),
    ('reopen', "Reopened"),
    ]
# What an officer may do on the "Handle" wizard, by role
HANDLE_ACTIONS = {
    'lead': ['progress', 'result', 'forward', 'return'],
    'co': ['opinion', 'progress', 'forward', 'return'],
    'info': ['read'],
    'submit': ['return'],
    }


class Assignment(SelectionStringsMixin, tree(), ModelSQL, ModelView):
    "Assignment of a document to a person or a unit"
    __string__ = "Assignment"
    __name__ = 'vb.document.assignment'
    _rec_name = 'handler'

    document = fields.Many2One('vb.document', "Document", required=True,
        readonly=True, ondelete='CASCADE')
    company = fields.Many2One('company.company', "Agency", required=True,
        readonly=True, ondelete='CASCADE')
    parent = fields.Many2One('vb.document.assignment', "Assigned Within",
        readonly=True, ondelete='CASCADE')
    children = fields.One2Many('vb.document.assignment', 'parent',
        "Assigned On", readonly=True)
    role = fields.Selection(ROLES, "Role", required=True, readonly=True)
    user = fields.Many2One('res.user', "Person", readonly=True,
        ondelete='RESTRICT')
    unit = fields.Many2One('vb.unit', "Unit", readonly=True,
        ondelete='RESTRICT')
    assigned_by = fields.Many2One('res.user', "Assigned By", readonly=True,
        ondelete='RESTRICT')
    on_behalf_of = fields.Many2One('res.user', "On Behalf Of", readonly=True,
        ondelete='RESTRICT',
        help="The leader whose delegation the assigner used.")
    authority = fields.Char("Authority", readonly=True)
    directive = fields.Text("Directive", readonly=True,
        help="The bút phê of the assigning leader.")
    deadline = fields.Date("Deadline", readonly=True)
    state = fields.Selection(STATES, "Status", required=True, readonly=True,
        sort=False)
    assigned_at = fields.DateTime("Assigned At", readonly=True)
    done_at = fields.DateTime("Done At", readonly=True)
    note = fields.Text("Note", readonly=True,
        help="The result, the opinion or the reason of the return.")
    role_string = role.translated('role')
    state_string = state.translated('state')
    reminded = fields.Selection([
            (None, ""),
            ('soon', "Due Soon"),
            ('overdue', "Overdue"),
            ], "Reminded", readonly=True)
    handler = fields.Function(fields.Char("Handler"), 'get_list_fields',
        searcher='search_handler')
    overdue = fields.Function(fields.Boolean("Overdue"),
        'get_list_fields', searcher='search_overdue')
    mine = fields.Function(fields.Boolean("Mine"),
        'get_mine', searcher='search_mine')
    document_state = fields.Function(fields.Selection(
            PROCESSING_STATES, "Document Processing"),
        'get_list_fields')
    arrival_number = fields.Function(fields.Integer("Arrival Number"),
        'get_list_fields')
    issuer_name = fields.Function(fields.Char("Issuing Agency"),
        'get_list_fields')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls.__access__.add('document')
        cls._sql_indexes.update({
                Index(t, (t.document, Index.Equality())),
                Index(t, (t.parent, Index.Equality())),
                Index(t,
                    (t.user, Index.Equality()),
                    (t.state, Index.Equality(cardinality='low')),
                    (t.deadline, Index.Range())),
                Index(t,
                    (t.unit, Index.Equality()),
                    (t.state, Index.Equality(cardinality='low'))),
                # The reminder cron scans the open items by deadline
                Index(t,
                    (t.deadline, Index.Range()),
                    where=t.state.in_(OPEN)),
                })
        cls._order = [('assigned_at', 'ASC'), ('id', 'ASC')]

    @classmethod
    def default_state(cls):
        return 'pending'

    @classmethod
    def get_rec_name(cls, assignments, name):
        values = cls.get_list_fields(assignments, ['handler', 'document'])
        Document = Pool().get('vb.document')
        documents = Document.names_of(list(set(values['document'].values())))
        return {i: '%s: %s' % (handler, documents[values['document'][i]])
            for i, handler in values['handler'].items()}

    @classmethod
    def get_list_fields(cls, assignments, names):
        """The computed columns of the lists, in one query.

        The personal lists show 80 rows: the handler, the document's
        number, issuer and state and whether it is overdue are read with
        the assignments, and the names of the few distinct units after.
        """
        pool = Pool()
        Document = pool.get('vb.document')
        User = pool.get('res.user')
        Unit = pool.get('vb.unit')
        table = cls.__table__()
        document = Document.__table__()
        user = User.__table__()
        today = pool.get('ir.date').today() if 'overdue' in names else None
        cursor = Transaction().connection.cursor()
        rows = []
        for sub_ids in grouped_slice(
                [a.id for a in assignments], backend.MAX_QUERY_PARAMS):
            cursor.execute(*table
                .join(document, condition=document.id == table.document)
                .join(user, 'LEFT', condition=user.id == table.user)
                .select(table.id,
                    Coalesce(NullIf(user.name, ''), user.login), table.unit,
                    table.document, document.register_number,
                    document.issuer_name, document.processing_state,
                    table.state, table.deadline,
                    where=reduce_ids(table.id, sub_ids)))
            rows.extend(cursor)
        units = {u.id: u.rec_name for u in Unit.browse(
                list({r[2] for r in rows if r[2]}))}
        result = {n: {} for n in names}
        for (id_, person, unit, document_id, number, issuer, processing,
                state, deadline) in rows:
            values = {
                'handler': person or units.get(unit, ''),
                'document': document_id,
                'arrival_number': number,
                'issuer_name': issuer,
                'document_state': processing,
                'overdue': bool(today and state in OPEN and deadline
                    and deadline < today),
                }
            for name in names:
                result[name][id_] = values[name]
        return result

    @classmethod
    def search_handler(cls, name, clause):
        _, operator, value = clause[:3]
        bool_op = 'AND' if operator.startswith(('!', 'not ')) else 'OR'
        return [bool_op,
            ('user.rec_name', operator, value),
            ('unit.rec_name', operator, value),
            ]

    @classmethod
    def search_overdue(cls, name, clause):
        today = Pool().get('ir.date').today()
        _, operator, value = clause[:3]
        overdue = [('state', 'in', OPEN), ('deadline', '<', today)]
        if (operator == '=') == bool(value):
            return overdue
        return ['OR', ('state', 'not in', OPEN), ('deadline', '=', None),
            ('deadline', '>=', today)]

    def get_mine(self, name):
        return Transaction().user in {u.id for u in self.actors()}

    @classmethod
    def search_mine(cls, name, clause):
        """The assignments the current user holds.

        Their own, those of the units they head, and the documents
        submitted to the leaders who delegated them the right to assign.
        """
        Delegation = Pool().get('vb.delegation')
        user = Transaction().user
        domain = ['OR', ('user', '=', user)]
        units = headed_units()
        if units:
            domain.append([('user', '=', None), ('unit', 'in', units)])
        principals = Delegation.principals(user, 'assign')
        if principals:
            domain.append([
                    ('user', 'in', principals),
                    ('role', '=', 'submit'),
                    ])
        _, operator, value = clause[:3]
        if (operator == '=') == bool(value):
            return domain
        return [('id', 'not in', cls.search(domain, query=True))]

    def actors(self):
        "The users who hold the assignment"
        if self.user:
            return [self.user]
        if self.unit:
            return unit_heads([self.unit])
        return []

    @property
    def is_open(self):
        return self.state in OPEN

    def check_actor(self, right=None, what=''):
        """Return (user acting, delegation) or raise.

        right is the delegable right ('assign') a deputy may use.
        """
        Delegation = Pool().get('vb.delegation')
        actors = self.actors()
        if right:
            return Delegation.acting(actors, right, what)
        user = Transaction().user
        if user and user not in {a.id for a in actors}:
            User = Pool().get('res.user')
            raise WorkflowError(gettext('vb_workflow.msg_not_allowed',
                    user=User(user).rec_name, what=what))
        return None, None

    @classmethod
    def remind(cls):
        """Tell handlers what falls due soon and what is overdue.

        Each assignment is reminded once when it enters the warning
        window of its agency and once when it becomes overdue; each
        handler gets one notification per kind listing the documents.
        """
        pool = Pool()
        Date = pool.get('ir.date')
        Day = pool.get('vb.workflow.day')
        Company = pool.get('company.company')
        Document = pool.get('vb.document')
        today = Date.today()
        calendar = Day.calendar()
        limits = {}
        for company in Company.search([('external', '=', False)]):
            days = company.get_warning_days()
            if days not in limits:
                limits[days] = (calendar.add_working_days(today, days), [])
            limits[days][1].append(company.id)
        soon = ['OR'] + [[
                ('company', 'in', ids),
                ('deadline', '<=', limit),
                ] for limit, ids in limits.values()]
        batches = {
            'overdue': [
                ('state', 'in', OPEN),
                ('deadline', '<', today),
                ['OR', ('reminded', '=', None),
                    ('reminded', '!=', 'overdue')],
                ],
            'soon': [
                ('state', 'in', OPEN),
                ('deadline', '>=', today),
                ('reminded', '=', None),
                soon,
                ],
            }
        Unit = pool.get('vb.unit')
        transaction = Transaction()
        cursor = transaction.connection.cursor()
        table = cls.__table__()
        heads = {}
        for kind, domain in batches.items():
            # Rows, not records: browsing 200,000 records one by one and
            # writing them one by one took over 10 minutes
            cursor.execute(*table.select(
                    table.id, table.user, table.unit, table.document,
                    where=table.id.in_(cls.search(domain, query=True)),
                    order_by=[table.id.asc]))
            rows = cursor.fetchall()
            documents = {}
            for _, user, unit, document in rows:
                if user:
                    users = [user]
                else:
                    if unit not in heads:
                        heads[unit] = [
                            u.id for u in unit_heads([Unit(unit)])]
                    users = heads[unit]
                for user in users:
                    documents.setdefault(user, set()).add(document)
            for user, ids in documents.items():
                Document.notify_user(
                    [Document(i) for i in sorted(ids)], 'tryton-warning',
                    gettext('vb_workflow.msg_remind_' + kind,
                        count=len(ids)), user=user)
            for sub in grouped_slice(
                    [r[0] for r in rows], backend.MAX_QUERY_PARAMS):
                cursor.execute(*table.update(
                        [table.reminded, table.write_uid, table.write_date],
                        [kind, transaction.user, CurrentTimestamp()],
                        where=reduce_ids(table.id, sub)))

    @classmethod
    def send_digest(cls):
        "E-mail the leaders of each agency the overdue items of the agency"
        pool = Pool()
        Date = pool.get('ir.date')
        Company = pool.get('company.company')
        from .notify import send_email
        today = Date.today()
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*table.select(table.company, Count(table.id),
                where=table.state.in_(OPEN) & (table.deadline < today),
                group_by=[table.company]))
        for company_id, count in cursor:
            company = Company(company_id)
            leaders = [u for u in agency_staff(company, ['leader'])
                if u.email]
            if not leaders:
                continue
            overdue = cls.search([
                    ('company', '=', company.id),
                    ('overdue', '=', True),
                    ], order=[('deadline', 'ASC')], limit=50)
            lines = ['- %s: %s (%s %s)' % (
                    a.handler, a.document.rec_name,
                    gettext('vb_workflow.msg_digest_due'),
                    a.deadline.strftime('%d/%m/%Y')) for a in overdue]
            if count > len(lines):
                lines.append(gettext('vb_workflow.msg_digest_more',
                        count=count - len(lines)))
            subject = gettext('vb_workflow.msg_digest_subject',
                agency=company.rec_name, count=count,
                date=today.strftime('%d/%m/%Y'))
            send_email([u.email for u in leaders], subject,
                subject + '\n\n' + '\n'.join(lines))

    def check_open(self):
        "Refuse acting on an assignment another action already finished"
        if not self.is_open:
            raise WorkflowError(gettext(
                    'vb_workflow.msg_assignment_not_open',
                    document=self.document.rec_name,
                    handler=self.handler,
                    state=self.state_string))


class Event(ModelSQL, ModelView):
    "Step of the processing of a document"
    __string__ = "Processing Event"
    __name__ = 'vb.document.event'

    document = fields.Many2One('vb.document', "Document", required=True,
        readonly=True, ondelete='CASCADE')
    assignment = fields.Many2One('vb.document.assignment', "Assignment",
        readonly=True, ondelete='SET NULL')
    date = fields.DateTime("Date", required=True, readonly=True)
    user = fields.Many2One('res.user', "By", required=True, readonly=True,
        ondelete='RESTRICT')
    on_behalf_of = fields.Many2One('res.user', "On Behalf Of",
        readonly=True, ondelete='RESTRICT')
    authority = fields.Char("Authority", readonly=True)
    action = fields.Selection(ACTIONS, "Action", required=True,
        readonly=True)
    action_string = action.translated('action')
    description = fields.Text("Description", readonly=True,
        help="To whom, with which deadline.")
    note = fields.Text("Note", readonly=True)
    files = fields.One2Many('ir.attachment', 'resource', "Files",
        readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls.__access__.add('document')
        cls._sql_indexes.add(Index(t, (t.document, Index.Equality())))
        cls._order = [('date', 'ASC'), ('id', 'ASC')]

    def get_rec_name(self, name):
        return '%s %s' % (self.user.rec_name, self.action_string)

    @classmethod
    def check_modification(cls, mode, events, values=None, external=False):
        super().check_modification(
            mode, events, values=values, external=external)
        # The history is written by the actions only
        if external and mode in {'write', 'delete'}:
            raise WorkflowError(gettext('vb_workflow.msg_event_readonly'))


class Recipient(metaclass=PoolMeta):
    __name__ = 'vb.document.recipient'

    processing_state = fields.Selection(PROCESSING_STATES,
        "Processing Status", readonly=True,
        help="How the recipient handles the document.")
    processing_date = fields.DateTime("Processing Status Date",
        readonly=True)


class Document(metaclass=PoolMeta):
    __name__ = 'vb.document'

    processing_state = fields.Selection(PROCESSING_STATES, "Processing",
        readonly=True, sort=False,
        states={'invisible': Eval('direction') != 'incoming'})
    processing_state_string = processing_state.translated(
        'processing_state')
    assignments = fields.One2Many('vb.document.assignment', 'document',
        "Assignments", readonly=True)
    events = fields.One2Many('vb.document.event', 'document',
        "Processing History", readonly=True)
    completed_at = fields.DateTime("Completed At", readonly=True,
        states={'invisible': ~Eval('completed_at')})
    my_actions = fields.Function(fields.MultiSelection([
                ('submit', "Submit"),
                ('assign', "Assign"),
                ('handle', "Handle"),
                ('reply', "Draft a Reply"),
                ('close', "Complete"),
                ('reopen', "Reopen"),
                ], "My Actions"), 'get_my_actions')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.add(Index(t,
                (t.company, Index.Equality()),
                (t.processing_state, Index.Equality(cardinality='low')),
                where=t.direction == 'incoming'))
        can = Eval('my_actions', [])
        cls._buttons.update({
                'submit': {
                    'invisible': ~can.contains('submit'),
                    'icon': 'tryton-forward',
                    'depends': ['my_actions'],
                    },
                'assign': {
                    'invisible': ~can.contains('assign'),
                    'icon': 'tryton-forward',
                    'depends': ['my_actions'],
                    },
                'handle': {
                    'invisible': ~can.contains('handle'),
                    'icon': 'tryton-ok',
                    'depends': ['my_actions'],
                    },
                'draft_reply': {
                    'invisible': ~can.contains('reply'),
                    'icon': 'tryton-create',
                    'depends': ['my_actions'],
                    },
                'complete': {
                    'invisible': ~can.contains('close'),
                    'icon': 'tryton-ok',
                    'depends': ['my_actions'],
                    },
                'reopen': {
                    'invisible': ~can.contains('reopen'),
                    'icon': 'tryton-refresh',
                    'depends': ['my_actions'],
                    },
                })

    @classmethod
    def view_attributes(cls):
        return super().view_attributes() + [
            ('//page[@id="processing"]', 'states',
                {'invisible': Eval('direction') != 'incoming'}),
            ]

    @classmethod
    def _open_domain(cls):
        return ['OR', super()._open_domain(), [
                ('direction', '=', 'incoming'),
                ('state', '=', 'registered'),
                ('processing_state', '!=', 'done'),
                ]]

    @classmethod
    def copy(cls, documents, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('processing_state', None)
        default.setdefault('assignments', None)
        default.setdefault('events', None)
        default.setdefault('completed_at', None)
        return super().copy(documents, default=default)

    def get_my_actions(self, name):
        pool = Pool()
        User = pool.get('res.user')
        if self.direction != 'incoming' or self.state != 'registered':
            return []
        user = User(Transaction().user)
        actions = []
        if (in_group(user, 'clerk')
                and self.processing_state in {None, 'returned'}
                and not self._open_assignments(['submit', 'lead'])):
            actions.append('submit')
        mine = self._my_assignments()
        roles = {a.role for a in mine}
        if 'submit' in roles or any(a.unit and a.role in {'lead', 'co'}
                for a in mine):
            actions.append('assign')
        if mine:
            actions.append('handle')
        if self.processing_state == 'done':
            if in_group(user, 'leader') or self._assigners(user):
                actions.append('reopen')
        else:
            if any(a.role == 'lead' for a in mine):
                actions.append('reply')
            if self._my_assignments(roles=['lead'], states=OPEN + ['done']):
                actions.append('close')
        return actions

    def _open_assignments(self, roles=None):
        return [a for a in self.assignments
            if a.is_open and (roles is None or a.role in roles)]

    def _my_assignments(self, roles=None, states=OPEN):
        "The open assignments of the document the current user holds"
        Assignment = Pool().get('vb.document.assignment')
        if getattr(self, 'id', -1) is None or self.id < 0:
            return []
        domain = [
            ('document', '=', self.id),
            ('state', 'in', states),
            ('mine', '=', True),
            ]
        if roles:
            domain.append(('role', 'in', roles))
        return Assignment.search(domain)

    def _assigners(self, user):
        return [a for a in self.assignments if a.assigned_by == user
            or a.on_behalf_of == user]

    def _relation_handlers(self):
        "Who processed the document is told when it is revoked or replaced"
        users = {u for u in super()._relation_handlers()}
        for assignment in self.assignments:
            users.update(assignment.actors())
        return sorted(users, key=lambda u: u.id)

    @classmethod
    def set_processing_state(cls, documents, state):
        """Move the documents' processing and tell their senders.

        The sender of a document delivered inside the installation sees
        the status on its recipient line (vb_lgsp sends it outside).
        """
        pool = Pool()
        Recipient = pool.get('vb.document.recipient')
        now = dt.datetime.now()
        values = {'processing_state': state}
        if state == 'done':
            values['completed_at'] = now
        elif state is not None:
            values['completed_at'] = None
        cls.write(documents, values)
        delivered = [d.origin for d in documents if d.origin]
        if delivered:
            Recipient.write(delivered, {
                    'processing_state': state,
                    'processing_date': now,
                    })
            # The label in the language of the user, not the source
            labels = dict(Recipient.fields_get(['processing_state'])[
                    'processing_state']['selection'])
            for recipient in delivered:
                sender = recipient.document
                tell([sender.numbered_by] if sender.numbered_by else [],
                    sender, 'vb_workflow.msg_sender_status',
                    agency=recipient.agency.rec_name,
                    document=sender.rec_name,
                    status=labels[state])

    @classmethod
    def lock_for_processing(cls, documents):
        """Lock the documents before a processing action.

        A concurrent action on the same document waits or restarts, and
        then finds the state it left: it is refused with a clear message
        instead of both actions being saved.
        """
        cls.lock(documents)

    @classmethod
    def _check_registered(cls, documents):
        for document in documents:
            if (document.direction != 'incoming'
                    or document.state != 'registered'):
                raise WorkflowError(gettext(
                        'vb_workflow.msg_document_not_registered',
                        document=document.rec_name))

    @classmethod
    @ModelView.button_action('vb_workflow.wizard_submit')
    def submit(cls, documents):
        pass

    @classmethod
    @ModelView.button_action('vb_workflow.wizard_assign')
    def assign(cls, documents):
        pass

    @classmethod
    @ModelView.button_action('vb_workflow.wizard_handle')
    def handle(cls, documents):
        pass

    @classmethod
    @ModelView.button_action('vb_workflow.wizard_reopen')
    def reopen(cls, documents):
        pass

    @classmethod
    @ModelView.button_action('vb_workflow.wizard_complete')
    def complete(cls, documents):
        pass

    @classmethod
    @ModelView.button
    def draft_reply(cls, documents):
        "Create the outgoing draft answering the document and open it"
        pool = Pool()
        Action = pool.get('ir.action')
        ModelData = pool.get('ir.model.data')
        replies = [Processing.draft_reply(d) for d in documents]
        if not replies:
            return
        action = Action(Action.get_action_id(ModelData.get_id(
                    'vb_document', 'act_document_outgoing'))
            ).get_action_value()
        action['res_id'] = [r.id for r in replies]
        action['views'].reverse()
        action['pyson_domain'] = PYSONEncoder().encode(
            [('id', 'in', [r.id for r in replies])])
        return action


class Processing:
    """The processing actions, shared by the wizards, RPC and tests.

    Each action locks the document first, checks that the acting user
    holds the assignment it acts on and that nobody moved it meanwhile,
    then records an event and tells the next actors.
    """

    @staticmethod
    def _event(document, action, assignment=None, note=None,
            description=None, delegation=None, files=()):
        pool = Pool()
        Event = pool.get('vb.document.event')
        Attachment = pool.get('ir.attachment')
        event, = Event.create([{
                    'document': document.id,
                    'assignment': assignment.id if assignment else None,
                    'date': dt.datetime.now(),
                    'user': Transaction().user or 1,
                    'on_behalf_of': (
                        delegation.principal.id if delegation else None),
                    'authority': delegation.mark if delegation else None,
                    'action': action,
                    'note': note,
                    'description': description,
                    }])
        if files:
            Attachment.create([{
                        'name': name, 'data': data,
                        'resource': str(event),
                        } for name, data in files])
        if delegation:
            delegation.notify_action(document,
                dict(Event.fields_get(['action'])['action']['selection'])[
                    action])
        return event

    @classmethod
    def submit(cls, document, leader=None, unit=None, note=None):
        "The clerk submits a registered document to a leader or a unit"
        pool = Pool()
        Document = pool.get('vb.document')
        Assignment = pool.get('vb.document.assignment')
        Document.lock_for_processing([document])
        Document._check_registered([document])
        if document.processing_state not in {None, 'returned'} \
                or document._open_assignments(['submit', 'lead']):
            raise WorkflowError(gettext(
                    'vb_workflow.msg_document_already_submitted',
                    document=document.rec_name,
                    state=document.processing_state_string))
        if bool(leader) == bool(unit):
            raise WorkflowValidationError(gettext(
                    'vb_workflow.msg_submit_leader_or_unit'))
        now = dt.datetime.now()
        deadline = document.deadline or default_deadline(document)
        cls._check_deadline(document, deadline)
        assignment, = Assignment.create([{
                    'document': document.id,
                    'company': document.company.id,
                    'role': 'submit' if leader else 'lead',
                    'user': leader.id if leader else None,
                    'unit': unit.id if unit else None,
                    'assigned_by': Transaction().user or None,
                    'directive': note,
                    'deadline': deadline,
                    'assigned_at': now,
                    }])
        document.deadline = deadline
        document.save()
        cls._event(document, 'submit', assignment, note=note,
            description=assignment.handler)
        Document.set_processing_state([document],
            'submitted' if leader else 'assigned')
        tell(assignment.actors(), document, 'vb_workflow.msg_submitted',
            document=document.rec_name)
        return assignment

    @staticmethod
    def _check_deadline(document, deadline):
        if deadline and document.arrival_date \
                and deadline < document.arrival_date:
            raise WorkflowValidationError(gettext(
                    'vb_workflow.msg_deadline_before_arrival',
                    deadline=deadline.strftime('%d/%m/%Y'),
                    arrival=document.arrival_date.strftime('%d/%m/%Y')))

    @classmethod
    def assign(cls, assignment, directive=None, lead=None, co=(), info=(),
            deadline=None):
        """Assign the document held by assignment.

        lead, co and info are res.user or vb.unit records. A leader holds
        a submitted document (or takes back a returned one); a unit head
        passes the unit's lead or co-handling part to its officers.
        """
        pool = Pool()
        Document = pool.get('vb.document')
        Assignment = pool.get('vb.document.assignment')
        User = pool.get('res.user')
        document = assignment.document
        Document.lock_for_processing([document])
        assignment = Assignment(assignment.id)
        Document._check_registered([document])
        if not assignment.is_open:
            raise WorkflowError(gettext(
                    'vb_workflow.msg_already_assigned',
                    document=document.rec_name,
                    user=cls._last_actor(assignment)))
        within_unit = bool(assignment.unit) and assignment.role != 'submit'
        if not within_unit and assignment.role != 'submit':
            raise WorkflowError(gettext(
                    'vb_workflow.msg_cannot_assign',
                    document=document.rec_name))
        acting, delegation = assignment.check_actor(
            right=None if within_unit else 'assign',
            what=gettext('vb_workflow.msg_what_assign',
                document=document.rec_name))
        if not lead and assignment.role in {'submit', 'lead'}:
            raise WorkflowValidationError(gettext(
                    'vb_workflow.msg_assign_no_lead'))
        deadline = deadline or assignment.deadline or document.deadline
        cls._check_deadline(document, deadline)
        handlers = [('lead', lead)] if lead else []
        handlers += [('co', h) for h in co] + [('info', h) for h in info]
        seen = set()
        for _, handler in handlers:
            if handler in seen:
                raise WorkflowValidationError(gettext(
                        'vb_workflow.msg_assign_twice',
                        handler=handler.rec_name))
            seen.add(handler)
            if within_unit:
                if not (isinstance(handler, User)
                        and handler.unit == assignment.unit):
                    raise WorkflowValidationError(gettext(
                            'vb_workflow.msg_assign_outside_unit',
                            handler=handler.rec_name,
                            unit=assignment.unit.rec_name))
            elif document.company not in (
                    handler.companies if isinstance(handler, User)
                    else [handler.company]):
                raise WorkflowValidationError(gettext(
                        'vb_workflow.msg_assign_other_agency',
                        handler=handler.rec_name))
        if within_unit and assignment.role == 'co':
            # The unit's part stays co-handling whoever does it
            handlers = [('co' if r == 'lead' else r, h)
                for r, h in handlers]
        now = dt.datetime.now()
        user = Transaction().user or None
        children = Assignment.create([{
                    'document': document.id,
                    'company': document.company.id,
                    'parent': assignment.id,
                    'role': role,
                    'user': handler.id if isinstance(handler, User) else None,
                    'unit': None if isinstance(handler, User) else handler.id,
                    'assigned_by': user,
                    'on_behalf_of': (
                        delegation.principal.id if delegation else None),
                    'authority': delegation.mark if delegation else None,
                    'directive': directive,
                    'deadline': deadline if role != 'info' else None,
                    'assigned_at': now,
                    } for role, handler in handlers])
        # A unit keeps answering for its part while its officers work
        assignment.state = 'processing' if within_unit else 'transferred'
        assignment.done_at = None if within_unit else now
        assignment.save()
        if not within_unit and deadline != document.deadline:
            document.deadline = deadline
            document.save()
        description = '; '.join('%s: %s' % (
                    dict(Assignment.fields_get(['role'])['role'][
                            'selection'])[c.role], c.handler)
            for c in children)
        if deadline:
            description += '; ' + gettext('vb_workflow.msg_deadline_label',
                deadline=deadline.strftime('%d/%m/%Y'))
        cls._event(document, 'reassign' if within_unit else 'assign',
            assignment, note=directive, description=description,
            delegation=delegation)
        if not within_unit:
            Document.set_processing_state([document], 'assigned')
        for child in children:
            tell(child.actors(), document,
                'vb_workflow.msg_assigned_' + child.role,
                document=document.rec_name, directive=directive or '',
                assigner=User(user).rec_name if user else '')
        return children

    @staticmethod
    def _last_actor(assignment):
        "Who moved the assignment, for the message of the loser of a race"
        Event = Pool().get('vb.document.event')
        events = Event.search([('assignment', '=', assignment.id)],
            order=[('id', 'DESC')], limit=1)
        return events[0].user.rec_name if events else ''

    @classmethod
    def handle(cls, assignment, action, note=None, forward_to=None,
            files=()):
        """An officer acts on their assignment.

        action: progress, result, opinion, read, forward or return.
        """
        pool = Pool()
        Document = pool.get('vb.document')
        Assignment = pool.get('vb.document.assignment')
        document = assignment.document
        Document.lock_for_processing([document])
        assignment = Assignment(assignment.id)
        Document._check_registered([document])
        assignment.check_open()
        assignment.check_actor(what=gettext(
                'vb_workflow.msg_what_handle', document=document.rec_name))
        if action not in HANDLE_ACTIONS.get(assignment.role, []):
            raise WorkflowValidationError(gettext(
                    'vb_workflow.msg_handle_wrong_action',
                    role=assignment.role_string))
        if action in {'result', 'opinion', 'return', 'progress'} \
                and not (note and note.strip()):
            raise WorkflowValidationError(gettext(
                    'vb_workflow.msg_handle_note_required'))
        now = dt.datetime.now()
        description = None
        tell_users = []
        if action == 'progress':
            assignment.state = 'processing'
            tell_users = [assignment.assigned_by]
        elif action in {'result', 'opinion', 'read'}:
            assignment.state = 'done'
            assignment.done_at = now
            assignment.note = note
            if action != 'read':
                tell_users = [assignment.assigned_by]
        elif action == 'forward':
            if not forward_to:
                raise WorkflowValidationError(gettext(
                        'vb_workflow.msg_forward_to_required'))
            if document.company not in forward_to.companies:
                raise WorkflowValidationError(gettext(
                        'vb_workflow.msg_assign_other_agency',
                        handler=forward_to.rec_name))
            child, = Assignment.create([{
                        'document': document.id,
                        'company': document.company.id,
                        'parent': assignment.id,
                        'role': assignment.role,
                        'user': forward_to.id,
                        'assigned_by': Transaction().user or None,
                        'directive': note,
                        'deadline': assignment.deadline,
                        'assigned_at': now,
                        }])
            assignment.state = 'transferred'
            assignment.done_at = now
            description = forward_to.rec_name
            tell(child.actors(), document,
                'vb_workflow.msg_assigned_' + child.role,
                document=document.rec_name, directive=note or '',
                assigner=child.assigned_by.rec_name
                if child.assigned_by else '')
        elif action == 'return':
            assignment.state = 'returned'
            assignment.done_at = now
            assignment.note = note
            tell_users = [assignment.assigned_by]
        assignment.save()
        cls._event(document, action, assignment, note=note,
            description=description, files=files)
        if action == 'return' and assignment.role in {'lead', 'submit'}:
            cls._take_back(assignment)
        elif action in {'result', 'opinion'} and cls._unit_part(assignment):
            # The officer's result is the unit's
            parent = cls._unit_part(assignment)
            parent.state = 'done'
            parent.done_at = now
            parent.note = note
            parent.save()
        if action in {'progress', 'result'} and assignment.role == 'lead' \
                and document.processing_state != 'processing':
            Document.set_processing_state([document], 'processing')
        tell(tell_users, document, 'vb_workflow.msg_handled',
            document=document.rec_name,
            user=Pool().get('res.user')(Transaction().user).rec_name
            if Transaction().user else '',
            action=dict(ACTIONS)[action], note=note or '')

    @staticmethod
    def _unit_part(assignment):
        "The open unit assignment an officer works for, through forwards"
        parent = assignment.parent
        while parent and parent.user and parent.state == 'transferred':
            parent = parent.parent
        if (parent and parent.unit and parent.is_open
                and parent.role == assignment.role):
            return parent

    @classmethod
    def _take_back(cls, assignment):
        """The lead handler returned it: who gave it takes it back.

        A unit head gets the unit's part again, a leader the document to
        assign again; when the clerk's submission itself is returned the
        document waits for the clerk to submit it again.
        """
        Document = Pool().get('vb.document')
        document = assignment.document
        parent = assignment.parent
        if parent and parent.state in {'transferred', 'processing', 'done'}:
            parent.state = 'pending'
            parent.done_at = None
            parent.save()
            if parent.role == 'submit':
                # Back with the leader, who assigns it again
                Document.set_processing_state([document], 'submitted')
        else:
            Document.set_processing_state([document], 'returned')
            tell([assignment.assigned_by] if assignment.assigned_by else [],
                document, 'vb_workflow.msg_returned_to_clerk',
                document=document.rec_name, note=assignment.note or '')

    @classmethod
    def complete(cls, document, note=None):
        "The lead handler (or the unit heading it) completes the document"
        pool = Pool()
        Document = pool.get('vb.document')
        Assignment = pool.get('vb.document.assignment')
        User = pool.get('res.user')
        Document.lock_for_processing([document])
        document = Document(document.id)
        Document._check_registered([document])
        if document.processing_state == 'done':
            raise WorkflowError(gettext(
                    'vb_workflow.msg_already_completed',
                    document=document.rec_name))
        # The lead may complete after reporting the result
        mine = document._my_assignments(
            roles=['lead'], states=OPEN + ['done'])
        if not mine:
            raise WorkflowError(gettext('vb_workflow.msg_not_allowed',
                    user=User(Transaction().user).rec_name,
                    what=gettext('vb_workflow.msg_what_complete',
                        document=document.rec_name)))
        now = dt.datetime.now()
        to_close = [a for a in document.assignments if a.is_open]
        leads = [a for a in to_close if a.role == 'lead']
        others = [a for a in to_close if a.role != 'lead']
        if leads:
            Assignment.write(leads, {
                    'state': 'done', 'done_at': now, 'note': note})
        if others:
            Assignment.write(others, {'state': 'closed', 'done_at': now})
        cls._event(document, 'close', mine[0], note=note)
        Document.set_processing_state([document], 'done')
        assigners = {a.assigned_by for a in document.assignments
            if a.role == 'lead' and a.assigned_by}
        tell(assigners, document, 'vb_workflow.msg_completed',
            document=document.rec_name, note=note or '')

    @classmethod
    def reopen(cls, document, reason):
        "A leader of the agency, or an assigner, reopens a completed one"
        pool = Pool()
        Document = pool.get('vb.document')
        Assignment = pool.get('vb.document.assignment')
        User = pool.get('res.user')
        Document.lock_for_processing([document])
        document = Document(document.id)
        if document.processing_state != 'done':
            raise WorkflowError(gettext(
                    'vb_workflow.msg_not_completed',
                    document=document.rec_name))
        user = User(Transaction().user)
        if Transaction().user and not (
                in_group(user, 'leader') or document._assigners(user)):
            raise WorkflowError(gettext('vb_workflow.msg_not_allowed',
                    user=user.rec_name,
                    what=gettext('vb_workflow.msg_what_reopen',
                        document=document.rec_name)))
        if not (reason and reason.strip()):
            raise WorkflowValidationError(gettext(
                    'vb_workflow.msg_reopen_reason'))
        # The lead handlers who completed it take it up again
        leads = [a for a in document.assignments
            if a.role == 'lead' and a.state == 'done' and not [
                c for c in a.children if c.role == 'lead'
                and c.state in {'done', 'transferred'}]]
        Assignment.write(leads, {'state': 'processing', 'done_at': None})
        cls._event(document, 'reopen', note=reason)
        Document.set_processing_state([document], 'processing')
        tell([u for a in leads for u in a.actors()], document,
            'vb_workflow.msg_reopened', document=document.rec_name,
            reason=reason)

    @classmethod
    def draft_reply(cls, document):
        "An outgoing draft answering document, drafted by the lead handler"
        pool = Pool()
        Document = pool.get('vb.document')
        User = pool.get('res.user')
        DocumentType = pool.get('vb.document.type')
        Document._check_registered([document])
        mine = [a for a in document._my_assignments() if a.role == 'lead']
        user = User(Transaction().user)
        if not mine:
            raise WorkflowError(gettext('vb_workflow.msg_not_allowed',
                    user=user.rec_name,
                    what=gettext('vb_workflow.msg_what_reply',
                        document=document.rec_name)))
        types = DocumentType.search([('code', '=', 'cong_van')], limit=1)
        reply, = Document.create([{
                    'company': document.company.id,
                    'direction': 'outgoing',
                    'type': (types[0] if types else document.type).id,
                    'subject': gettext('vb_workflow.msg_reply_subject',
                        notation=document.number_notation or '',
                        subject=document.subject),
                    'reply_to': document.id,
                    'drafting_unit': user.unit.id if user.unit else None,
                    'urgency': document.urgency.id,
                    'secrecy': document.secrecy.id,
                    }])
        cls._event(document, 'reply', mine[0], description=reply.rec_name)
        if document.processing_state != 'processing':
            Document.set_processing_state([document], 'processing')
        return reply


class SubmitStart(ModelView):
    "Submit Document"
    __string__ = "Submit Document"
    __name__ = 'vb.document.submit.start'

    company = fields.Many2One('company.company', "Agency", readonly=True)
    to = fields.Selection([
            ('leader', "A Leader"),
            ('unit', "A Unit"),
            ], "Submit To", required=True)
    leader = fields.Many2One('res.user', "Leader",
        domain=[
            ('companies', 'in', [Eval('company', -1)]),
            ('groups', 'in', Eval('leader_groups', [])),
            ],
        states={
            'invisible': Eval('to') != 'leader',
            'required': Eval('to') == 'leader',
            })
    leader_groups = fields.MultiSelection('get_groups', "Leader Groups")
    unit = fields.Many2One('vb.unit', "Unit",
        domain=[('company', '=', Eval('company', -1))],
        states={
            'invisible': Eval('to') != 'unit',
            'required': Eval('to') == 'unit',
            })
    deadline = fields.Date("Deadline",
        help="Proposed from the urgency and the agency's rules.")
    note = fields.Text("Note")

    @classmethod
    def get_groups(cls):
        group = group_id('leader')
        return [(group, str(group))]


class Submit(Wizard):
    "Submit Document"
    __name__ = 'vb.document.submit'
    start = StateView('vb.document.submit.start',
        'vb_workflow.submit_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Submit", 'submit', 'tryton-ok', default=True),
            ])
    submit = StateTransition()

    def default_start(self, fields):
        document = self.record
        agency = document.company
        return {
            'company': agency.id,
            'to': agency.submit_to or 'leader',
            'leader': agency.submit_leader.id
            if agency.submit_leader else None,
            'leader_groups': [group_id('leader')],
            'deadline': document.deadline or default_deadline(document),
            }

    def transition_submit(self):
        document = self.record
        if self.start.deadline:
            Processing._check_deadline(document, self.start.deadline)
            document.deadline = self.start.deadline
            document.save()
        Processing.submit(document,
            leader=self.start.leader if self.start.to == 'leader' else None,
            unit=self.start.unit if self.start.to == 'unit' else None,
            note=self.start.note)
        return 'end'


class AssignStart(ModelView):
    "Assign Document"
    __string__ = "Assign Document"
    __name__ = 'vb.document.assign.start'

    company = fields.Many2One('company.company', "Agency", readonly=True)
    assignment = fields.Many2One('vb.document.assignment', "Assignment",
        readonly=True)
    unit = fields.Many2One('vb.unit', "Within Unit", readonly=True,
        states={'invisible': ~Eval('unit')})
    directive = fields.Text("Directive",
        help="The bút phê: what the handlers must do.")
    lead_unit = fields.Many2One('vb.unit', "Lead Unit",
        domain=[('company', '=', Eval('company', -1))],
        states={'invisible': Bool(Eval('unit')) | Bool(Eval('lead_user'))})
    lead_user = fields.Many2One('res.user', "Lead Person",
        domain=[If(Bool(Eval('unit')),
                ('employees.unit', '=', Eval('unit', -1)),
                ('companies', 'in', [Eval('company', -1)]))],
        states={'invisible': Bool(Eval('lead_unit'))})
    co_units = fields.Many2Many('vb.unit', None, None, "Co-handling Units",
        domain=[('company', '=', Eval('company', -1))],
        states={'invisible': Bool(Eval('unit'))})
    co_users = fields.Many2Many('res.user', None, None,
        "Co-handling Persons",
        domain=[If(Bool(Eval('unit')),
                ('employees.unit', '=', Eval('unit', -1)),
                ('companies', 'in', [Eval('company', -1)]))])
    info_units = fields.Many2Many('vb.unit', None, None,
        "Units for Information",
        domain=[('company', '=', Eval('company', -1))],
        states={'invisible': Bool(Eval('unit'))})
    info_users = fields.Many2Many('res.user', None, None,
        "Persons for Information",
        domain=[If(Bool(Eval('unit')),
                ('employees.unit', '=', Eval('unit', -1)),
                ('companies', 'in', [Eval('company', -1)]))])
    deadline = fields.Date("Deadline")


class Assign(Wizard):
    "Assign Document"
    __name__ = 'vb.document.assign'
    start = StateView('vb.document.assign.start',
        'vb_workflow.assign_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Assign", 'assign', 'tryton-ok', default=True),
            ])
    assign = StateTransition()

    def _assignment(self):
        document = self.record
        mine = [a for a in document._my_assignments()
            if a.role == 'submit' or (a.unit and a.role in {'lead', 'co'})]
        if not mine:
            raise WorkflowError(gettext('vb_workflow.msg_nothing_to_assign',
                    document=document.rec_name))
        # A leader's submission first, then the unit's part
        mine.sort(key=lambda a: a.role != 'submit')
        return mine[0]

    def default_start(self, fields):
        assignment = self._assignment()
        document = self.record
        within_unit = assignment.role != 'submit'
        return {
            'company': document.company.id,
            'assignment': assignment.id,
            'unit': assignment.unit.id if within_unit else None,
            'deadline': (assignment.deadline or document.deadline
                or default_deadline(document)),
            }

    def transition_assign(self):
        start = self.start
        if start.lead_unit and start.lead_user:
            raise WorkflowValidationError(gettext(
                    'vb_workflow.msg_assign_one_lead'))
        Processing.assign(start.assignment,
            directive=start.directive,
            lead=start.lead_user or start.lead_unit,
            co=list(start.co_units) + list(start.co_users),
            info=list(start.info_units) + list(start.info_users),
            deadline=start.deadline)
        return 'end'


class HandleStart(ModelView):
    "Handle Document"
    __string__ = "Handle Document"
    __name__ = 'vb.document.handle.start'

    company = fields.Many2One('company.company', "Agency", readonly=True)
    assignment = fields.Many2One('vb.document.assignment', "Assignment",
        required=True,
        domain=[('id', 'in', Eval('assignments', []))])
    assignments = fields.Many2Many('vb.document.assignment', None, None,
        "Assignments", readonly=True)
    role = fields.Selection(ROLES, "Role", readonly=True)
    action = fields.Selection([
            ('progress', "Report Progress"),
            ('result', "Report the Result"),
            ('opinion', "Give an Opinion"),
            ('read', "Mark as Read"),
            ('forward', "Forward"),
            ('return', "Return"),
            ], "Action", required=True)
    forward_to = fields.Many2One('res.user', "Forward To",
        domain=[
            ('companies', 'in', [Eval('company', -1)]),
            ],
        states={
            'invisible': Eval('action') != 'forward',
            'required': Eval('action') == 'forward',
            })
    note = fields.Text("Note",
        states={
            'required': Eval('action').in_(
                ['progress', 'result', 'opinion', 'return']),
            })
    file = fields.Binary("File", filename='file_name')
    file_name = fields.Char("File Name")

    @fields.depends('assignment')
    def on_change_assignment(self):
        if self.assignment:
            self.role = self.assignment.role
            actions = HANDLE_ACTIONS.get(self.role, [])
            if actions:
                self.action = actions[0]


class Handle(Wizard):
    "Handle Document"
    __name__ = 'vb.document.handle'
    start = StateView('vb.document.handle.start',
        'vb_workflow.handle_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("OK", 'handle', 'tryton-ok', default=True),
            ])
    handle = StateTransition()

    def default_start(self, fields):
        document = self.record
        mine = document._my_assignments()
        if not mine:
            raise WorkflowError(gettext('vb_workflow.msg_nothing_to_handle',
                    document=document.rec_name))
        # The most engaging role first
        order = ['lead', 'co', 'submit', 'info']
        mine.sort(key=lambda a: order.index(a.role))
        first = mine[0]
        return {
            'company': document.company.id,
            'assignments': [a.id for a in mine],
            'assignment': first.id,
            'role': first.role,
            'action': HANDLE_ACTIONS[first.role][0],
            }

    def transition_handle(self):
        start = self.start
        files = [(start.file_name or 'tep-dinh-kem', start.file)] \
            if start.file else []
        Processing.handle(start.assignment, start.action, note=start.note,
            forward_to=start.forward_to, files=files)
        return 'end'


class NoteStart(ModelView):
    "Note"
    __string__ = "Processing Note"
    __name__ = 'vb.document.processing.note'

    note = fields.Text("Note",
        states={'required': Bool(Eval('note_required'))})
    note_required = fields.Boolean("Note Required", readonly=True)


class CompleteStart(NoteStart):
    "Complete Document"
    __string__ = "Complete Document"
    __name__ = 'vb.document.complete.start'

    company = fields.Many2One('company.company', "Agency", readonly=True)
    dossier = fields.Many2One('vb.dossier', "File in Dossier",
        domain=[
            ('company', '=', Eval('company', -1)),
            ('state', '=', 'open'),
            ],
        help="An open dossier of the agency to keep the document in.")


class Complete(Wizard):
    "Complete Document"
    __name__ = 'vb.document.complete'
    start = StateView('vb.document.complete.start',
        'vb_workflow.complete_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Complete", 'complete', 'tryton-ok', default=True),
            ])
    complete = StateTransition()

    def default_start(self, fields):
        document = self.record
        return {
            'note_required': False,
            'company': document.company.id,
            'dossier': document.dossier.id if document.dossier else None,
            }

    def transition_complete(self):
        Document = Pool().get('vb.document')
        document = self.record
        Processing.complete(document, note=self.start.note)
        dossier = self.start.dossier
        if dossier and dossier != document.dossier:
            # The lead files what they completed even without the right
            # to edit documents; the dossier's own rules still apply
            with without_check_access():
                Document.write([Document(document.id)],
                    {'dossier': dossier.id})
        return 'end'


class Reopen(Wizard):
    "Reopen Document"
    __name__ = 'vb.document.reopen'
    start = StateView('vb.document.processing.note',
        'vb_workflow.processing_note_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Reopen", 'reopen', 'tryton-ok', default=True),
            ])
    reopen = StateTransition()

    def default_start(self, fields):
        return {'note_required': True}

    def transition_reopen(self):
        Processing.reopen(self.record, self.start.note)
        return 'end'


class Cron(metaclass=PoolMeta):
    __name__ = 'ir.cron'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.method.selection.extend([
                ('vb.document.assignment|remind',
                    "Remind Processing Deadlines"),
                ('vb.document.assignment|send_digest',
                    "E-mail Leaders the Overdue Documents"),
                ])
