# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
from trytond.exceptions import UserError
from trytond.model.exceptions import ValidationError


class ConnectionValidationError(ValidationError):
    pass


class ExchangeError(UserError):
    "An exchange through the axis cannot be done as asked"
    pass


class PackageError(UserError):
    "A document cannot be turned into an edXML package"
    pass


class ChannelError(UserError):
    "An item posted to an inbound channel is refused"
    pass
