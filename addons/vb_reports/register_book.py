# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""Sổ đăng ký văn bản đến / đi (Nghị định 30/2020, Phụ lục IV) from the ERP.

The rows come from ONE SQL query over the documents, their type and the
names of their receiving units and persons (incoming) or recipient
agencies (outgoing), streamed and folded into one row per document. The
documents are chosen by `vb.document.search(..., query=True)`, so the
user's record rules (one agency's documents) apply to the register too.

The PDF starts with the register's cover (agency, title, year, first and
last dates and numbers, volume: see render.registers.register_cover); the
first and last numbers are read in SQL before the rows are streamed.
"""
from itertools import groupby

from sql import Literal, Union

from trytond.i18n import gettext
from trytond.model import fields
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction
from trytond.wizard import Wizard

from trytond.modules.vb_document.book import DIRECTIONS

from .common import (
    PeriodStartMixin, PrintWizardMixin, RenderedReport, agency_heading)
from .exceptions import ReportFilterError
from .render import period_line, register_cover, register_report

CANCELLED_NOTE = 'Đã hủy'
# Rows fetched from the cursor at a time: the register may have 100,000s
FETCH_SIZE = 2000


def register_domain(direction, company, register, start, end):
    "The numbered documents of a register in a period (by date of numbering)"
    date = 'arrival_date' if direction == 'incoming' else 'issued_date'
    domain = [
        ('company', '=', company),
        ('direction', '=', direction),
        ('register_number', '!=', None),
        (date, '>=', start),
        (date, '<=', end),
        ]
    if register:
        domain.append(('register', '=', register))
    return domain


def _names(direction):
    """The union of (document, kind, name, date) of the people and units an
    incoming document went to, or of the agencies an outgoing one was sent
    to (date: when it was delivered)."""
    pool = Pool()
    if direction == 'incoming':
        doc_unit = pool.get('vb.document-vb.unit').__table__()
        unit = pool.get('vb.unit').__table__()
        doc_user = pool.get('vb.document-res.user').__table__()
        user = pool.get('res.user').__table__()
        return Union(
            doc_unit.join(unit, condition=doc_unit.unit == unit.id).select(
                doc_unit.document.as_('document'), Literal(0).as_('kind'),
                unit.name.as_('name'), unit.id.as_('sort')),
            doc_user.join(user, condition=doc_user.user == user.id).select(
                doc_user.document.as_('document'), Literal(1).as_('kind'),
                user.name.as_('name'), user.id.as_('sort')),
            all_=True)
    recipient = pool.get('vb.document.recipient').__table__()
    company = pool.get('company.company').__table__()
    party = pool.get('party.party').__table__()
    return recipient.join(company,
        condition=recipient.agency == company.id
        ).join(party, condition=company.party == party.id
        ).select(
            recipient.document.as_('document'), Literal(0).as_('kind'),
            party.name.as_('name'), recipient.id.as_('sort'),
            recipient.status_date.as_('date'))


def register_rows(direction, documents):
    """Yield the rows (dicts by column key of render.registers) of the
    register of `direction` for the documents selected by the SQL query
    `documents` (of document ids), ordered by their number."""
    pool = Pool()
    Document = pool.get('vb.document')
    Type = pool.get('vb.document.type')
    Unit = pool.get('vb.unit')
    document = Document.__table__()
    type_ = Type.__table__()
    drafting = Unit.__table__()
    names = _names(direction)
    columns = [document.id, document.register_number, document.number_notation,
        document.issued_date, type_.name, document.subject, document.state,
        document.note, names.name]
    if direction == 'incoming':
        columns += [document.arrival_date, document.issuer_name]
    else:
        columns += [document.signer_name, drafting.name, document.copy_count,
            document.recipients_text, names.date]
    query = (document
        .join(type_, 'LEFT', condition=document.type == type_.id)
        .join(drafting, 'LEFT',
            condition=document.drafting_unit == drafting.id)
        .join(names, 'LEFT', condition=names.document == document.id)
        .select(*columns,
            where=document.id.in_(documents),
            order_by=[document.register_year, document.register_number,
                document.id, names.kind, names.sort]))
    cursor = Transaction().connection.cursor()
    cursor.execute(*query)

    def fetch():
        while True:
            rows = cursor.fetchmany(FETCH_SIZE)
            if not rows:
                return
            yield from rows

    for _, lines in groupby(fetch(), key=lambda r: r[0]):
        lines = list(lines)
        yield _register_row(direction, lines)


def number_range(documents):
    """The first and last register numbers of the documents selected by the
    SQL query `documents`, in the register's order (year, number), or
    (None, None) when there is none"""
    document = Pool().get('vb.document').__table__()
    cursor = Transaction().connection.cursor()
    numbers = []
    for order in ['ASC', 'DESC']:
        def key(column):
            return getattr(column, order.lower())
        cursor.execute(*document.select(document.register_number,
                where=document.id.in_(documents),
                order_by=[key(document.register_year),
                    key(document.register_number), key(document.id)],
                limit=1))
        row = cursor.fetchone()
        numbers.append(row[0] if row else None)
    return tuple(numbers)


def _register_row(direction, lines):
    "One row of the register from the lines of one document (one per name)"
    (_, number, number_notation, issued_date, type_name, subject, state,
        note, _, *extra) = lines[0]
    recipients = []
    for line in lines:
        if line[8] and line[8] not in recipients:
            recipients.append(line[8])
    type_subject = ' - '.join(filter(None, [type_name, subject]))
    if state == 'cancelled':
        note = '; '.join(filter(None, [CANCELLED_NOTE, note]))
    row = {
        'number_notation': number_notation,
        'document_date': issued_date,
        'type_subject': type_subject,
        'note': note,
        }
    if direction == 'incoming':
        arrival_date, issuer_name = extra
        row.update({
                'received_date': arrival_date,
                'incoming_number': number,
                'issuer': issuer_name,
                'recipient': ', '.join(recipients),
                })
    else:
        signer, keeper, copies, recipients_text, _ = extra
        dates = [line[-1] for line in lines if line[-1]]
        row.update({
                'signer': signer,
                'recipients': ', '.join(recipients) or recipients_text,
                'archive_keeper': keeper,
                'copies': copies,
                'transfer_date': min(dates) if dates else None,
                })
    return row


class RegisterStart(PeriodStartMixin):
    "Print Register"
    __string__ = "Print Register"
    __name__ = 'vb.reports.register.start'
    direction = fields.Selection(DIRECTIONS, "Direction", required=True)
    register = fields.Many2One('vb.document.register', "Register",
        required=True,
        domain=[
            ('company', '=', Eval('company', -1)),
            ('direction', '=', Eval('direction')),
            ])
    volume = fields.Integer("Volume", required=True,
        domain=[('volume', '>=', 1)],
        help="The volume number printed on the cover of the register.")

    @classmethod
    def default_volume(cls):
        return 1

    @classmethod
    def default_direction(cls):
        return Transaction().context.get('direction', 'incoming')

    @fields.depends('company', 'direction', 'register')
    def on_change_company(self):
        self._set_register()

    @fields.depends('company', 'direction', 'register')
    def on_change_direction(self):
        self._set_register()

    def _set_register(self):
        Register = Pool().get('vb.document.register')
        if self.register and (self.register.company != self.company
                or self.register.direction != self.direction):
            self.register = None
        if not self.register and self.company and self.direction:
            self.register = Register.find(self.company, self.direction)

    def check(self):
        super().check()
        if not self.volume or self.volume < 1:
            raise ReportFilterError(gettext(
                    'vb_reports.msg_register_volume',
                    volume=self.volume if self.volume is not None else ''))
        if self.register.company != self.company:
            raise ReportFilterError(gettext(
                    'vb_reports.msg_register_other_agency',
                    register=self.register.rec_name,
                    agency=self.company.rec_name))


class PrintRegister(PrintWizardMixin, Wizard):
    "Print Register"
    __name__ = 'vb.reports.register'
    _report = 'vb.reports.register'

    def _data(self):
        return {
            **super()._data(),
            'direction': self.start.register.direction,
            'register': self.start.register.id,
            'volume': self.start.volume,
            }


class RegisterPDF(RenderedReport):
    """The register as PDF: of the period chosen in the wizard, or of the
    documents selected in a list (one file per agency, direction and
    register; several make a zip)"""
    __name__ = 'vb.reports.register.pdf'
    format = 'pdf'

    @classmethod
    def header_key(cls, record, data):
        return (('company', record.company.id),
            ('direction', record.direction),
            ('register', record.register.id if record.register else None))

    @classmethod
    def _get_records(cls, ids, model, data):
        if model != 'vb.document':
            return []
        Document = Pool().get('vb.document')
        # Sorted as header_key groups consecutive records
        return Document.search([('id', 'in', ids)],
            order=[('company', 'ASC'), ('direction', 'ASC'),
                ('register', 'ASC'), ('id', 'ASC')])

    @classmethod
    def build(cls, records, data):
        pool = Pool()
        Document = pool.get('vb.document')
        Register = pool.get('vb.document.register')
        Company = pool.get('company.company')
        if records:
            first = records[0]
            direction = first.direction
            agency = Company(first.company.id)
            register = first.register
            documents = Document.search([
                    ('id', 'in', [r.id for r in records]),
                    ('register_number', '!=', None),
                    ], query=True, order=[])
            dates = [getattr(r, 'arrival_date' if direction == 'incoming'
                    else 'issued_date') for r in records]
            dates = [d for d in dates if d]
            first_date = min(dates) if dates else None
            last_date = max(dates) if dates else None
            period = period_line(min(dates), max(dates)) if dates else ''
        else:
            direction = data['direction']
            agency = cls.agency(data)
            register = Register(data['register']) if data.get(
                'register') else None
            documents = Document.search(register_domain(direction,
                    agency.id, register.id if register else None,
                    data['start_date'], data['end_date']),
                query=True, order=[])
            first_date, last_date = data['start_date'], data['end_date']
            period = period_line(first_date, last_date)
        subtitle = ' - '.join(filter(None, [
                    register.name if register else '', period]))
        heading = agency_heading(agency)
        first, last = number_range(documents)
        cover = register_cover(direction,
            [heading.get('parent_agency'), heading.get('agency')],
            first_date, last_date, first, last, data.get('volume'),
            register.name if register else '')
        return register_report(direction,
            register_rows(direction, documents), subtitle=subtitle,
            sheet_name=register.name if register else '', cover=cover,
            **heading)


class RegisterXLSX(RegisterPDF):
    "The register as XLSX"
    __name__ = 'vb.reports.register.xlsx'
    format = 'xlsx'
