# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""Mã định danh of agencies (QCVN 102:2016, amended 2022).

Format ``L4.L3.L2.L1`` (13 characters), e.g. ``000.46.24.H44``: the most
general level is on the right; ``00``/``000`` means "no unit at this
level". The parent of a code is obtained by zeroing its leftmost non-zero
group.
"""
import re

IDENTIFIER_RE = re.compile(
    r'^(?P<l4>\d{3})\.(?P<l3>\d{2})\.(?P<l2>\d{2})\.(?P<l1>[A-Z]\d{2})$')


def is_valid_identifier(code):
    "Whether `code` is a well-formed mã định danh"
    if not code or not IDENTIFIER_RE.match(code):
        return False
    l4, l3, l2, _ = code.split('.')
    # A lower level cannot exist without the level above it
    if l4 != '000' and (l3 == '00' or l2 == '00'):
        return False
    if l3 != '00' and l2 == '00':
        return False
    return True


def parent_of(code):
    "Return the code of the parent agency or None for a level-1 body"
    if not is_valid_identifier(code):
        raise ValueError(code)
    l4, l3, l2, l1 = code.split('.')
    if l4 != '000':
        return f'000.{l3}.{l2}.{l1}'
    if l3 != '00':
        return f'000.00.{l2}.{l1}'
    if l2 != '00':
        return f'000.00.00.{l1}'
    return None
