# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""Electronic-exchange indicators (report 4), per agency and for the
agencies below it (the province from UBND tỉnh), ranked.

Figures for a period [start, end], each an SQL aggregate grouped by agency
(the documents are never loaded):

- outgoing: the documents issued in the period (numbered, issued date in
  the period, not cancelled); a recipient line is *electronic* when the
  document went to the recipient inside this installation (vb_document's
  internal delivery: an incoming document was created for it) or, with
  vb_lgsp, when its package was accepted by the axis (``lgsp_state`` =
  'sent'); otherwise it is on paper (an external agency reached by post,
  a line never sent). A document is *sent electronically* when one line
  at least is electronic; *fully electronic* when all its lines are and it
  has one; *electronic and paper* when some are not. A document without
  any recipient line (only the "Nơi nhận" text) went on paper;
- incoming: the documents registered in the period (numbered, arrival
  date in the period); received electronically when their source is the
  internal delivery or the LGSP; processed on the system, with
  vb_workflow, when they entered its processing (``processing_state``
  set);
- digital signatures, with vb_signature (``ExchangeSignature``): an
  outgoing document is signed digitally when its leader signed it with a
  digital signature (``leader_signed_at``); the leaders of an agency are
  the active users of vb_document's group Leader employed by it, those
  signing are the ones among them who signed an outgoing document issued
  in the period. Without vb_signature nothing records a signature: both
  are shown as unknown ("Chưa có dữ liệu").

Ranking: by the share sent electronically, then the share processed on
the system; agencies without any document are listed last, unranked.
"""
from sql import Cast, Literal, Null
from sql.aggregate import Count, Sum
from sql.conditionals import Case

from trytond.model import Model
from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction
from trytond.wizard import Wizard

from .common import (
    AgencyTreeReport, PeriodStartMixin, PrintWizardMixin, agency_heading,
    rank, share)
from .render import (
    INT, PERCENT, RATIO, SUM, TEXT, Chart, Column, Report, Series)
from .render import period_line

TITLE = 'BÁO CÁO CHỈ SỐ TRAO ĐỔI VĂN BẢN ĐIỆN TỬ'
UNKNOWN = 'Chưa có dữ liệu'
SIGNATURE_NOTE = ('Ký số: chưa có dữ liệu — chưa cài phân hệ chữ ký số '
    '(vb_signature), hệ thống không ghi nhận chữ ký số trên văn bản nên tỷ '
    'lệ văn bản đi được ký số và tỷ lệ lãnh đạo ký số không tính được.')
SIGNED_NOTE = ('Ký số: văn bản đi có chữ ký số của lãnh đạo; lãnh đạo là '
    'người dùng thuộc nhóm Lãnh đạo của cơ quan, có ký số khi đã ký số ít '
    'nhất một văn bản đi phát hành trong kỳ.')
NO_WORKFLOW_NOTE = ('Chưa cài phân hệ xử lý văn bản (vb_workflow): số văn '
    'bản đến được xử lý trên hệ thống để trống.')
NO_LGSP_NOTE = ('Chưa cài phân hệ liên thông (vb_lgsp): chỉ tính văn bản '
    'gửi điện tử cho các cơ quan trong hệ thống.')
OUTGOING = ['out_total', 'out_electronic', 'out_full', 'out_mixed',
    'deliveries']
INCOMING = ['in_total', 'in_electronic', 'in_processed']
SIGNATURES = ['out_signed_count', 'leaders_signing', 'leaders']


def _one_zero():
    # Typed: PostgreSQL cannot type a bare parameter inside SUM(CASE …)
    return Cast(Literal(1), 'INTEGER'), Cast(Literal(0), 'INTEGER')


class Exchange(Model):
    "Electronic Exchange Figures"
    __string__ = "Electronic Exchange Figures"
    __name__ = 'vb.reports.exchange'

    @classmethod
    def has_workflow(cls):
        return False

    @classmethod
    def has_lgsp(cls):
        return False

    @classmethod
    def electronic(cls, recipient):
        "The SQL condition of a recipient line delivered electronically"
        return (recipient.incoming_document != Null) | recipient.state.in_(
            ['waiting', 'received', 'refused'])

    @classmethod
    def outgoing_figures(cls, agency_ids, start, end):
        """{agency id: {figure: count}} of the documents issued in the
        period: out_total, out_electronic, out_full, out_mixed and
        deliveries (electronic recipient lines)."""
        pool = Pool()
        document = pool.get('vb.document').__table__()
        recipient = pool.get('vb.document.recipient').__table__()
        one, zero = _one_zero()
        if not agency_ids:
            return {}
        lines = document.join(recipient, 'LEFT',
            condition=recipient.document == document.id).select(
            document.id.as_('document'), document.company.as_('company'),
            Sum(Case((cls.electronic(recipient), one), else_=zero)
                ).as_('electronic'),
            Count(recipient.id).as_('lines'),
            where=document.company.in_(list(agency_ids))
            & (document.direction == 'outgoing')
            & (document.register_number != Null)
            & (document.state != 'cancelled')
            & (document.issued_date >= start)
            & (document.issued_date <= end),
            group_by=[document.id, document.company])
        electronic = lines.electronic > 0
        cursor = Transaction().connection.cursor()
        cursor.execute(*lines.select(lines.company,
                Count(lines.document),
                Sum(Case((electronic, one), else_=zero)),
                Sum(Case((electronic & (lines.electronic == lines.lines),
                            one), else_=zero)),
                Sum(Case((electronic & (lines.electronic < lines.lines),
                            one), else_=zero)),
                Sum(lines.electronic),
                group_by=[lines.company]))
        return {company: {k: int(v or 0) for k, v in zip(OUTGOING, values)}
            for company, *values in cursor}

    @classmethod
    def processed(cls, document):
        "The SQL condition of an incoming document processed on the system"
        return None

    @classmethod
    def incoming_figures(cls, agency_ids, start, end):
        """{agency id: {figure: count}} of the incoming documents
        registered in the period: in_total, in_electronic and, with
        vb_workflow, in_processed (else None)."""
        document = Pool().get('vb.document').__table__()
        one, zero = _one_zero()
        if not agency_ids:
            return {}
        processed = cls.processed(document)
        columns = [Count(document.id),
            Sum(Case((document.source.in_(['internal', 'lgsp']), one),
                    else_=zero))]
        if processed is not None:
            columns.append(Sum(Case((processed, one), else_=zero)))
        cursor = Transaction().connection.cursor()
        cursor.execute(*document.select(document.company, *columns,
                where=document.company.in_(list(agency_ids))
                & (document.direction == 'incoming')
                & (document.register_number != Null)
                & (document.arrival_date >= start)
                & (document.arrival_date <= end),
                group_by=[document.company]))
        result = {}
        for company, *values in cursor:
            values = [int(v or 0) for v in values]
            if processed is None:
                values.append(None)
            result[company] = dict(zip(INCOMING, values))
        return result

    @classmethod
    def signature_figures(cls, agency_ids, start, end):
        """{agency id: {out_signed_count, leaders_signing, leaders}}, or
        None when no installed module records digital signatures"""
        return None


class ExchangeWorkflow(metaclass=PoolMeta):
    __name__ = 'vb.reports.exchange'

    @classmethod
    def has_workflow(cls):
        return True

    @classmethod
    def processed(cls, document):
        return document.processing_state != Null


class ExchangeSignature(metaclass=PoolMeta):
    __name__ = 'vb.reports.exchange'

    @classmethod
    def signature_figures(cls, agency_ids, start, end):
        pool = Pool()
        document = pool.get('vb.document').__table__()
        user = pool.get('res.user').__table__()
        user_group = pool.get('res.user-res.group').__table__()
        employee = pool.get('company.employee').__table__()
        ModelData = pool.get('ir.model.data')
        one, zero = _one_zero()
        ids = list(agency_ids)
        result = {i: dict.fromkeys(SIGNATURES, 0) for i in ids}
        if not ids:
            return result
        cursor = Transaction().connection.cursor()
        leaders = user.join(user_group,
            condition=user_group.user == user.id
            ).join(employee, condition=user.employee == employee.id
            ).select(user.id.as_('user'), employee.company.as_('company'),
                where=(user_group.group == ModelData.get_id(
                        'vb_document', 'group_leader'))
                & (user.active == Literal(True))
                & employee.company.in_(ids),
                group_by=[user.id, employee.company])
        cursor.execute(*leaders.select(leaders.company,
                Count(leaders.user), group_by=[leaders.company]))
        for company, count in cursor:
            result[company]['leaders'] = count
        issued = (document.company.in_(ids)
            & (document.direction == 'outgoing')
            & (document.register_number != Null)
            & (document.state != 'cancelled')
            & (document.issued_date >= start)
            & (document.issued_date <= end))
        cursor.execute(*document.select(document.company,
                Sum(Case((document.leader_signed_at != Null, one),
                        else_=zero)),
                where=issued, group_by=[document.company]))
        for company, signed in cursor:
            result[company]['out_signed_count'] = int(signed or 0)
        signers = document.join(leaders,
            condition=(leaders.user == document.leader_signed_by)
            & (leaders.company == document.company)
            ).select(document.company.as_('company'),
                document.leader_signed_by.as_('user'),
                where=issued & (document.leader_signed_at != Null),
                group_by=[document.company, document.leader_signed_by])
        cursor.execute(*signers.select(signers.company,
                Count(signers.user), group_by=[signers.company]))
        for company, count in cursor:
            result[company]['leaders_signing'] = count
        return result


class ExchangeLGSP(metaclass=PoolMeta):
    __name__ = 'vb.reports.exchange'

    @classmethod
    def has_lgsp(cls):
        return True

    @classmethod
    def electronic(cls, recipient):
        return super().electronic(recipient) | (
            recipient.lgsp_state == 'sent')


def exchange_columns(signatures=False):
    """The columns; with signature data (vb_signature) the signature
    shares are figures with their counts, else a text column saying they
    are unknown"""
    if signatures:
        signed = [
            Column('out_signed_count', 'Ký số', INT, group='Văn bản đi',
                total=SUM),
            Column('out_signed', 'Tỷ lệ ký số', PERCENT, group='Văn bản đi',
                total=RATIO, ratio=('out_signed_count', 'out_total')),
            ]
        leaders = [
            Column('leaders', 'Số lãnh đạo', INT, group='Lãnh đạo',
                total=SUM),
            Column('leaders_signing', 'Có ký số', INT, group='Lãnh đạo',
                total=SUM),
            Column('leaders_share', 'Tỷ lệ ký số', PERCENT, group='Lãnh đạo',
                total=RATIO, ratio=('leaders_signing', 'leaders')),
            ]
    else:
        signed = [Column('out_signed', 'Tỷ lệ ký số', TEXT,
                group='Văn bản đi', width=11)]
        leaders = [Column('leaders_share', 'Tỷ lệ lãnh đạo ký số', TEXT,
                width=11)]
    return [
        Column('rank', 'Xếp hạng', INT, width=8),
        Column('name', 'Cơ quan, đơn vị', TEXT, width=30),
        Column('out_total', 'Tổng số', INT, group='Văn bản đi', total=SUM),
        Column('out_electronic', 'Gửi điện tử', INT, group='Văn bản đi',
            total=SUM),
        Column('out_share', 'Tỷ lệ gửi điện tử', PERCENT,
            group='Văn bản đi', total=RATIO,
            ratio=('out_electronic', 'out_total')),
        Column('out_full', 'Hoàn toàn điện tử', INT, group='Văn bản đi',
            total=SUM),
        Column('out_mixed', 'Điện tử kèm bản giấy', INT,
            group='Văn bản đi', total=SUM),
        *signed,
        Column('in_total', 'Tổng số', INT, group='Văn bản đến', total=SUM),
        Column('in_electronic', 'Nhận điện tử', INT, group='Văn bản đến',
            total=SUM),
        Column('in_electronic_share', 'Tỷ lệ nhận điện tử', PERCENT,
            group='Văn bản đến', total=RATIO,
            ratio=('in_electronic', 'in_total')),
        Column('in_processed', 'Xử lý trên hệ thống', INT,
            group='Văn bản đến', total=SUM),
        Column('in_processed_share', 'Tỷ lệ xử lý trên hệ thống', PERCENT,
            group='Văn bản đến', total=RATIO,
            ratio=('in_processed', 'in_total')),
        *leaders,
        ]


def exchange_rows(agencies, start, end):
    "(The row dicts of the agencies ranked, whether signatures are known)"
    Exchange = Pool().get('vb.reports.exchange')
    ids = [a.id for a in agencies]
    outgoing = Exchange.outgoing_figures(ids, start, end)
    incoming = Exchange.incoming_figures(ids, start, end)
    signatures = Exchange.signature_figures(ids, start, end)
    rows = []
    for agency in agencies:
        row = {'name': agency.rec_name, 'rank': None}
        row.update(dict.fromkeys(OUTGOING, 0))
        row.update(outgoing.get(agency.id, {}))
        row.update(dict.fromkeys(INCOMING, 0))
        if not Exchange.has_workflow():
            row['in_processed'] = None
        row.update(incoming.get(agency.id, {}))
        row['out_share'] = share(row['out_electronic'], row['out_total'])
        row['in_electronic_share'] = share(
            row['in_electronic'], row['in_total'])
        row['in_processed_share'] = share(
            row['in_processed'], row['in_total'])
        if signatures is None:
            row['out_signed'] = row['leaders_share'] = UNKNOWN
        else:
            row.update(signatures.get(agency.id,
                    dict.fromkeys(SIGNATURES, 0)))
            row['out_signed'] = share(
                row['out_signed_count'], row['out_total'])
            row['leaders_share'] = share(
                row['leaders_signing'], row['leaders'])
        del row['deliveries']   # report 6's figure
        rows.append(row)

    def key(row):
        if not (row['out_total'] or row['in_total']):
            return None
        return (row['out_share'] or 0, row['in_processed_share'] or 0,
            row['in_electronic_share'] or 0)
    return rank(rows, key), signatures is not None


class ExchangeStart(PeriodStartMixin):
    "Electronic Exchange Indicators"
    __string__ = "Electronic Exchange Indicators"
    __name__ = 'vb.reports.exchange.start'


class PrintExchange(PrintWizardMixin, Wizard):
    "Electronic Exchange Indicators"
    __name__ = 'vb.reports.exchange.print'
    _report = 'vb.reports.exchange'


class ExchangePDF(AgencyTreeReport):
    "Electronic exchange indicators as PDF"
    __name__ = 'vb.reports.exchange.pdf'
    format = 'pdf'

    @classmethod
    def build(cls, records, data):
        Exchange = Pool().get('vb.reports.exchange')
        agency, agencies = cls.scope(data)
        start, end = data['start_date'], data['end_date']
        rows, signatures = exchange_rows(agencies, start, end)
        notes = [
            'Văn bản đi: văn bản phát hành trong kỳ; gửi điện tử khi có ít '
            'nhất một nơi nhận nhận bản điện tử (trong hệ thống hoặc qua '
            'trục liên thông); hoàn toàn điện tử khi mọi nơi nhận đều '
            'nhận bản điện tử.',
            'Văn bản đến: văn bản vào sổ trong kỳ; nhận điện tử khi nhận '
            'qua hệ thống hoặc trục liên thông.',
            'Xếp hạng theo tỷ lệ gửi điện tử, rồi tỷ lệ xử lý trên hệ '
            'thống; cơ quan không có văn bản trong kỳ không xếp hạng.',
            SIGNATURE_NOTE if not signatures else SIGNED_NOTE]
        if not Exchange.has_workflow():
            notes.append(NO_WORKFLOW_NOTE)
        if not Exchange.has_lgsp():
            notes.append(NO_LGSP_NOTE)
        charts = []
        ranked = [r for r in rows if r['rank'] is not None]
        if ranked:
            charts.append(Chart('bar', 'Tỷ lệ văn bản đi gửi điện tử',
                    [r['name'] for r in ranked],
                    [Series('Tỷ lệ gửi điện tử',
                            [r['out_share'] or 0 for r in ranked])],
                    value_type=PERCENT))
        return Report(title=TITLE, columns=exchange_columns(signatures),
            rows=rows,
            subtitle=period_line(start, end), count_noun=None,
            orientation='landscape', notes=notes, charts=charts,
            totals_label='Tổng cộng' if len(agencies) > 1 else 'Cộng',
            sheet_name='Chỉ số điện tử', **agency_heading(agency))


class ExchangeXLSX(ExchangePDF):
    "Electronic exchange indicators as XLSX"
    __name__ = 'vb.reports.exchange.xlsx'
    format = 'xlsx'
