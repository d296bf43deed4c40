# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""What the reports need to be told: the cost of a paper document (savings,
report 6) and who receives the weekly usage report by e-mail (report 5)."""
import re
from decimal import Decimal

from trytond.i18n import gettext
from trytond.model import ModelSingleton, ModelSQL, ModelView, fields
from trytond.model.exceptions import ValidationError

EMAIL = re.compile(r'^[^@\s,;]+@[^@\s,;]+\.[^@\s,;]+$')
DEFAULT_PAPER_COST = Decimal(80000)
WEEKLY_FORMATS = [
    ('xlsx', "Excel"),
    ('pdf', "PDF"),
    ('both', "Excel and PDF"),
    ]


def split_addresses(text):
    "The addresses of a text, one per line (commas and semicolons too)"
    return [a for a in re.split(r'[\s,;]+', text or '') if a]


class Configuration(ModelSingleton, ModelSQL, ModelView):
    "Report Configuration"
    __string__ = "Report Configuration"
    __name__ = 'vb.reports.configuration'

    paper_cost = fields.Numeric("Cost of a Paper Document (VND)",
        digits=(16, 0), required=True,
        domain=[('paper_cost', '>=', 0)],
        help="What printing, copying and posting one paper document costs; "
        "the savings report multiplies it by the documents sent "
        "electronically.")
    weekly_recipients = fields.Text("Weekly Report Recipients",
        help="E-mail addresses, one per line, that receive the weekly "
        "usage report every Monday.")
    weekly_format = fields.Selection(WEEKLY_FORMATS, "Weekly Report Format",
        required=True)
    weekly_agency = fields.Many2One('company.company', "Weekly Report Agency",
        domain=[('external', '=', False)],
        help="The agency whose usage, with that of the agencies below it, "
        "the weekly report covers; empty for the whole province.")

    @classmethod
    def default_paper_cost(cls):
        return DEFAULT_PAPER_COST

    @classmethod
    def default_weekly_format(cls):
        return 'both'

    @classmethod
    def validate_fields(cls, records, field_names):
        super().validate_fields(records, field_names)
        if field_names is None or 'weekly_recipients' in field_names:
            for record in records:
                for address in split_addresses(record.weekly_recipients):
                    if not EMAIL.match(address):
                        raise ValidationError(gettext(
                                'vb_reports.msg_invalid_email',
                                address=address))

    @property
    def recipients(self):
        return split_addresses(self.weekly_recipients)
