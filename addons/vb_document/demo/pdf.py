# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"One-page PDFs laid out like administrative documents, for the demo"
import io
import os
import textwrap

from ..vn import normalize_vi

FONT_PATHS = [
    os.environ.get('VBDH_PDF_FONT', ''),
    '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
    '/usr/share/fonts/TTF/DejaVuSans.ttf',
    ]


def _font():
    "A TrueType font with Vietnamese glyphs, or None"
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    if 'VBDH' in pdfmetrics.getRegisteredFontNames():
        return 'VBDH'
    for path in FONT_PATHS:
        if path and os.path.exists(path):
            pdfmetrics.registerFont(TTFont('VBDH', path))
            return 'VBDH'


def render(agency, title, subject, lines=(), number=''):
    "Return the bytes of a one-page A4 PDF"
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas
    font = _font()
    # Without a Vietnamese font the Type 1 fonts can only show ASCII
    text = (lambda s: s) if font else (lambda s: normalize_vi(s).upper()
        if s.isupper() else normalize_vi(s))
    font = font or 'Helvetica'
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    width, height = A4
    pdf.setTitle(text(subject[:100]))
    pdf.setFont(font, 11)
    pdf.drawCentredString(150, height - 60, text(agency.upper()[:45]))
    pdf.drawCentredString(150, height - 78, text(f"Số: {number}"))
    pdf.drawCentredString(400, height - 60,
        text("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"))
    pdf.drawCentredString(400, height - 76,
        text("Độc lập - Tự do - Hạnh phúc"))
    pdf.setFont(font, 14)
    pdf.drawCentredString(width / 2, height - 130, text(title.upper()))
    pdf.setFont(font, 12)
    y = height - 155
    for line in textwrap.wrap(subject, 80):
        pdf.drawCentredString(width / 2, y, text(line))
        y -= 16
    y -= 20
    pdf.setFont(font, 11)
    for paragraph in lines:
        for line in textwrap.wrap(paragraph, 95):
            pdf.drawString(70, y, text(line))
            y -= 15
        y -= 6
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def document_pdf(document):
    "The main file of a demo document"
    agency = (document.issuer_name or document.company.rec_name
        if document.direction == 'incoming' else document.company.rec_name)
    return render(agency, document.type.name, document.subject, [
            "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 "
            "của Chính phủ về công tác văn thư;",
            "Xét đề nghị của các cơ quan, đơn vị có liên quan,",
            "Văn bản này được tạo tự động cho hệ thống trình diễn VBĐH.",
            ], number=document.number_notation or '...')


def scanned(pdf, dpi=200):
    """The PDF as a scanner gives it: each page an image, without text.

    Pages are rendered by poppler's pdftoppm (Debian poppler-utils).
    """
    import subprocess
    import tempfile
    from pathlib import Path

    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas
    with tempfile.TemporaryDirectory() as directory:
        subprocess.run(['pdftoppm', '-r', str(dpi), '-gray', '-png', '-',
                str(Path(directory) / 'page')], input=pdf, check=True,
            capture_output=True, timeout=120)
        buffer = io.BytesIO()
        out = canvas.Canvas(buffer, pagesize=A4)
        for image in sorted(Path(directory).glob('page*.png')):
            out.drawImage(ImageReader(str(image)), 0, 0, *A4)
            out.showPage()
        out.save()
    return buffer.getvalue()
