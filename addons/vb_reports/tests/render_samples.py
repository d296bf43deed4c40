# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"Sample reports for the rendering tests, with hand-computable figures"
import datetime
import io

from trytond.modules.vb_reports.render import (
    INT, PERCENT, RATIO, SUM, TEXT, Chart, Column, Report, Row, Series,
    Signature, period_line, register_report)

REPORT_DATE = datetime.date(2026, 3, 5)
DATE_LINE = 'Khánh Hòa, ngày 05 tháng 3 năm 2026'
AGENCY = 'Văn phòng Ủy ban nhân dân tỉnh'
PARENT_AGENCY = 'Ủy ban nhân dân tỉnh Khánh Hòa'
PERIOD = (datetime.date(2026, 1, 1), datetime.date(2026, 3, 31))

# Wraps over several lines in the subject column of the register
LONG_SUBJECT = (
    'Công văn về việc đôn đốc triển khai thực hiện Nghị định số '
    '30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác văn '
    'thư, bảo đảm gửi, nhận văn bản điện tử qua Trục liên thông văn bản '
    'quốc gia và số hóa hồ sơ, tài liệu lưu trữ của các cơ quan, đơn vị '
    'trên địa bàn tỉnh trong quý I năm 2026')
ISSUERS = [
    'Ủy ban nhân dân tỉnh Khánh Hòa', 'Sở Tài nguyên và Môi trường',
    'Sở Kế hoạch và Đầu tư', 'Bộ Nội vụ', 'Văn phòng Chính phủ']
SUBJECTS = [
    'Báo cáo tình hình kinh tế - xã hội tháng',
    'Kế hoạch cải cách hành chính năm 2026 của tỉnh',
    'Quyết định về việc phê duyệt danh mục hồ sơ của cơ quan',
    'Công văn về việc góp ý dự thảo quy chế làm việc',
    ]


def incoming_rows(count, long_every=7):
    """`count` rows of the incoming register, every `long_every`-th with
    the long subject; a generator, as the Tryton layer would stream them.
    """
    start = datetime.date(2026, 1, 2)
    for number in range(1, count + 1):
        day = start + datetime.timedelta(days=number % 88)
        yield {
            'received_date': day,
            'incoming_number': number,
            'issuer': ISSUERS[number % len(ISSUERS)],
            'number_notation': f'{number % 900 + 1:02d}/UBND-VP',
            'document_date': day - datetime.timedelta(days=1),
            'type_subject': (LONG_SUBJECT if number % long_every == 0
                else f'{SUBJECTS[number % len(SUBJECTS)]} (số {number})'),
            'recipient': 'Phòng Tổng hợp',
            'transfer_date': day,
            'receipt': None,
            'note': None,
            }


def incoming_register(count, **values):
    values.setdefault('agency', AGENCY)
    values.setdefault('parent_agency', PARENT_AGENCY)
    values.setdefault('place', 'Khánh Hòa')
    values.setdefault('date', REPORT_DATE)
    values.setdefault('subtitle', period_line(*PERIOD))
    return register_report('incoming', incoming_rows(count), **values)


# Processing statistics by agency: two-level headers, a ratio total,
# a drill-down and a chart. Figures chosen to be added up by hand.
STATISTICS = [
    # agency, received, on time, late, in progress, overdue
    ('Sở Nội vụ', 120, 90, 10, 15, 5),
    ('Sở Tài chính', 80, 56, 12, 10, 2),
    ('Sở Y tế', 200, 162, 20, 13, 5),
    ]
# Their totals, added up by hand; on time: 308 / 400 = 77,0%
STATISTICS_TOTALS = {'received': 400, 'on_time': 308, 'late': 42,
    'in_progress': 38, 'overdue': 12}


def statistics_columns():
    return [
        Column('agency', 'Cơ quan, đơn vị', TEXT, width=30),
        Column('received', 'Tổng số văn bản nhận', INT, total=SUM),
        Column('on_time', 'Đúng hạn', INT, group='Đã giải quyết',
            total=SUM),
        Column('late', 'Quá hạn', INT, group='Đã giải quyết', total=SUM),
        Column('in_progress', 'Trong hạn', INT, group='Đang giải quyết',
            total=SUM),
        Column('overdue', 'Quá hạn', INT, group='Đang giải quyết',
            total=SUM),
        Column('on_time_rate', 'Tỉ lệ đúng hạn', PERCENT, total=RATIO,
            ratio=('on_time', 'received')),
        ]


def statistics_rows(units=False):
    for agency, received, on_time, late, in_progress, overdue in STATISTICS:
        values = {
            'agency': agency, 'received': received, 'on_time': on_time,
            'late': late, 'in_progress': in_progress, 'overdue': overdue,
            'on_time_rate': on_time / received}
        yield Row(values, bold=units)
        if units:
            yield Row(dict(values, agency=f'Phòng Tổng hợp ({agency})',
                    received=received // 2, on_time=on_time // 2,
                    on_time_rate=(on_time // 2) / (received // 2)),
                level=1)


def statistics_report(units=False, **values):
    values.setdefault('title', 'Báo cáo thống kê tình hình xử lý văn bản')
    values.setdefault('agency', AGENCY)
    values.setdefault('parent_agency', PARENT_AGENCY)
    values.setdefault('place', 'Khánh Hòa')
    values.setdefault('date', REPORT_DATE)
    values.setdefault('subtitle', period_line(*PERIOD))
    values.setdefault('count_noun', 'cơ quan')
    values.setdefault('charts', [
            Chart('bar', 'Văn bản đã giải quyết theo cơ quan',
                [s[0] for s in STATISTICS], [
                    Series('Đúng hạn', [s[2] for s in STATISTICS]),
                    Series('Quá hạn', [s[3] for s in STATISTICS]),
                    ]),
            Chart('line', 'Tỉ lệ đúng hạn', [s[0] for s in STATISTICS],
                [Series('Tỉ lệ', [s[2] / s[1] for s in STATISTICS])],
                value_type=PERCENT),
            ])
    values.setdefault('signatures', [
            Signature('Người lập biểu', 'Nguyễn Văn An'),
            Signature('Chánh Văn phòng', 'Trần Thị Bình')])
    return Report(columns=statistics_columns(),
        rows=statistics_rows(units), **values)


def pdf_pages(data):
    "The text of each page of a PDF"
    from pypdf import PdfReader
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]
