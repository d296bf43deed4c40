# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""Drafts that keep room for the clerk: number, date and both signatures.

The number-notation and date fields are empty text fields; the clerk fills
them in an incremental update after the leader has signed, which the
leader's signature allows (see signing.py). Both signature fields are
created in the draft too, because a field's /Lock dictionary must exist
before the field is signed (pyhanko.md §3, P5), and because the template,
not the signing step, decides where the signatures go.
"""
import io

from .errors import DocumentError
from .fonts import font_path, nfc
from .layout import (
    FIELD_DATE, FIELD_LEADER, FIELD_NUMBER, FIELD_ORGANIZATION, Box,
    Reservation, seal_box)
from .pdfio import open_writer, write


def _text_field(writer, name, box, tooltip):
    "An empty, single-line text field whose widget is merged into it"
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.generic import pdf_name, pdf_string
    page_ref = writer.find_page_for_modification(box.page)[0]
    field = generic.DictionaryObject({
        pdf_name('/FT'): pdf_name('/Tx'),
        pdf_name('/T'): pdf_string(name),
        pdf_name('/TU'): pdf_string(tooltip),
        pdf_name('/Type'): pdf_name('/Annot'),
        pdf_name('/Subtype'): pdf_name('/Widget'),
        pdf_name('/F'): generic.NumberObject(4),
        pdf_name('/P'): page_ref,
        pdf_name('/Rect'): generic.ArrayObject(
            generic.FloatObject(round(v)) for v in box.rect),
        pdf_name('/DA'): pdf_string('/Helv 0 Tf 0 g'),
        })
    field_ref = writer.add_object(field)
    writer.register_annotation(page_ref, field_ref)
    return field_ref


def _acroform(writer):
    "The document's form, created when missing"
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.generic import pdf_name, pdf_string
    root = writer.root
    if '/AcroForm' in root:
        form = root['/AcroForm']
        if '/Fields' not in form:
            form[pdf_name('/Fields')] = generic.ArrayObject()
        # The form may be a direct object of the catalog or an indirect one
        ref = root.raw_get('/AcroForm')
        if isinstance(ref, generic.IndirectObject):
            writer.mark_update(ref)
        else:
            writer.update_root()
        return form
    helvetica = writer.add_object(generic.DictionaryObject({
        pdf_name('/Type'): pdf_name('/Font'),
        pdf_name('/Subtype'): pdf_name('/Type1'),
        pdf_name('/BaseFont'): pdf_name('/Helvetica'),
        pdf_name('/Encoding'): pdf_name('/WinAnsiEncoding'),
        }))
    form = generic.DictionaryObject({
        pdf_name('/Fields'): generic.ArrayObject(),
        # Variable text needs a default appearance; the clerk's fill
        # replaces it by a static appearance in an embedded font
        pdf_name('/DA'): pdf_string('/Helv 0 Tf 0 g'),
        pdf_name('/DR'): generic.DictionaryObject({
            pdf_name('/Font'): generic.DictionaryObject({
                pdf_name('/Helv'): helvetica})}),
        })
    root[pdf_name('/AcroForm')] = writer.add_object(form)
    writer.update_root()
    return form


def _field_names(writer):
    from pyhanko.pdf_utils.generic import NullObject
    try:
        fields = writer.root['/AcroForm']['/Fields']
    except KeyError:
        return set()
    names = set()
    for ref in fields:
        field = ref.get_object()
        if isinstance(field, NullObject):
            continue
        names.add(str(field.get('/T', '')))
    return names


def reserve_fields(pdf_bytes, reservation):
    """Add the reservations to a PDF and return the new bytes.

    Adds, in one incremental update: the empty text fields for the number
    (right-aligned, next to the printed "/QĐ-UBND") and the date, the
    leader's signature field locked against everything except those two
    fields and the organisation's signature, and the organisation's
    signature field over the left third of the leader's image, locked
    entirely (after it only validation data and timestamps may be added).
    """
    from pyhanko.sign import fields
    writer = open_writer(pdf_bytes)
    existing = _field_names(writer)
    taken = existing & {FIELD_NUMBER, FIELD_DATE, FIELD_LEADER,
        FIELD_ORGANIZATION}
    if taken:
        raise DocumentError('fields_exist',
            "Bản dự thảo đã có các trường dành cho số, ngày hoặc chữ ký: "
            + ', '.join(sorted(taken)))
    pages = int(writer.root['/Pages']['/Count'])
    for box in (reservation.number, reservation.date, reservation.leader):
        if not 0 <= box.page < pages:
            raise DocumentError('page_out_of_range',
                f"Trang {box.page + 1} không có trong văn bản "
                f"({pages} trang).")
    form = _acroform(writer)
    for name, box, tooltip in (
            (FIELD_NUMBER, reservation.number, "Số văn bản"),
            (FIELD_DATE, reservation.date, "Ngày ban hành")):
        form['/Fields'].append(_text_field(writer, name, box, tooltip))
    leader = reservation.leader
    fields.append_signature_field(writer, fields.SigFieldSpec(
        sig_field_name=FIELD_LEADER, on_page=leader.page,
        box=tuple(round(v) for v in leader.rect),
        readable_field_name="Chữ ký số của người có thẩm quyền",
        field_mdp_spec=fields.FieldMDPSpec(fields.FieldMDPAction.EXCLUDE,
            [FIELD_NUMBER, FIELD_DATE, FIELD_ORGANIZATION])))
    # Appended after the leader's: widgets are drawn in /Annots order,
    # so the seal lies over the signature image
    seal = seal_box(leader)
    fields.append_signature_field(writer, fields.SigFieldSpec(
        sig_field_name=FIELD_ORGANIZATION, on_page=seal.page,
        box=tuple(round(v) for v in seal.rect),
        readable_field_name="Chữ ký số của cơ quan, tổ chức",
        field_mdp_spec=fields.FieldMDPSpec(fields.FieldMDPAction.ALL),
        doc_mdp_update_value=fields.MDPPerm.NO_CHANGES))
    return write(writer)


def standard_reservation(pdf_bytes):
    """The reservations at the places of the A4 layout of Nghị định 30/2020
    (Phụ lục I), for a draft made without a template: the number after
    "Số:" and the date after the place name on the first page, the leader's
    signature block at the bottom right of the last page.

    A template that draws its own layout should call `reserve_fields` with
    its boxes instead: these places only fit the standard layout.
    """
    from pyhanko.pdf_utils.reader import PdfFileReader
    try:
        reader = PdfFileReader(io.BytesIO(bytes(pdf_bytes)), strict=False)
        pages = int(reader.root['/Pages']['/Count'])
        box = [float(v) for v in reader.root['/Pages'].get('/MediaBox',
            reader.root['/Pages']['/Kids'][0].get_object().get('/MediaBox',
                [0, 0, 595.28, 841.89]))]
    except Exception as e:
        raise DocumentError('damaged',
            "Tệp PDF bị hỏng, không đọc được.", repr(e)) from e
    width, height = box[2] - box[0], box[3] - box[1]
    mm = 72 / 25.4
    left, right = 30 * mm, 20 * mm
    y = height - 20 * mm - 12 - 48
    number = Box(0, left + 40, y - 4, left + 80, y + 14)
    date = Box(0, width - right - 200, y - 4, width - right, y + 14)
    leader = Box.signature_at(pages - 1, width - right - 190, 30 * mm + 20)
    return Reservation(number=number, date=date, leader=leader)


def has_reservation(pdf_bytes):
    "Whether the PDF has the four fields of a draft"
    writer = open_writer(pdf_bytes)
    return _field_names(writer) >= {
        FIELD_NUMBER, FIELD_DATE, FIELD_LEADER, FIELD_ORGANIZATION}


def make_draft(agency="ỦY BAN NHÂN DÂN\nTỈNH THỬ NGHIỆM",
        place="Thử Nghiệm", suffix="/QĐ-UBND", title="QUYẾT ĐỊNH",
        subject="Về việc thử nghiệm ký số văn bản điện tử",
        paragraphs=(), pages=1, signer_title="TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH",
        signer_name="Nguyễn Văn An", compress=True):
    """A Vietnamese administrative document with the reservations made.

    Meant for tests, the demo and the benchmark: real drafts come from the
    document templates, which call `reserve_fields` with their own boxes.
    Body text is drawn in the serif font (Times New Roman metrics when
    available); `pages` pads the body with numbered paragraphs.
    Return the PDF bytes.
    """
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.lib.utils import simpleSplit
    from reportlab.pdfgen import canvas

    if 'VBSign' not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont('VBSign', font_path('serif')))
    mm = 72 / 25.4
    width, height = A4
    left, right = 30 * mm, 20 * mm
    buffer = io.BytesIO()
    # initialFontName avoids reportlab's stray non-embedded Helvetica
    pdf = canvas.Canvas(buffer, pagesize=A4, initialFontName='VBSign',
        initialFontSize=13, pageCompression=1 if compress else 0,
        lang='vi-VN')
    pdf.setTitle(nfc(subject))
    pdf.setAuthor(nfc(agency.replace('\n', ' ')))
    font = 'VBSign'

    def centred(x, y, text, size=13):
        pdf.setFont(font, size)
        pdf.drawCentredString(x, y, nfc(text))

    left_centre, right_centre = left + 75, width - right - 130
    y = height - 20 * mm - 12
    for i, line in enumerate(agency.split('\n')):
        centred(left_centre, y - i * 15, line, 12.5)
    centred(right_centre, y, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 12)
    centred(right_centre, y - 15, "Độc lập - Tự do - Hạnh phúc", 13)
    y -= 48
    pdf.setFont(font, 13)
    pdf.drawString(left + 18, y, "Số:")
    number = Box(0, left + 40, y - 4, left + 80, y + 14)
    pdf.drawString(number.x2 + 1, y, nfc(suffix))
    place_text = nfc(place) + ","
    place_x = width - right - 250
    pdf.drawString(place_x, y, place_text)
    date_x = place_x + pdfmetrics.stringWidth(place_text, font, 13) + 3
    date = Box(0, date_x, y - 4, width - right, y + 14)

    y -= 45
    centred(width / 2, y, title, 14)
    centred(width / 2, y - 18, subject, 13)
    y -= 50
    bottom, block = 30 * mm, 180  # the signature block's height

    def line(text):
        nonlocal y
        if y < bottom:
            pdf.showPage()
            y = height - 20 * mm - 12
        pdf.setFont(font, 13)
        pdf.drawString(left, y, text)
        y -= 18

    n = 0
    for n, text in enumerate(paragraphs, 1):
        for part in simpleSplit(nfc(text), font, 13, width - left - right):
            line(part)
    # Filler paragraphs until the last page has just room for the block
    while pdf.getPageNumber() < pages or y >= bottom + block + 18:
        n += 1
        line(f"Điều {n}. Văn bản điện tử được ký số theo Nghị định "
            "30/2020/NĐ-CP.")
    if y < bottom + block:
        pdf.showPage()
        y = height - 20 * mm - 12
    # Signature block: title lines, the reserved gap, the printed name
    block_x = width - right - 95
    for i, line in enumerate(signer_title.split('\n')):
        centred(block_x, y - i * 16, line, 13)
    y -= 16 * len(signer_title.split('\n'))
    leader = Box.signature_at(pdf.getPageNumber() - 1,
        block_x - 95, y - 112)
    centred(block_x, leader.y1 - 14, signer_name, 13)
    pdf.setFont(font, 11)
    pdf.drawString(left, leader.y2, "Nơi nhận:")
    pdf.drawString(left, leader.y2 - 14, "- Như Điều 3;")
    pdf.drawString(left, leader.y2 - 28, "- Lưu: VT.")
    pdf.showPage()
    pdf.save()
    return reserve_fields(buffer.getvalue(),
        Reservation(number=number, date=date, leader=leader))
