# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"Helpers of the vb_workflow tests running inside a transaction"
from contextlib import contextmanager
from functools import partial
from unittest.mock import patch

from trytond.modules.vb_document.tests import as_user
from trytond.pool import Pool
from trytond.transaction import Transaction

# Run as user like the wizards' transitions do (access checked at start)
acting = partial(as_user, check_access=False)


@contextmanager
def today(date):
    "Make ir.date.today() return date"
    Date = Pool().get('ir.date')
    with patch.object(Date, 'today', return_value=date):
        yield


def told():
    "The (user id, label) of the notifications sent so far, then forget"
    notifications = Transaction().user_notifications
    result = [(int(n.user), n.label) for n in notifications]
    notifications.clear()
    return result
