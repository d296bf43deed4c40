# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"Text of files for the search, without the database"
import io
import subprocess
import unittest

from trytond.modules.vb_document.demo.pdf import render, scanned
from trytond.modules.vb_document.textract import (
    TextError, extract, file_kind, ocr_available)
from trytond.modules.vb_document.vn import normalize_vi

SUBJECT = "Quyết định phê duyệt kế hoạch cải cách hành chính năm 2026"
LINES = ["Điều 1. Giao Sở Nội vụ chủ trì, phối hợp thực hiện."]


class TextractTestCase(unittest.TestCase):
    "Reading the text of PDFs and images"

    @classmethod
    def setUpClass(cls):
        cls.pdf = render("Ủy ban nhân dân tỉnh", "Quyết định", SUBJECT, LINES)

    def assertReads(self, text, *phrases):
        folded = normalize_vi(' '.join(text.split()))
        for phrase in phrases:
            self.assertIn(normalize_vi(phrase), folded)

    def test_text_pdf(self):
        "A text PDF is read without OCR"
        result = extract(self.pdf)
        self.assertEqual((result.method, result.pages, result.ocr_pages),
            ('text', 1, 0))
        self.assertReads(result.text, SUBJECT, "Sở Nội vụ chủ trì")

    def test_ocr_available(self):
        "make test installs tesseract with its Vietnamese model"
        self.assertTrue(ocr_available())

    def test_scanned_pdf(self):
        "A scan is read by OCR in Vietnamese, diacritics included"
        result = extract(scanned(self.pdf))
        self.assertEqual((result.method, result.ocr_pages), ('ocr', 1))
        self.assertIn("phê duyệt kế hoạch", result.text)
        self.assertReads(result.text, "cải cách hành chính")

    def test_scan_forms(self):
        "Scans stored as grey or colour pixels or as a JPEG read alike"
        from pypdf import PdfReader
        from reportlab.lib.pagesizes import A4
        from reportlab.lib.utils import ImageReader
        from reportlab.pdfgen import canvas

        from trytond.modules.vb_document.textract.extract import _page_image
        png = subprocess.run(['pdftoppm', '-r', '200', '-gray', '-png', '-'],
            input=self.pdf, capture_output=True, check=True).stdout
        from PIL import Image
        page = Image.open(io.BytesIO(png))
        forms = {}
        for name, image, form in [('grey', page, 'PNG'),
                ('colour', page.convert('RGB'), 'PNG'),
                ('jpeg', page.convert('RGB'), 'JPEG')]:
            encoded = io.BytesIO()
            image.save(encoded, form)
            out = io.BytesIO()
            pdf = canvas.Canvas(out, pagesize=A4)
            pdf.drawImage(ImageReader(io.BytesIO(encoded.getvalue())), 0, 0,
                *A4)
            pdf.showPage()
            pdf.save()
            forms[name] = out.getvalue()
        for name, data in forms.items():
            with self.subTest(name):
                image = _page_image(PdfReader(io.BytesIO(data)).pages[0])
                # Read out of the PDF without pypdf's PNG encoding
                self.assertTrue(image.startswith(
                        b'\xff\xd8' if name == 'jpeg' else b'P5\n'))
                result = extract(data)
                self.assertEqual(result.method, 'ocr')
                self.assertIn("phê duyệt kế hoạch", result.text)

    def test_scanned_pages_in_order(self):
        "The pages of a long scan, read in parallel, keep their order"
        from pypdf import PdfReader, PdfWriter
        writer = PdfWriter()
        subjects = ["Kế hoạch số %s về chuyển đổi số" % n for n in
            ['một', 'hai', 'ba']]
        for subject in subjects:
            page = scanned(render("Ủy ban nhân dân tỉnh", "Kế hoạch",
                    subject, LINES))
            writer.append(PdfReader(io.BytesIO(page)))
        out = io.BytesIO()
        writer.write(out)
        result = extract(out.getvalue())
        self.assertEqual((result.method, result.pages, result.ocr_pages),
            ('ocr', 3, 3))
        folded = normalize_vi(' '.join(result.text.split()))
        positions = [folded.find(normalize_vi(s)) for s in subjects]
        self.assertNotIn(-1, positions)
        self.assertEqual(positions, sorted(positions))

    def test_image(self):
        "A photographed or scanned image is read by OCR"
        png = subprocess.run(['pdftoppm', '-r', '200', '-png', '-'],
            input=self.pdf, capture_output=True, check=True).stdout
        self.assertEqual(file_kind(png), 'png')
        result = extract(png)
        self.assertEqual(result.method, 'ocr')
        self.assertReads(result.text, "Sở Nội vụ")

    def test_corrupt(self):
        "A damaged PDF is refused with a reason"
        with self.assertRaises(TextError) as raised:
            extract(b'%PDF-1.4\n1 0 obj\n<< /Type /Catalog\n%%EOF\n')
        self.assertEqual(raised.exception.code, 'corrupt')
        self.assertIn("bị hỏng", raised.exception.message)
        with self.assertRaises(TextError):
            extract(self.pdf[:len(self.pdf) // 2])

    def test_encrypted(self):
        "A PDF locked by a password is refused; an owner password is not"
        from pypdf import PdfReader, PdfWriter
        locked = PdfWriter(clone_from=PdfReader(io.BytesIO(self.pdf)))
        locked.encrypt('mat-khau')
        out = io.BytesIO()
        locked.write(out)
        with self.assertRaises(TextError) as raised:
            extract(out.getvalue())
        self.assertEqual(raised.exception.code, 'encrypted')
        owner_only = PdfWriter(clone_from=PdfReader(io.BytesIO(self.pdf)))
        owner_only.encrypt('', owner_password='chu-so-huu')
        out = io.BytesIO()
        owner_only.write(out)
        self.assertReads(extract(out.getvalue()).text, SUBJECT)

    def test_scanned_page_limit(self):
        "Too many pages to OCR is a reason, not hours of work"
        with self.assertRaises(TextError) as raised:
            extract(scanned(self.pdf), max_ocr_pages=0)
        self.assertEqual(raised.exception.code, 'too_many_pages')

    def test_other_files(self):
        "Files that have no text to read are not errors"
        result = extract(b'PK\x03\x04 a spreadsheet')
        self.assertEqual((result.method, result.text), ('none', ''))

    def test_read_once_per_content(self):
        "A task retried after a conflict does not read the file again"
        from unittest import mock

        from trytond.modules.vb_document import search
        calls = []

        def counted(data):
            calls.append(data)
            if data.startswith(b'%PDF-1.4\n1 0 obj'):
                raise TextError('corrupt')
            return extract(data)
        broken = b'%PDF-1.4\n1 0 obj\n<< /Type /Catalog\n%%EOF\n'
        with mock.patch.object(search, 'extract', counted):
            first = search._read_text(-1, self.pdf)
            self.assertIs(search._read_text(-1, self.pdf), first)
            self.assertEqual(len(calls), 1)
            for _ in range(2):
                with self.assertRaises(TextError):
                    search._read_text(-2, broken)
            self.assertEqual(len(calls), 2)
            # Another content of the same file is read
            search._read_text(-1, self.pdf + b'\n')
            self.assertEqual(len(calls), 3)

