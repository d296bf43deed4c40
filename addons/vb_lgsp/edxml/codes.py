# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""Code lists of QCVN 102 packages (spec §1.7, §1.8, §1.11) and their
mapping to the catalogues of vb_document."""
import enum


class Priority(enum.IntEnum):
    "OtherInfo/Priority: độ khẩn"
    NORMAL = 0
    URGENT = 1
    VERY_URGENT = 2
    FLASH = 3
    # "Hỏa tốc hẹn giờ" is not a level of NĐ 30/2020: received as Hỏa tốc
    FLASH_SCHEDULED = 4

    @property
    def label(self):
        return PRIORITY_LABELS[self]


PRIORITY_LABELS = {
    Priority.NORMAL: 'Thường',
    Priority.URGENT: 'Khẩn',
    Priority.VERY_URGENT: 'Thượng khẩn',
    Priority.FLASH: 'Hỏa tốc',
    Priority.FLASH_SCHEDULED: 'Hỏa tốc hẹn giờ',
}

# Codes of the records of vb.document.urgency (vb_document/catalog.xml)
_URGENCY_BY_PRIORITY = {
    Priority.NORMAL: 'normal',
    Priority.URGENT: 'urgent',
    Priority.VERY_URGENT: 'very_urgent',
    Priority.FLASH: 'flash',
    Priority.FLASH_SCHEDULED: 'flash',
}
_PRIORITY_BY_URGENCY = {
    'normal': Priority.NORMAL,
    'urgent': Priority.URGENT,
    'very_urgent': Priority.VERY_URGENT,
    'flash': Priority.FLASH,
}


def urgency_for_priority(priority):
    "Code of the vb.document.urgency record for a received Priority"
    return _URGENCY_BY_PRIORITY[Priority(priority)]


def priority_for_urgency(urgency_code):
    "Priority to send for the code of a vb.document.urgency record"
    return _PRIORITY_BY_URGENCY.get(urgency_code or 'normal', Priority.NORMAL)


class SteeringType(enum.IntEnum):
    "MessageHeader/SteeringType"
    NOT_STEERING = 1
    STEERING = 2
    STEERING_REPORT = 3

    @property
    def label(self):
        return STEERING_LABELS[self]

    @classmethod
    def from_wire(cls, value):
        # One provincial axis documents 0 for "không phải chỉ đạo" (spec
        # §1.7): read as 1, which is what every other sender uses
        return cls.NOT_STEERING if value == 0 else cls(value)


STEERING_LABELS = {
    SteeringType.NOT_STEERING: 'Không phải chỉ đạo',
    SteeringType.STEERING: 'Chỉ đạo',
    SteeringType.STEERING_REPORT: 'Báo cáo chỉ đạo',
}


class BusinessKind(enum.IntEnum):
    "TraceHeaderList/Bussiness/BussinessDocType"
    NEW = 0
    REVOKE = 1
    UPDATE = 2
    REPLACE = 3

    @property
    def label(self):
        return BUSINESS_LABELS[self]


BUSINESS_LABELS = {
    BusinessKind.NEW: 'Văn bản mới',
    BusinessKind.REVOKE: 'Thu hồi',
    BusinessKind.UPDATE: 'Cập nhật',
    BusinessKind.REPLACE: 'Thay thế',
}


class StatusCode(str, enum.Enum):
    "MessageHeader/StatusCode of a status package (two digits)"
    ARRIVED = '01'
    REFUSED = '02'
    ACCEPTED = '03'
    ASSIGNED = '04'
    IN_PROGRESS = '05'
    DONE = '06'
    WITHDRAW_REQUEST = '13'
    UPDATE_AGREED = '15'
    UPDATE_REFUSED = '16'

    @property
    def label(self):
        return STATUS_LABELS[self]

    @property
    def default_description(self):
        return STATUS_DESCRIPTIONS[self]

    @property
    def sent_by_sender(self):
        "Whether the original sender of the document sends this status"
        return self is StatusCode.WITHDRAW_REQUEST

    @property
    def needs_reason(self):
        "Whether Description must give a reason"
        return self in (StatusCode.REFUSED, StatusCode.WITHDRAW_REQUEST,
            StatusCode.UPDATE_REFUSED)

    def __str__(self):
        return self.value


STATUS_LABELS = {
    StatusCode.ARRIVED: 'Đã đến',
    StatusCode.REFUSED: 'Từ chối tiếp nhận',
    StatusCode.ACCEPTED: 'Đã tiếp nhận',
    StatusCode.ASSIGNED: 'Phân công',
    StatusCode.IN_PROGRESS: 'Đang xử lý',
    StatusCode.DONE: 'Hoàn thành',
    StatusCode.WITHDRAW_REQUEST: 'Lấy lại (yêu cầu thu hồi)',
    StatusCode.UPDATE_AGREED: 'Đồng ý cập nhật/lấy lại',
    StatusCode.UPDATE_REFUSED: 'Từ chối cập nhật/lấy lại',
}

# Wording of the official VPCP sample packages (spec §1.11)
STATUS_DESCRIPTIONS = {
    StatusCode.ARRIVED: (
        'Văn thư - Phòng Văn thư - Lưu trữ: Đã đến - Phần mềm QLVB đã nhận '
        'nhưng văn thư chưa xử lý'),
    StatusCode.REFUSED: (
        'Văn thư - Phòng Văn thư - Lưu trữ: Từ chối không tiếp nhận văn bản '
        'điện tử'),
    StatusCode.ACCEPTED: (
        'Văn thư - Phòng Văn thư - Lưu trữ: Tiếp nhận văn bản điện tử, vào '
        'sổ văn bản đến của đơn vị'),
    StatusCode.ASSIGNED: 'Lãnh đạo: Phân công xử lý',
    StatusCode.IN_PROGRESS: 'Đang xử lý văn bản đến',
    StatusCode.DONE: 'Văn thư: Ban hành văn bản đến, hoàn thành xử lý',
    StatusCode.WITHDRAW_REQUEST: (
        'Văn thư yêu cầu lấy lại văn bản điện tử kèm lý do'),
    StatusCode.UPDATE_AGREED: 'Văn thư đồng ý yêu cầu cập nhật, lấy lại',
    StatusCode.UPDATE_REFUSED: 'Văn thư từ chối yêu cầu cập nhật, lấy lại',
}
