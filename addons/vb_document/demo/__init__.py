# This file is part of the vb_document module.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""Fictional Vietnamese province ("tỉnh Hải Vân") as plain data for demos and
benchmarks.  Pure Python: no Tryton import, no database."""
from .province import (
    DOCUMENT_TYPE_NAMES, KINDS, LEVELS, PROVINCE_DOMAIN, PROVINCE_L1,
    PROVINCE_NAME, ROLES, URGENCIES, VN_DOCUMENT_TYPES, WELL_KNOWN_LOGINS,
    Agency, DocumentSpec, Person, Province, Unit, generate_province,
    is_valid_code, parent_of, random_name, random_subject, slugify)

__all__ = [
    'Unit', 'Person', 'Agency', 'DocumentSpec', 'Province',
    'generate_province', 'random_subject', 'random_name', 'parent_of',
    'is_valid_code', 'slugify', 'VN_DOCUMENT_TYPES', 'DOCUMENT_TYPE_NAMES',
    'ROLES', 'LEVELS', 'KINDS', 'URGENCIES', 'WELL_KNOWN_LOGINS',
    'PROVINCE_NAME', 'PROVINCE_DOMAIN', 'PROVINCE_L1',
]
