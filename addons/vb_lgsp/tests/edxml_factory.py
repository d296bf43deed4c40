# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""Packages, files and certificates for the edXML tests and fixtures.

Every value is fixed so that build() gives the same bytes each time: the
files under fixtures/edxml/ are these packages built (regenerate them with
``python -m trytond.modules.vb_lgsp.tests.edxml_factory``).
"""
import datetime as dt
import io
import pathlib
import zipfile

from trytond.modules.vb_lgsp.edxml import (Attachment, Business,
    BusinessKind, DocumentCode, DocumentPackage, DocumentType, Organisation,
    OtherInfo, Priority, ReceiverChange, Replacement, ResponseFor,
    SignerInfo, StaffInfo, StatusCode, StatusPackage, SteeringType,
    TraceHeader, UpdateInfo, build)

FIXTURES = pathlib.Path(__file__).parent / 'fixtures' / 'edxml'

KHANH_HOA = Organisation('000.00.00.H32', 'UBND tỉnh Khánh Hòa',
    address='01 Trần Phú, Nha Trang', email='vanthu@khanhhoa.gov.vn',
    telephone='0258 3822 661', website='https://khanhhoa.gov.vn')
SO_NOI_VU = Organisation('000.00.05.H32', 'Sở Nội vụ tỉnh Khánh Hòa',
    in_charge='UBND tỉnh Khánh Hòa')
VPCP = Organisation('000.00.00.G22', 'Văn phòng Chính phủ')
NGHE_AN = Organisation('000.00.00.H41', 'UBND tỉnh Nghệ An')


def pdf_bytes(text='Văn bản chính', padding=0):
    "A small but well-formed one-page PDF (xref offsets computed)"
    ascii_text = text.encode('ascii', 'replace')
    stream = b'BT /F1 12 Tf 72 720 Td (' + ascii_text + b') Tj ET' + (
        b' ' * padding)
    objects = [
        b'<< /Type /Catalog /Pages 2 0 R >>',
        b'<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
        b'<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] '
        b'/Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
        b'<< /Length %d >>\nstream\n' % len(stream) + stream
        + b'\nendstream',
        b'<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    ]
    output = io.BytesIO()
    output.write(b'%PDF-1.7\n%\xe2\xe3\xcf\xd3\n')
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(output.tell())
        output.write(b'%d 0 obj\n' % number + body + b'\nendobj\n')
    xref = output.tell()
    output.write(b'xref\n0 %d\n0000000000 65535 f \n' % (len(objects) + 1))
    for offset in offsets:
        output.write(b'%010d 00000 n \n' % offset)
    output.write(b'trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n'
        b'%%%%EOF\n' % (len(objects) + 1, xref))
    return output.getvalue()


def docx_bytes():
    "A zip with the entries of a minimal .docx"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, 'w', zipfile.ZIP_DEFLATED) as archive:
        for name, text in (
                ('[Content_Types].xml', '<Types/>'),
                ('_rels/.rels', '<Relationships/>'),
                ('word/document.xml', '<w:document>Phụ lục</w:document>')):
            info = zipfile.ZipInfo(name, date_time=(2026, 3, 5, 0, 0, 0))
            archive.writestr(info, text)
    return buffer.getvalue()


def document(**changes):
    "The new-document package of the spec's §1.14 example, with files"
    package = DocumentPackage(
        sender=KHANH_HOA,
        recipients=[VPCP, NGHE_AN],
        code=DocumentCode('125', 'UBND-VP'),
        promulgation_date=dt.date(2026, 3, 5),
        document_type=DocumentType('Công văn', code=2),
        subject='V/v báo cáo tình hình triển khai liên thông văn bản',
        content='Báo cáo kết quả 6 tháng đầu năm 2026.',
        signer=SignerInfo('Phó Chủ tịch', 'Nguyễn Văn An', 'KT. CHỦ TỊCH'),
        place='Khánh Hòa',
        due_date=dt.date(2026, 3, 20),
        to_places=['Văn phòng Chính phủ', 'UBND tỉnh Nghệ An', 'Lưu: VT'],
        other_info=OtherInfo(priority=Priority.URGENT,
            sphere='Toàn quốc', typer_notation='TVC',
            promulgation_amount=3, page_amount=2, direction=False,
            appendixes=['Phụ lục I: Số liệu']),
        response_for=[ResponseFor('000.00.00.G22', '7816/VPCP-TTĐT',
            dt.date(2026, 2, 10), '000.00.00.G22,2026/02/10,7816/VPCP-TTĐT')],
        steering_type=SteeringType.NOT_STEERING,
        traces=[TraceHeader('000.00.00.H32', dt.datetime(2026, 3, 5, 15, 2,
            11))],
        attachments=[
            Attachment('125-UBND-VP.signed.pdf', pdf_bytes(),
                description='Văn bản chính'),
            Attachment('phu-luc-1.docx', docx_bytes(),
                description='Phụ lục I'),
            Attachment('ghi chú.txt', 'Số liệu tạm tính.\n'.encode(),
                description='Ghi chú'),
        ])
    return package.replace(**changes)


def revoke():
    return document(
        business=Business(BusinessKind.REVOKE,
            reason='Thu hồi do sai sót số liệu tại mục II',
            staff=[StaffInfo('Văn phòng UBND tỉnh', 'Trần Thị Bình',
                '0905000111', 'binh@khanhhoa.gov.vn')]),
        traces=[TraceHeader('000.00.00.H32', dt.datetime(2026, 3, 6, 8, 0))],
        attachments=[])


def update():
    return document(
        subject='V/v báo cáo tình hình triển khai liên thông văn bản '
            '(cập nhật nơi nhận)',
        business=Business(BusinessKind.UPDATE,
            document_id='000.00.00.H32,2026/03/05,125/UBND-VP',
            reason='Bổ sung nơi nhận', update=UpdateInfo(
                metadata_changed=True, receivers_changed=True, receivers=[
                    ReceiverChange('000.00.00.H41', added=False),
                    ReceiverChange('000.00.05.H32', added=True)])),
        recipients=[VPCP, SO_NOI_VU],
        traces=[TraceHeader('000.00.00.H32', dt.datetime(2026, 3, 7, 9, 30))])


def replace():
    return document(
        code=DocumentCode('131', 'UBND-VP'),
        promulgation_date=dt.date(2026, 3, 9),
        subject='V/v báo cáo tình hình triển khai liên thông văn bản '
            '(thay thế Công văn số 125/UBND-VP)',
        business=Business(BusinessKind.REPLACE,
            reason='Thay thế văn bản có sai sót', paper=True, replacements=[
                Replacement('000.00.00.H32,2026/03/05,125/UBND-VP',
                    ['000.00.00.G22', '000.00.00.H41'])]),
        traces=[TraceHeader('000.00.00.H32', dt.datetime(2026, 3, 9, 10, 0))],
        attachments=[Attachment('131-UBND-VP.signed.pdf', pdf_bytes(
            'Van ban thay the'), description='Văn bản chính')])


DOCUMENT_FACTORIES = {'new': document, 'revoke': revoke, 'update': update,
    'replace': replace}


def status(code, **changes):
    "A status about document() from the axis's point of view"
    code = StatusCode(code)
    if code.sent_by_sender:
        sender = KHANH_HOA
    else:
        sender = VPCP
    description = {
        StatusCode.REFUSED: 'Không đúng thẩm quyền giải quyết',
        StatusCode.WITHDRAW_REQUEST: 'Lấy lại để sửa sai sót số liệu',
        StatusCode.UPDATE_REFUSED: 'Văn bản đã xử lý xong',
    }.get(code, '')
    package = StatusPackage(
        sender=sender,
        response_for=ResponseFor('000.00.00.H32', '125/UBND-VP',
            dt.date(2026, 3, 5), '000.00.00.H32,2026/03/05,125/UBND-VP'),
        status=code,
        timestamp=dt.datetime(2026, 3, 5, 16, int(code.value), 0),
        description=description,
        staff=StaffInfo('Phòng Hành chính', 'Lê Văn Cường', '0912000222',
            'cuong@chinhphu.vn'))
    return package.replace(**changes)


STATUS_CODES = [code.value for code in StatusCode]


def fixture_packages():
    "{file name: package} of every fixture built by this module"
    packages = {f'edoc_{kind}.edxml': factory()
        for kind, factory in DOCUMENT_FACTORIES.items()}
    for code in STATUS_CODES:
        packages[f'status_{code}.edxml'] = status(code)
    return packages


def write_fixtures():
    FIXTURES.mkdir(parents=True, exist_ok=True)
    for name, package in fixture_packages().items():
        (FIXTURES / name).write_bytes(build(package))


def agency_credentials(common_name='UBND tỉnh Khánh Hòa', key_type='rsa',
        days=365):
    """(AgencyCredentials, certificate) made now: no key is committed"""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec, rsa
    from cryptography.x509.oid import NameOID

    from trytond.modules.vb_lgsp.edxml import AgencyCredentials

    if key_type == 'rsa':
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    else:
        key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, 'VN'),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, common_name),
        x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = dt.datetime.now(dt.timezone.utc)
    certificate = (x509.CertificateBuilder()
        .subject_name(name).issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=days))
        .add_extension(x509.KeyUsage(digital_signature=True,
                content_commitment=True, key_encipherment=False,
                data_encipherment=False, key_agreement=False,
                key_cert_sign=False, crl_sign=False, encipher_only=False,
                decipher_only=False), critical=True)
        .sign(key, hashes.SHA256()))
    return AgencyCredentials(certificate, key), certificate


if __name__ == '__main__':
    write_fixtures()
