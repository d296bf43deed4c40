# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"python -m trytond.modules.vb_lgsp.axis --port N --store DIR"
import sys

from . import main

sys.exit(main())
