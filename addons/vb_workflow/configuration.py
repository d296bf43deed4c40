# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"The agency's processing rules: whom the clerk submits to, deadlines"
from trytond.model import Index, ModelSQL, ModelView, Unique, fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval


class Company(metaclass=PoolMeta):
    __name__ = 'company.company'

    submit_to = fields.Selection([
            (None, ""),
            ('leader', "A Leader"),
            ('unit', "A Unit Directly"),
            ], "Clerks Submit To",
        help="Whom the clerk submits a registered document to: a leader "
        "who assigns it, or directly the unit that handles it.")
    submit_leader = fields.Many2One('res.user', "Default Leader",
        domain=[('companies', 'in', [Eval('id', -1)])],
        states={'invisible': Eval('submit_to') == 'unit'},
        help="Proposed to the clerk when submitting.")
    warning_days = fields.Integer("Warning Days",
        domain=['OR', ('warning_days', '=', None), ('warning_days', '>=', 0)],
        help="Items are \"due soon\" this many working days before their "
        "deadline, and handlers are reminded then.")
    deadline_rules = fields.One2Many('vb.workflow.deadline.rule', 'company',
        "Deadline Rules")

    @classmethod
    def default_submit_to(cls):
        return 'leader'

    @classmethod
    def default_warning_days(cls):
        return 2

    def get_warning_days(self):
        return self.warning_days if self.warning_days is not None else 2

    def processing_days(self, urgency):
        "Working days to handle a document of urgency, None for no limit"
        for rule in self.deadline_rules:
            if rule.urgency == urgency:
                return rule.days
        return urgency.processing_days if urgency else None


class Urgency(metaclass=PoolMeta):
    __name__ = 'vb.document.urgency'

    processing_days = fields.Integer("Processing Days",
        domain=['OR',
            ('processing_days', '=', None), ('processing_days', '>=', 0)],
        help="Working days given to handle a document of this urgency "
        "unless the agency has its own rule; empty for no deadline.")


class DeadlineRule(ModelSQL, ModelView):
    "An agency's own processing time for an urgency"
    __string__ = "Deadline Rule"
    __name__ = 'vb.workflow.deadline.rule'

    company = fields.Many2One('company.company', "Agency", required=True,
        ondelete='CASCADE')
    urgency = fields.Many2One('vb.document.urgency', "Urgency",
        required=True, ondelete='CASCADE')
    days = fields.Integer("Working Days", required=True,
        domain=[('days', '>=', 0)])

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls.__access__.add('company')
        cls._sql_constraints += [
            ('urgency_unique', Unique(t, t.company, t.urgency),
                'vb_workflow.msg_deadline_rule_unique'),
            ]
        cls._sql_indexes.add(Index(t, (t.company, Index.Equality())))


def default_deadline(document, start=None):
    "The deadline of document by its urgency and agency, in working days"
    Day = Pool().get('vb.workflow.day')
    days = document.company.processing_days(document.urgency)
    if days is None:
        return None
    start = start or document.arrival_date or Pool().get('ir.date').today()
    return Day.add_working_days(start, days)
