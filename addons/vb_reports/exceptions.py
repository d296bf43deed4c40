# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
from trytond.exceptions import UserError


class ReportFilterError(UserError):
    "The filters of a report are inconsistent (period, agency, register)"
    pass
