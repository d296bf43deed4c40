# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"Run the proteus scenarios (scenario_*.rst) under pytest like trytond does"
import pytest


@pytest.fixture(autouse=True)
def _tryton_scenario_teardown(request):
    yield
    if request.node.__class__.__name__ == 'DoctestItem':
        from trytond.tests.test_tryton import doctest_teardown
        doctest_teardown(request.node.dtest)
