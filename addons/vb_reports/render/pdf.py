# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""A report as PDF (reportlab platypus).

Layout after Nghị định 30/2020, Phụ lục I: the agency block beside the
national header (Quốc hiệu, Tiêu ngữ underlined), the date line centred
under them, the title in capitals, then the table, the totals, the count in
words, the notes, the charts and the signatures. A report with a cover (the
registers) starts with it, on a page of its own without a page number.

The table is built while the pages are laid out, one table per page: rows
are read from the report's iterable only when the page that shows them is
laid out, so 20,000 rows never exist as flowables at once. Each page of the
table starts with the header rows (two levels when columns are grouped); a
table that goes on under a shorter one on the same page has no header
there. Pages are numbered "Trang 2/37" at the foot: the total is a form
XObject drawn once the last page is known, so there is no second pass and
no page is held back.
"""
import io
from collections import deque
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate, Flowable, Frame, KeepTogether, NextPageTemplate,
    PageBreak, PageTemplate, Paragraph, Spacer, Table, TableStyle)

from .fonts import report_fonts
from .formatting import (
    NATIONAL_MOTTO, NATIONAL_NAME, count_line, date_line, format_cell,
    format_number)
from .model import (
    COUNT, DATE, DATETIME, NUMERIC_TYPES, TEXT, TotalsAccumulator,
    header_cells, iter_rows, totals_label_span)
from .pdf_charts import chart_drawing

# Phụ lục I: top/bottom 20–25 mm, left 30–35 mm, right 15–20 mm
MARGINS = {'top': 20 * mm, 'bottom': 20 * mm, 'left': 30 * mm,
    'right': 15 * mm}
TABLE_FONT_SIZE = 10
CHUNK_ROWS = 500
PAGE_COUNT_FORM = 'vbrPageCount'
ALIGN = {'left': TA_LEFT, 'center': TA_CENTER, 'right': TA_RIGHT}
CELL_PADDING = 3


def render_pdf(report, output=None, chunk_rows=CHUNK_ROWS):
    """Render `report` (a model.Report) as PDF.

    Return the bytes, or write them to the binary file object `output` (only
    once the whole document is built) and return None. `chunk_rows` bounds
    the rows held as flowables at a time (a page rarely has more than 40).
    """
    report.validate()
    fonts = report_fonts()
    buffer = io.BytesIO()
    pagesize = landscape(A4) if report.orientation == 'landscape' else A4
    doc = _ReportDocument(buffer, pagesize=pagesize, fonts=fonts,
        cover=report.cover is not None, title=report.title,
        author=report.agency, creator='VBĐH', initialFontName=fonts.regular)
    styles = _styles(fonts)
    width = doc.frame_width
    story = []
    if report.cover is not None:
        story += _cover(report.cover, styles, width, doc.height)
        story += [NextPageTemplate('page'), PageBreak()]
    story += _heading(report, styles, width)
    builder = _TableBuilder(report, styles, fonts, width, chunk_rows)
    story.append(_Feed(builder))
    for note in report.notes:
        story.append(Paragraph(escape(note), styles['note']))
    for chart in report.charts:
        story.append(Spacer(0, 6 * mm))
        story.append(KeepTogether(
                [chart_drawing(chart, min(width, 250 * mm), fonts)]))
    if report.signatures:
        story.append(_signatures(report, styles, width))
    doc.build(story, canvasmaker=_NumberedCanvas)
    data = buffer.getvalue()
    if output is None:
        return data
    output.write(data)


def _styles(fonts):
    base = ParagraphStyle('base', fontName=fonts.regular, fontSize=13,
        leading=16)

    def style(name, **values):
        return ParagraphStyle(name, parent=base, **values)
    size = TABLE_FONT_SIZE
    styles = {
        'parent': style('parent', fontSize=12, leading=14,
            alignment=TA_CENTER),
        'agency': style('agency', fontName=fonts.bold, fontSize=12,
            leading=14, alignment=TA_CENTER),
        'national': style('national', fontName=fonts.bold, fontSize=12,
            leading=14, alignment=TA_CENTER),
        'motto': style('motto', fontName=fonts.bold, fontSize=13,
            leading=15, alignment=TA_CENTER),
        'number': style('number', alignment=TA_CENTER),
        'date': style('date', fontName=fonts.italic, alignment=TA_CENTER),
        'title': style('title', fontName=fonts.bold, fontSize=14,
            leading=18, alignment=TA_CENTER, spaceBefore=6),
        'subtitle': style('subtitle', fontName=fonts.italic,
            alignment=TA_CENTER, spaceBefore=2),
        'header': style('header', fontName=fonts.bold, fontSize=size,
            leading=size * 1.2, alignment=TA_CENTER),
        'empty': style('empty', fontName=fonts.italic, fontSize=size,
            leading=size * 1.2, alignment=TA_CENTER),
        'count': style('count', fontName=fonts.italic, fontSize=12,
            leading=15, spaceBefore=6),
        'note': style('note', fontSize=11, leading=14, spaceBefore=3),
        'sign_title': style('sign_title', fontName=fonts.bold, fontSize=13,
            alignment=TA_CENTER),
        'sign_hint': style('sign_hint', fontName=fonts.italic, fontSize=12,
            alignment=TA_CENTER),
        'sign_name': style('sign_name', fontName=fonts.bold, fontSize=13,
            alignment=TA_CENTER),
        'cover_parent': style('cover_parent', fontSize=14, leading=18,
            alignment=TA_CENTER),
        'cover_agency': style('cover_agency', fontName=fonts.bold,
            fontSize=14, leading=18, alignment=TA_CENTER),
        'cover_title': style('cover_title', fontName=fonts.bold,
            fontSize=30, leading=38, alignment=TA_CENTER),
        'cover_subtitle': style('cover_subtitle', fontName=fonts.italic,
            fontSize=15, leading=20, alignment=TA_CENTER, spaceBefore=4),
        'cover_line': style('cover_line', fontSize=15, leading=24,
            alignment=TA_CENTER),
        }
    for align, value in ALIGN.items():
        for bold in (False, True):
            name = f'cell_{align}{"_bold" if bold else ""}'
            styles[name] = style(name,
                fontName=fonts.bold if bold else fonts.regular,
                fontSize=size, leading=size * 1.2, alignment=value)
    return styles


class _CellParagraph(Paragraph):
    """A paragraph that remembers its layout for a given width.

    reportlab wraps a cell's paragraph each time the table is measured,
    split and drawn; a row measured for a page it did not fit on is
    measured again on the next one. The lines depend only on the width.
    """

    def wrap(self, available_width, available_height):
        if getattr(self, '_wrapped_width', None) == available_width:
            return self.width, self.height
        size = super().wrap(available_width, available_height)
        self._wrapped_width = available_width
        return size


class _Rule(Flowable):
    "A centred horizontal line, under the motto and the agency name"

    def __init__(self, length, thickness=0.6):
        super().__init__()
        self.length = length
        self.thickness = thickness

    def wrap(self, available_width, available_height):
        self.width = available_width
        return available_width, 5

    def draw(self):
        x = (self.width - self.length) / 2
        self.canv.setLineWidth(self.thickness)
        self.canv.line(x, 1, x + self.length, 1)


def _heading(report, styles, width):
    "The national header beside the agency block, the title, the period"
    left_share = 0.42 if report.orientation == 'portrait' else 0.40
    left, right = width * left_share, width * (1 - left_share)
    agency = []
    if report.parent_agency:
        agency.append(Paragraph(escape(report.parent_agency.upper()),
                styles['parent']))
    if report.agency:
        name = report.agency.upper()
        agency.append(Paragraph(escape(name), styles['agency']))
        # A line a third to a half of the name's length (Phụ lục I)
        name_width = stringWidth(name, styles['agency'].fontName,
            styles['agency'].fontSize)
        agency.append(_Rule(min(name_width, left - 12) * 0.4))
    motto_width = stringWidth(NATIONAL_MOTTO, styles['motto'].fontName,
        styles['motto'].fontSize)
    national = [
        Paragraph(NATIONAL_NAME, styles['national']),
        Paragraph(NATIONAL_MOTTO, styles['motto']),
        _Rule(motto_width),
        ]
    number = (Paragraph(escape(f'Số: {report.number}'), styles['number'])
        if report.number else '')
    when = Paragraph(escape(date_line(report.place, report.report_date)),
        styles['date'])
    header = Table([[agency or '', national], [number, when]],
        colWidths=[left, right])
    header.setStyle(TableStyle([
                # Also for the empty cells, or reportlab uses Helvetica
                ('FONT', (0, 0), (-1, -1), styles['number'].fontName),
                ('VALIGN', (0, 0), (-1, -1), 'TOP'),
                ('LEFTPADDING', (0, 0), (-1, -1), 0),
                ('RIGHTPADDING', (0, 0), (-1, -1), 0),
                ('TOPPADDING', (0, 1), (-1, 1), 6),
                ]))
    story = [header, Spacer(0, 6 * mm),
        Paragraph(escape(report.title.upper()), styles['title'])]
    if report.subtitle:
        story.append(Paragraph(escape(report.subtitle), styles['subtitle']))
    story.append(Spacer(0, 4 * mm))
    return story


def _cover(cover, styles, width, height):
    """The flowables of the cover page: the agencies at the top, the
    title in the middle of the page, the lines under it"""
    top = []
    for index, name in enumerate(cover.agencies):
        last = index == len(cover.agencies) - 1
        style = styles['cover_agency' if last else 'cover_parent']
        top.append(Paragraph(escape(name.upper()), style))
        if last:
            name_width = stringWidth(name.upper(), style.fontName,
                style.fontSize)
            top.append(_Rule(min(name_width, width) * 0.4))
    middle = [Paragraph(escape(cover.title.upper()), styles['cover_title'])]
    if cover.subtitle:
        middle.append(Paragraph(escape(cover.subtitle),
                styles['cover_subtitle']))
    lines = [Paragraph(escape(line), styles['cover_line'])
        for line in cover.lines]
    # The title about the middle of the page, whatever is above it
    top_height = sum(f.wrap(width, height)[1] for f in top)
    middle_height = sum(f.wrap(width, height)[1] for f in middle)
    gap = max(6 * mm, height * 0.42 - top_height - middle_height / 2)
    return [*top, Spacer(0, gap), *middle, Spacer(0, 12 * mm), *lines]


def _signatures(report, styles, width):
    cells = []
    for signature in report.signatures:
        cells.append([
                Paragraph(escape(signature.title.upper()),
                    styles['sign_title']),
                Paragraph(escape(signature.hint), styles['sign_hint'])
                if signature.hint else Spacer(0, 0),
                Spacer(0, 22 * mm),
                Paragraph(escape(signature.name), styles['sign_name']),
                ])
    table = Table([cells], colWidths=[width / len(cells)] * len(cells))
    table.setStyle(TableStyle([
                ('FONT', (0, 0), (-1, -1), styles['sign_name'].fontName),
                ('VALIGN', (0, 0), (-1, -1), 'TOP')]))
    return KeepTogether([Spacer(0, 8 * mm), table])


def _column_widths(columns, width, font):
    """Widths in points, proportional to the columns' widths, but never so
    narrow that a date would break over two lines."""
    samples = {DATE: '00/00/0000', DATETIME: '00/00/0000 00:00'}
    minimum = [stringWidth(samples[c.type], font, TABLE_FONT_SIZE)
        + 2 * CELL_PADDING + 2 if c.type in samples else 0 for c in columns]
    fixed = {}
    while True:
        free = [i for i in range(len(columns)) if i not in fixed]
        room = width - sum(fixed.values())
        weight = sum(columns[i].width_chars for i in free) or 1
        widths = {i: room * columns[i].width_chars / weight for i in free}
        narrow = [i for i in free if widths[i] < minimum[i]]
        if not narrow or len(narrow) == len(free):
            widths.update(fixed)
            return [widths[i] for i in range(len(columns))]
        fixed.update((i, minimum[i]) for i in narrow)


class _Entry:
    "A prepared table row: its cells and how it is styled"
    __slots__ = ('cells', 'kind', 'level', 'bold', 'span')

    def __init__(self, cells, kind='data', level=0, bold=False):
        self.cells = cells
        self.span = None
        self.kind = kind
        self.level = level
        self.bold = bold


class _TableBuilder:
    """Turn the report's rows into tables, a chunk at a time, as the
    document asks for them (see _ReportDocument.filterFlowables)."""

    def __init__(self, report, styles, fonts, width, chunk_rows):
        self.report = report
        self.styles = styles
        self.fonts = fonts
        self.chunk_rows = max(1, chunk_rows)
        columns = report.columns
        self.col_widths = _column_widths(columns, width, fonts.regular)
        self.rows = iter_rows(report)
        self.totals = TotalsAccumulator(report)
        self.pending = deque()
        self.exhausted = False
        self.started = False
        self.finished = False
        self.depth, cells = header_cells(report)
        self.header = [[''] * len(columns) for _ in range(self.depth)]
        self.header_commands = [
            ('VALIGN', (0, 0), (-1, self.depth - 1), 'MIDDLE'),
            ('FONT', (0, 0), (-1, self.depth - 1), fonts.bold,
                TABLE_FONT_SIZE),
            ('ALIGN', (0, 0), (-1, self.depth - 1), 'CENTER'),
            ('BACKGROUND', (0, 0), (-1, self.depth - 1),
                colors.HexColor('#f0f0f0')),
            ]
        for cell in cells:
            # Shared by the tables of every page, laid out once
            self.header[cell.first_row][cell.first_col] = _CellParagraph(
                escape(cell.text), styles['header'])
            if (cell.first_row, cell.first_col) != (
                    cell.last_row, cell.last_col):
                self.header_commands.append(('SPAN',
                        (cell.first_col, cell.first_row),
                        (cell.last_col, cell.last_row)))
        leading = TABLE_FONT_SIZE * 1.2
        self.min_row_height = leading + 2 + 3
        self.row_height = self.min_row_height
        self.heights_sum = self.heights_count = 0

    # Rows

    def _cell(self, column, index, text, bold, level):
        if not text or column.type != TEXT:
            # Figures and dates never wrap (their columns are wide enough)
            return text
        indent = 10 * level if index == 0 else 0
        room = self.col_widths[index] - 2 * CELL_PADDING - indent
        font = self.fonts.bold if bold else self.fonts.regular
        if '\n' not in text and stringWidth(text, font,
                TABLE_FONT_SIZE) <= room:
            # A plain string costs far less than a Paragraph to lay out
            return text
        style = self.styles[f'cell_{column.alignment}'
            f'{"_bold" if bold else ""}']
        return _CellParagraph(escape(text).replace('\n', '<br/>'), style)

    def _data_entry(self, row, values):
        columns = self.report.columns
        cells = [self._cell(c, i, format_cell(c, v), row.bold, row.level)
            for i, (c, v) in enumerate(zip(columns, values))]
        return _Entry(cells, 'data', row.level, row.bold)

    def _totals_entry(self):
        report = self.report
        cells = []
        for column in report.columns:
            value = self.totals.value(column)
            if value is None:
                text = ''
            elif column.total == COUNT or column.type not in NUMERIC_TYPES:
                text = format_number(value)
            else:
                text = format_cell(column, value)
            cells.append(text)
        entry = _Entry(cells, 'totals', bold=True)
        entry.span = totals_label_span(report)
        if entry.span:
            cells[0] = Paragraph(escape(report.totals_label),
                self.styles['cell_left_bold'])
        return entry

    def _take(self, count):
        "Up to `count` prepared entries, the pushed-back ones first"
        entries = []
        while len(entries) < count and self.pending:
            entries.append(self.pending.popleft())
        while len(entries) < count and not self.exhausted:
            try:
                row, values = next(self.rows)
            except StopIteration:
                self.exhausted = True
                if not self.totals.rows and not self.totals.detail_rows:
                    entries.append(_Entry([Paragraph(
                                    escape(self.report.empty_text),
                                    self.styles['empty'])]
                            + [''] * (len(self.report.columns) - 1),
                            'empty'))
                if self.report.has_totals:
                    entries.append(self._totals_entry())
                break
            self.totals.add(row, values)
            entries.append(self._data_entry(row, values))
        return entries

    # Tables

    def _table(self, entries, header, split_in_row):
        data = list(self.header) if header else []
        offset = len(data)
        commands = [
            ('FONT', (0, offset), (-1, -1), self.fonts.regular,
                TABLE_FONT_SIZE),
            ('GRID', (0, 0), (-1, -1), 0.5, colors.black),
            ('VALIGN', (0, offset), (-1, -1), 'TOP'),
            ('LEFTPADDING', (0, 0), (-1, -1), CELL_PADDING),
            ('RIGHTPADDING', (0, 0), (-1, -1), CELL_PADDING),
            ('TOPPADDING', (0, 0), (-1, -1), 2),
            ('BOTTOMPADDING', (0, 0), (-1, -1), 3),
            ]
        if header:
            commands.extend(self.header_commands)
        for index, column in enumerate(self.report.columns):
            commands.append(('ALIGN', (index, offset), (index, -1),
                    column.alignment.upper()))
        for number, entry in enumerate(entries, offset):
            data.append(entry.cells)
            if entry.bold:
                commands.append(('FONT', (0, number), (-1, number),
                        self.fonts.bold, TABLE_FONT_SIZE))
            if entry.level:
                commands.append(('LEFTPADDING', (0, number), (0, number),
                        CELL_PADDING + 10 * entry.level))
            if entry.kind == 'empty':
                commands.append(('SPAN', (0, number), (-1, number)))
            elif entry.kind == 'totals':
                commands.append(('LINEABOVE', (0, number), (-1, number),
                        1.2, colors.black))
                if entry.span and entry.span[1] > entry.span[0]:
                    commands.append(('SPAN', (entry.span[0], number),
                            (entry.span[1], number)))
        return Table(data, colWidths=self.col_widths,
            repeatRows=self.depth if header else 0,
            style=TableStyle(commands), splitInRow=split_in_row)

    def next_flowables(self, frame):
        """The flowables that replace the feed at this point of the layout:
        a table of the rows that fit on the rest of the page, then the feed
        again while rows remain.

        Each table holds one page's worth of rows, guessed from the average
        height of the rows placed so far and corrected by splitting it: a
        long table that reportlab splits page after page would lay its
        remaining rows out again at every page.
        """
        feed = _Feed(self)
        if self.finished:
            return [Spacer(0, 0)]
        # The header starts the table and every page; a table that goes on
        # under the end of the previous one on the same page has none
        header = not self.started or frame._atTop
        self.started = True
        width = frame._getAvailableWidth()
        remaining = frame._y - frame._y1p
        if not header and remaining < self.min_row_height:
            return [PageBreak(), feed]
        guess = int(remaining / self.row_height * 1.25) + 2
        entries = self._take(min(guess, self.chunk_rows))
        if not entries:
            return self._finish()
        table = self._table(entries, header, 0)
        _, height = table.wrap(width, remaining)
        if height <= remaining:
            self._learn(table, header, len(entries))
            return [table, feed]
        parts = table.split(width, remaining)
        skip = self.depth if header else 0
        placed = len(parts[0]._cellvalues) - skip if parts else 0
        if placed > 0:
            self.pending.extendleft(reversed(entries[placed:]))
            self._learn(table, header, placed)
            return [parts[0], PageBreak(), feed]
        if not frame._atTop:
            self.pending.extendleft(reversed(entries))
            return [PageBreak(), feed]
        # Not even one row fits on a whole page: let reportlab cut it
        self.pending.extendleft(reversed(entries[1:]))
        return [self._table(entries[:1], True, 1), feed]

    def _learn(self, table, header, placed):
        "Keep the average height of the rows, to size the next table"
        heights = table._rowHeights[self.depth if header else 0:][:placed]
        if heights:
            self.heights_sum += sum(heights)
            self.heights_count += len(heights)
            self.row_height = max(self.min_row_height,
                self.heights_sum / self.heights_count)

    def _finish(self):
        self.finished = True
        if self.report.count_noun is None:
            return [Spacer(0, 0)]
        return [Paragraph(escape(count_line(self.totals.count,
                        self.report.count_noun)), self.styles['count'])]


class _Feed(Flowable):
    "Stands in the story for the rows not laid out yet"

    def __init__(self, builder):
        super().__init__()
        self.builder = builder

    def wrap(self, available_width, available_height):
        return 0, 0

    def draw(self):
        pass


class _ReportDocument(BaseDocTemplate):

    def __init__(self, filename, fonts, cover=False, **values):
        super().__init__(filename, leftMargin=MARGINS['left'],
            rightMargin=MARGINS['right'], topMargin=MARGINS['top'],
            bottomMargin=MARGINS['bottom'], **values)
        self.fonts = fonts
        # The cover is not numbered: the report's pages count from 1
        self.first_page = 2 if cover else 1
        frame = Frame(self.leftMargin, self.bottomMargin, self.width,
            self.height, id='body', leftPadding=0, rightPadding=0,
            topPadding=0, bottomPadding=0)
        templates = [PageTemplate('page', [frame], onPage=self._footer)]
        if cover:
            templates.insert(0, PageTemplate('cover', [frame],
                    onPage=self._border))
        self.addPageTemplates(templates)

    @property
    def frame_width(self):
        return self.width

    def filterFlowables(self, flowables):
        # Expand the feed just before it would be laid out, so only the
        # current chunk of rows exists as flowables
        while flowables and isinstance(flowables[0], _Feed):
            flowables[0:1] = flowables[0].builder.next_flowables(self.frame)

    def _footer(self, canvas, doc):
        canvas.saveState()
        x = doc.pagesize[0] / 2
        y = MARGINS['bottom'] / 2
        canvas.setFont(self.fonts.regular, 10)
        # "Trang 2/" ends at the middle, the total is drawn after it
        canvas.drawRightString(x, y,
            f'Trang {doc.page - self.first_page + 1}/')
        canvas.doForm(PAGE_COUNT_FORM)
        canvas.restoreState()
        canvas.page_count_at = (self.fonts.regular, 10, x, y,
            self.first_page)

    def _border(self, canvas, doc):
        "The double frame of the cover"
        canvas.saveState()
        for inset, thickness in [(0, 2), (2.5 * mm, 0.6)]:
            canvas.setLineWidth(thickness)
            canvas.rect(doc.leftMargin - 8 * mm + inset,
                doc.bottomMargin - 8 * mm + inset,
                doc.width + 16 * mm - 2 * inset,
                doc.height + 16 * mm - 2 * inset)
        canvas.restoreState()


class _NumberedCanvas(Canvas):
    "Draws the page total in a form every page refers to, before saving"

    page_count_at = None

    def save(self):
        if self.page_count_at:
            font, size, x, y, first = self.page_count_at
            self.beginForm(PAGE_COUNT_FORM)
            self.setFont(font, size)
            self.drawString(x, y, str(self.getPageNumber() - first))
            self.endForm()
        super().save()
