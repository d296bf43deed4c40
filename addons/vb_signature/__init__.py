# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.

# The HTTP API of remote signing (trytond imports the module's package)
from . import routes  # noqa: F401
