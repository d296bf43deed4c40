# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""Verify the audit trails of a database from the command line.

    python -m trytond.modules.vb_document.audit_verify -c trytond.conf \\
        -d DB [--agency CODE] [--document ID] [--from DATE] [--to DATE]

One line per trail checked, in Vietnamese unless --language says
otherwise, followed by the head of the trail (number and hash of its last
entry): keep these lines outside the system, they prove the trail up to
that entry. Exit status 0 when every trail is intact, 1 when one is not,
2 on a usage error.
"""
import argparse
import datetime as dt
import sys


def _date(value):
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"Ngày không hợp lệ (cần dạng YYYY-MM-DD): {value!r}")


def parse_arguments(argv=None):
    parser = argparse.ArgumentParser(
        prog='python -m trytond.modules.vb_document.audit_verify',
        description="Kiểm tra tính toàn vẹn của nhật ký truy vết.")
    parser.add_argument('-c', '--config', dest='configfile',
        help="tệp cấu hình trytond")
    parser.add_argument('-d', '--database', dest='database', required=True,
        help="tên cơ sở dữ liệu")
    parser.add_argument('--agency', dest='agency',
        help="mã định danh hoặc số hiệu (id) của cơ quan; mặc định: tất cả")
    parser.add_argument('--document', dest='document', type=int,
        help="số hiệu (id) của văn bản")
    parser.add_argument('--from', dest='date_from', type=_date,
        help="từ ngày (YYYY-MM-DD)")
    parser.add_argument('--to', dest='date_to', type=_date,
        help="đến ngày (YYYY-MM-DD)")
    parser.add_argument('--language', dest='language', default='vi',
        help="ngôn ngữ của thông báo (mặc định: vi)")
    return parser.parse_args(argv)


def verify(database, agency=None, document=None, date_from=None,
        date_to=None, language='vi'):
    """[(intact, line)] for the trails of database; the pool must be set up

    The verification reads the rows as stored; it changes nothing.
    """
    from trytond.i18n import gettext
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    lines = []
    with Transaction().start(database, 0, readonly=True,
            context={'language': language}):
        pool = Pool()
        Chain = pool.get('vb.document.audit.chain')
        Company = pool.get('company.company')
        if document is not None:
            results = Chain.verify_document(document)
        else:
            domain = []
            if agency is not None:
                companies = Company.search(['OR',
                        ('identifier_code', '=', agency),
                        ('id', '=', int(agency) if agency.isdigit() else -1),
                        ])
                if not companies:
                    raise LookupError(agency)
                domain.append(('company', 'in', [c.id for c in companies]))
            chains = Chain.search(domain, order=[('id', 'ASC')])
            results = [(c, c.verify_chain(date_from, date_to))
                for c in chains]
        for chain, result in results:
            head = chain._head()
            lines.append((result.ok, chain.describe(result)))
            lines.append((result.ok, gettext(
                        'vb_document.msg_audit_head', sequence=head[0],
                        hash=head[1])))
    return lines


def main(argv=None):
    options = parse_arguments(argv)
    from trytond import config
    config.update_etc(options.configfile)
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    pool = Pool(options.database)
    with Transaction().start(options.database, 0, readonly=True):
        pool.init()
    try:
        lines = verify(options.database, agency=options.agency,
            document=options.document, date_from=options.date_from,
            date_to=options.date_to, language=options.language)
    except LookupError:
        print(f"Không tìm thấy cơ quan {options.agency!r}.", file=sys.stderr)
        return 2
    for _, line in lines:
        print(line)
    return 0 if all(ok for ok, _ in lines) else 1


if __name__ == '__main__':
    sys.exit(main())
