# This file is part of the vb_document module.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""Generator of a fictional Vietnamese province ("tỉnh Hải Vân") as plain data.

Pure Python, standard library only, deterministic for a given seed (and a
given ``today`` when dates matter).  The organisation follows the two-level
local government in force since 1 July 2025: the provincial People's
Committee, its departments (sở, ban, ngành after the 2025 reorganisation) and
the xã/phường directly under the province.

Organisation codes (mã định danh) follow QCVN 102:2016/BTTTT
``L4.L3.L2.L1`` = ``\\d{3}.\\d{2}.\\d{2}.[A-Z]\\d{2}``; the parent of a code is
obtained by zeroing its leftmost non-zero group (see :func:`parent_of`).
"""
from __future__ import annotations

import datetime
import random
import unicodedata
from dataclasses import dataclass, field

from . import names as N

__all__ = [
    'Unit', 'Person', 'Agency', 'DocumentSpec', 'Province',
    'generate_province', 'random_subject', 'random_name', 'parent_of',
    'is_valid_code',
    'slugify', 'VN_DOCUMENT_TYPES', 'DOCUMENT_TYPE_NAMES', 'ROLES',
    'LEVELS', 'KINDS', 'URGENCIES', 'WELL_KNOWN_LOGINS',
    'PROVINCE_NAME', 'PROVINCE_DOMAIN', 'PROVINCE_L1',
]

PROVINCE_NAME = 'Hải Vân'
PROVINCE_DOMAIN = 'haivan.gov.vn'
PROVINCE_L1 = 'H99'
AREA_CODE = '0257'

ROLES = ('clerk', 'leader', 'unit_head', 'officer', 'agency_admin')
LEVELS = ('central', 'province', 'district', 'commune')
KINDS = ('people_committee', 'people_council', 'office', 'department',
    'party', 'mass_org', 'central', 'other')
URGENCIES = ('normal', 'urgent', 'very_urgent', 'flash')
WELL_KNOWN_LOGINS = ('vanthu.ubnd', 'ld1.ubnd', 'vanthu.snv', 'ld1.snv',
    'cv1.snv.vp')

# Nghị định 30/2020/NĐ-CP, Phụ lục III: document types and abbreviations.
VN_DOCUMENT_TYPES = [
    ('Nghị quyết', 'NQ'),
    ('Quyết định', 'QĐ'),
    ('Chỉ thị', 'CT'),
    ('Quy chế', 'QC'),
    ('Quy định', 'QyĐ'),
    ('Thông cáo', 'TC'),
    ('Thông báo', 'TB'),
    ('Hướng dẫn', 'HD'),
    ('Chương trình', 'CTr'),
    ('Kế hoạch', 'KH'),
    ('Phương án', 'PA'),
    ('Đề án', 'ĐA'),
    ('Dự án', 'DA'),
    ('Báo cáo', 'BC'),
    ('Biên bản', 'BB'),
    ('Tờ trình', 'TTr'),
    ('Hợp đồng', 'HĐ'),
    ('Công văn', ''),
    ('Công điện', 'CĐ'),
    ('Bản ghi nhớ', 'BGN'),
    ('Bản thỏa thuận', 'BTT'),
    ('Giấy ủy quyền', 'GUQ'),
    ('Giấy mời', 'GM'),
    ('Giấy giới thiệu', 'GGT'),
    ('Giấy nghỉ phép', 'GNP'),
    ('Phiếu gửi', 'PG'),
    ('Phiếu chuyển', 'PC'),
    ('Phiếu báo', 'PB'),
    ('Thư công', ''),
    ('Bản sao y', 'SY'),
    ('Bản trích sao', 'TrS'),
    ('Bản sao lục', 'SL'),
]

# DocumentSpec.type_code -> type name ('CV' stands for Công văn, which has no
# abbreviation of its own in Nghị định 30).
DOCUMENT_TYPE_NAMES = {abbr: name for name, abbr in VN_DOCUMENT_TYPES if abbr}
DOCUMENT_TYPE_NAMES['CV'] = 'Công văn'



# --- Data classes -------------------------------------------------------------

@dataclass
class Unit:
    name: str
    abbreviation: str


@dataclass
class Person:
    login: str
    name: str
    role: str
    position: str
    unit: str | None
    email: str


@dataclass
class Agency:
    code: str
    name: str
    short_name: str
    abbreviation: str
    level: str
    kind: str
    parent: str | None
    external: bool
    address: str
    email: str
    phone: str
    units: list[Unit] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)


@dataclass
class DocumentSpec:
    agency: str
    direction: str
    type_code: str
    subject: str
    urgency: str
    state: str
    issuer: str | None
    issuer_notation: str | None
    issued_date: datetime.date | None
    recipients: list[str]
    drafting_unit: str | None
    signer_login: str | None
    days_ago: int


@dataclass
class Province:
    name: str
    domain: str
    l1: str
    agencies: list[Agency]
    documents: list[DocumentSpec]

    def agency(self, code):
        "Return the agency with this code (linear search)"
        for agency in self.agencies:
            if agency.code == code:
                return agency
        raise KeyError(code)

    def people(self):
        "Iterate over (agency, person) of all internal agencies"
        for agency in self.agencies:
            for person in agency.people:
                yield agency, person


# --- Helpers ------------------------------------------------------------------

from ..vn.identifier import is_valid_identifier as is_valid_code  # noqa: E402
from ..vn.identifier import parent_of  # noqa: E402


def slugify(text):
    "Lower-case ASCII letters and digits only ('Hải Châu' -> 'haichau')"
    text = text.replace('Đ', 'D').replace('đ', 'd')
    text = unicodedata.normalize('NFD', text)
    return ''.join(c for c in text.lower() if c.isascii() and c.isalnum())


def _nfc(text):
    return unicodedata.normalize('NFC', text)


def _cum(weighted):
    values, cum, total = [], [], 0.
    for value, weight in weighted:
        total += weight
        values.append(value)
        cum.append(total)
    return values, cum


_FAMILY = _cum(N.FAMILY_NAMES)
_MIDDLE_MALE = _cum(N.MIDDLE_NAMES_MALE)
_MIDDLE_FEMALE = _cum(N.MIDDLE_NAMES_FEMALE)


def random_name(rng):
    "Return a random Vietnamese full name"
    if rng.random() < 0.5:
        middle, given = _MIDDLE_FEMALE, N.GIVEN_NAMES_FEMALE
    else:
        middle, given = _MIDDLE_MALE, N.GIVEN_NAMES_MALE
    family = rng.choices(_FAMILY[0], cum_weights=_FAMILY[1])[0]
    while True:
        mid = rng.choices(middle[0], cum_weights=middle[1])[0]
        first = rng.choice(given)
        if first != mid and first != family and mid != family:
            break
    # Some people have two middle names ("Nguyễn Thị Thu Hà").
    if rng.random() < 0.12:
        mid2 = rng.choices(middle[0], cum_weights=middle[1])[0]
        if mid2 not in (mid, first, 'Văn', 'Thị'):
            mid = f'{mid} {mid2}'
    return f'{family} {mid} {first}'


# --- Subjects -----------------------------------------------------------------

_PLACE_KINDS = ('xã', 'xã', 'phường')


def _period(rng, year, month=12):
    "month: the last month that may be mentioned for year"
    r = rng.random()
    if r < 0.18:
        return ''
    if r < 0.50:
        return f' năm {year}'
    if r < 0.62:
        quarter = int(rng.random() * ((month + 2) // 3))
        return f' quý {N.ROMAN_QUARTERS[quarter]} năm {year}'
    if r < 0.70:
        return f' 6 tháng đầu năm {year}'
    if r < 0.74 and month >= 7:
        return f' 6 tháng cuối năm {year}'
    if r < 0.84:
        start = year - (year - 1) % 5
        return f' giai đoạn {start}-{start + 4}'
    if r < 0.94:
        return f' tháng {1 + int(rng.random() * month)} năm {year}'
    return f' đợt {1 + int(rng.random() * 3)} năm {year}'


def random_subject(rng, type_code='CV', places=None, year=None, month=12,
        domains=None):
    """Return a realistic, combinatorially varied trích yếu.

    ``type_code`` is a DocumentSpec type code: Công văn ('CV') subjects start
    with "V/v ", the others never repeat the type name.  ``places`` is an
    optional list of xã/phường names (e.g. "xã Tân Phú") to mention; by default
    fictional names are combined.  ``year`` defaults to a random year in
    2024..2030; ``month`` is the last month of that year that may be
    mentioned (quarters, months).  ``domains`` restricts the policy domains
    (default: all of ``names.DOMAINS``).
    """
    r = rng.random
    patterns = N.SUBJECT_PATTERNS.get(type_code) or N.SUBJECT_PATTERNS['CV']
    verb, heads = patterns[int(r() * len(patterns))]
    head = heads[int(r() * len(heads))]
    domains = domains or N.DOMAINS
    domain = domains[int(r() * len(domains))]
    if year is None:
        year = 2024 + int(r() * 7)
    if r() < 0.3:
        if places:
            place = places[int(r() * len(places))]
        else:
            first = N.PLACE_FIRST[int(r() * len(N.PLACE_FIRST))]
            second = N.PLACE_SECOND[int(r() * len(N.PLACE_SECOND))]
            if second == first:
                second = N.PLACE_THIRD[int(r() * len(N.PLACE_THIRD))]
            kind = _PLACE_KINDS[int(r() * 3)]
            place = f'{kind} {first} {second}'
        scope = f' trên địa bàn {place}'
    else:
        scope = N.SCOPES[int(r() * len(N.SCOPES))]
    subject = f'{verb} {head}{domain}{scope}{_period(rng, year, month)}'
    if type_code == 'CV':
        return 'V/v ' + subject
    return subject


# --- Organisation templates ----------------------------------------------------

# (short name, abbreviation, login slug, kind, full-name template, head title,
#  deputy title, units [(name, abbreviation)], officer title)
_SO = 'Giám đốc', 'Phó Giám đốc'
_DEPARTMENTS = [
    ('Sở Nội vụ', 'SNV', 'snv', 'department', '{s} tỉnh {p}', *_SO, [
        ('Văn phòng', 'VP'),
        ('Phòng Tổ chức, biên chế và tổ chức phi chính phủ', 'TCBC'),
        ('Phòng Công chức, viên chức', 'CCVC'),
        ('Phòng Xây dựng chính quyền và công tác thanh niên', 'XDCQ'),
        ('Phòng Cải cách hành chính và Văn thư - Lưu trữ', 'CCHC'),
        ('Phòng Lao động - Việc làm', 'LĐVL'),
    ], 'Chuyên viên'),
    ('Sở Tài chính', 'STC', 'stc', 'department', '{s} tỉnh {p}', *_SO, [
        ('Văn phòng', 'VP'),
        ('Phòng Quản lý ngân sách', 'QLNS'),
        ('Phòng Tài chính đầu tư', 'TCĐT'),
        ('Phòng Quản lý giá và công sản', 'GCS'),
        ('Phòng Đăng ký kinh doanh', 'ĐKKD'),
        ('Phòng Kinh tế ngành', 'KTN'),
    ], 'Chuyên viên'),
    ('Sở Tư pháp', 'STP', 'stp', 'department', '{s} tỉnh {p}', *_SO, [
        ('Văn phòng', 'VP'),
        ('Phòng Xây dựng và kiểm tra văn bản', 'XDKTVB'),
        ('Phòng Phổ biến, giáo dục pháp luật', 'PBGDPL'),
        ('Phòng Hành chính tư pháp', 'HCTP'),
        ('Phòng Bổ trợ tư pháp', 'BTTP'),
    ], 'Chuyên viên'),
    ('Sở Công Thương', 'SCT', 'sct', 'department', '{s} tỉnh {p}', *_SO, [
        ('Văn phòng', 'VP'),
        ('Phòng Quản lý năng lượng', 'QLNL'),
        ('Phòng Quản lý thương mại', 'QLTM'),
        ('Phòng Quản lý công nghiệp', 'QLCN'),
        ('Phòng Kỹ thuật an toàn - Môi trường', 'KTATMT'),
    ], 'Chuyên viên'),
    ('Sở Nông nghiệp và Môi trường', 'SNNMT', 'snnmt', 'department',
        '{s} tỉnh {p}', *_SO, [
            ('Văn phòng', 'VP'),
            ('Phòng Kế hoạch - Tài chính', 'KHTC'),
            ('Phòng Quản lý đất đai', 'QLĐĐ'),
            ('Phòng Tài nguyên nước và Khoáng sản', 'TNNKS'),
            ('Phòng Môi trường', 'MT'),
            ('Phòng Trồng trọt và Chăn nuôi', 'TTCN'),
        ], 'Chuyên viên'),
    ('Sở Xây dựng', 'SXD', 'sxd', 'department', '{s} tỉnh {p}', *_SO, [
        ('Văn phòng', 'VP'),
        ('Phòng Quy hoạch - Kiến trúc', 'QHKT'),
        ('Phòng Quản lý xây dựng', 'QLXD'),
        ('Phòng Quản lý giao thông', 'QLGT'),
        ('Phòng Phát triển đô thị', 'PTĐT'),
    ], 'Chuyên viên'),
    ('Sở Khoa học và Công nghệ', 'SKHCN', 'skhcn', 'department',
        '{s} tỉnh {p}', *_SO, [
            ('Văn phòng', 'VP'),
            ('Phòng Quản lý khoa học', 'QLKH'),
            ('Phòng Chuyển đổi số', 'CĐS'),
            ('Phòng Bưu chính, Viễn thông', 'BCVT'),
            ('Phòng Tiêu chuẩn, Đo lường, Chất lượng', 'TĐC'),
        ], 'Chuyên viên'),
    ('Sở Giáo dục và Đào tạo', 'SGDĐT', 'sgddt', 'department',
        '{s} tỉnh {p}', *_SO, [
            ('Văn phòng', 'VP'),
            ('Phòng Tổ chức cán bộ', 'TCCB'),
            ('Phòng Kế hoạch - Tài chính', 'KHTC'),
            ('Phòng Giáo dục phổ thông', 'GDPT'),
            ('Phòng Giáo dục mầm non', 'GDMN'),
            ('Phòng Khảo thí và Kiểm định chất lượng giáo dục', 'KTKĐ'),
        ], 'Chuyên viên'),
    ('Sở Y tế', 'SYT', 'syt', 'department', '{s} tỉnh {p}', *_SO, [
        ('Văn phòng', 'VP'),
        ('Phòng Tổ chức cán bộ', 'TCCB'),
        ('Phòng Kế hoạch - Tài chính', 'KHTC'),
        ('Phòng Nghiệp vụ Y', 'NVY'),
        ('Phòng Nghiệp vụ Dược', 'NVD'),
        ('Phòng Bảo trợ xã hội', 'BTXH'),
    ], 'Chuyên viên'),
    ('Sở Văn hóa, Thể thao và Du lịch', 'SVHTTDL', 'svhttdl', 'department',
        '{s} tỉnh {p}', *_SO, [
            ('Văn phòng', 'VP'),
            ('Phòng Quản lý văn hóa', 'QLVH'),
            ('Phòng Quản lý thể dục thể thao', 'QLTDTT'),
            ('Phòng Quản lý du lịch', 'QLDL'),
            ('Phòng Quản lý báo chí, xuất bản', 'BCXB'),
        ], 'Chuyên viên'),
    ('Thanh tra tỉnh', 'TTr', 'ttr', 'department', 'Thanh tra tỉnh {p}',
        'Chánh Thanh tra', 'Phó Chánh Thanh tra', [
            ('Văn phòng', 'VP'),
            ('Phòng Nghiệp vụ 1', 'NV1'),
            ('Phòng Nghiệp vụ 2', 'NV2'),
            ('Phòng Tiếp công dân và xử lý đơn thư', 'TCD'),
            ('Phòng Phòng, chống tham nhũng', 'PCTN'),
        ], 'Thanh tra viên'),
    ('Sở Dân tộc và Tôn giáo', 'SDTTG', 'sdttg', 'department',
        '{s} tỉnh {p}', *_SO, [
            ('Văn phòng', 'VP'),
            ('Phòng Chính sách dân tộc', 'CSDT'),
            ('Phòng Quản lý tôn giáo', 'QLTG'),
            ('Phòng Kế hoạch - Tổng hợp', 'KHTH'),
        ], 'Chuyên viên'),
    ('Ban Quản lý các khu công nghiệp', 'BQLKCN', 'bqlkcn', 'department',
        '{s} tỉnh {p}', 'Trưởng ban', 'Phó Trưởng ban', [
            ('Văn phòng', 'VP'),
            ('Phòng Quản lý đầu tư', 'QLĐT'),
            ('Phòng Quản lý quy hoạch và xây dựng', 'QHXD'),
            ('Phòng Quản lý doanh nghiệp và lao động', 'DNLĐ'),
            ('Phòng Quản lý môi trường', 'QLMT'),
        ], 'Chuyên viên'),
    ('Ban Quản lý Khu kinh tế', 'BQLKKT', 'bqlkkt', 'department',
        '{s} tỉnh {p}', 'Trưởng ban', 'Phó Trưởng ban', [
            ('Văn phòng', 'VP'),
            ('Phòng Quản lý đầu tư và doanh nghiệp', 'ĐTDN'),
            ('Phòng Quy hoạch và xây dựng', 'QHXD'),
            ('Phòng Tài nguyên và Môi trường', 'TNMT'),
        ], 'Chuyên viên'),
    ('Trung tâm Phục vụ hành chính công', 'TTPVHCC', 'ttpvhcc',
        'department', '{s} tỉnh {p}', 'Giám đốc', 'Phó Giám đốc', [
            ('Phòng Hành chính - Tổng hợp', 'HCTH'),
            ('Phòng Tiếp nhận và trả kết quả', 'TNTKQ'),
            ('Phòng Kiểm soát thủ tục hành chính', 'KSTTHC'),
        ], 'Chuyên viên'),
    ('Báo và Phát thanh, Truyền hình {p}', 'BPTTH', 'bptth', 'department',
        '{s}', 'Tổng Biên tập', 'Phó Tổng Biên tập', [
            ('Văn phòng', 'VP'),
            ('Ban Thư ký biên tập', 'TKBT'),
            ('Ban Thời sự', 'TS'),
            ('Ban Chuyên đề', 'CĐ'),
            ('Ban Kỹ thuật - Công nghệ', 'KTCN'),
        ], 'Phóng viên'),
    ('Trường Chính trị tỉnh', 'TCT', 'tct', 'department',
        'Trường Chính trị tỉnh {p}', 'Hiệu trưởng', 'Phó Hiệu trưởng', [
            ('Phòng Tổ chức - Hành chính', 'TCHC'),
            ('Phòng Quản lý đào tạo', 'QLĐT'),
            ('Khoa Xây dựng Đảng', 'XDĐ'),
            ('Khoa Lý luận cơ sở', 'LLCS'),
        ], 'Giảng viên'),
    ('Công an tỉnh', 'CAT', 'cat', 'other', 'Công an tỉnh {p}',
        'Giám đốc', 'Phó Giám đốc', [
            ('Phòng Tham mưu', 'PV01'),
            ('Phòng Cảnh sát quản lý hành chính về trật tự xã hội', 'PC06'),
            ('Phòng An ninh mạng và phòng, chống tội phạm sử dụng công nghệ cao',
                'PA05'),
            ('Phòng Cảnh sát giao thông', 'PC08'),
        ], 'Cán bộ'),
    ('Bộ Chỉ huy Quân sự tỉnh', 'BCHQS', 'bchqs', 'other',
        'Bộ Chỉ huy Quân sự tỉnh {p}', 'Chỉ huy trưởng', 'Phó Chỉ huy trưởng', [
            ('Phòng Tham mưu', 'TM'),
            ('Phòng Chính trị', 'CT'),
            ('Phòng Hậu cần - Kỹ thuật', 'HCKT'),
        ], 'Trợ lý'),
    ('Quỹ Đầu tư phát triển', 'QĐTPT', 'qdtpt', 'department',
        '{s} tỉnh {p}', 'Giám đốc', 'Phó Giám đốc', [
            ('Phòng Hành chính - Tổng hợp', 'HCTH'),
            ('Phòng Tín dụng', 'TD'),
            ('Phòng Đầu tư', 'ĐT'),
            ('Phòng Kế toán', 'KT'),
        ], 'Chuyên viên'),
    ('Sở Ngoại vụ', 'SNgV', 'sngv', 'department', '{s} tỉnh {p}', *_SO, [
        ('Văn phòng', 'VP'),
        ('Phòng Hợp tác quốc tế', 'HTQT'),
        ('Phòng Lãnh sự - Người Việt Nam ở nước ngoài', 'LS'),
        ('Phòng Quản lý biên giới', 'QLBG'),
    ], 'Chuyên viên'),
    ('Ban Quản lý dự án đầu tư xây dựng các công trình dân dụng và công '
        'nghiệp', 'BQLDADDCN', 'bqldaddcn', 'department', '{s} tỉnh {p}',
        'Giám đốc', 'Phó Giám đốc', [
            ('Phòng Hành chính - Tổng hợp', 'HCTH'),
            ('Phòng Kế hoạch - Tài chính', 'KHTC'),
            ('Phòng Kỹ thuật - Thẩm định', 'KTTĐ'),
            ('Phòng Quản lý dự án 1', 'DA1'),
        ], 'Kỹ sư'),
    ('Ban Quản lý dự án đầu tư xây dựng các công trình giao thông',
        'BQLDAGT', 'bqldagt', 'department', '{s} tỉnh {p}',
        'Giám đốc', 'Phó Giám đốc', [
            ('Phòng Hành chính - Tổng hợp', 'HCTH'),
            ('Phòng Kế hoạch - Tài chính', 'KHTC'),
            ('Phòng Quản lý dự án 1', 'DA1'),
            ('Phòng Quản lý dự án 2', 'DA2'),
        ], 'Kỹ sư'),
    ('Ban Quản lý dự án đầu tư xây dựng các công trình nông nghiệp',
        'BQLDANN', 'bqldann', 'department', '{s} tỉnh {p}',
        'Giám đốc', 'Phó Giám đốc', [
            ('Phòng Hành chính - Tổng hợp', 'HCTH'),
            ('Phòng Kế hoạch - Tài chính', 'KHTC'),
            ('Phòng Quản lý dự án', 'QLDA'),
        ], 'Kỹ sư'),
    ('Liên minh Hợp tác xã tỉnh', 'LMHTX', 'lmhtx', 'other',
        'Liên minh Hợp tác xã tỉnh {p}', 'Chủ tịch', 'Phó Chủ tịch', [
            ('Văn phòng', 'VP'),
            ('Ban Kinh tế hợp tác', 'KTHT'),
            ('Ban Kế hoạch - Tài chính', 'KHTC'),
        ], 'Chuyên viên'),
    ('Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh', 'LHHKHKT', 'lhhkhkt',
        'mass_org', 'Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh {p}',
        'Chủ tịch', 'Phó Chủ tịch', [
            ('Văn phòng', 'VP'),
            ('Ban Khoa học - Công nghệ', 'KHCN'),
            ('Ban Tư vấn, phản biện và giám định xã hội', 'TVPB'),
        ], 'Chuyên viên'),
]


def _extra_department(n):
    "Generated body when more departments are asked than names exist"
    return (f'Ban Quản lý dự án đầu tư xây dựng khu vực số {n}',
        f'BQLDAKV{n}', f'bqldakv{n}', 'department', '{s} tỉnh {p}',
        'Giám đốc', 'Phó Giám đốc', [
            ('Phòng Hành chính - Tổng hợp', 'HCTH'),
            ('Phòng Kế hoạch - Kỹ thuật', 'KHKT'),
            ('Phòng Quản lý dự án', 'QLDA'),
        ], 'Kỹ sư')


# Fixed provincial bodies: (key, short name, abbreviation, slug, kind, full
# name template, head, deputy, units, officer title, clerk unit, parent key)
_FIXED = [
    ('vpubnd', 'Văn phòng UBND tỉnh', 'VP', 'vpubnd', 'office',
        'Văn phòng Ủy ban nhân dân tỉnh {p}', 'Chánh Văn phòng',
        'Phó Chánh Văn phòng', [
            ('Phòng Hành chính - Tổ chức', 'HCTC'),
            ('Phòng Quản trị - Tài vụ', 'QTTV'),
            ('Trung tâm Thông tin - Công báo', 'TTCB'),
            ('Ban Tiếp công dân tỉnh', 'TCD'),
        ], 'Chuyên viên', 'HCTC', None),
    ('hdnd', 'HĐND tỉnh', 'HĐND', 'hdnd', 'people_council',
        'Hội đồng nhân dân tỉnh {p}', 'Chủ tịch HĐND', 'Phó Chủ tịch HĐND', [
            ('Ban Pháp chế', 'PC'),
            ('Ban Kinh tế - Ngân sách', 'KTNS'),
            ('Ban Văn hóa - Xã hội', 'VHXH'),
            ('Ban Dân tộc', 'DT'),
        ], 'Chuyên viên', None, None),
    ('vpdbqh', 'Văn phòng Đoàn ĐBQH và HĐND tỉnh', 'VPĐĐBQHHĐND', 'vpdbqh',
        'office', 'Văn phòng Đoàn đại biểu Quốc hội và Hội đồng nhân dân '
        'tỉnh {p}', 'Chánh Văn phòng', 'Phó Chánh Văn phòng', [
            ('Phòng Công tác Quốc hội', 'CTQH'),
            ('Phòng Công tác HĐND', 'CTHĐND'),
            ('Phòng Hành chính, Tổ chức, Quản trị', 'HCTCQT'),
        ], 'Chuyên viên', 'HCTCQT', None),
    ('tu', 'Tỉnh ủy', 'TU', 'tu', 'party', 'Tỉnh ủy {p}', 'Bí thư Tỉnh ủy',
        'Phó Bí thư Thường trực Tỉnh ủy', [
            ('Văn phòng Tỉnh ủy', 'VP'),
            ('Ban Tổ chức Tỉnh ủy', 'BTC'),
            ('Ban Tuyên giáo và Dân vận Tỉnh ủy', 'BTGDV'),
            ('Ủy ban Kiểm tra Tỉnh ủy', 'UBKT'),
            ('Ban Nội chính Tỉnh ủy', 'BNC'),
        ], 'Chuyên viên', 'VP', None),
    ('mttq', 'Ủy ban MTTQ Việt Nam tỉnh', 'MTTQ', 'mttq', 'mass_org',
        'Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh {p}', 'Chủ tịch',
        'Phó Chủ tịch', [
            ('Văn phòng', 'VP'),
            ('Ban Tổ chức - Kiểm tra', 'TCKT'),
            ('Ban Dân chủ - Pháp luật', 'DCPL'),
            ('Ban Phong trào', 'PT'),
        ], 'Chuyên viên', 'VP', None),
    # Since 2025 the socio-political organisations are placed under the
    # Fatherland Front: the Tỉnh đoàn is a level-3 body under the MTTQ.
    ('tdoan', 'Tỉnh đoàn', 'TĐ', 'tdoan', 'mass_org', 'Tỉnh đoàn {p}',
        'Bí thư Tỉnh đoàn', 'Phó Bí thư Tỉnh đoàn', [
            ('Văn phòng', 'VP'),
            ('Ban Tổ chức - Kiểm tra', 'TCKT'),
            ('Ban Phong trào', 'PT'),
        ], 'Chuyên viên', 'VP', 'mttq'),
]

_UBND_UNITS = [
    ('Phòng Tổng hợp', 'TH'),
    ('Phòng Kinh tế', 'KT'),
    ('Phòng Khoa giáo - Văn xã', 'KGVX'),
    ('Phòng Nội chính', 'NC'),
    ('Phòng Hành chính - Tổ chức', 'HCTC'),
]

# External central agencies (codes are fictional except the G22 of VPCP
# required by the specification).
_EXTERNAL = [
    ('000.00.00.G22', 'Văn phòng Chính phủ', 'VPCP', 'vpcp',
        'Số 1 Hoàng Hoa Thám, Hà Nội', [
            ('Cục Kiểm soát thủ tục hành chính', 'KSTT'),
            ('Vụ Tổng hợp', 'TH'),
            ('Vụ Kinh tế ngành', 'KTN'),
            ('Vụ Tổ chức công vụ', 'TCCV'),
        ]),
    ('000.00.00.G09', 'Bộ Nội vụ', 'BNV', 'bnv',
        'Số 8 Tôn Thất Thuyết, Hà Nội', [
            ('Vụ Công chức - Viên chức', 'CCVC'),
            ('Vụ Chính quyền địa phương', 'CQĐP'),
            ('Vụ Tổ chức - Biên chế', 'TCBC'),
            ('Vụ Cải cách hành chính', 'CCHC'),
            ('Cục Văn thư và Lưu trữ nhà nước', 'VTLTNN'),
        ]),
    ('000.00.00.G12', 'Bộ Tài chính', 'BTC', 'btc',
        'Số 28 Trần Hưng Đạo, Hà Nội', [
            ('Vụ Ngân sách nhà nước', 'NSNN'),
            ('Cục Quản lý công sản', 'QLCS'),
            ('Vụ Đầu tư', 'ĐT'),
        ]),
    ('000.00.00.G14', 'Bộ Khoa học và Công nghệ', 'BKHCN', 'bkhcn',
        'Số 113 Trần Duy Hưng, Hà Nội', [
            ('Cục Chuyển đổi số quốc gia', 'CĐSQG'),
            ('Vụ Kế hoạch - Tài chính', 'KHTC'),
            ('Cục Bưu điện trung ương', 'BĐTW'),
        ]),
    ('000.00.00.G16', 'Bộ Tư pháp', 'BTP', 'btp',
        'Số 58-60 Trần Phú, Hà Nội', [
            ('Cục Kiểm tra văn bản và Quản lý xử lý vi phạm hành chính',
                'KTVB'),
            ('Cục Hộ tịch, quốc tịch, chứng thực', 'HTQTCT'),
        ]),
    ('000.00.00.G06', 'Bộ Nông nghiệp và Môi trường', 'BNNMT', 'bnnmt',
        'Số 2 Ngọc Hà, Hà Nội', [
            ('Cục Quản lý đê điều và Phòng, chống thiên tai', 'ĐĐPCTT'),
            ('Cục Quản lý đất đai', 'QLĐĐ'),
            ('Cục Trồng trọt và Bảo vệ thực vật', 'TTBVTV'),
        ]),
    ('000.00.00.G18', 'Bộ Y tế', 'BYT', 'byt',
        'Số 138A Giảng Võ, Hà Nội', [
            ('Cục Quản lý khám, chữa bệnh', 'KCB'),
            ('Cục Phòng bệnh', 'PB'),
        ]),
    ('000.00.00.G20', 'Bộ Giáo dục và Đào tạo', 'BGDĐT', 'bgddt',
        'Số 35 Đại Cồ Việt, Hà Nội', [
            ('Vụ Giáo dục phổ thông', 'GDPT'),
            ('Cục Quản lý chất lượng', 'QLCL'),
        ]),
]

_COMMUNE_UNITS = {
    'xã': [
        ('Văn phòng HĐND và UBND', 'VP'),
        ('Phòng Kinh tế', 'KT'),
        ('Phòng Văn hóa - Xã hội', 'VHXH'),
    ],
    'phường': [
        ('Văn phòng HĐND và UBND', 'VP'),
        ('Phòng Kinh tế, Hạ tầng và Đô thị', 'KT'),
        ('Phòng Văn hóa - Xã hội', 'VHXH'),
    ],
}

_MAX_GROUP = 99


def _unit_head_title(unit_name):
    if unit_name.startswith('Văn phòng'):
        return 'Chánh Văn phòng'
    if unit_name.startswith('Ban'):
        return 'Trưởng ban'
    if unit_name.startswith('Khoa'):
        return 'Trưởng khoa'
    if unit_name.startswith('Trung tâm'):
        return 'Giám đốc Trung tâm'
    if unit_name.startswith('Ủy ban Kiểm tra'):
        return 'Chủ nhiệm Ủy ban Kiểm tra'
    return 'Trưởng phòng'


# --- Builder ------------------------------------------------------------------

class _Builder:

    def __init__(self, rng, officers_per_unit):
        self.rng = rng
        self.officers = officers_per_unit
        self.logins = set()
        self.slugs = set()
        self.codes = set()
        self.agencies = []
        self.by_key = {}

    def phone(self, area=AREA_CODE):
        rng = self.rng
        return f'{area} 3{rng.randint(810, 899)} {rng.randint(0, 999):03d}'

    def street_address(self, ward):
        rng = self.rng
        street = rng.choice(N.STREETS)
        return (f'Số {rng.randint(1, 320)} đường {street}, {ward}, '
            f'tỉnh {PROVINCE_NAME}')

    def person(self, agency, login, role, position, unit):
        assert login not in self.logins, login
        assert login.isascii() and login == login.lower(), login
        self.logins.add(login)
        agency.people.append(Person(login=login, name=random_name(self.rng),
                role=role, position=position, unit=unit,
                email=f'{login}@{PROVINCE_DOMAIN}'))

    def add(self, key, code, name, short_name, abbreviation, slug, level,
            kind, parent, units, head, deputy, officer_title, clerk_unit,
            address, min_officers=None):
        assert is_valid_code(code), code
        assert code not in self.codes, code
        assert parent_of(code) == parent, (code, parent)
        assert slug not in self.slugs, slug
        self.codes.add(code)
        self.slugs.add(slug)
        unit_objs = [Unit(name=_nfc(n), abbreviation=a) for n, a in units]
        abbrs = [u.abbreviation for u in unit_objs]
        assert len(set(abbrs)) == len(abbrs), (slug, abbrs)
        agency = Agency(code=code, name=_nfc(name), short_name=_nfc(short_name),
            abbreviation=abbreviation, level=level, kind=kind, parent=parent,
            external=False, address=address,
            email=f'{slug}@{PROVINCE_DOMAIN}', phone=self.phone(),
            units=unit_objs, people=[])
        if clerk_unit is None and 'VP' in abbrs:
            clerk_unit = 'VP'
        self.person(agency, f'vanthu.{slug}', 'clerk', 'Văn thư', clerk_unit)
        self.person(agency, f'ld1.{slug}', 'leader', head, None)
        self.person(agency, f'ld2.{slug}', 'leader', deputy, None)
        self.person(agency, f'qt.{slug}', 'agency_admin', 'Quản trị hệ thống',
            clerk_unit)
        for unit in unit_objs:
            uslug = slugify(unit.abbreviation)
            self.person(agency, f'tp.{slug}.{uslug}', 'unit_head',
                _unit_head_title(unit.name), unit.abbreviation)
            count = self.officers
            if min_officers and unit.abbreviation in min_officers:
                count = max(count, min_officers[unit.abbreviation])
            for i in range(1, count + 1):
                position = officer_title
                if officer_title == 'Chuyên viên' and self.rng.random() < 0.25:
                    position = 'Chuyên viên chính'
                self.person(agency, f'cv{i}.{slug}.{uslug}', 'officer',
                    position, unit.abbreviation)
        self.agencies.append(agency)
        self.by_key[key] = agency
        return agency


def _commune_names(rng, count):
    "Return count unique (kind, name, slug) for xã/phường"
    result, seen = [], set()

    def take(kind, name):
        slug = slugify(name)
        if slug in seen:
            return
        seen.add(slug)
        result.append((kind, name, slug))

    for name in N.CENTRE_WARDS:
        if len(result) >= count:
            return result
        take('phường', name)
    combos = [f'{a} {b}' for a in N.PLACE_FIRST for b in N.PLACE_SECOND
        if a != b]
    rng.shuffle(combos)
    pool = iter(combos)
    extra = 0
    while len(result) < count:
        name = next(pool, None)
        if name is None:
            # Two-syllable names exhausted: add a direction ("Tân Phú Đông")
            # then a number.
            base = combos[extra % len(combos)]
            rank = extra // len(combos)
            if rank < len(N.PLACE_THIRD):
                name = f'{base} {N.PLACE_THIRD[rank]}'
            else:
                name = f'{base} {rank - len(N.PLACE_THIRD) + 2}'
            extra += 1
        kind = 'phường' if rng.random() < 0.25 else 'xã'
        take(kind, name)
    return result


def _build_agencies(rng, departments, communes, officers_per_unit):
    b = _Builder(rng, officers_per_unit)
    p = PROVINCE_NAME
    l1 = PROVINCE_L1
    centre = f'phường {N.CENTRE_WARDS[0]}'
    root = f'000.00.00.{l1}'

    # UBND tỉnh
    b.add('ubnd', root, f'Ủy ban nhân dân tỉnh {p}', 'UBND tỉnh', 'UBND',
        'ubnd', 'province', 'people_committee', None, _UBND_UNITS,
        'Chủ tịch', 'Phó Chủ tịch', 'Chuyên viên', 'HCTC',
        f'Số 1 đường Trần Phú, {centre}, tỉnh {p}')

    # Level-2 slots (000.00.NN.L1) for the bodies directly under the province
    next_l2 = iter(range(1, _MAX_GROUP + 1))
    children = {}  # parent code -> number of level-3 children

    def child_code(parent_code):
        n = children.get(parent_code, 0) + 1
        if n > _MAX_GROUP:
            raise ValueError(f'More than {_MAX_GROUP} bodies under '
                f'{parent_code}')
        children[parent_code] = n
        _, _, l2, l1_ = parent_code.split('.')
        return f'000.{n:02d}.{l2}.{l1_}'

    for (key, short, abbr, slug, kind, tpl, head, deputy, units, officer,
            clerk_unit, parent_key) in _FIXED:
        if parent_key:
            parent = b.by_key[parent_key].code
            code = child_code(parent)
        else:
            code = f'000.00.{next(next_l2):02d}.{l1}'
            parent = root
        b.add(key, code, tpl.format(p=p), short, abbr, slug, 'province', kind,
            parent, units, head, deputy, officer, clerk_unit,
            b.street_address(centre))

    free = _MAX_GROUP - len(_FIXED) + sum(1 for f in _FIXED if f[-1])
    # Split the remaining level-2 slots: overflowing departments / communes
    # are nested (level 3) under level-2 bodies of the same kind.
    # Each level-2 body can hold itself plus _MAX_GROUP level-3 bodies.
    c_min = -(-communes // (_MAX_GROUP + 1))
    d_top = min(departments, free - c_min)
    c_top = min(communes, free - d_top)
    if d_top < 1 or departments > d_top * (_MAX_GROUP + 1) or (
            communes > c_top * (_MAX_GROUP + 1)):
        raise ValueError('Too many departments/communes for the code space')

    def place(index, top, top_codes):
        "Return (code, parent) of the index-th body of a group"
        if index < top:
            return f'000.00.{next(next_l2):02d}.{l1}', root
        parent = top_codes[(index - top) % top]
        return child_code(parent), parent

    templates = _DEPARTMENTS[:departments]
    for n in range(len(templates) + 1, departments + 1):
        templates.append(_extra_department(n - len(_DEPARTMENTS)))
    top_codes = []
    for index, (short, abbr, slug, kind, tpl, head, deputy, units,
            officer) in enumerate(templates):
        code, parent = place(index, d_top, top_codes)
        if parent == root:
            top_codes.append(code)
        short = short.format(p=p)
        b.add(slug, code, tpl.format(s=short, p=p), short, abbr, slug,
            'province', kind, parent, units, head, deputy, officer, None,
            b.street_address(centre),
            min_officers={'VP': 1} if slug == 'snv' else None)

    top_codes = []
    for index, (ckind, cname, slug) in enumerate(
            _commune_names(rng, communes)):
        code, parent = place(index, c_top, top_codes)
        if parent == root:
            top_codes.append(code)
        if slug in b.slugs:
            slug = f'{"p" if ckind == "phường" else "x"}{slug}'
        place_name = f'{ckind} {cname}'
        if ckind == 'phường':
            address = b.street_address(place_name)
        else:
            address = (f'{rng.choice(N.HAMLETS)}, {place_name}, '
                f'tỉnh {p}')
        b.add(slug, code, f'Ủy ban nhân dân {place_name}',
            f'UBND {place_name}', 'UBND', slug, 'commune', 'people_committee',
            parent, _COMMUNE_UNITS[ckind], 'Chủ tịch', 'Phó Chủ tịch',
            'Chuyên viên', 'VP', address)
    return b


def _external_agencies(rng):
    result = []
    for code, name, abbr, slug, address, units in _EXTERNAL:
        assert parent_of(code) is None
        result.append(Agency(code=code, name=name, short_name=name,
                abbreviation=abbr, level='central', kind='central',
                parent=None, external=True, address=address,
                email=f'vanthu@{slug}.gov.example',
                phone=f'024 3{rng.randint(700, 899)} {rng.randint(0, 9999):04d}',
                units=[Unit(name=n, abbreviation=a) for n, a in units],
                people=[]))
    return result


# --- Documents ----------------------------------------------------------------

_URGENCY_WEIGHTS = [('normal', 70), ('urgent', 18), ('very_urgent', 8),
    ('flash', 4)]

# Types an agency of a given sort issues as outgoing documents.
_OUT_TYPES = {
    'ubnd': ['CV', 'CV', 'CV', 'QĐ', 'QĐ', 'KH', 'CT', 'TB', 'GM', 'BC',
        'TTr'],
    'snv': ['CV', 'CV', 'CV', 'HD', 'TB', 'BC', 'KH', 'TTr', 'GM', 'QĐ'],
    'commune': ['CV', 'CV', 'BC', 'TTr', 'KH', 'QĐ', 'TB', 'GM'],
}


def _curated(y, m):
    """Hand-written scenarios: (holder, direction, type, subject, urgency,
    state, issuer, notation type, recipients, drafting unit, signer, days)"""
    return [
        ('ubnd', 'outgoing', 'CV',
            f'V/v triển khai Kế hoạch chuyển đổi số năm {y} trên địa bàn tỉnh',
            'urgent', 'issued', None, None, ['depts', 'communes'], 'TH', 1,
            12),
        ('ubnd', 'incoming', 'QĐ',
            'Phê duyệt Đề án phát triển ứng dụng dữ liệu về dân cư, định danh '
            'và xác thực điện tử phục vụ chuyển đổi số quốc gia giai đoạn '
            f'{y}-{y + 4}', 'normal', 'registered', 'ext:VPCP', 'QĐ-TTg', [],
            None, None, 20),
        ('snv', 'incoming', 'CV',
            f'V/v hướng dẫn tuyển dụng viên chức năm {y}', 'normal',
            'registered', 'ext:BNV', 'BNV-CCVC', [], None, None, 15),
        ('snv', 'outgoing', 'HD',
            'Thực hiện công tác văn thư, lưu trữ tại Ủy ban nhân dân các xã, '
            f'phường năm {y}', 'normal', 'issued', None, None, ['communes'],
            'CCHC', 1, 9),
        ('ubnd', 'outgoing', 'KH',
            f'Phòng, chống thiên tai và tìm kiếm cứu nạn năm {y}', 'normal',
            'draft', None, None, ['depts', 'communes'], 'KT', 2, 2),
        ('snv', 'incoming', 'CV',
            f'V/v giao chỉ tiêu biên chế công chức năm {y + 1}', 'urgent',
            'waiting', 'ubnd', None, [], None, None, 1),
        ('ubnd', 'incoming', 'CV',
            'V/v đề nghị cung cấp hồ sơ quyết toán dự án hoàn thành',
            'normal', 'refused', 'stc', None, [], None, None, 4),
        ('xa1', 'incoming', 'CV',
            'V/v rà soát, thống kê số lượng cán bộ, công chức cấp xã sau sắp '
            'xếp', 'urgent', 'registered', 'snv', None, [], None, None, 7),
        ('xa1', 'outgoing', 'BC',
            f'Kết quả thực hiện công tác cải cách hành chính quý '
            f'{N.ROMAN_QUARTERS[(m - 1) // 3]} năm {y}', 'normal', 'issued',
            None, None, ['ubnd', 'snv'], 'VP', 1, 5),
        ('ubnd', 'outgoing', 'BC',
            'Tình hình thực hiện sắp xếp tổ chức bộ máy và tinh giản biên '
            f'chế năm {y}', 'urgent', 'issued', None, None, ['ext:BNV', 'snv'],
            'NC', 1, 6),
        ('ubnd', 'incoming', 'CV',
            'V/v chủ động ứng phó với áp thấp nhiệt đới có khả năng mạnh lên '
            'thành bão', 'flash', 'waiting', 'ext:BNNMT', 'BNNMT-ĐĐPCTT', [],
            None, None, 0),
        ('snv', 'outgoing', 'TTr',
            f'Đề nghị phê duyệt Kế hoạch tuyển dụng viên chức năm {y}',
            'normal', 'draft', None, None, ['ubnd'], 'CCVC', 1, 1),
        ('xa2', 'incoming', 'GM',
            'Dự hội nghị tập huấn công tác quyết toán ngân sách xã năm '
            f'{y - 1}', 'normal', 'waiting', 'stc', None, [], None, None, 1),
        ('xa2', 'outgoing', 'CV',
            'V/v đề nghị hỗ trợ kinh phí khắc phục hậu quả thiên tai',
            'very_urgent', 'draft', None, None, ['ubnd', 'stc'], 'KT', 1, 0),
        ('ubnd', 'incoming', 'CV',
            f'V/v quyết toán ngân sách nhà nước năm {y - 1}', 'normal',
            'draft', 'ext:BTC', 'BTC-NSNN', [], None, None, 0),
        ('ubnd', 'outgoing', 'QĐ',
            'Công bố danh mục thủ tục hành chính mới ban hành, được sửa đổi, '
            'bổ sung trong lĩnh vực nội vụ thuộc thẩm quyền giải quyết của '
            'Ủy ban nhân dân cấp xã', 'normal', 'issued', None, None,
            ['depts', 'communes'], 'NC', 2, 18),
        ('snv', 'incoming', 'NQ',
            'Quy định mức chi hỗ trợ cho cán bộ làm công tác chuyển đổi số '
            f'trên địa bàn tỉnh {PROVINCE_NAME}', 'normal', 'registered',
            'hdnd', None, [], None, None, 25),
        ('ubnd', 'incoming', 'NQ',
            f'Phiên họp Chính phủ thường kỳ tháng {m} năm {y}', 'normal',
            'registered', 'ext:VPCP', 'NQ-CP', [], None, None, 3),
        ('snv', 'outgoing', 'TB',
            f'Kết quả xét tuyển viên chức năm {y}', 'normal', 'issued', None,
            None, ['depts'], 'CCVC', 2, 8),
        ('ubnd', 'outgoing', 'CT',
            'Về tăng cường kỷ luật, kỷ cương hành chính trong các cơ quan '
            'hành chính nhà nước trên địa bàn tỉnh', 'normal', 'issued', None,
            None, ['depts', 'communes'], 'NC', 1, 30),
        ('ubnd', 'outgoing', 'GM',
            f'Dự hội nghị sơ kết 6 tháng đầu năm {y} về cải cách hành chính',
            'urgent', 'issued', None, None, ['depts'], 'TH', 2, 3),
        ('snv', 'incoming', 'CV',
            'V/v hướng dẫn chỉnh lý tài liệu lưu trữ điện tử', 'normal',
            'registered', 'ext:BNV', 'BNV-VTLTNN', [], None, None, 33),
        ('xa1', 'incoming', 'QĐ',
            f'Giao dự toán thu, chi ngân sách nhà nước năm {y}', 'normal',
            'registered', 'ubnd', None, [], None, None, 40),
    ]


def _random_issuer(rng, holder, sort, ubnd, key_map, depts, communes,
        externals):
    """Return (issuer, type code, explicit notation suffix) of a random
    incoming document of holder"""
    ext = rng.random() < (0.15 if sort == 'commune' else 0.5)
    if ext:
        if sort == 'snv' and rng.random() < 0.6:
            issuer = next((e for e in externals if e.abbreviation == 'BNV'),
                externals[0])
        else:
            issuer = rng.choice(externals)
        if issuer.abbreviation == 'VPCP' and rng.random() < 0.5:
            type_code = rng.choice(['QĐ', 'CT', 'NQ'])
            return issuer, type_code, {'QĐ': 'QĐ-TTg', 'CT': 'CT-TTg',
                'NQ': 'NQ-CP'}[type_code]
        return issuer, rng.choice(['CV', 'CV', 'CV', 'CV', 'QĐ', 'TB', 'HD',
                'GM']), None
    dept_pool = [a for a in depts[:12] if a is not holder]
    commune_pool = [a for a in communes[:10] if a is not holder]
    if sort == 'ubnd':
        r = rng.random()
        if r < 0.1 and 'hdnd' in key_map:
            return key_map['hdnd'], 'NQ', None
        if r < 0.3 and commune_pool:
            return rng.choice(commune_pool), rng.choice(['BC', 'TTr', 'CV']), \
                None
        if dept_pool:
            return rng.choice(dept_pool), rng.choice(['TTr', 'BC', 'CV',
                    'CV']), None
    elif sort == 'snv':
        r = rng.random()
        if r < 0.6:
            return ubnd, rng.choice(['CV', 'CV', 'QĐ', 'KH', 'TB', 'GM']), None
        if r < 0.8 and commune_pool:
            return rng.choice(commune_pool), rng.choice(['BC', 'CV']), None
        if dept_pool:
            return rng.choice(dept_pool), rng.choice(['CV', 'GM']), None
    else:
        if rng.random() < 0.5 or not dept_pool:
            return ubnd, rng.choice(['CV', 'CV', 'QĐ', 'KH', 'TB', 'GM',
                    'CT']), None
        return rng.choice(dept_pool), rng.choice(['CV', 'CV', 'HD', 'GM',
                'TB']), None
    if holder is ubnd:
        return externals[0], 'CV', None
    return ubnd, 'CV', None


def _build_documents(rng, agencies, externals, count, today):
    by_code = {a.code: a for a in agencies}
    ext_by_abbr = {a.abbreviation: a for a in externals}
    ubnd = agencies[0]
    key_map = {'ubnd': ubnd}
    for a in agencies:
        slug = a.email.split('@')[0]
        key_map.setdefault(slug, a)
    communes = [a for a in agencies if a.level == 'commune']
    depts = [a for a in agencies if a.kind in ('department', 'other')]
    key_map['xa1'] = communes[0] if communes else ubnd
    key_map['xa2'] = communes[1] if len(communes) > 1 else key_map['xa1']
    key_map.setdefault('snv', ubnd)
    key_map.setdefault('stc', key_map['snv'])
    places = [a.short_name[5:] for a in communes]  # strip "UBND "
    numbers = {}

    def resolve(key):
        if key.startswith('ext:'):
            return ext_by_abbr[key[4:]]
        return key_map.get(key, ubnd)

    def number(agency):
        numbers[agency.code] = numbers.get(agency.code, 0) + rng.randint(1, 40)
        base = 800 if agency.external or agency is ubnd else 40
        return base + numbers[agency.code]

    def notation(issuer, type_code, explicit):
        n = number(issuer)
        if explicit:
            return f'{n}/{explicit}'
        if type_code == 'CV':
            unit = rng.choice(issuer.units).abbreviation if issuer.units \
                else 'VP'
            return f'{n}/{issuer.abbreviation}-{unit}'
        return f'{n}/{type_code}-{issuer.abbreviation}'

    def recipients_for(holder, keys):
        result = []
        for key in keys:
            if key == 'depts':
                pool = [a for a in depts if a is not holder]
                result += [a.code for a in rng.sample(pool,
                        min(len(pool), rng.randint(3, 8)))]
            elif key == 'communes':
                pool = [a for a in communes if a is not holder]
                result += [a.code for a in rng.sample(pool,
                        min(len(pool), rng.randint(2, 6)))]
            else:
                agency = resolve(key)
                if agency is not holder and agency.code not in result:
                    result.append(agency.code)
        if not result:
            result.append(ubnd.code if holder is not ubnd else depts[0].code
                if depts else externals[0].code)
        return result

    def signer(holder, index):
        return f'ld{index}.{holder.email.split("@")[0]}'

    def unit_of(holder, wanted):
        abbrs = [u.abbreviation for u in holder.units]
        if wanted in abbrs:
            return wanted
        return rng.choice(abbrs) if abbrs else None

    def issued_date(direction, state, days_ago):
        if direction == 'outgoing':
            if state != 'issued':
                return None
            return today - datetime.timedelta(
                days=max(0, days_ago - rng.randint(0, 2)))
        return today - datetime.timedelta(days=days_ago + rng.randint(0, 4))

    def subject_for(holder, type_code):
        if holder.level == 'commune':
            own = [holder.short_name[5:]]
        else:
            own = places
        domains = N.HOME_AFFAIRS_DOMAINS if holder is key_map['snv'] \
            and holder is not ubnd else None
        return random_subject(rng, type_code, own, today.year, today.month,
            domains)

    urg_values, urg_cum = _cum(_URGENCY_WEIGHTS)
    specs = []
    for (key, direction, type_code, subject, urgency, state, issuer_key,
            explicit, rcpt_keys, unit, signer_idx, days) in _curated(
                today.year, today.month)[:count]:
        holder = resolve(key)
        issuer = resolve(issuer_key) if issuer_key else None
        if issuer is holder:
            issuer = ubnd if holder is not ubnd else ext_by_abbr['VPCP']
        incoming = direction == 'incoming'
        specs.append(DocumentSpec(agency=holder.code, direction=direction,
                type_code=type_code, subject=subject, urgency=urgency,
                state=state, issuer=issuer.code if incoming else None,
                issuer_notation=notation(issuer, type_code, explicit)
                if incoming else None,
                issued_date=issued_date(direction, state, days),
                recipients=[] if incoming else recipients_for(holder,
                    rcpt_keys),
                drafting_unit=None if incoming else unit_of(holder, unit),
                signer_login=None if incoming else signer(holder, signer_idx),
                days_ago=days))

    # Random fill: mostly UBND tỉnh and Sở Nội vụ, some xã.
    holders = [('ubnd', 40), ('snv', 35), ('xa1', 10), ('xa2', 8),
        ('xa3', 7)]
    key_map['xa3'] = communes[2] if len(communes) > 2 else key_map['xa2']
    holder_values, holder_cum = _cum(holders)
    ext_list = [e for e in externals]
    while len(specs) < count:
        key = rng.choices(holder_values, cum_weights=holder_cum)[0]
        holder = key_map[key]
        sort = 'commune' if holder.level == 'commune' else (
            'ubnd' if holder is ubnd else 'snv')
        urgency = rng.choices(urg_values, cum_weights=urg_cum)[0]
        if rng.random() < 0.5:
            # incoming
            r = rng.random()
            state = ('registered' if r < 0.6 else 'waiting' if r < 0.9
                else 'draft')
            days = rng.randint(0, 3) if state != 'registered' else \
                rng.randint(1, 60)
            issuer, type_code, explicit = _random_issuer(rng, holder, sort,
                ubnd, key_map, depts, communes, ext_list)
            subject = subject_for(holder, type_code)
            specs.append(DocumentSpec(agency=holder.code,
                    direction='incoming', type_code=type_code,
                    subject=subject, urgency=urgency, state=state,
                    issuer=issuer.code,
                    issuer_notation=notation(issuer, type_code, explicit),
                    issued_date=issued_date('incoming', state, days),
                    recipients=[], drafting_unit=None, signer_login=None,
                    days_ago=days))
        else:
            state = 'issued' if rng.random() < 0.65 else 'draft'
            days = rng.randint(1, 60) if state == 'issued' else \
                rng.randint(0, 5)
            type_code = rng.choice(_OUT_TYPES[sort])
            if type_code == 'TTr':
                keys = ['hdnd'] if holder is ubnd else ['ubnd']
            elif sort == 'commune':
                keys = rng.choice(
                    [['ubnd', 'snv'], ['ubnd'], ['snv'], ['depts']])
            else:
                keys = rng.choice([['depts'], ['communes'],
                        ['depts', 'communes']])
                if rng.random() < 0.15:
                    keys = keys + ['ext:' + rng.choice(ext_list).abbreviation]
            subject = subject_for(holder, type_code)
            specs.append(DocumentSpec(agency=holder.code,
                    direction='outgoing', type_code=type_code,
                    subject=subject, urgency=urgency, state=state,
                    issuer=None, issuer_notation=None,
                    issued_date=issued_date('outgoing', state, days),
                    recipients=recipients_for(holder, keys),
                    drafting_unit=unit_of(holder, None),
                    signer_login=signer(holder, rng.randint(1, 2)),
                    days_ago=days))
    assert all(s.agency in by_code for s in specs)
    return specs


# --- Entry point ----------------------------------------------------------------

def generate_province(seed: int = 2026, departments: int = 20,
        communes: int = 30, officers_per_unit: int = 2,
        documents: int = 40, *, today: datetime.date | None = None
        ) -> Province:
    """Generate the fictional province "tỉnh Hải Vân".

    ``today`` is the reference date for document dates and years (defaults to
    ``datetime.date.today()``); the result is fully deterministic for a given
    (seed, parameters, today).
    """
    if departments < 1:
        raise ValueError('At least one department (Sở Nội vụ) is required')
    if communes < 0 or officers_per_unit < 0 or documents < 0:
        raise ValueError('Negative count')
    if today is None:
        today = datetime.date.today()
    rng = random.Random(seed)
    builder = _build_agencies(rng, departments, communes, officers_per_unit)
    internal = builder.agencies
    externals = _external_agencies(rng)
    docs = _build_documents(rng, internal, externals, documents, today)
    return Province(name=PROVINCE_NAME, domain=PROVINCE_DOMAIN,
        l1=PROVINCE_L1, agencies=internal + externals, documents=docs)
