# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"Delegation (ủy quyền) of a leader's rights to a deputy for a period"
from sql import Column, Literal, Null

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, fields
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction

from trytond.modules.vb_document.company import current_agency
from trytond.modules.vb_document.notify import tell

from .exceptions import WorkflowError, WorkflowValidationError
from .staff import group_id

RIGHTS = ['assign', 'approve']


class Delegation(ModelSQL, ModelView):
    """A leader lets a deputy assign and/or approve in their name.

    There is no state to maintain: a delegation applies on the days
    between its dates, so it ends by itself.
    """
    __string__ = "Delegation"
    __name__ = 'vb.delegation'

    company = fields.Many2One('company.company', "Agency", required=True,
        ondelete='CASCADE', domain=[('external', '=', False)])
    principal = fields.Many2One('res.user', "Delegating Leader",
        required=True, ondelete='CASCADE',
        domain=[('companies', 'in', [Eval('company', -1)])])
    deputy = fields.Many2One('res.user', "Deputy", required=True,
        ondelete='CASCADE',
        domain=[
            ('companies', 'in', [Eval('company', -1)]),
            ('id', '!=', Eval('principal', -1)),
            ])
    start_date = fields.Date("Start Date", required=True)
    end_date = fields.Date("End Date", required=True,
        domain=[('end_date', '>=', Eval('start_date', None))])
    assign = fields.Boolean("Assign Documents",
        help="The deputy assigns documents and tasks in the leader's name.")
    approve = fields.Boolean("Approve Drafts",
        help="The deputy approves outgoing drafts in the leader's name.")
    authority = fields.Selection([
            ('KT', "KT. (deputy for the head)"),
            ('TUQ', "TUQ. (by delegation)"),
            ], "Authority", required=True,
        help="How actions taken under the delegation are marked.")
    reason = fields.Text("Reason")
    revoked = fields.Boolean("Revoked", readonly=True)
    status = fields.Function(fields.Selection([
                ('upcoming', "Upcoming"),
                ('active', "Active"),
                ('ended', "Ended"),
                ], "Status"), 'get_status', searcher='search_status')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls.__access__.add('company')
        cls._sql_indexes.add(Index(t,
                (t.deputy, Index.Equality()),
                (t.end_date, Index.Range())))
        cls._order.insert(0, ('start_date', 'DESC'))
        cls._buttons.update({
                'revoke': {
                    'invisible': (Eval('status') == 'ended')
                    | Eval('revoked', False),
                    'depends': ['status', 'revoked'],
                    'icon': 'tryton-cancel',
                    },
                })

    @classmethod
    def default_company(cls):
        return current_agency()

    @classmethod
    def default_principal(cls):
        return Transaction().user

    @classmethod
    def default_start_date(cls):
        return Pool().get('ir.date').today()

    @classmethod
    def default_assign(cls):
        return True

    @classmethod
    def default_approve(cls):
        return True

    @classmethod
    def default_authority(cls):
        return 'KT'

    @fields.depends('deputy')
    def on_change_deputy(self):
        # A deputy head signs "KT."; anybody else acts "TUQ."
        if self.deputy and self.deputy.position:
            self.authority = 'KT' if self.deputy.position.leader else 'TUQ'

    def get_status(self, name):
        today = Pool().get('ir.date').today()
        if self.revoked or self.end_date < today:
            return 'ended'
        if self.start_date > today:
            return 'upcoming'
        return 'active'

    @classmethod
    def search_status(cls, name, clause):
        today = Pool().get('ir.date').today()
        _, operator, value = clause[:3]
        domains = {
            'ended': ['OR',
                ('revoked', '=', True), ('end_date', '<', today)],
            'upcoming': [
                ('revoked', '=', False), ('start_date', '>', today)],
            'active': [
                ('revoked', '=', False),
                ('start_date', '<=', today), ('end_date', '>=', today)],
            }
        values = value if isinstance(value, (list, tuple)) else [value]
        domain = ['OR'] + [domains[v] for v in values if v in domains]
        if operator in {'=', 'in'}:
            return domain
        # Tryton domains have no NOT: exclude the matching ids
        return [('id', 'not in', cls.search(domain, query=True))]

    @classmethod
    def validate_fields(cls, delegations, field_names):
        super().validate_fields(delegations, field_names)
        for delegation in delegations:
            if not (delegation.assign or delegation.approve):
                raise WorkflowValidationError(gettext(
                        'vb_workflow.msg_delegation_no_right'))

    @classmethod
    def check_modification(cls, mode, delegations, values=None,
            external=False):
        super().check_modification(
            mode, delegations, values=values, external=external)
        User = Pool().get('res.user')
        user = Transaction().user
        if not external or not user:
            return
        admins = {group_id('agency_admin'), group_id('system_admin')}
        if admins & set(User.get_groups()):
            return
        # A leader gives only their own rights
        for delegation in delegations:
            if delegation.principal.id != user:
                raise WorkflowError(gettext(
                        'vb_workflow.msg_delegation_not_own',
                        principal=delegation.principal.rec_name))

    @classmethod
    def on_modification(cls, mode, delegations, field_names=None):
        super().on_modification(mode, delegations, field_names=field_names)
        if mode == 'create':
            for delegation in delegations:
                delegation._notify('vb_workflow.msg_delegation_created')

    @classmethod
    @ModelView.button
    def revoke(cls, delegations):
        cls.write(delegations, {'revoked': True})
        for delegation in delegations:
            delegation._notify('vb_workflow.msg_delegation_revoked')

    def _notify(self, message_id, **variables):
        "Tell both the leader and the deputy"
        tell(sorted({self.principal, self.deputy}, key=lambda u: u.id),
            [self], message_id, principal=self.principal.rec_name,
            deputy=self.deputy.rec_name,
            start=self.start_date.strftime('%d/%m/%Y'),
            end=self.end_date.strftime('%d/%m/%Y'), **variables)

    @classmethod
    def active(cls, deputy, right, principals=None):
        "The delegations deputy holds today for right (assign, approve)"
        assert right in RIGHTS
        domain = [
            ('deputy', '=', deputy.id if hasattr(deputy, 'id') else deputy),
            ('status', '=', 'active'),
            (right, '=', True),
            ]
        if principals is not None:
            domain.append(('principal', 'in', [int(p) for p in principals]))
        return cls.search(domain)

    @classmethod
    def principals(cls, deputy, right):
        """The ids of the leaders who delegate right to deputy today.

        The same as active() in one query: the personal lists ask it on
        each call.
        """
        assert right in RIGHTS
        table = cls.__table__()
        today = Pool().get('ir.date').today()
        cursor = Transaction().connection.cursor()
        cursor.execute(*table.select(table.principal,
                where=(table.deputy == int(deputy))
                & (Column(table, right) == Literal(True))
                & ((table.revoked == Literal(False)) | (table.revoked == Null))
                & (table.start_date <= today) & (table.end_date >= today)))
        return sorted({p for p, in cursor})

    @classmethod
    def acting(cls, allowed, right, what):
        """Who the current user acts as, among the allowed users.

        Return (principal, delegation): the user themself and None when
        they are allowed, otherwise the allowed leader who delegated
        right to them and the delegation. Raise naming `what` otherwise.
        """
        User = Pool().get('res.user')
        user = User(Transaction().user)
        allowed = [int(u) for u in allowed]
        if user.id in allowed or not Transaction().user:
            return user, None
        delegations = cls.active(user, right, principals=allowed)
        if delegations:
            return delegations[0].principal, delegations[0]
        raise WorkflowError(gettext(
                'vb_workflow.msg_not_allowed', user=user.rec_name, what=what))

    def notify_action(self, record, action):
        "Both are told that the deputy acted under the delegation"
        self._notify('vb_workflow.msg_delegation_used',
            record=record.rec_name, action=action)

    @property
    def mark(self):
        "KT. or TUQ., as printed before the leader's title"
        return self.authority + '.'
