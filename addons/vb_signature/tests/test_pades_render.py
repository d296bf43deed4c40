# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""What the signatures look like once rendered (poppler's pdftoppm): the
blue signature image, the red seal over its left third, the Vietnamese
text at its natural width, the annex text block at the top right."""
import io
import shutil
import subprocess

import pytest
from PIL import Image

from trytond.modules.vb_signature.pades import (
    FIELD_DATE, FIELD_LEADER, FIELD_ORGANIZATION, Box, make_draft, seal,
    seal_annex, sign_leader)
from trytond.modules.vb_signature.pades.appearance import text_width
from trytond.modules.vb_signature.pades.layout import (
    INFO_FONT_SIZE, STAMP_FONT_SIZE, image_box)

from .pades_tools import (
    ISSUE_DATE, appearance_fonts, appearance_text, field, widget)

DPI = 100
SCALE = DPI / 72


@pytest.fixture(scope='module')
def one_page(pades):
    "A one-page document, signed and sealed: page 1 holds everything"
    draft = make_draft(pages=1)
    signed = sign_leader(draft, pades.signer('leader'),
        pades.leader_appearance())
    return seal(signed, pades.signer('org'), pades.seal_appearance(),
        number=125, date=ISSUE_DATE)


def render(pdf, page=1):
    assert shutil.which('pdftoppm'), "apt-get install poppler-utils"
    png = subprocess.run(['pdftoppm', '-png', '-r', str(DPI), '-f',
        str(page), '-l', str(page), '-'], input=pdf, capture_output=True,
        check=True).stdout
    return Image.open(io.BytesIO(png)).convert('RGB')


def pixels(image, box):
    "The RGB pixels inside a box given in PDF points"
    height = image.height
    left, right = int(box.x1 * SCALE), int(box.x2 * SCALE)
    top, bottom = int(height - box.y2 * SCALE), int(height - box.y1 * SCALE)
    return list(image.crop((left, top, right, bottom)).getdata())


def blue(p):
    return p[2] > 140 and p[0] < 110 and p[1] < 130


def red(p):
    return p[0] > 170 and p[1] < 90 and p[2] < 90


def dark(p):
    return sum(p) < 200


def _rect(pdf, name):
    return Box(0, *[float(v) for v in widget(field(pdf, name))['/Rect']])


def test_signature_image_and_seal_overlap(one_page):
    image = render(one_page)
    leader = _rect(one_page, FIELD_LEADER)
    picture = image_box(leader)
    third = picture.width / 3
    left_third = Box(0, picture.x1, picture.y1, picture.x1 + third,
        picture.y2)
    rest = Box(0, picture.x1 + third + 2, picture.y1, picture.x2,
        picture.y2)
    # The handwritten signature (blue) shows right of the seal ...
    assert sum(map(blue, pixels(image, rest))) > 300
    # ... and the seal (red) covers the left third, drawn over it
    covered = pixels(image, left_third)
    assert sum(map(red, covered)) > 300
    seal_pixels = pixels(image, _rect(one_page, FIELD_ORGANIZATION))
    assert sum(map(red, seal_pixels)) > 0.1 * len(seal_pixels)
    # Nothing red right of the seal's box: it stays where it belongs
    assert sum(map(red, pixels(image, rest))) == 0


def test_stamp_text_renders_at_its_natural_width(one_page):
    lines = appearance_text(one_page, FIELD_LEADER)
    assert lines[0] == "Ký bởi: Nguyễn Văn An"
    (gids, widths, to_unicode), = appearance_fonts(one_page, FIELD_LEADER)
    # Every glyph is in the subset (no .notdef), with widths in 1/1000 em:
    # pyHanko 0.38 writes 2048-unit widths otherwise (letter-spaced text)
    assert 0 not in gids
    assert max(widths[g] for g in gids) < 1000
    assert b'<1ec5>' in to_unicode.lower()  # ễ of Nguyễn
    # The inked width of the time line (the lowest) matches the font's
    # metrics
    image = render(one_page)
    leader = _rect(one_page, FIELD_LEADER)
    below = Box(0, leader.x1, leader.y1, leader.x2, image_box(leader).y1)
    crop = image.crop((int(below.x1 * SCALE),
        int(image.height - below.y2 * SCALE), int(below.x2 * SCALE),
        int(image.height - below.y1 * SCALE)))
    inked_rows = [y for y in range(crop.height)
        if any(dark(crop.getpixel((x, y))) for x in range(crop.width))]
    bottom = inked_rows[-1]
    top = bottom
    while top - 1 in inked_rows:
        top -= 1
    columns = [x for x in range(crop.width)
        if any(dark(crop.getpixel((x, y))) for y in range(top, bottom + 1))]
    inked = (columns[-1] - columns[0]) / SCALE
    expected = text_width(lines[1], STAMP_FONT_SIZE, 'sans')
    assert 0.85 * expected < inked < 1.1 * expected, (inked, expected)
    assert 4 < (bottom - top) / SCALE < 2 * STAMP_FONT_SIZE


def test_number_and_date_render_in_the_header(one_page):
    image = render(one_page)
    date = _rect(one_page, FIELD_DATE)
    assert sum(map(dark, pixels(image, date))) > 100
    (gids, widths, _), = appearance_fonts(one_page, FIELD_DATE)
    assert 0 not in gids and max(widths[g] for g in gids) < 1000


def test_annex_text_block_at_top_right(pades):
    from trytond.modules.vb_document.demo.pdf import render as annex_pdf
    annex = seal_annex(annex_pdf("ỦY BAN NHÂN DÂN TỈNH THỬ NGHIỆM",
        "Phụ lục", "Danh sách"), pades.signer('org'), "125/QĐ-UBND")
    image = render(annex)
    box = _rect(annex, FIELD_ORGANIZATION)
    inside = pixels(image, box)
    assert sum(map(dark, inside)) > 200
    assert not any(red(p) or blue(p) for p in inside)  # black text only
    assert box.x2 * SCALE > 0.85 * image.width
    assert box.y2 * SCALE > 0.95 * image.height
    widest = max(text_width(line, INFO_FONT_SIZE)
        for line in appearance_text(annex, FIELD_ORGANIZATION))
    assert box.width >= widest
