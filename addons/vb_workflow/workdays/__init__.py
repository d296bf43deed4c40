# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""Working days of Vietnamese state agencies, without a database.

``lunar`` converts dates of the Vietnamese lunar calendar (computed for
UTC+7, which sometimes differs from the Chinese one); ``holidays`` applies
Bộ luật Lao động 2019, Điều 111–112; ``WorkingCalendar`` counts working
days with the swaps the administrator enters each year.
"""
from .holidays import public_holidays
from .lunar import lunar_to_solar, solar_to_lunar
from .calendar import WorkingCalendar

__all__ = ['WorkingCalendar', 'lunar_to_solar', 'public_holidays',
    'solar_to_lunar']
