# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"Helpers of the vb_reports tests: documents with known dates, files read back"
import datetime as dt
import io
from contextlib import contextmanager
from unittest.mock import patch

import openpyxl
from pypdf import PdfReader

from trytond.modules.vb_document.tests import as_user, minimal_pdf
from trytond.pool import Pool


@contextmanager
def today(date):
    "Make ir.date.today() return date (the day outgoing documents are issued)"
    Date = Pool().get('ir.date')
    with patch.object(Date, 'today', return_value=date):
        yield


def catalog(model, code):
    record, = Pool().get(model).search([('code', '=', code)])
    return record


def receive(agency, clerk, arrival_date, subject, number_notation,
        issuer_name="Bộ Nội vụ", type_code='cong_van', units=(), users=(),
        **values):
    "Create and register an incoming document of agency arrived that day"
    Document = Pool().get('vb.document')
    document, = Document.create([{
                'company': agency.id,
                'direction': 'incoming',
                'type': catalog('vb.document.type', type_code).id,
                'subject': subject,
                'number_notation': number_notation,
                'issuer_name': issuer_name,
                'issued_date': arrival_date - dt.timedelta(days=2),
                'arrival_date': arrival_date,
                'recipient_units': [('add', [u.id for u in units])],
                'recipient_users': [('add', [u.id for u in users])],
                **values}])
    with as_user(clerk, check_access=False):
        Document.register_document([document])
    return document


def issue(agency, clerk, signer, issued_date, subject, recipients=(),
        type_code='cong_van', **values):
    "Create and issue an outgoing document of agency on issued_date"
    pool = Pool()
    Document = pool.get('vb.document')
    Attachment = pool.get('ir.attachment')
    document, = Document.create([{
                'company': agency.id,
                'direction': 'outgoing',
                'type': catalog('vb.document.type', type_code).id,
                'subject': subject,
                'signer': signer.employee.id,
                'recipients': [('create', [{'agency': a.id}
                            for a in recipients])],
                'recipients_text': "- Như trên;\n- Lưu: VT.",
                **values}])
    Attachment.create([{'name': 'vb.pdf', 'data': minimal_pdf(),
                'document_role': 'main', 'resource': str(document)}])
    with today(issued_date), as_user(clerk, check_access=False):
        Document.issue([document])
    return document


def sheet_rows(data):
    "The rows of the first sheet of an XLSX, as tuples of cached values"
    book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    return [tuple(r) for r in book.worksheets[0].iter_rows(values_only=True)]


def formulas(data):
    book = openpyxl.load_workbook(io.BytesIO(data))
    return [tuple(r) for r in book.worksheets[0].iter_rows(values_only=True)]


def pdf_text(data):
    "The text of every page of a PDF, whitespace collapsed"
    reader = PdfReader(io.BytesIO(data))
    return ' '.join(' '.join((p.extract_text() or '').split())
        for p in reader.pages)


def pdf_pages(data):
    "The text of each page of a PDF, whitespace collapsed"
    reader = PdfReader(io.BytesIO(data))
    return [' '.join((p.extract_text() or '').split()) for p in reader.pages]


def data_rows(rows, first_column_values):
    "The rows whose first cell is one of first_column_values, in order"
    return [r for r in rows if r and r[0] in first_column_values]
