# This file is part of VBĐH. The COPYRIGHT file at the top level of this repository contains the full copyright notices and license terms.

# The HTTP endpoint of the inbound channels (trytond imports the package)
from . import routes  # noqa: F401
