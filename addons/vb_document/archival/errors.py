# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""Errors of the archival package: a stable ``code`` for programs and a
Vietnamese ``message`` for people.

Nothing is written anywhere when one is raised: packages are built and read
in memory, and a result is returned only on success.
"""

MESSAGES = {
    # Hostile or oversized packages
    'too_large': (
        'Gói nộp lưu vượt quá dung lượng cho phép ({limit} MB).'),
    'too_many_entries': (
        'Gói nộp lưu có quá nhiều tệp (tối đa {limit}).'),
    'zip_bomb': (
        'Gói nộp lưu bị từ chối: tệp «{name}» giải nén vượt giới hạn dung '
        'lượng hoặc tỷ lệ nén (nghi ngờ bom zip).'),
    'unsafe_path': (
        'Gói nộp lưu bị từ chối: tệp «{name}» có đường dẫn không an toàn '
        '(đường dẫn tuyệt đối, «..», ký tự điều khiển hoặc dấu «\\»).'),
    'symlink': (
        'Gói nộp lưu bị từ chối: «{name}» là liên kết tượng trưng.'),
    'duplicate_entry': (
        'Gói nộp lưu bị từ chối: có hai tệp trùng tên «{name}».'),
    'encrypted_entry': (
        'Gói nộp lưu bị từ chối: tệp «{name}» trong gói bị mã hóa.'),
    # Not a package of ours, or malformed
    'not_zip': (
        'Tệp không phải gói nộp lưu dạng ZIP hợp lệ ({detail}).'),
    'unreadable_entry': (
        'Không đọc được tệp «{name}» trong gói: tệp nén bị hỏng '
        '({detail}).'),
    'no_manifest': (
        'Gói không có tệp kê mã băm «{name}»: không phải gói nộp lưu '
        'của hệ thống hoặc tệp kê đã bị xóa.'),
    'bad_manifest': (
        'Tệp kê mã băm sai định dạng ở dòng {line}: «{detail}».'),
    'bad_xml': (
        'Tệp siêu dữ liệu «{name}» không phải XML hợp lệ: {detail}.'),
    'xml_forbidden': (
        'Tệp siêu dữ liệu «{name}» chứa khai báo DOCTYPE/thực thể: bị từ '
        'chối để phòng tấn công thực thể XML.'),
    'not_package': (
        'Tệp «{name}» không phải mô tả gói nộp lưu của hệ thống.'),
    'integrity': (
        'Gói nộp lưu không toàn vẹn: {detail}.'),
    # Building a package
    'invalid_metadata': (
        'Không lập được gói nộp lưu: {detail}.'),
    'no_font': (
        'Không tìm thấy phông chữ tiếng Việt để in mục lục hồ sơ (cài '
        'fonts-dejavu-core hoặc đặt biến môi trường VBDH_PDF_FONT).'),
}


class ArchivalError(Exception):
    "A handover package could not be built or read"

    def __init__(self, code, name=None, detail=None, **params):
        message = MESSAGES[code].format(
            name=name or '', detail=detail or '', **params)
        super().__init__(message)
        self.code = code
        self.message = message
        self.name = name
        self.detail = detail

    def __str__(self):
        return self.message


class UnsafePackageError(ArchivalError):
    "Hostile or oversized: zip bomb, path traversal, links, encryption"


class PackageFormatError(ArchivalError):
    "Not a handover package, or a broken one that cannot be checked"


class MetadataError(ArchivalError):
    "The metadata given to build a package are not valid"
