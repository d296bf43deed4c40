# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""Errors of the edXML library: a stable ``code`` for programs and a
Vietnamese ``message`` for people.

Nothing is written anywhere when one is raised: ``build`` and ``parse`` work
on bytes in memory and return a result only on success. The connector maps
the class to its answer: a package refused on receipt is answered with
status 02 and ``message`` as the reason, to ``sender`` when it is known.
"""

MESSAGES = {
    # Hostile or oversized input
    'too_large': 'Gói tin vượt quá dung lượng cho phép ({limit} byte).',
    'dtd_forbidden': (
        'Gói tin chứa khai báo DOCTYPE/DTD hoặc thực thể: bị từ chối để '
        'phòng tấn công thực thể ngoài (XXE) và bùng nổ thực thể.'),
    'entity_forbidden': 'Gói tin tham chiếu thực thể chưa khai báo: {detail}.',
    'too_deep': 'Gói tin lồng nhau quá sâu (tối đa {limit} cấp).',
    'too_many_elements': 'Gói tin có quá nhiều phần tử (tối đa {limit}).',
    'too_many_attributes': (
        'Phần tử {field} có quá nhiều thuộc tính (tối đa {limit}).'),
    'huge_text': 'Nội dung trường {field} quá lớn (tối đa {limit} ký tự).',
    'too_many_attachments': (
        'Gói tin có quá nhiều tệp đính kèm (tối đa {limit}).'),
    'attachment_too_large': (
        'Tệp đính kèm {field} vượt quá dung lượng cho phép ({limit} byte).'),
    'zip_bomb': (
        'Tệp nén {field} giải nén vượt giới hạn dung lượng hoặc tỷ lệ nén '
        '(nghi ngờ bom zip).'),
    'zip_traversal': (
        'Tệp nén {field} chứa đường dẫn không an toàn: {detail}.'),
    'unsafe_name': 'Tên tệp đính kèm không an toàn: {field}.',
    # Attachments
    'bad_base64': 'Nội dung tệp đính kèm {field} không phải base64 hợp lệ.',
    'type_mismatch': (
        'Tệp đính kèm {field} khai báo kiểu {declared} nhưng nội dung thực '
        'tế không đúng kiểu đó.'),
    'bad_zip': 'Tệp nén {field} bị hỏng hoặc không đọc được: {detail}.',
    'attachment_missing': 'Không tìm thấy nội dung của tệp đính kèm {field}.',
    'attachment_duplicate': 'Mã tệp đính kèm bị trùng lặp: {field}.',
    # Structure and values
    'malformed_xml': 'Gói tin không phải XML hợp lệ: {detail}.',
    'not_edxml': 'Dữ liệu không phải gói tin edXML theo QCVN 102:2016.',
    'mime_malformed': (
        'Gói tin SOAP nhiều phần (multipart/related) sai cấu trúc: {detail}.'),
    'missing_field': 'Thiếu trường bắt buộc: {field}.',
    'invalid_value': 'Giá trị không hợp lệ ở trường {field}: «{value}».',
    'invalid_date': 'Ngày giờ không hợp lệ ở trường {field}: «{value}».',
    'invalid_identifier': (
        'Mã định danh không hợp lệ ở trường {field}: «{value}».'),
    'invalid_document_id': (
        'Mã văn bản (DocumentId) không đúng dạng '
        '«mã định danh,yyyy/MM/dd,số/ký hiệu»: «{value}».'),
    'field_too_long': 'Trường {field} vượt quá độ dài tối đa {limit} ký tự.',
    'inconsistent': 'Gói tin không nhất quán: {detail}.',
    # XML signature
    'signature_invalid': (
        'Chữ ký số XML của gói tin không hợp lệ: gói tin đã bị sửa đổi hoặc '
        'chữ ký bị giả mạo ({detail}).'),
    'signature_untrusted': (
        'Chứng thư số ký gói tin không thuộc danh sách được tin cậy.'),
    'signature_required': 'Gói tin không có chữ ký số XML hợp lệ như yêu cầu.',
    'signing_failed': 'Không ký số được gói tin: {detail}.',
}


class EdxmlError(Exception):
    """An edXML package could not be built or was refused.

    ``field`` names the element concerned (a path such as
    ``MessageHeader/From/OrganId`` or an attachment name), ``detail`` is the
    technical cause for the log, ``sender`` the sender's mã định danh and
    ``document_id`` the package's DocumentId when the parser had read them
    before refusing the package.
    """

    def __init__(self, code, field=None, detail=None, **params):
        template = MESSAGES[code]
        message = template.format(
            field=field or '', detail=detail or '', **params)
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field
        self.detail = detail
        self.params = params
        self.sender = None
        # The DocumentId of the refused package when it had been read: with
        # the sender, what a status 02 answering it needs
        self.document_id = None

    def __str__(self):
        return self.message


class EdxmlSecurityError(EdxmlError):
    "Hostile or oversized input: DTD/entities, depth, size, zip bombs, paths"


class EdxmlFormatError(EdxmlError):
    "Not well-formed, not edXML, a mandatory field missing or a value invalid"


class EdxmlAttachmentError(EdxmlError):
    "An attachment is not base64, not of its declared type or a broken zip"


class EdxmlSignatureError(EdxmlError):
    "The XML signature is invalid, untrusted, missing or cannot be produced"
