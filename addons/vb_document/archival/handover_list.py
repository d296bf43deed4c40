# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""The handover list (mục lục hồ sơ, tài liệu nộp lưu) as a PDF.

Columns of Nghị định 30/2020 Phụ lục V: Số TT; Số, ký hiệu hồ sơ; Tiêu đề
hồ sơ; Thời gian tài liệu; Thời hạn bảo quản; Số tờ/Số trang; Ghi chú. The
totals of the biên bản giao nhận for electronic records (number of dossiers,
number of files) close it.
"""
import io
from xml.sax.saxutils import escape

from ..demo.pdf import _font as vietnamese_font
from .errors import MetadataError

COLUMNS = [
    ("Số TT", 12),
    ("Số, ký hiệu hồ sơ", 62),
    ("Tiêu đề hồ sơ", 78),
    ("Thời gian tài liệu", 34),
    ("Thời hạn bảo quản", 26),
    ("Số tờ/ Số trang", 20),
    ("Ghi chú", 25),
    ]


def _period(dossier):
    start, end = dossier.start_date, dossier.end_date
    if not start:
        return ''
    if end and end != start:
        return f"{start:%d/%m/%Y} - {end:%d/%m/%Y}"
    return f"{start:%d/%m/%Y}"


def render_handover_list(agency_name, organ_id, dossiers, created,
        file_total):
    "The bytes of the handover list of dossiers, a landscape A4 PDF"
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import (
        Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle)

    font = vietnamese_font()
    if not font:
        raise MetadataError('no_font')
    body = ParagraphStyle('body', fontName=font, fontSize=10, leading=12)
    head = ParagraphStyle('head', parent=body, alignment=TA_CENTER)
    title = ParagraphStyle('title', parent=body, fontSize=14, leading=18,
        alignment=TA_CENTER, spaceAfter=4)

    def p(text, style=body):
        return Paragraph(escape(str(text or '')), style)

    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=landscape(A4),
        leftMargin=30 * mm, rightMargin=15 * mm, topMargin=20 * mm,
        bottomMargin=20 * mm, title="Mục lục hồ sơ, tài liệu nộp lưu",
        author=agency_name)
    story = [
        p(agency_name.upper(), head),
        p(f"Mã định danh: {organ_id}", head),
        Spacer(1, 6 * mm),
        p("MỤC LỤC HỒ SƠ, TÀI LIỆU NỘP LƯU", title),
        p(f"Lập ngày {created:%d/%m/%Y}", head),
        Spacer(1, 6 * mm),
        ]
    rows = [[p(name, head) for name, _ in COLUMNS]]
    for index, dossier in enumerate(dossiers, 1):
        rows.append([
                p(index, head), p(dossier.code), p(dossier.title),
                p(_period(dossier), head), p(dossier.maintenance, head),
                p(dossier.page_total or 0, head), p(dossier.description),
                ])
    table = Table(rows, colWidths=[w * mm for _, w in COLUMNS],
        repeatRows=1)
    table.setStyle(TableStyle([
                ('GRID', (0, 0), (-1, -1), 0.5, colors.black),
                ('VALIGN', (0, 0), (-1, -1), 'TOP'),
                ]))
    story += [
        table,
        Spacer(1, 6 * mm),
        p(f"Tổng số hồ sơ: {len(dossiers)}. Tổng số tệp: {file_total}."),
        ]
    document.build(story)
    return buffer.getvalue()
