# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
from .tools import (
    as_user, create_agency, create_staff, minimal_pdf, run_tasks,
    untranslated, datetime_columns_without_widget)

__all__ = [
    'as_user', 'create_agency', 'create_staff', 'minimal_pdf', 'run_tasks',
    'untranslated', 'datetime_columns_without_widget']
