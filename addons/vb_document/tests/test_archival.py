# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""The archival handover package without a database: codes, PDF/A checks,
building, verifying and re-importing packages, hostile zips."""
import datetime as dt
import hashlib
import io
import stat
import struct
import zipfile

import pytest
from lxml import etree
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject, StreamObject

from trytond.modules.vb_document.archival import (
    DESCRIPTOR, HANDOVER_LIST, MANIFEST, DocumentRecord, DossierRecord,
    FileRecord, MetadataError, PackageFormatError, UnsafePackageError,
    ZipLimits, build_package, codes, inspect_pdf, read_package,
    verify_package)
from trytond.modules.vb_document.archival.metadata import NS
from trytond.modules.vb_document.tests.dossier_tools import pdf_file
from trytond.modules.vb_document.tests.tools import minimal_pdf

CREATED = dt.datetime(2027, 2, 1, 9, 30,
    tzinfo=dt.timezone(dt.timedelta(hours=7)))
ORGAN_ID = '000.00.05.H99'
CODE = '000.00.05.H99.2026.01.TCCB'
FOLDER = CODE + '/'


def make_dossier(**values):
    "A permanent dossier of two documents: incoming, then outgoing"
    dossier = DossierRecord(
        organ_id=ORGAN_ID, year=2026, notation='01.TCCB',
        title="Hồ sơ tuyển dụng công chức năm 2026",
        retention_years=None, creator="Nguyễn Thị Hoa",
        keywords="tuyển dụng; công chức", **values)
    dossier.documents = [
        DocumentRecord(
            direction='incoming', type_name="Công văn",
            subject="V/v hướng dẫn tuyển dụng công chức năm 2026",
            number_notation='4512/BNV-CCVC',
            issued_date=dt.date(2026, 3, 2), organ_name="Bộ Nội vụ",
            signer_position="KT. BỘ TRƯỞNG", signer_name="Trần Văn Bình",
            arrival_date=dt.date(2026, 3, 5), arrival_number=17,
            to_places="Phòng Công chức, viên chức", priority="Thường",
            confidence='digitised', identifier='vb.document,1',
            files=[FileRecord('cv-4512.pdf', pdf_file(2))]),
        DocumentRecord(
            direction='outgoing', type_name="Quyết định",
            subject="Phê duyệt kết quả tuyển dụng công chức năm 2026",
            number_notation='15/QĐ-SNV', issued_date=dt.date(2026, 9, 30),
            organ_name="Sở Nội vụ", signer_position="GIÁM ĐỐC",
            signer_name="Lê Văn Cường",
            recipients=[('000.00.00.H99', "UBND tỉnh Hải Vân")],
            identifier='vb.document,2',
            files=[
                FileRecord('qd-15.pdf', pdf_file(3, pdfa=(1, 'B'))),
                FileRecord('danh-sach.docx', b'PK\x03\x04 not a pdf',
                    role='annex'),
                ]),
        ]
    return dossier


@pytest.fixture(scope='module')
def built():
    return build_package("Sở Nội vụ", ORGAN_ID, [make_dossier()],
        created=CREATED)


def rewrite(data, replace=None, drop=(), add=None):
    "A copy of the zip with entries replaced, dropped or added"
    replace, add = replace or {}, add or {}
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, 'w', zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename in drop:
                continue
            content = replace.get(info.filename,
                source.read(info.filename))
            target.writestr(info.filename, content)
        for name, content in add.items():
            target.writestr(name, content)
    return buffer.getvalue()


def entries(data):
    archive = zipfile.ZipFile(io.BytesIO(data))
    return {n: archive.read(n) for n in archive.namelist()}


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def manifest_of(files):
    return ''.join(f'{sha256(files[p])}  {p}\n' for p in sorted(files)
        if p != MANIFEST).encode()


# Codes


def test_notation():
    assert codes.is_valid_notation('01.TCCB')
    assert codes.is_valid_notation('12.ĐTXD')
    assert codes.is_valid_notation('101.VP-TH')
    for wrong in ['TCCB', '01TCCB', '01.', '01.tccb', '01.TC CB',
            '01.' + 'A' * 18, '', None, '../01.X']:
        assert not codes.is_valid_notation(wrong), wrong


def test_file_code_and_retention():
    assert codes.file_code(ORGAN_ID, 2026, '01.TCCB') == CODE
    assert codes.maintenance_text(None) == "Vĩnh viễn"
    assert codes.maintenance_text(20) == "20 năm"
    assert [codes.maintenance_code(y) for y in (None, 70, 20, 10, 15)] == [
        '01', '02', '05', '06', '07']
    assert codes.requires_handover(None)
    assert codes.requires_handover(5)
    assert not codes.requires_handover(3)


def test_split_number_notation():
    assert codes.split_number_notation('15/QĐ-UBND') == ('15', 'QĐ-UBND')
    assert codes.split_number_notation('QĐ-UBND') == ('', 'QĐ-UBND')
    assert codes.split_number_notation(None) == ('', '')


def test_path_component():
    assert codes.path_component('000.00.05.H99.2026.12.ĐTXD') == (
        '000.00.05.H99.2026.12.DTXD')
    assert codes.path_component('../../etc') == 'etc'
    assert codes.path_component('a/b\\c') == 'a-b-c'


# PDF checks


def test_inspect_plain_pdf():
    info = inspect_pdf(minimal_pdf())
    assert (info.status, info.pages, info.pdfa) == ('pdf', 1, None)
    assert info.label == "PDF, không phải PDF/A"
    assert inspect_pdf(pdf_file(4)).pages == 4


def test_inspect_pdfa():
    info = inspect_pdf(pdf_file(2, pdfa=(1, 'B')))
    assert (info.status, info.pages, info.pdfa) == ('pdfa', 2, 'PDF/A-1b')
    assert inspect_pdf(pdf_file(1, pdfa=(2, 'U'))).pdfa == 'PDF/A-2u'


def test_inspect_encrypted():
    # Protected against copying only: readable, but PDF/A forbids it
    info = inspect_pdf(pdf_file(2, user_password=''))
    assert (info.status, info.pages) == ('encrypted', 2)
    # Needs a password to open
    info = inspect_pdf(pdf_file(2, user_password='mat-khau'))
    assert (info.status, info.pages) == ('password', None)
    assert 'mật khẩu' in info.label


def test_inspect_corrupt_and_other():
    truncated = minimal_pdf()[:300]
    assert inspect_pdf(truncated).status == 'corrupt'
    garbage = b'%PDF-1.7\n' + bytes(range(256)) * 20 + b'\n%%EOF\n'
    info = inspect_pdf(garbage)
    assert info.status == 'corrupt'
    assert info.label == "PDF bị hỏng, không đọc được"
    assert inspect_pdf(b'PK\x03\x04').status == 'not_pdf'
    assert inspect_pdf(b'').status == 'not_pdf'


def test_inspect_hostile_xmp():
    "An XMP packet with entities is not expanded nor trusted"
    bomb = ('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        '<x xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/" '
        'pdfaid:part="1">&b;</x>').encode()
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    stream = StreamObject()
    stream.set_data(bomb)
    writer.root_object[NameObject('/Metadata')] = writer._add_object(stream)
    buffer = io.BytesIO()
    writer.write(buffer)
    info = inspect_pdf(buffer.getvalue())
    assert (info.status, info.pdfa) == ('pdf', None)


# Building


def test_layout(built):
    files = entries(built.data)
    assert sorted(files) == sorted([
            DESCRIPTOR, HANDOVER_LIST, MANIFEST,
            FOLDER + 'ho-so.xml',
            FOLDER + CODE + '.001.xml',
            FOLDER + CODE + '.001.01.pdf',
            FOLDER + CODE + '.002.xml',
            FOLDER + CODE + '.002.01.pdf',
            FOLDER + CODE + '.002.02.docx',
            ])
    assert built.name == built.package_id + '.zip'
    assert built.package_id.startswith('uuid-')
    assert built.sha256 == sha256(built.data)
    assert (built.dossier_count, built.file_count) == (1, 3)


def test_manifest_like_sha256sum(built):
    "Every other file is listed with its SHA-256, as sha256sum writes it"
    files = entries(built.data)
    assert files[MANIFEST] == manifest_of(files)
    assert built.manifest_sha256 == sha256(files[MANIFEST])


def test_dossier_metadata(built):
    files = entries(built.data)
    root = etree.fromstring(files[FOLDER + 'ho-so.xml'])
    ns = {'a': NS}
    assert root.findtext('a:FileCode/a:OrganId', namespaces=ns) == ORGAN_ID
    assert root.findtext('a:FileCode/a:FileCatalog', namespaces=ns) == '2026'
    assert root.findtext('a:FileCode/a:FileNotation', namespaces=ns) == (
        '01.TCCB')
    assert root.findtext('a:Code', namespaces=ns) == CODE
    assert root.findtext('a:Maintenance', namespaces=ns) == "Vĩnh viễn"
    assert root.find('a:Maintenance', ns).get('code') == '01'
    assert root.findtext('a:Rights', namespaces=ns) == "Công khai"
    # Dates and totals computed from the documents: 2 + 3 pages of PDF
    assert root.findtext('a:StartDate', namespaces=ns) == '2026-03-02'
    assert root.findtext('a:EndDate', namespaces=ns) == '2026-09-30'
    assert root.findtext('a:DocTotal', namespaces=ns) == '2'
    assert root.findtext('a:PageTotal', namespaces=ns) == '5'
    assert root.findtext('a:Keyword', namespaces=ns) == (
        "tuyển dụng; công chức")
    refs = root.findall('a:Documents/a:DocumentRef', ns)
    assert [r.get('ordinal') for r in refs] == ['1', '2']
    assert refs[1].get('sha256') == sha256(files[FOLDER + CODE + '.002.xml'])


def test_document_metadata(built):
    files = entries(built.data)
    ns = {'a': NS}
    incoming = etree.fromstring(files[FOLDER + CODE + '.001.xml'])
    assert incoming.findtext('a:ArchivesCode', namespaces=ns) == (
        CODE + '.001')
    assert incoming.findtext('a:CodeNumber', namespaces=ns) == '4512'
    assert incoming.findtext('a:CodeNotation', namespaces=ns) == 'BNV-CCVC'
    assert incoming.findtext('a:ArrivalNumber', namespaces=ns) == '17'
    assert incoming.findtext('a:ArrivalDate', namespaces=ns) == '2026-03-05'
    assert incoming.findtext('a:ConfidenceLevel', namespaces=ns) == "Số hóa"
    assert incoming.findtext('a:SignerInfo/a:FullName', namespaces=ns) == (
        "Trần Văn Bình")
    outgoing = etree.fromstring(files[FOLDER + CODE + '.002.xml'])
    assert outgoing.findtext('a:To/a:OrganId', namespaces=ns) == (
        '000.00.00.H99')
    assert outgoing.findtext('a:PageAmount', namespaces=ns) == '3'
    main, annex = outgoing.findall('a:Files/a:File', ns)
    assert main.get('sha256') == sha256(files[main.get('href')])
    assert (main.get('format'), main.get('pages')) == ('PDF/A-1b', '3')
    assert (annex.get('name'), annex.get('role'), annex.get('format')) == (
        'danh-sach.docx', 'annex', "Không phải tệp PDF")


def test_findings(built):
    "Files that are not PDF/A are reported at export"
    assert [(f.name, f.status) for f in built.non_pdfa] == [
        ('cv-4512.pdf', 'pdf'), ('danh-sach.docx', 'not_pdf')]
    summary = built.summary()
    assert "Định dạng: 1/3 tệp là PDF/A." in summary
    assert "cv-4512.pdf): PDF, không phải PDF/A" in summary


def test_handover_list(built):
    reader = PdfReader(io.BytesIO(entries(built.data)[HANDOVER_LIST]))
    text = ' '.join(page.extract_text() for page in reader.pages)
    text = ' '.join(text.split())
    for expected in ["MỤC LỤC HỒ SƠ, TÀI LIỆU NỘP LƯU", "SỞ NỘI VỤ",
            "Hồ sơ tuyển dụng công chức năm 2026", "Tổng số hồ sơ: 1",
            "Tổng số tệp: 3", "Lập ngày 01/02/2027"]:
        assert expected in text, expected


def test_build_refuses_bad_metadata():
    with pytest.raises(MetadataError) as info:
        build_package("Sở Nội vụ", ORGAN_ID, [make_dossier()][:0])
    assert "không có hồ sơ nào" in info.value.message
    wrong = make_dossier()
    wrong.notation = 'TCCB'
    with pytest.raises(MetadataError) as info:
        build_package("Sở Nội vụ", ORGAN_ID, [wrong])
    assert "số và ký hiệu hồ sơ «TCCB» không hợp lệ" in info.value.message
    twice = [make_dossier(), make_dossier()]
    with pytest.raises(MetadataError):
        build_package("Sở Nội vụ", ORGAN_ID, twice)


# Verifying


def test_verify_intact(built):
    report = verify_package(built.data, built.manifest_sha256)
    assert report.ok
    assert report.package_id == built.package_id
    assert (report.organ_id, report.organ_name) == (ORGAN_ID, "Sở Nội vụ")
    assert len(report.findings) == 3
    assert "gói TOÀN VẸN" in report.summary()


def test_verify_altered_file(built):
    path = FOLDER + CODE + '.002.01.pdf'
    tampered = rewrite(built.data, replace={path: pdf_file(2)})
    report = verify_package(tampered, built.manifest_sha256)
    assert not report.ok
    assert report.altered == [path]
    assert not report.missing and not report.manifest_altered
    assert "Tệp bị thay đổi nội dung (1):" in report.summary()
    assert "gói KHÔNG TOÀN VẸN" in report.summary()


def test_verify_missing_and_added(built):
    path = FOLDER + CODE + '.001.01.pdf'
    tampered = rewrite(built.data, drop=[path],
        add={FOLDER + 'ghi-chu.txt': b'them'})
    report = verify_package(tampered)
    assert report.missing == [path]
    assert report.unexpected == [FOLDER + 'ghi-chu.txt']
    summary = report.summary()
    assert "Tệp bị thiếu (1):" in summary
    assert "Tệp lạ không có trong tệp kê (1):" in summary


def test_verify_manifest_recomputed(built):
    "A tamperer updating the manifest is caught by the document metadata"
    path = FOLDER + CODE + '.002.01.pdf'
    files = entries(built.data)
    files[path] = pdf_file(3)
    files[MANIFEST] = manifest_of(files)
    report = verify_package(rewrite(built.data, replace=files))
    assert not report.altered
    assert report.metadata_errors == [
        f"{path}: mã băm khác với mã băm ghi trong {FOLDER}{CODE}.002.xml"]
    assert not report.ok


def test_verify_consistent_forgery(built):
    """Rewriting every hash consistently is only caught against the
    manifest recorded at export"""
    files = entries(built.data)
    path = FOLDER + CODE + '.002.01.pdf'
    document_path = FOLDER + CODE + '.002.xml'
    dossier_path = FOLDER + 'ho-so.xml'
    forged = pdf_file(3)
    files[path] = forged
    files[document_path] = files[document_path].replace(
        sha256(entries(built.data)[path]).encode(), sha256(forged).encode())
    files[dossier_path] = files[dossier_path].replace(
        sha256(entries(built.data)[document_path]).encode(),
        sha256(files[document_path]).encode())
    files[DESCRIPTOR] = files[DESCRIPTOR].replace(
        sha256(entries(built.data)[dossier_path]).encode(),
        sha256(files[dossier_path]).encode())
    files[MANIFEST] = manifest_of(files)
    data = rewrite(built.data, replace=files)
    assert verify_package(data).ok
    report = verify_package(data, built.manifest_sha256)
    assert report.manifest_altered and not report.ok
    assert "Tệp kê mã băm khác với tệp kê đã lưu" in report.summary()


def test_verify_metadata_totals(built):
    files = entries(built.data)
    files[DESCRIPTOR] = files[DESCRIPTOR].replace(
        b'<FileTotal>3</FileTotal>', b'<FileTotal>4</FileTotal>')
    files[MANIFEST] = manifest_of(files)
    report = verify_package(rewrite(built.data, replace=files))
    assert report.metadata_errors == [
        f"{DESCRIPTOR}: tổng số tệp ghi 4 nhưng có 3 tệp"]


def test_verify_xml_entities_refused(built):
    "Metadata with a DTD is reported, never expanded"
    files = entries(built.data)
    files[DESCRIPTOR] = (b'<?xml version="1.0"?><!DOCTYPE x ['
        b'<!ENTITY a "aaaaaaaaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">'
        b']><x>&b;</x>')
    files[MANIFEST] = manifest_of(files)
    report = verify_package(rewrite(built.data, replace=files))
    assert not report.ok
    message, = report.metadata_errors
    assert "chứa khai báo DOCTYPE/thực thể" in message


def test_verify_corrupt_and_encrypted_pdfs():
    "Bad PDFs in a package are reported one by one, the package is intact"
    dossier = make_dossier()
    dossier.documents[0].files = [
        FileRecord('hong.pdf', minimal_pdf()[:200]),
        FileRecord('khoa.pdf', pdf_file(1, user_password='mat-khau')),
        FileRecord('han-che.pdf', pdf_file(2, user_password='')),
        ]
    built = build_package("Sở Nội vụ", ORGAN_ID, [dossier], created=CREATED)
    report = verify_package(built.data, built.manifest_sha256)
    assert report.ok
    assert [(f.name, f.status) for f in report.findings] == [
        ('hong.pdf', 'corrupt'), ('khoa.pdf', 'password'),
        ('han-che.pdf', 'encrypted'), ('qd-15.pdf', 'pdfa'),
        ('danh-sach.docx', 'not_pdf')]
    summary = report.summary()
    assert "(hong.pdf): PDF bị hỏng, không đọc được" in summary
    assert "(khoa.pdf): PDF có mật khẩu, không mở được" in summary
    # Pages that cannot be counted count for nothing: 2 + 3
    assert dossier.page_total == 5


def test_read_package_round_trip(built):
    report, (dossier,) = read_package(built.data, built.manifest_sha256)
    original = make_dossier()
    assert (dossier.code, dossier.title, dossier.retention_years,
        dossier.mode, dossier.creator, dossier.keywords) == (
        original.code, original.title, None, 'public', original.creator,
        original.keywords)
    assert (dossier.start_date, dossier.end_date, dossier.page_total) == (
        dt.date(2026, 3, 2), dt.date(2026, 9, 30), 5)
    incoming, outgoing = dossier.documents
    for read, written in zip(dossier.documents, original.documents):
        for name in ['direction', 'type_name', 'subject', 'number_notation',
                'issued_date', 'organ_name', 'signer_position',
                'signer_name', 'arrival_date', 'arrival_number',
                'to_places', 'recipients', 'confidence', 'identifier']:
            assert getattr(read, name) == getattr(written, name), name
        assert [f.data for f in read.files] == [
            f.data for f in written.files]
        assert [f.name for f in read.files] == [
            f.name for f in written.files]


def test_read_package_refuses_tampered(built):
    path = FOLDER + CODE + '.001.01.pdf'
    with pytest.raises(PackageFormatError) as info:
        read_package(rewrite(built.data, drop=[path]))
    assert info.value.code == 'integrity'
    assert "Gói nộp lưu không toàn vẹn" in info.value.message
    assert "Tệp bị thiếu" in info.value.message


# Hostile and malformed packages


def zip_of(*entries, **options):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, 'w', zipfile.ZIP_DEFLATED) as archive:
        for entry in entries:
            name, data = entry[:2]
            info = zipfile.ZipInfo(name) if isinstance(name, str) else name
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return buffer.getvalue()


def test_zip_bomb_ratio():
    "20 MiB of zeros in 20 KiB: refused before inflating anything"
    bomb = zip_of(('bom.pdf', bytes(20 * 1024 * 1024)))
    assert len(bomb) < 100_000
    with pytest.raises(UnsafePackageError) as info:
        verify_package(bomb)
    assert info.value.code == 'zip_bomb'
    assert info.value.message == (
        "Gói nộp lưu bị từ chối: tệp «bom.pdf» giải nén vượt giới hạn dung "
        "lượng hoặc tỷ lệ nén (nghi ngờ bom zip).")


def test_zip_bomb_total_and_entries():
    limits = ZipLimits(max_total_size=1000, max_entries=5)
    many = zip_of(*[(f'{i}.txt', b'x' * 300) for i in range(4)])
    with pytest.raises(UnsafePackageError) as info:
        verify_package(many, limits=limits)
    assert info.value.code == 'zip_bomb'
    too_many = zip_of(*[(f'{i}.txt', b'x') for i in range(6)])
    with pytest.raises(UnsafePackageError) as info:
        verify_package(too_many, limits=limits)
    assert info.value.message == "Gói nộp lưu có quá nhiều tệp (tối đa 5)."
    with pytest.raises(UnsafePackageError) as info:
        verify_package(b'x' * 2000, limits=ZipLimits(max_package_size=1000))
    assert info.value.code == 'too_large'


def test_zip_lying_sizes():
    "An entry inflating to more than its directory declares is unreadable"
    data = bytearray(zip_of((MANIFEST, b'a' * 5000)))
    # Patch the sizes in the local header and in the central directory
    archive = zipfile.ZipFile(io.BytesIO(bytes(data)))
    info, = archive.infolist()
    local = info.header_offset
    struct.pack_into('<I', data, local + 22, 100)
    central = bytes(data).rindex(b'PK\x01\x02')
    struct.pack_into('<I', data, central + 24, 100)
    with pytest.raises(PackageFormatError) as info:
        verify_package(bytes(data))
    assert info.value.code == 'unreadable_entry'
    assert "tệp nén bị hỏng" in info.value.message


@pytest.mark.parametrize('name', [
        '../../etc/cron.d/x', '/etc/passwd', 'a/../../b.pdf', 'C:\\x.pdf',
        'ho-so\\..\\..\\x.pdf', 'a//b.pdf', './x.pdf', 'x\x1b.pdf',
        ])
def test_path_traversal(name):
    with pytest.raises(UnsafePackageError) as info:
        verify_package(zip_of((MANIFEST, b''), (name, b'x')))
    assert info.value.code == 'unsafe_path'
    assert "đường dẫn không an toàn" in info.value.message


def test_symlink_encrypted_duplicate():
    link = zipfile.ZipInfo('lien-ket')
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    with pytest.raises(UnsafePackageError) as info:
        verify_package(zip_of((link, '/etc/passwd')))
    assert info.value.code == 'symlink'
    # zipfile clears the flags it writes: set "encrypted" in both headers
    secret = bytearray(zip_of(('mat.pdf', b'x')))
    secret[6] |= 0x1
    secret[bytes(secret).rindex(b'PK\x01\x02') + 8] |= 0x1
    with pytest.raises(UnsafePackageError) as info:
        verify_package(bytes(secret))
    assert info.value.code == 'encrypted_entry'
    with pytest.raises(UnsafePackageError) as info:
        verify_package(zip_of(('Ho-so.xml', b'1'), ('ho-so.xml', b'2')))
    assert info.value.message == (
        "Gói nộp lưu bị từ chối: có hai tệp trùng tên «ho-so.xml».")


def test_not_a_package():
    with pytest.raises(PackageFormatError) as info:
        verify_package(minimal_pdf())
    assert info.value.code == 'not_zip'
    with pytest.raises(PackageFormatError) as info:
        verify_package(zip_of(('a.txt', b'x')))
    assert info.value.code == 'no_manifest'
    assert "không có tệp kê mã băm" in info.value.message
    with pytest.raises(PackageFormatError) as info:
        verify_package(zip_of((MANIFEST, f'{"0" * 64}  ../x\n')))
    assert info.value.message == (
        f"Tệp kê mã băm sai định dạng ở dòng 1: «{'0' * 64}  ../x».")
