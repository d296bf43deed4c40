# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"Print how to reach the demo: URL and logins (run by `make run`)"
import argparse

from . import generate_province
from .setup import DEMO_PASSWORD

ROLE_NAMES = {
    'clerk': "Văn thư",
    'leader': "Lãnh đạo",
    'unit_head': "Trưởng phòng",
    'officer': "Chuyên viên",
    'agency_admin': "Quản trị đơn vị",
    }


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument('-d', '--database', default='vbdh')
    parser.add_argument('--url', default='http://127.0.0.1:8000/')
    options = parser.parse_args(argv)
    province = generate_province()
    print()
    print("=" * 72)
    print(f"VBĐH — tỉnh {province.name} (dữ liệu mẫu)")
    print(f"Địa chỉ: {options.url}  (cơ sở dữ liệu: {options.database})")
    print(f"Mật khẩu chung của mọi tài khoản mẫu: {DEMO_PASSWORD}")
    print("Quản trị hệ thống: admin")
    for agency in province.agencies[:1] + [
            a for a in province.agencies if a.abbreviation == 'SNV']:
        print(f"{agency.short_name}:")
        shown = set()
        for person in agency.people:
            if person.role in shown:
                continue
            shown.add(person.role)
            print(f"  {ROLE_NAMES[person.role]:<16} {person.login:<18} "
                f"{person.name} ({person.position})")
    print("Các cơ quan khác: vanthu.<ký hiệu>, ld1.<ký hiệu>, qt.<ký hiệu>…"
        " (xem Cấu hình > Cơ quan)")
    print("=" * 72, flush=True)


if __name__ == '__main__':
    main()
