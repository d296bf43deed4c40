# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
from trytond.exceptions import UserError
from trytond.model.exceptions import ValidationError


class WorkflowValidationError(ValidationError):
    pass


class WorkflowError(UserError):
    "An action refused: wrong state, wrong person or a concurrent change"
    pass
