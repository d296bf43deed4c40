# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
from trytond.exceptions import UserError, UserWarning
from trytond.model.exceptions import ValidationError


class InvalidIdentifier(ValidationError):
    pass


class FileValidationError(ValidationError):
    pass


class DocumentStateError(UserError):
    pass


class DocumentValidationError(ValidationError):
    pass


class DuplicateDocumentWarning(UserWarning):
    pass


class ReorganisationError(UserError):
    pass


class DossierError(UserError):
    pass


class DossierValidationError(ValidationError):
    pass


class HandoverError(UserError):
    pass


class AuditError(UserError):
    pass
