# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""Rendering of vb_reports' reports to PDF and XLSX, without a database.

The Tryton layer computes the figures in SQL and describes the report with
the plain data model of `model` (Report, Column, Row, Chart, Series,
Signature); `render_pdf` (reportlab) and `render_xlsx` (xlsxwriter) render
the same model. `registers` has the columns of the registers of Nghị định
30/2020, Phụ lục IV. Bad definitions or values raise ReportError, whose
message is in Vietnamese.
"""
from .errors import ReportError
from .formatting import (
    count_in_words, count_line, format_cell, format_number, format_percent,
    period_line)
from .model import (
    COUNT, DATE, DATETIME, INT, MONEY, NUMBER, PERCENT, RATIO, SUM, TEXT,
    Chart, Column, Cover, Report, Row, Series, Signature)
from .registers import (
    INCOMING_REGISTER_TITLE, OUTGOING_REGISTER_TITLE,
    incoming_register_columns, outgoing_register_columns, register_cover,
    register_report)


def render_pdf(report, output=None, **options):
    "See pdf.render_pdf (imported late: reportlab loads slowly)"
    from .pdf import render_pdf
    return render_pdf(report, output, **options)


def render_xlsx(report, output=None):
    "See xlsx.render_xlsx"
    from .xlsx import render_xlsx
    return render_xlsx(report, output)


__all__ = [
    'ReportError', 'Report', 'Column', 'Row', 'Chart', 'Series',
    'Signature', 'Cover', 'TEXT', 'INT', 'NUMBER', 'PERCENT', 'MONEY',
    'DATE', 'DATETIME', 'SUM', 'COUNT', 'RATIO', 'render_pdf',
    'render_xlsx', 'incoming_register_columns', 'outgoing_register_columns',
    'register_report', 'register_cover', 'INCOMING_REGISTER_TITLE',
    'OUTGOING_REGISTER_TITLE',
    'count_in_words', 'count_line', 'format_cell', 'format_number',
    'format_percent', 'period_line']
