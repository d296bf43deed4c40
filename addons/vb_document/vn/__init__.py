# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""Rules of Vietnamese administrative documents that need no database.

Importable and testable on their own: identifiers (mã định danh, QCVN 102),
number-notation (Nghị định 30/2020, Phụ lục I), Vietnamese text folding and
the place-and-date line.
"""
from .identifier import is_valid_identifier, parent_of
from .notation import date_line, format_number, notation
from .text import normalize_vi
from .pdf import is_pdf

__all__ = [
    'is_valid_identifier', 'parent_of', 'format_number', 'notation',
    'date_line', 'normalize_vi', 'is_pdf']
