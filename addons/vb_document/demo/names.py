# This file is part of the vb_document module.  The COPYRIGHT file at the top
# level of this repository contains the full copyright notices and license
# terms.
"""Word lists used by the fictional province generator.

Everything here is plain data (NFC Vietnamese text).  The lists are used
combinatorially, so a few hundred words give millions of distinct names and
document subjects.
"""
import unicodedata


def _nfc(values):
    if isinstance(values, str):
        return unicodedata.normalize('NFC', values)
    if isinstance(values, dict):
        return {_nfc(k): _nfc(v) for k, v in values.items()}
    if isinstance(values, tuple):
        return tuple(_nfc(v) for v in values)
    if isinstance(values, list):
        return [_nfc(v) for v in values]
    return values


# --- People -----------------------------------------------------------------

# (family name, approximate share in percent of the population)
FAMILY_NAMES = _nfc([
    ('Nguyễn', 38.0), ('Trần', 11.0), ('Lê', 9.5), ('Phạm', 7.0),
    ('Hoàng', 3.0), ('Huỳnh', 2.5), ('Phan', 4.5), ('Vũ', 2.0),
    ('Võ', 2.0), ('Đặng', 2.1), ('Bùi', 2.0), ('Đỗ', 1.4), ('Hồ', 1.3),
    ('Ngô', 1.3), ('Dương', 1.0), ('Lý', 0.5), ('Đinh', 0.7),
    ('Trương', 0.8), ('Lâm', 0.4), ('Mai', 0.4), ('Tô', 0.2), ('Hà', 0.4),
    ('Cao', 0.3), ('Lương', 0.3), ('Châu', 0.2), ('Tạ', 0.2), ('Thái', 0.2),
    ('Lưu', 0.2), ('Đoàn', 0.4), ('Trịnh', 0.3), ('Văn', 0.1), ('Kiều', 0.1),
    ('La', 0.1), ('Quách', 0.1), ('Từ', 0.1), ('Nông', 0.1),
])

MIDDLE_NAMES_MALE = _nfc([
    ('Văn', 30), ('Hữu', 8), ('Minh', 9), ('Đức', 8), ('Quốc', 6),
    ('Thanh', 7), ('Công', 5), ('Quang', 5), ('Xuân', 4), ('Ngọc', 3),
    ('Đình', 5), ('Anh', 3), ('Trọng', 3), ('Tuấn', 2), ('Hoàng', 3),
    ('Duy', 3), ('Bá', 2), ('Thế', 3), ('Tiến', 2), ('Gia', 2), ('Chí', 2),
    ('Mạnh', 2), ('Nhật', 2), ('Trung', 2), ('Phú', 1), ('Viết', 1),
])

MIDDLE_NAMES_FEMALE = _nfc([
    ('Thị', 40), ('Ngọc', 8), ('Thanh', 6), ('Thu', 5), ('Minh', 4),
    ('Kim', 4), ('Hồng', 4), ('Phương', 3), ('Mỹ', 3), ('Bảo', 2),
    ('Diệu', 2), ('Khánh', 2), ('Thùy', 3), ('Hoài', 2), ('Thảo', 2),
    ('Quỳnh', 2), ('Lan', 1), ('Hải', 2), ('Bích', 2), ('Tuyết', 1),
    ('Ánh', 1), ('Như', 2), ('Cẩm', 1), ('Yến', 1),
])

GIVEN_NAMES_MALE = _nfc([
    'Anh', 'Bảo', 'Bình', 'Cường', 'Chiến', 'Công', 'Dũng', 'Duy', 'Dương',
    'Đạt', 'Đông', 'Đức', 'Giang', 'Hải', 'Hào', 'Hậu', 'Hiếu', 'Hiển',
    'Hòa', 'Hoàng', 'Hùng', 'Huy', 'Hưng', 'Khang', 'Khánh', 'Khoa', 'Kiên',
    'Lâm', 'Linh', 'Long', 'Lộc', 'Lợi', 'Luân', 'Minh', 'Nam', 'Nghĩa',
    'Nguyên', 'Nhân', 'Phát', 'Phong', 'Phúc', 'Phương', 'Quang', 'Quân',
    'Quý', 'Sang', 'Sơn', 'Tài', 'Tâm', 'Tân', 'Thắng', 'Thành', 'Thịnh',
    'Thông', 'Tiến', 'Toàn', 'Trí', 'Triều', 'Trung', 'Trường', 'Tuấn',
    'Tùng', 'Việt', 'Vinh', 'Vũ', 'Vương', 'Định', 'Hạnh', 'Lực', 'Khải',
])

GIVEN_NAMES_FEMALE = _nfc([
    'An', 'Anh', 'Ánh', 'Châu', 'Chi', 'Diệp', 'Dung', 'Duyên', 'Giang', 'Hà',
    'Hạnh', 'Hằng', 'Hiền', 'Hoa', 'Hồng', 'Huệ', 'Hương', 'Hường', 'Lan',
    'Liên', 'Liễu', 'Linh', 'Loan', 'Ly', 'Mai', 'My', 'Nga', 'Ngân',
    'Ngọc', 'Nhi', 'Nhung', 'Oanh', 'Phượng', 'Phương', 'Quyên', 'Quỳnh',
    'Tâm', 'Thảo', 'Thơ', 'Thủy', 'Thư', 'Trang', 'Trâm', 'Trinh', 'Tuyết',
    'Uyên', 'Vân', 'Vy', 'Xuân', 'Yến', 'Hạ', 'Lệ', 'Nguyệt', 'Thắm',
])

# --- Places -----------------------------------------------------------------

# First / second syllables of fictional xã and phường names.
PLACE_FIRST = _nfc([
    'Tân', 'Phú', 'Hòa', 'An', 'Bình', 'Long', 'Phước', 'Thạnh', 'Mỹ',
    'Hưng', 'Vĩnh', 'Xuân', 'Thuận', 'Quảng', 'Hải', 'Sơn', 'Cát', 'Đại',
    'Trung', 'Đức', 'Thanh', 'Ninh', 'Diên', 'Cam', 'Vạn', 'Hiệp', 'Lộc',
    'Thái', 'Gia', 'Kim', 'Hồng', 'Minh', 'Quang', 'Nghĩa', 'Tam', 'Vân',
    'Tịnh', 'Liên', 'Phong', 'Yên',
])

PLACE_SECOND = _nfc([
    'Phú', 'Hòa', 'An', 'Bình', 'Long', 'Lợi', 'Thành', 'Lộc', 'Hưng',
    'Thịnh', 'Phước', 'Khánh', 'Sơn', 'Hải', 'Giang', 'Lâm', 'Điền', 'Trung',
    'Tiến', 'Thắng', 'Đông', 'Tây', 'Mỹ', 'Xuân', 'Thuận', 'Lạc', 'Định',
    'Tân', 'Vinh', 'Quang', 'Hiệp', 'Hà', 'Thủy', 'Ninh', 'Châu', 'Yên',
    'Phong', 'Hội', 'Nghĩa', 'Đức',
])

# Used as a third syllable when two-syllable names run out.
PLACE_THIRD = _nfc(['Đông', 'Tây', 'Nam', 'Bắc', 'Trung', 'Thượng', 'Hạ'])

# Provincial centre wards (always the first communes generated).
CENTRE_WARDS = _nfc(['Vân Giang', 'Vân Ninh', 'Hải Thành'])

STREETS = _nfc([
    'Trần Phú', 'Lê Lợi', 'Nguyễn Huệ', 'Hùng Vương', 'Quang Trung',
    'Lý Thường Kiệt', 'Hai Bà Trưng', 'Phan Bội Châu', 'Nguyễn Trãi',
    'Trần Hưng Đạo', 'Lê Duẩn', 'Võ Nguyên Giáp', 'Điện Biên Phủ',
    '30 Tháng 4', 'Nguyễn Văn Linh', 'Phạm Văn Đồng', 'Lê Thánh Tôn',
    'Yersin', 'Pasteur', 'Thống Nhất', 'Nguyễn Thị Minh Khai', 'Tôn Đức Thắng',
    'Lê Hồng Phong', 'Hoàng Văn Thụ', 'Bạch Đằng', 'Ngô Quyền',
    'Chu Văn An', 'Nguyễn Du', 'Lạc Long Quân', 'Âu Cơ',
])

HAMLETS = _nfc([
    'Thôn 1', 'Thôn 2', 'Thôn 3', 'Thôn Đông', 'Thôn Tây', 'Thôn Trung',
    'Thôn Phú Lộc', 'Thôn An Thạnh', 'Thôn Bình Tây', 'Thôn Tân Lập',
    'Thôn Hòa Bình', 'Thôn Xuân Phong', 'Buôn Ea Kiết', 'Làng Mới',
])

# --- Document subjects --------------------------------------------------------

# Policy domains: "<head noun> <domain>" must read naturally, e.g.
# "công tác cải cách hành chính", "kế hoạch chuyển đổi số".
DOMAINS = _nfc([
    'chuyển đổi số', 'cải cách hành chính', 'xây dựng Chính quyền số',
    'phòng, chống thiên tai và tìm kiếm cứu nạn', 'tuyển dụng viên chức',
    'tuyển dụng công chức', 'quyết toán ngân sách nhà nước',
    'phòng cháy, chữa cháy và cứu nạn, cứu hộ', 'bảo vệ môi trường',
    'xây dựng nông thôn mới', 'giảm nghèo bền vững',
    'bảo đảm an toàn thực phẩm', 'phòng, chống tham nhũng, tiêu cực',
    'thi đua, khen thưởng', 'văn thư, lưu trữ',
    'tiếp công dân, giải quyết khiếu nại, tố cáo', 'quản lý đất đai',
    'bồi thường, hỗ trợ, tái định cư', 'giải ngân vốn đầu tư công',
    'phát triển du lịch', 'bảo đảm trật tự, an toàn giao thông',
    'phòng, chống dịch bệnh', 'tiêm chủng mở rộng', 'dân số và phát triển',
    'giáo dục nghề nghiệp', 'phát triển bảo hiểm xã hội, bảo hiểm y tế',
    'chi trả trợ cấp xã hội', 'phổ biến, giáo dục pháp luật',
    'kiểm soát thủ tục hành chính',
    'phát triển ứng dụng dữ liệu về dân cư, định danh và xác thực điện tử',
    'bồi dưỡng cán bộ, công chức, viên chức', 'sắp xếp, tinh gọn tổ chức bộ máy',
    'đánh giá, xếp loại chất lượng cán bộ, công chức, viên chức',
    'quản lý biên chế', 'thực hành tiết kiệm, chống lãng phí',
    'bảo đảm an toàn thông tin mạng', 'sử dụng chữ ký số',
    'cung cấp dịch vụ công trực tuyến', 'phát triển kinh tế tập thể, hợp tác xã',
    'khuyến nông', 'phòng, chống bệnh dịch tả lợn châu Phi',
    'trồng rừng và bảo vệ rừng', 'quản lý tài nguyên nước',
    'quản lý hoạt động khai thác khoáng sản', 'thu gom, xử lý chất thải rắn sinh hoạt',
    'chỉnh trang đô thị', 'cấp giấy phép xây dựng',
    'bảo tồn và phát huy giá trị di tích', 'xây dựng đời sống văn hóa cơ sở',
    'phát triển thể dục, thể thao quần chúng', 'phổ cập giáo dục, xóa mù chữ',
    'tuyển sinh đầu cấp', 'Kỳ thi tốt nghiệp trung học phổ thông',
    'y tế cơ sở', 'quản lý nhà nước về tín ngưỡng, tôn giáo',
    'chính sách dân tộc', 'hội nhập quốc tế',
    'xây dựng nền quốc phòng toàn dân', 'tuyển chọn và gọi công dân nhập ngũ',
    'phòng, chống ma túy', 'bình đẳng giới', 'bảo vệ, chăm sóc trẻ em',
    'chăm sóc người cao tuổi', 'đền ơn đáp nghĩa',
    'xóa nhà tạm, nhà dột nát', 'hỗ trợ phát triển doanh nghiệp nhỏ và vừa',
    'cải thiện môi trường đầu tư kinh doanh', 'thu ngân sách nhà nước',
    'quản lý, sử dụng tài sản công', 'mua sắm tập trung', 'thống kê',
    'xây dựng cơ sở dữ liệu cán bộ, công chức, viên chức',
    'phát triển khoa học, công nghệ và đổi mới sáng tạo',
    'phát triển hạ tầng bưu chính, viễn thông', 'ứng phó với biến đổi khí hậu',
    'phòng, chống xâm nhập mặn', 'phát triển nhà ở xã hội',
    'quản lý trật tự xây dựng', 'an toàn, vệ sinh lao động',
    'giải quyết việc làm', 'phát triển thương mại điện tử',
    'bình ổn thị trường dịp Tết Nguyên đán', 'quản lý thị trường',
    'bảo đảm an ninh trật tự', 'phòng, chống buôn lậu, gian lận thương mại',
])

# Domains of Sở Nội vụ (home affairs, labour, archives since 2025)
HOME_AFFAIRS_DOMAINS = _nfc([
    'cải cách hành chính', 'tuyển dụng viên chức', 'tuyển dụng công chức',
    'thi đua, khen thưởng', 'văn thư, lưu trữ',
    'bồi dưỡng cán bộ, công chức, viên chức',
    'sắp xếp, tinh gọn tổ chức bộ máy',
    'đánh giá, xếp loại chất lượng cán bộ, công chức, viên chức',
    'quản lý biên chế', 'xây dựng cơ sở dữ liệu cán bộ, công chức, viên chức',
    'giải quyết việc làm', 'an toàn, vệ sinh lao động', 'đền ơn đáp nghĩa',
    'phát triển bảo hiểm xã hội, bảo hiểm y tế', 'chuyển đổi số',
])

# Place-type scopes without a place name.
SCOPES = _nfc([
    '', '', '', ' trên địa bàn tỉnh', ' trên địa bàn tỉnh',
    ' tại các cơ quan, đơn vị', ' trong các cơ quan hành chính nhà nước',
    ' tại Ủy ban nhân dân các xã, phường', ' cấp xã', ' trong ngành giáo dục',
    ' trong ngành y tế', ' tại các khu công nghiệp', ' khu vực nông thôn',
    ' vùng đồng bào dân tộc thiểu số và miền núi', ' vùng ven biển',
    ' trong các đơn vị sự nghiệp công lập',
])

ROMAN_QUARTERS = ['I', 'II', 'III', 'IV']

# Subject patterns per document type: (verb phrase, [head nouns]).  A subject
# is "<verb> <head><domain><scope><period>".  Công văn verbs are lower-case
# because they follow "V/v ".
SUBJECT_PATTERNS = _nfc({
    'CV': [
        ('triển khai', ['kế hoạch ', 'công tác ',
            'các nhiệm vụ, giải pháp về ']),
        ('tăng cường', ['công tác ', '']),
        ('đẩy mạnh', ['công tác ', '']),
        ('báo cáo kết quả thực hiện', ['công tác ', 'kế hoạch ',
            'nhiệm vụ ']),
        ('hướng dẫn thực hiện', ['công tác ', '']),
        ('góp ý dự thảo', ['Kế hoạch ', 'Đề án ',
            'Quy chế phối hợp trong công tác ']),
        ('đề nghị cung cấp thông tin, số liệu về', ['công tác ', '',
            'tình hình ']),
        ('rà soát, đánh giá', ['công tác ', 'tình hình ',
            'kết quả ']),
        ('đôn đốc thực hiện', ['công tác ', 'kế hoạch ', 'nhiệm vụ ']),
        ('tổ chức kiểm tra', ['công tác ', 'việc thực hiện ']),
        ('tổ chức sơ kết', ['công tác ', 'kế hoạch ']),
        ('tổ chức tổng kết', ['công tác ', 'chương trình ']),
        ('chấn chỉnh', ['công tác ']),
        ('phối hợp thực hiện', ['công tác ', 'kế hoạch ', 'nhiệm vụ ']),
        ('đăng ký nhu cầu kinh phí thực hiện', ['', 'nhiệm vụ ',
            'kế hoạch ']),
        ('cử cán bộ tham gia tập huấn về', ['', 'công tác ']),
        ('thực hiện', ['', 'công tác ', 'kế hoạch ']),
        ('tiếp tục thực hiện', ['', 'các giải pháp về ']),
        ('phân bổ kinh phí thực hiện', ['', 'nhiệm vụ ']),
        ('xây dựng dự toán kinh phí thực hiện', ['nhiệm vụ ', 'kế hoạch ']),
        ('tham mưu triển khai', ['', 'kế hoạch ', 'công tác ']),
    ],
    'QĐ': [
        ('Phê duyệt', ['Kế hoạch ', 'Đề án ', 'Phương án ',
            'danh mục nhiệm vụ ']),
        ('Ban hành', ['Quy chế phối hợp trong công tác ', 'Kế hoạch ',
            'Quy định về công tác ']),
        ('Thành lập', ['Ban Chỉ đạo ', 'Tổ công tác ', 'Hội đồng ']),
        ('Kiện toàn', ['Ban Chỉ đạo ', 'Tổ công tác ']),
        ('Giao chỉ tiêu', ['', 'kế hoạch ']),
        ('Phân bổ kinh phí thực hiện', ['', 'nhiệm vụ ']),
        ('Khen thưởng tập thể, cá nhân có thành tích xuất sắc trong',
            ['công tác ', 'thực hiện ']),
    ],
    'KH': [
        ('Triển khai', ['công tác ', 'các nhiệm vụ, giải pháp về ']),
        ('Thực hiện', ['công tác ', '', 'Chương trình ']),
        ('Tổ chức', ['các hoạt động ', 'tập huấn ']),
        ('Kiểm tra', ['công tác ', 'việc thực hiện ']),
        ('Tuyên truyền', ['về ', 'công tác ']),
    ],
    'BC': [
        ('Kết quả thực hiện', ['công tác ', 'nhiệm vụ ', 'kế hoạch ']),
        ('Tình hình', ['', 'thực hiện ', 'triển khai ']),
        ('Tổng kết', ['công tác ', 'Chương trình ']),
        ('Sơ kết', ['công tác ', 'việc thực hiện ']),
        ('Đánh giá', ['kết quả ', 'tình hình ']),
    ],
    'TB': [
        ('Kết luận của lãnh đạo tại cuộc họp về', ['', 'công tác ']),
        ('Kết luận của lãnh đạo tại buổi làm việc về', ['', 'công tác ']),
        ('Kết quả', ['', 'kiểm tra công tác ']),
        ('Lịch', ['kiểm tra công tác ', 'làm việc về ']),
    ],
    'GM': [
        ('Dự hội nghị', ['triển khai ', 'sơ kết ', 'tổng kết ']),
        ('Dự cuộc họp', ['về ', 'bàn giải pháp ']),
        ('Dự lớp tập huấn', ['về ', 'nghiệp vụ ']),
        ('Tham dự hội thảo', ['về ']),
    ],
    'TTr': [
        ('Đề nghị phê duyệt', ['Kế hoạch ', 'Đề án ',
            'dự toán kinh phí thực hiện ']),
        ('Đề nghị ban hành', ['Kế hoạch ', 'Quy chế phối hợp trong công tác ']),
        ('Đề nghị bổ sung kinh phí thực hiện', ['', 'nhiệm vụ ']),
        ('Đề nghị khen thưởng thành tích', ['trong công tác ',
            'thực hiện ']),
    ],
    'HD': [
        ('Thực hiện', ['công tác ', '']),
        ('Triển khai', ['', 'công tác ']),
        ('Một số nội dung về', ['', 'công tác ']),
    ],
    'CT': [
        ('Về tăng cường', ['công tác ', '']),
        ('Về đẩy mạnh', ['', 'công tác ']),
        ('Về nâng cao hiệu quả', ['công tác ', '']),
        ('Về chấn chỉnh', ['công tác ']),
        ('Về tăng cường kỷ luật, kỷ cương trong', ['công tác ']),
    ],
    'NQ': [
        ('Quy định mức chi', ['cho công tác ', 'hỗ trợ ']),
        ('Thông qua', ['Đề án ', 'Kế hoạch ']),
        ('Về kết quả giám sát việc thực hiện', ['', 'công tác ']),
        ('Quy định chính sách hỗ trợ thực hiện', ['', 'công tác ']),
    ],
})
