# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""What signatures look like (Nghị định 30/2020, Phụ lục I; spec §4.8).

* the leader: the handwritten signature image (blue, transparent PNG) at the
  top of the box, "Ký bởi / Thời gian ký" in small type under it;
* the organisation on the main document: the red round seal image only;
* the organisation on an annex or electronic copy: no image, 10 pt black
  text at the top right of the first page.

Images are drawn with opacity 1 (pyHanko's default 0.6 is also forbidden by
PDF/A) and keep their alpha channel as an /SMask, which PDF/A-2b allows and
PDF/A-1b does not.
"""
import io
from dataclasses import dataclass

from .errors import SignatureError
from .fonts import font_path, nfc
from .layout import (
    FIELD_FONT_SIZE, IMAGE_HEIGHT, IMAGE_TOP_MARGIN, IMAGE_WIDTH,
    INFO_FONT_SIZE, INFO_LEADING, SIGNATURE_HEIGHT, SIGNATURE_WIDTH,
    STAMP_FONT_SIZE)

# Nghị định 30 asks for ISO 8601 with the Vietnamese offset; the display
# pattern itself is not prescribed (spec §4.8), so it is a parameter
ISO_8601 = 'iso'
LEADER_TEXT = "Ký bởi: {signer}\nThời gian ký: {time}"
ANNEX_TEXT = "{organization}\nSố: {notation}\nThời gian ký: {time}"
COPY_TEXT = "{form}\n{organization}\nThời gian ký: {time}"


@dataclass
class Appearance:
    """How a visible signature looks.

    `image`: PNG bytes with a transparent background (the leader's
    signature, or the agency's seal); `text`: a template with {signer},
    {organization}, {time} and any key of `values`; `time_format`: 'iso'
    (2026-03-05T15:02:11+07:00) or a strftime pattern.
    """
    image: bytes | None = None
    text: str = LEADER_TEXT
    time_format: str = ISO_8601
    values: dict | None = None

    def format_time(self, when):
        if self.time_format == ISO_8601:
            return when.isoformat(timespec='seconds')
        return when.strftime(self.time_format)

    def render_text(self, when, signer='', organization=''):
        values = dict(self.values or {})
        values.update(signer=signer, organization=organization,
            time=self.format_time(when))
        try:
            return nfc(self.text.format(**values))
        except (KeyError, IndexError, ValueError) as e:
            raise SignatureError('bad_template',
                f"Mẫu chữ hiển thị của chữ ký số không hợp lệ: {self.text!r}",
                repr(e)) from e


def load_png(data, what="Ảnh chữ ký"):
    "A PIL image from PNG bytes that have a transparent background"
    from PIL import Image
    try:
        image = Image.open(io.BytesIO(bytes(data)))
        image.load()
    except Exception as e:
        raise SignatureError('bad_image',
            f"{what} không đọc được (cần tệp PNG).", repr(e)) from e
    if image.format != 'PNG':
        raise SignatureError('bad_image',
            f"{what} phải là tệp PNG (tệp nhận được: {image.format}).")
    if image.mode == 'P' and 'transparency' in image.info:
        image = image.convert('RGBA')
    if image.mode not in ('RGBA', 'LA', 'PA'):
        raise SignatureError('image_not_transparent',
            f"{what} phải có nền trong suốt (PNG có kênh alpha).")
    if image.mode != 'RGBA':
        image = image.convert('RGBA')
    return image


def _layout(x, y, **margins):
    from pyhanko.pdf_utils import layout
    return layout.SimpleBoxLayoutRule(
        x_align=getattr(layout.AxisAlignment, x),
        y_align=getattr(layout.AxisAlignment, y),
        margins=layout.Margins(**margins))


def _text_box_style(kind, size, leading=None):
    from pyhanko.pdf_utils import text
    from pyhanko.pdf_utils.font import opentype
    # The size must be given to both the font engine and the text box
    # (pyhanko.md P4), or multi-line text drifts
    return text.TextBoxStyle(
        font=opentype.GlyphAccumulatorFactory(font_path(kind),
            font_size=size),
        font_size=size, leading=leading)


def leader_style(image_png):
    "The leader's stamp: image at the top, two lines of text at the bottom"
    from pyhanko import stamp
    from pyhanko.pdf_utils import images
    # pyHanko's layout wants whole numbers here (it builds Fractions)
    side = (SIGNATURE_WIDTH - IMAGE_WIDTH) // 2
    return stamp.TextStampStyle(
        stamp_text='%(vb_text)s',
        text_box_style=_text_box_style('sans', STAMP_FONT_SIZE,
            STAMP_FONT_SIZE + 2),
        inner_content_layout=_layout('ALIGN_MID', 'ALIGN_MIN', bottom=2),
        background=images.PdfImage(load_png(image_png)) if image_png
        else None,
        background_opacity=1.0,
        background_layout=_layout('ALIGN_MID', 'ALIGN_MAX',
            top=IMAGE_TOP_MARGIN, left=side, right=side,
            bottom=SIGNATURE_HEIGHT - IMAGE_TOP_MARGIN - IMAGE_HEIGHT),
        border_width=0)


def seal_style(seal_png):
    "The organisation's stamp on the main document: the seal image only"
    from pyhanko import stamp
    from pyhanko.pdf_utils import images
    return stamp.StaticStampStyle(
        background=images.PdfImage(load_png(seal_png, "Ảnh con dấu")),
        background_opacity=1.0,
        background_layout=_layout('ALIGN_MID', 'ALIGN_MID'),
        border_width=0)


def info_style():
    "The organisation's text block on annexes and copies: 10 pt, black"
    from pyhanko import stamp
    from pyhanko.pdf_utils import layout
    return stamp.TextStampStyle(
        stamp_text='%(vb_text)s',
        text_box_style=_text_box_style('serif', INFO_FONT_SIZE,
            INFO_LEADING),
        inner_content_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MIN,
            y_align=layout.AxisAlignment.ALIGN_MAX,
            margins=layout.Margins(left=2, top=2),
            inner_content_scaling=layout.InnerScaling.NO_SCALING),
        border_width=0)


def field_style(align):
    "Text of the number and date fields, in the document's serif font"
    from pyhanko.pdf_utils import layout, text
    from pyhanko.pdf_utils.font import opentype
    return text.TextBoxStyle(
        font=opentype.GlyphAccumulatorFactory(font_path('serif'),
            font_size=FIELD_FONT_SIZE),
        font_size=FIELD_FONT_SIZE,
        box_layout_rule=layout.SimpleBoxLayoutRule(
            x_align=getattr(layout.AxisAlignment, align),
            y_align=layout.AxisAlignment.ALIGN_MID,
            inner_content_scaling=layout.InnerScaling.SHRINK_TO_FIT))


def text_width(text, size, kind='serif'):
    "Width in points of the widest line of `text` in the prepared font"
    font = _metrics(kind)
    cmap, hmtx = font.getBestCmap(), font['hmtx']
    widest = 0
    for line in text.split('\n'):
        units = sum(hmtx[cmap.get(ord(c), '.notdef')][0] for c in line)
        widest = max(widest, units * size / 1000)
    return widest


_fonts = {}


def _metrics(kind):
    from fontTools.ttLib import TTFont
    path = font_path(kind)
    if path not in _fonts:
        _fonts[path] = TTFont(path)
    return _fonts[path]
