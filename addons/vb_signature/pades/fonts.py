# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""Fonts for signature appearances and filled fields.

pyHanko 0.38's embedded-font engine (GlyphAccumulator) writes glyph widths
in font units as if every font had 1000 units per em; DejaVu, Liberation and
Times New Roman have 2048, so Vietnamese text came out letter-spaced about
twice (pyhanko.md §2.3, P3). The fonts are therefore rescaled to 1000 units
per em and subset to Vietnamese once, then cached on disk: pyHanko re-reads
and re-subsets the font file on every signature, and a 60 KB subset takes a
few milliseconds where the full DejaVu took about 0.4 s.
"""
import hashlib
import os
import tempfile
import threading
import unicodedata

from .errors import SignatureError

# Vietnamese letters, combining marks and the punctuation of the stamps
VIETNAMESE_CODEPOINTS = (
    list(range(0x20, 0x7F)) + list(range(0xA0, 0x180))
    + list(range(0x1A0, 0x1B1)) + list(range(0x300, 0x324))
    + list(range(0x1EA0, 0x1EFA)) + list(range(0x2010, 0x2027))
    + [0x2030, 0x20AB, 0x2116, 0x2212])
# A font must have all of these to be chosen
_PROBE = 'ĂÂĐÊÔƠƯăâđêôơư ẰẮẲẴẶằắẳẵặỪỨỬỮỰừứửữựỲÝỶỸỴỳýỷỹỵ ỦỦễởờố'
_VERSION = '1'

SANS_CANDIDATES = (
    'VBDH_SIGN_FONT_SANS',
    '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
    '/usr/share/fonts/TTF/DejaVuSans.ttf',
    )
# Nghị định 30/2020 asks for Times New Roman; Liberation Serif 2 has its
# metrics and the Vietnamese glyphs (Liberation 1.x has not)
SERIF_CANDIDATES = (
    'VBDH_SIGN_FONT_SERIF',
    '/usr/share/fonts/truetype/msttcorefonts/Times_New_Roman.ttf',
    '/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf',
    '/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf',
    '/usr/share/fonts/TTF/DejaVuSerif.ttf',
    )

_lock = threading.Lock()
_prepared = {}


def cache_dir():
    "Where the prepared fonts are kept (VBDH_CACHE_DIR or the temp dir)"
    path = os.environ.get('VBDH_CACHE_DIR') or os.path.join(
        tempfile.gettempdir(), f'vbdh-{os.getuid()}')
    path = os.path.join(path, 'fonts')
    os.makedirs(path, mode=0o700, exist_ok=True)
    if os.stat(path).st_uid != os.getuid():
        # A shared temp dir where someone else made the folder first: do
        # not read fonts they could have planted
        path = tempfile.mkdtemp(prefix='vbdh-fonts-')
    return path


def _covers_vietnamese(path):
    from fontTools.ttLib import TTFont
    try:
        cmap = TTFont(path, lazy=True).getBestCmap()
    except Exception:
        return False
    return all(ord(c) in cmap for c in _PROBE if not c.isspace())


def _source(candidates):
    for candidate in candidates:
        path = (os.environ.get(candidate, '') if candidate.isupper()
            else candidate)
        if path and os.path.isfile(path) and _covers_vietnamese(path):
            return path
    raise SignatureError('font_missing',
        "Không tìm thấy phông chữ tiếng Việt để vẽ chữ ký số "
        "(cài gói fonts-dejavu-core hoặc đặt biến VBDH_SIGN_FONT_SANS, "
        "VBDH_SIGN_FONT_SERIF).")


def prepare_font(source, destination):
    "Write a 1000-upm Vietnamese subset of the TrueType font `source`"
    from fontTools import subset
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.scaleUpem import scale_upem
    font = TTFont(source)
    if font['head'].unitsPerEm != 1000:
        scale_upem(font, 1000)
    options = subset.Options()
    # Vietnamese needs no shaping: every letter has a precomposed glyph
    # and the text is NFC-normalised before it reaches pyHanko
    options.drop_tables += ['GSUB', 'GPOS', 'GDEF', 'kern', 'MATH', 'FFTM']
    options.layout_features = []
    options.name_IDs = ['*']
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=VIETNAMESE_CODEPOINTS)
    subsetter.subset(font)
    tmp = f'{destination}.{os.getpid()}.{threading.get_ident()}'
    font.save(tmp)
    os.replace(tmp, destination)


def font_path(kind='sans'):
    "Path of the prepared font: 'sans' for stamps, 'serif' for the fields"
    with _lock:
        if kind in _prepared:
            return _prepared[kind]
        source = _source(SERIF_CANDIDATES if kind == 'serif'
            else SANS_CANDIDATES)
        stat = os.stat(source)
        key = hashlib.sha256(
            f'{_VERSION}|{source}|{stat.st_size}|{stat.st_mtime_ns}'.encode()
            ).hexdigest()[:16]
        name = os.path.splitext(os.path.basename(source))[0]
        destination = os.path.join(cache_dir(), f'{name}-1000upm-{key}.ttf')
        if not os.path.exists(destination):
            prepare_font(source, destination)
        # Chosen once per process: the check reads the font's cmap
        _prepared[kind] = destination
        return destination


def nfc(text):
    "Text as pyHanko must get it: NFC (input methods and macOS send NFD)"
    return unicodedata.normalize('NFC', text or '')
