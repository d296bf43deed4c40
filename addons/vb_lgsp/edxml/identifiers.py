# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""Mã định danh and DocumentId (spec §1.6, §2).

Our own agencies' codes are checked strictly (``L4.L3.L2.L1``, 13
characters). Codes of other systems are accepted when they are short dotted
tokens: the axes carry non-conforming ones in production (``vxp.saas.03``,
``H37.DN.001``, ``999.010.01.H22``, spec §2.1) and refusing them would refuse
real traffic; :func:`is_standard_identifier` tells them apart.
"""
import re

from trytond.modules.vb_document.vn.identifier import is_valid_identifier

from .dates import format_date, parse_date
from .errors import EdxmlFormatError

__all__ = ['is_standard_identifier', 'check_identifier', 'make_document_id',
    'split_document_id', 'DOCUMENT_ID_RE']

# Free text of at most 50 characters (spec §2.1) made of dotted tokens
_LENIENT_RE = re.compile(r'^[A-Za-z0-9]+(?:[._-][A-Za-z0-9]+){1,7}$')
LENIENT_MAX_LENGTH = 50

# Spec §1.6, strict form (what we emit); "-" accepted in the date on receipt
DOCUMENT_ID_RE = re.compile(
    r'^(?P<organ>\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}),'
    r'(?P<date>\d{4}/\d{2}/\d{2}),(?P<number>[^/,]+)/(?P<notation>[^,]+)$')
_DOCUMENT_ID_LENIENT_RE = re.compile(
    r'^(?P<organ>[^,]+),(?P<date>\d{4}[/-]\d{2}[/-]\d{2}),'
    r'(?P<number>[^/,]+)/(?P<notation>[^,]+)$')


def is_standard_identifier(code):
    "Whether `code` is a well-formed QCVN 102 mã định danh"
    return is_valid_identifier(code)


def check_identifier(code, field, strict=False):
    """Return `code` or raise EdxmlFormatError('invalid_identifier').

    `strict` requires the QCVN 102 form; otherwise a short dotted token is
    enough (codes of other systems, see the module docstring).
    """
    if strict:
        ok = is_valid_identifier(code)
    else:
        ok = bool(code) and len(code) <= LENIENT_MAX_LENGTH and bool(
            _LENIENT_RE.match(code))
    if not ok:
        raise EdxmlFormatError('invalid_identifier', field=field, value=code)
    return code


def make_document_id(organ_id, promulgation_date, number, notation):
    "``<OrganId>,<yyyy/MM/dd>,<số>/<ký hiệu>`` (spec §1.6)"
    value = f'{organ_id},{format_date(promulgation_date)},{number}/{notation}'
    if not DOCUMENT_ID_RE.match(value):
        raise EdxmlFormatError('invalid_document_id', value=value)
    return value


def split_document_id(value):
    """(organ id, date, number, notation) of a DocumentId, or None when it is
    not of the usual form (an old sample uses a UUID; accepted as is)."""
    match = _DOCUMENT_ID_LENIENT_RE.match(value or '')
    if not match:
        return None
    try:
        date = parse_date(match['date'], 'DocumentId')
    except EdxmlFormatError:
        return None
    return match['organ'], date, match['number'], match['notation']
