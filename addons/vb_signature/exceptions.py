# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
from trytond.exceptions import UserError, UserWarning
from trytond.model.exceptions import ValidationError


class CertificateError(ValidationError):
    pass


class SigningError(UserError):
    pass


class InvalidSignatureError(UserError):
    "A received document whose signatures do not pass (policy: refuse)"


class InvalidSignatureWarning(UserWarning):
    "A received document whose signatures do not pass (policy: warn)"


class RemoteSigningError(UserError):
    pass
