# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""Savings estimate (report 6): what sending electronically saved, per
agency and for the agencies below it, over a period.

Each recipient line of an outgoing document issued in the period that was
delivered electronically (the rules of report 4, exchange.py) is a paper
copy that was not printed and posted; the saving is their number times
the configured cost of a paper document (vb.reports.configuration,
80,000 VND by default). The figures come from report 4's SQL aggregates.
"""
from decimal import Decimal

from trytond.pool import Pool
from trytond.wizard import Wizard

from .common import (
    AgencyTreeReport, PeriodStartMixin, PrintWizardMixin, agency_heading,
    rank)
from .render import INT, MONEY, SUM, TEXT, Column, Report, format_number
from .render import period_line

TITLE = 'BÁO CÁO ƯỚC TÍNH KINH PHÍ TIẾT KIỆM NHỜ GỬI, NHẬN VĂN BẢN ĐIỆN TỬ'


def amount_in_words(amount):
    "80000 -> 'Tám mươi nghìn đồng'"
    from num2words import num2words
    words = num2words(int(amount), lang='vi')
    return words[:1].upper() + words[1:] + ' đồng'


def amount_line(amount):
    return (f'Tổng kinh phí tiết kiệm ước tính: {format_number(amount)} '
        f'đồng (Bằng chữ: {amount_in_words(amount)}).')


def savings_columns():
    return [
        Column('rank', 'Xếp hạng', INT, width=8),
        Column('name', 'Cơ quan, đơn vị', TEXT, width=34),
        Column('documents', 'Văn bản đi gửi điện tử', INT, total=SUM),
        Column('deliveries', 'Lượt gửi điện tử (bản giấy không phải in, '
            'gửi)', INT, total=SUM, width=16),
        Column('cost', 'Đơn giá một bản giấy (đồng)', MONEY),
        Column('amount', 'Kinh phí tiết kiệm (đồng)', MONEY, total=SUM,
            width=18),
        ]


def savings_rows(agencies, start, end, cost):
    Exchange = Pool().get('vb.reports.exchange')
    figures = Exchange.outgoing_figures([a.id for a in agencies], start, end)
    rows = []
    for agency in agencies:
        values = figures.get(agency.id, {})
        deliveries = values.get('deliveries', 0)
        rows.append({
                'name': agency.rec_name, 'rank': None,
                'documents': values.get('out_electronic', 0),
                'deliveries': deliveries,
                'cost': cost,
                'amount': cost * deliveries,
                })
    return rank(rows, lambda r: (r['amount'],) if r['amount'] else None)


def paper_cost():
    Configuration = Pool().get('vb.reports.configuration')
    cost = Configuration(1).paper_cost
    return Decimal(cost if cost is not None
        else Configuration.default_paper_cost())


class SavingsStart(PeriodStartMixin):
    "Savings Estimate"
    __string__ = "Savings Estimate"
    __name__ = 'vb.reports.savings.start'


class PrintSavings(PrintWizardMixin, Wizard):
    "Savings Estimate"
    __name__ = 'vb.reports.savings'
    _report = 'vb.reports.savings'


class SavingsPDF(AgencyTreeReport):
    "Savings estimate as PDF"
    __name__ = 'vb.reports.savings.pdf'
    format = 'pdf'

    @classmethod
    def build(cls, records, data):
        agency, agencies = cls.scope(data)
        start, end = data['start_date'], data['end_date']
        cost = paper_cost()
        rows = savings_rows(agencies, start, end, cost)
        total = sum((r['amount'] for r in rows), Decimal(0))
        notes = [amount_line(total),
            f'Đơn giá một bản giấy (in, sao, gửi): {format_number(cost)} '
            'đồng, theo cấu hình báo cáo.',
            'Mỗi lượt gửi điện tử là một nơi nhận của văn bản đi phát hành '
            'trong kỳ đã nhận bản điện tử (trong hệ thống hoặc qua trục '
            'liên thông), thay cho một bản giấy.']
        return Report(title=TITLE, columns=savings_columns(), rows=rows,
            subtitle=period_line(start, end), count_noun=None,
            orientation='portrait', notes=notes,
            sheet_name='Tiết kiệm', **agency_heading(agency))


class SavingsXLSX(SavingsPDF):
    "Savings estimate as XLSX"
    __name__ = 'vb.reports.savings.xlsx'
    format = 'xlsx'
