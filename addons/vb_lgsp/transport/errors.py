# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""Errors of the axis transports and the axis error-code table.

The outbox decides from the class alone: a ``RetryableError`` is tried again
later with exponential backoff (the axis may not have seen the request, or
failed transiently), a ``PermanentError`` goes to the dead letters at once
(sending again cannot succeed). ``code`` is a short stable identifier to
store with the outbox entry; ``message`` is the Vietnamese text shown to the
agency admin.
"""

# Error codes returned by the axis in ``ErrorCode`` (VXP) or
# ``data.errorCode`` (provincial REST). 10–23 are the provincial guide v2.2
# codes (spec §3.3); 16 and 17 are the simulator's own additions for cases
# the guide does not number (unknown docId, invalid parameters).
AXIS_OK = 0
AXIS_INVALID_FILE = 10
AXIS_AUTH = 15
AXIS_NOT_FOUND = 16
AXIS_INVALID_REQUEST = 17
AXIS_BAD_RECIPIENT = 18
AXIS_SENDER_NOT_REGISTERED = 19
AXIS_SYSTEM = 20
AXIS_FILE_PROCESSING = 21
AXIS_MALFORMED_EDXML = 22
AXIS_RECIPIENT_LOCKED = 23

AXIS_ERROR_TEXTS = {
    AXIS_OK: 'Thành công',
    AXIS_INVALID_FILE: 'File không hợp lệ',
    AXIS_AUTH: 'Sai SystemId/SecretKey hoặc chữ ký yêu cầu',
    AXIS_NOT_FOUND: 'Không tìm thấy văn bản (docId)',
    AXIS_INVALID_REQUEST: 'Tham số yêu cầu không hợp lệ',
    AXIS_BAD_RECIPIENT: 'Đơn vị nhận không tồn tại',
    AXIS_SENDER_NOT_REGISTERED: 'Đơn vị gửi chưa đăng ký',
    AXIS_SYSTEM: 'Lỗi hệ thống LGSP',
    AXIS_FILE_PROCESSING: 'Lỗi xử lý file',
    AXIS_MALFORMED_EDXML: 'edXML sai định dạng',
    AXIS_RECIPIENT_LOCKED: 'Đơn vị nhận đã khóa',
}

# Transport error code -> Vietnamese message shown to the admin
MESSAGES = {
    'timeout': 'Quá thời gian chờ phản hồi từ trục liên thông.',
    'connection': 'Không kết nối được tới trục liên thông.',
    'server_error': 'Trục liên thông gặp lỗi hệ thống.',
    'rate_limited': 'Trục liên thông đang quá tải, cần gửi lại sau.',
    'protocol': 'Phản hồi của trục liên thông không đúng định dạng.',
    'integrity': 'Gói tin tải về không khớp mã băm SHA-256.',
    'auth': ('Trục liên thông từ chối xác thực (sai mã hệ thống, khóa bí mật,'
        ' mã truy cập hoặc chữ ký yêu cầu).'),
    'forbidden': 'Hệ thống không có quyền thực hiện yêu cầu này trên trục.',
    'bad_recipient': 'Đơn vị nhận không tồn tại hoặc đã bị khóa trên trục.',
    'sender_not_registered': 'Đơn vị gửi chưa đăng ký với trục liên thông.',
    'malformed': 'Gói tin edXML không hợp lệ, trục liên thông từ chối.',
    'not_found': 'Không tìm thấy văn bản trên trục liên thông.',
    'too_large': 'Gói tin vượt quá dung lượng cho phép.',
    'rejected': 'Trục liên thông từ chối yêu cầu.',
    'invalid_request': 'Yêu cầu gửi trục liên thông không hợp lệ.',
    'redirect': 'Trục liên thông chuyển hướng yêu cầu (sai địa chỉ máy chủ?).',
}

# Axis error code -> (transport code, retryable)
AXIS_CODE_CLASSES = {
    AXIS_INVALID_FILE: ('malformed', False),
    AXIS_AUTH: ('auth', False),
    AXIS_NOT_FOUND: ('not_found', False),
    AXIS_INVALID_REQUEST: ('invalid_request', False),
    AXIS_BAD_RECIPIENT: ('bad_recipient', False),
    AXIS_SENDER_NOT_REGISTERED: ('sender_not_registered', False),
    AXIS_SYSTEM: ('server_error', True),
    AXIS_FILE_PROCESSING: ('malformed', False),
    AXIS_MALFORMED_EDXML: ('malformed', False),
    AXIS_RECIPIENT_LOCKED: ('bad_recipient', False),
}


class TransportError(Exception):
    "An exchange with the axis failed; ``message`` is in Vietnamese"
    retryable = False

    def __init__(self, code, detail=None, *, http_status=None,
            axis_code=None, retry_after=None):
        self.code = code
        self.detail = detail
        self.http_status = http_status
        self.axis_code = axis_code
        self.retry_after = retry_after
        message = MESSAGES.get(code, MESSAGES['rejected'])
        extras = []
        if http_status is not None:
            extras.append(f'HTTP {http_status}')
        if axis_code is not None:
            extras.append(f'mã lỗi trục {axis_code}')
        if extras:
            message += f' ({", ".join(extras)})'
        if detail:
            message += f' Chi tiết: {detail}'
        self.message = message
        super().__init__(message)


class RetryableError(TransportError):
    "Transient failure: send again later with backoff"
    retryable = True


class PermanentError(TransportError):
    "Sending the same request again cannot succeed"
    retryable = False


def error_for_axis_code(axis_code, detail=None, *, http_status=None):
    "The exception for an error code reported by the axis"
    try:
        number = int(axis_code)
    except (TypeError, ValueError):
        number = None
    code, retryable = AXIS_CODE_CLASSES.get(number, ('rejected', False))
    if not detail and number in AXIS_ERROR_TEXTS:
        detail = AXIS_ERROR_TEXTS[number]
    cls = RetryableError if retryable else PermanentError
    return cls(code, detail, http_status=http_status, axis_code=axis_code)


def error_for_http_status(status, detail=None, *, axis_code=None,
        retry_after=None):
    """The exception for a non-2xx HTTP status.

    408, 429 and 5xx are transient; any other 4xx means the request itself
    is wrong. When the body carries an axis error code it refines the class
    of a 4xx (a 400 with code 18 is a bad recipient) but never turns a
    transient HTTP status into a permanent one.
    """
    if status == 408:
        return RetryableError('timeout', detail, http_status=status,
            axis_code=axis_code)
    if status == 429:
        return RetryableError('rate_limited', detail, http_status=status,
            axis_code=axis_code, retry_after=retry_after)
    if status >= 500:
        return RetryableError('server_error', detail, http_status=status,
            axis_code=axis_code, retry_after=retry_after)
    if status == 413:
        return PermanentError('too_large', detail, http_status=status,
            axis_code=axis_code)
    if axis_code not in (None, '', AXIS_OK, str(AXIS_OK)):
        error = error_for_axis_code(axis_code, detail, http_status=status)
        if not error.retryable:
            return error
    if 300 <= status < 400:
        return PermanentError('redirect', detail, http_status=status)
    code = {
        401: 'auth',
        403: 'forbidden',
        404: 'not_found',
        }.get(status, 'rejected')
    return PermanentError(code, detail, http_status=status,
        axis_code=axis_code)
