# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""A TrueType family with Vietnamese glyphs for the PDF reports.

Nghị định 30/2020 (Phụ lục I) asks for Times New Roman; Liberation Serif 2
has the same metrics and full Vietnamese coverage (Debian fonts-liberation2;
Liberation 1.x in fonts-liberation lacks ơ, ư and the stacked diacritics, so
it is refused by the coverage check). DejaVu Serif / Sans (fonts-dejavu-core,
italics in fonts-dejavu-extra) are the fallbacks. The font is embedded
(subset) in every PDF.
"""
import os
import threading
from dataclasses import dataclass
from typing import Optional

from .errors import ReportError

# Every letter of Vietnamese with its diacritics, upper and lower case
VIETNAMESE_LETTERS = (
    'ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝàáâãèéêìíòóôõùúýĂăĐđĨĩŨũƠơƯư'
    'ẠạẢảẤấẦầẨẩẪẫẬậẮắẰằẲẳẴẵẶặẸẹẺẻẼẽẾếỀềỂểỄễỆệỈỉỊịỌọỎỏỐốỒồỔổỖỗỘộ'
    'ỚớỜờỞởỠỡỢợỤụỦủỨứỪừỬửỮữỰựỲỳỴỵỶỷỸỹ')


@dataclass(frozen=True)
class FontFamily:
    "Paths of a family's faces; italics fall back to the upright faces"
    name: str
    regular: str
    bold: str
    italic: Optional[str] = None
    bold_italic: Optional[str] = None


def _family(name, directory, regular, bold, italic, bold_italic):
    return FontFamily(name, *(os.path.join(directory, f)
            for f in (regular, bold, italic, bold_italic)))


FONT_FAMILIES = [
    _family('Times New Roman', '/usr/share/fonts/truetype/msttcorefonts',
        'Times_New_Roman.ttf', 'Times_New_Roman_Bold.ttf',
        'Times_New_Roman_Italic.ttf', 'Times_New_Roman_Bold_Italic.ttf'),
    _family('Liberation Serif', '/usr/share/fonts/truetype/liberation2',
        'LiberationSerif-Regular.ttf', 'LiberationSerif-Bold.ttf',
        'LiberationSerif-Italic.ttf', 'LiberationSerif-BoldItalic.ttf'),
    _family('DejaVu Serif', '/usr/share/fonts/truetype/dejavu',
        'DejaVuSerif.ttf', 'DejaVuSerif-Bold.ttf', 'DejaVuSerif-Italic.ttf',
        'DejaVuSerif-BoldItalic.ttf'),
    _family('DejaVu Sans', '/usr/share/fonts/truetype/dejavu',
        'DejaVuSans.ttf', 'DejaVuSans-Bold.ttf', 'DejaVuSans-Oblique.ttf',
        'DejaVuSans-BoldOblique.ttf'),
    ]


@dataclass(frozen=True)
class ReportFonts:
    "Names of the registered faces, for reportlab styles"
    family: FontFamily
    regular: str
    bold: str
    italic: str
    bold_italic: str


_lock = threading.Lock()
_registered = {}


def _load(path, name):
    "A TTFont for `path` if it exists and covers Vietnamese, else None"
    from reportlab.pdfbase.ttfonts import TTFont, TTFError
    if not path or not os.path.isfile(path):
        return None
    try:
        font = TTFont(name, path)
    except (TTFError, OSError):
        return None
    glyphs = font.face.charToGlyph
    if any(ord(c) not in glyphs for c in VIETNAMESE_LETTERS):
        return None
    return font


def report_fonts(families=None):
    """Register and return the first family of `families` (default
    FONT_FAMILIES) whose regular and bold faces exist and cover Vietnamese.
    """
    from reportlab.pdfbase import pdfmetrics
    families = FONT_FAMILIES if families is None else families
    with _lock:
        for family in families:
            if family in _registered:
                return _registered[family]
            base = 'VBR-' + ''.join(c for c in family.name if c.isalnum())
            names = {
                'regular': base, 'bold': base + '-Bold',
                'italic': base + '-Italic',
                'bold_italic': base + '-BoldItalic'}
            regular = _load(family.regular, names['regular'])
            bold = regular and _load(family.bold, names['bold'])
            if not bold:
                continue
            italic = _load(family.italic, names['italic'])
            bold_italic = _load(family.bold_italic, names['bold_italic'])
            for font in (regular, bold, italic, bold_italic):
                if font:
                    pdfmetrics.registerFont(font)
            fonts = ReportFonts(family,
                regular=names['regular'], bold=names['bold'],
                italic=names['italic'] if italic else names['regular'],
                bold_italic=(names['bold_italic'] if bold_italic
                    else names['bold']))
            # So that <b> and <i> in paragraphs pick the right faces
            pdfmetrics.registerFontFamily(fonts.regular,
                normal=fonts.regular, bold=fonts.bold, italic=fonts.italic,
                boldItalic=fonts.bold_italic)
            _registered[family] = fonts
            return fonts
    raise ReportError('font',
        'Không tìm thấy phông chữ TrueType có đủ dấu tiếng Việt để xuất '
        'PDF (cần Liberation Serif 2 hoặc DejaVu: gói fonts-liberation2 '
        'hoặc fonts-dejavu-core).')
