# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""Codes and code lists of dossiers (Nghị định 30/2020 Phụ lục V–VI,
Thông tư 02/2019/TT-BNV, the TT 05/2025 code lists as implemented by third
parties: see vn-regulations.md §4.11, §6)."""
import re
import unicodedata

# Số và ký hiệu hồ sơ: the ordinal in Arabic numerals and the abbreviation
# of the heading, e.g. 01.TCCB (PL V); FileNotation is at most 20
# characters (PL VI Phần II.III).
NOTATION_MAX_LENGTH = 20
_NOTATION = re.compile(
    r'^[0-9]{1,4}\.[A-ZĐ0-9]+(?:[.\-][A-ZĐ0-9]+)*$')

PERMANENT = "Vĩnh viễn"
# Thời hạn bảo quản code list: 01 vĩnh viễn, 02 70 năm, 03 50, 04 30,
# 05 20, 06 10, 07 khác
_MAINTENANCE_CODES = {70: '02', 50: '03', 30: '04', 20: '05', 10: '06'}

# Chế độ sử dụng (Rights / Mode): key, code, Vietnamese label
USAGE_MODES = {
    'public': ('01', "Công khai"),
    'conditional': ('02', "Sử dụng có điều kiện"),
    'secret': ('03', "Mật"),
    }

# Mức độ tin cậy (ConfidenceLevel) of a document
CONFIDENCE_LEVELS = {
    'original': "Gốc điện tử",
    'digitised': "Số hóa",
    'mixed': "Hỗn hợp",
    }

# Điều 30–31 NĐ 30/2020: documents kept 5 years or more must be handed
# over to the agency archive; shorter ones stay with the unit and are
# destroyed when their period ends.
HANDOVER_MIN_YEARS = 5


def is_valid_notation(notation):
    "Whether notation is a số và ký hiệu hồ sơ such as 01.TCCB"
    return bool(notation and len(notation) <= NOTATION_MAX_LENGTH
        and _NOTATION.match(notation))


def file_code(organ_id, year, notation):
    """Mã hồ sơ (FileCode): the agency's mã định danh, the year the dossier
    was formed and its số và ký hiệu, joined by dots, e.g.
    000.00.05.H99.2026.01.TCCB."""
    return f'{organ_id}.{int(year):04d}.{notation}'


def maintenance_text(years):
    "The retention period as written in the records: Vĩnh viễn or N năm"
    return PERMANENT if not years else f'{int(years)} năm'


def maintenance_code(years):
    "The code of the retention period in the TT 05/2025 code list"
    if not years:
        return '01'
    return _MAINTENANCE_CODES.get(int(years), '07')


def requires_handover(years):
    """Whether a dossier kept `years` (None: permanently) must be handed
    over to the agency archive"""
    return not years or int(years) >= HANDOVER_MIN_YEARS


def split_number_notation(number_notation):
    """Split a số, ký hiệu into its number and its notation:
    '15/QĐ-UBND' -> ('15', 'QĐ-UBND'); a notation without a number is
    returned whole as the notation."""
    if not number_notation:
        return '', ''
    number, sep, notation = number_notation.partition('/')
    if sep and number.strip().isdigit():
        return number.strip(), notation.strip()
    return '', number_notation.strip()


def path_component(text):
    """An ASCII, file-system-safe form of a code for paths in a package:
    diacritics dropped (Đ -> D), anything but letters, digits, dot, dash
    and underscore replaced by a dash."""
    text = text.replace('đ', 'd').replace('Đ', 'D')
    text = unicodedata.normalize('NFKD', text)
    text = ''.join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r'[^A-Za-z0-9._-]+', '-', text).strip('.-')
    return text or 'x'
