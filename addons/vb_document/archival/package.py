# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""The handover package (gói nộp lưu) of closed dossiers: build, verify and
read it back.

A ZIP file laid out as::

    goi-nop-luu.xml                         the package: agency, totals,
                                            its dossiers
    muc-luc-ho-so.pdf                       the handover list (mục lục)
    manifest-sha256.txt                     SHA-256 of every other file
    <mã hồ sơ>/ho-so.xml                    metadata of a dossier
    <mã hồ sơ>/<mã hồ sơ>.001.xml           metadata of its 1st document
    <mã hồ sơ>/<mã hồ sơ>.001.01.pdf        the files of the document

The manifest is written like ``sha256sum`` output (BagIt's
manifest-sha256.txt), so that an archivist can check a package with
standard tools; the document metadata repeat the SHA-256 of their files and
the dossier metadata those of their documents' metadata. Verifying detects a
missing, altered or added file; comparing the SHA-256 of the manifest with
the one recorded at export (the database keeps it) also detects a package
rewritten consistently. Identifiers follow the TT 05/2025 practice read in
vn-regulations.md §6.2 (``uuid-<UUID>`` object id, ISO 8601 times with
+07:00, ``{mã hồ sơ}.{STT}`` document codes).
"""
import dataclasses
import datetime as dt
import hashlib
import io
import re
import uuid
import zipfile
from zoneinfo import ZoneInfo

from lxml import etree

from . import codes
from .errors import MetadataError, PackageFormatError
from .handover_list import render_handover_list
from .metadata import (
    NS, PROFILE, dossier_xml, document_xml, parse_document, parse_dossier)
from .pdfcheck import inspect_pdf
from .safezip import DEFAULT_LIMITS, SafeZip, _unsafe_name
from .xmlsafe import XmlRefused, parse_xml

DESCRIPTOR = 'goi-nop-luu.xml'
HANDOVER_LIST = 'muc-luc-ho-so.pdf'
MANIFEST = 'manifest-sha256.txt'
DOSSIER_XML = 'ho-so.xml'
TIMEZONE = ZoneInfo('Asia/Ho_Chi_Minh')
_MANIFEST_LINE = re.compile(r'^([0-9a-f]{64}) [ *](.+)$')


def _sha256(data):
    return hashlib.sha256(data).hexdigest()


@dataclasses.dataclass(frozen=True)
class FileFinding:
    "The format of a file of a document in a package"
    path: str
    name: str
    dossier_code: str
    ordinal: int
    status: str             # pdfcheck status
    label: str              # Vietnamese description of the format
    pages: int = None

    @property
    def is_pdfa(self):
        return self.status == 'pdfa'


def _format_findings(findings):
    "Vietnamese lines on the files that are not PDF/A"
    others = [f for f in findings if not f.is_pdfa]
    lines = [f"Định dạng: {len(findings) - len(others)}/{len(findings)} "
        "tệp là PDF/A."]
    if others:
        lines.append("Các tệp không phải PDF/A:")
        lines += [f"- {f.path} ({f.name}): {f.label}" for f in others]
    return lines


@dataclasses.dataclass
class BuiltPackage:
    data: bytes = dataclasses.field(repr=False)
    package_id: str
    created: dt.datetime
    name: str               # file name to offer: <package id>.zip
    sha256: str
    manifest_sha256: str
    dossier_count: int
    file_count: int
    findings: list

    @property
    def non_pdfa(self):
        return [f for f in self.findings if not f.is_pdfa]

    def summary(self):
        "A Vietnamese summary of what the package holds"
        return '\n'.join([
                f"Gói {self.package_id}: {self.dossier_count} hồ sơ, "
                f"{self.file_count} tệp văn bản.",
                *_format_findings(self.findings)])


def _extension(name):
    _, dot, extension = (name or '').rpartition('.')
    extension = codes.path_component(extension.lower()) if dot else ''
    return extension if extension and len(extension) <= 10 else 'bin'


def build_package(agency_name, organ_id, dossiers, created=None,
        package_id=None):
    """Build the handover package of dossiers (DossierRecord, documents in
    chronological order) and return a BuiltPackage.

    The paths, sizes, hashes, formats and pages of the files, the ordinals
    of the documents, and the dates and page totals the dossiers lack are
    filled in on the records given.
    """
    if not dossiers:
        raise MetadataError('invalid_metadata', detail="không có hồ sơ nào")
    created = created or dt.datetime.now(TIMEZONE)
    if created.tzinfo is None:
        created = created.replace(tzinfo=TIMEZONE)
    package_id = package_id or 'uuid-' + str(uuid.uuid4()).upper()
    files = {}          # path -> bytes, in writing order
    findings = []
    folders = set()
    for dossier in dossiers:
        dossier.check()
        folder = codes.path_component(dossier.code)
        if folder in folders:
            raise MetadataError('invalid_metadata',
                detail=f"hồ sơ {dossier.code} có hai lần trong gói")
        folders.add(folder)
        document_refs = []
        for ordinal, document in enumerate(dossier.documents, 1):
            document.ordinal = ordinal
            stem = f'{folder}/{folder}.{ordinal:03d}'
            pages = 0
            for index, file in enumerate(document.files, 1):
                data = bytes(file.data or b'')
                info = inspect_pdf(data)
                file.path = f'{stem}.{index:02d}.{_extension(file.name)}'
                file.sha256 = _sha256(data)
                file.size = len(data)
                file.format = info.label
                file.pages = info.pages
                pages += info.pages or 0
                files[file.path] = data
                findings.append(FileFinding(file.path, file.name,
                        dossier.code, ordinal, info.status, info.label,
                        info.pages))
            if document.page_amount is None:
                document.page_amount = pages
            xml = document_xml(dossier, document)
            files[stem + '.xml'] = xml
            document_refs.append((stem + '.xml', _sha256(xml)))
        dates = [d.issued_date or d.arrival_date for d in dossier.documents
            if d.issued_date or d.arrival_date]
        if dossier.start_date is None and dates:
            dossier.start_date = min(dates)
        if dossier.end_date is None and dates:
            dossier.end_date = max(dates)
        if dossier.page_total is None:
            dossier.page_total = sum(
                d.page_amount or 0 for d in dossier.documents)
        files[f'{folder}/{DOSSIER_XML}'] = dossier_xml(dossier, document_refs)
    file_count = len(findings)
    files[HANDOVER_LIST] = render_handover_list(
        agency_name, organ_id, dossiers, created, file_count)
    files[DESCRIPTOR] = _descriptor(package_id, created, agency_name,
        organ_id, dossiers, file_count, files)
    manifest = ''.join(f'{_sha256(files[p])}  {p}\n'
        for p in sorted(files)).encode('utf-8')
    data = _zip(files, manifest, created)
    return BuiltPackage(data=data, package_id=package_id, created=created,
        name=f'{package_id}.zip', sha256=_sha256(data),
        manifest_sha256=_sha256(manifest), dossier_count=len(dossiers),
        file_count=file_count, findings=findings)


def _descriptor(package_id, created, agency_name, organ_id, dossiers,
        file_count, files):
    root = etree.Element(f'{{{NS}}}HandoverPackage', nsmap={None: NS},
        id=package_id, created=created.isoformat(timespec='seconds'),
        profile=PROFILE)

    def sub(parent, tag, text=None, **attrib):
        element = etree.SubElement(parent, f'{{{NS}}}{tag}', attrib)
        if text is not None:
            element.text = str(text)
        return element
    sub(root, 'OrganId', organ_id)
    sub(root, 'OrganName', agency_name)
    sub(root, 'DossierTotal', len(dossiers))
    sub(root, 'FileTotal', file_count)
    refs = sub(root, 'Dossiers')
    for dossier in dossiers:
        path = f'{codes.path_component(dossier.code)}/{DOSSIER_XML}'
        sub(refs, 'DossierRef', code=dossier.code, href=path,
            sha256=_sha256(files[path]))
    sub(root, 'HandoverList', href=HANDOVER_LIST,
        sha256=_sha256(files[HANDOVER_LIST]))
    sub(root, 'Manifest', href=MANIFEST, algorithm='SHA-256')
    return etree.tostring(root, xml_declaration=True, encoding='UTF-8',
        pretty_print=True)


def _zip(files, manifest, created):
    buffer = io.BytesIO()
    date_time = created.timetuple()[:6]
    with zipfile.ZipFile(buffer, 'w') as archive:
        for path, data in [*files.items(), (MANIFEST, manifest)]:
            info = zipfile.ZipInfo(path, date_time=date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return buffer.getvalue()


# Verification


@dataclasses.dataclass
class VerificationReport:
    package_id: str = ''
    created: str = ''
    organ_id: str = ''
    organ_name: str = ''
    manifest_sha256: str = ''
    manifest_altered: bool = False
    missing: list = dataclasses.field(default_factory=list)
    altered: list = dataclasses.field(default_factory=list)
    unexpected: list = dataclasses.field(default_factory=list)
    metadata_errors: list = dataclasses.field(default_factory=list)
    findings: list = dataclasses.field(default_factory=list)
    dossiers: list = dataclasses.field(default_factory=list)

    @property
    def ok(self):
        "Whether every file is there, unchanged, and nothing was added"
        return not (self.missing or self.altered or self.unexpected
            or self.metadata_errors or self.manifest_altered)

    @property
    def non_pdfa(self):
        return [f for f in self.findings if not f.is_pdfa]

    def summary(self):
        "The report in Vietnamese, for people"
        created = self.created[:10]
        try:
            created = dt.date.fromisoformat(created).strftime('%d/%m/%Y')
        except ValueError:
            pass
        lines = [
            f"Gói nộp lưu {self.package_id or '(không rõ mã)'} của "
            f"{self.organ_name or '?'} ({self.organ_id or '?'}), lập ngày "
            f"{created or '?'}: {len(self.dossiers)} hồ sơ, "
            f"{len(self.findings)} tệp văn bản.",
            "Kết quả: gói TOÀN VẸN, không thiếu, không thay đổi tệp nào."
            if self.ok else "Kết quả: gói KHÔNG TOÀN VẸN.",
            ]
        if self.manifest_altered:
            lines.append("Tệp kê mã băm khác với tệp kê đã lưu khi xuất "
                "gói: gói đã bị sửa đổi.")
        for title, items in [
                ("Tệp bị thiếu", self.missing),
                ("Tệp bị thay đổi nội dung", self.altered),
                ("Tệp lạ không có trong tệp kê", self.unexpected),
                ("Siêu dữ liệu không khớp", self.metadata_errors)]:
            if items:
                lines.append(f"{title} ({len(items)}):")
                lines += [f"- {item}" for item in items]
        if self.findings:
            lines += _format_findings(self.findings)
        return '\n'.join(lines)


def _parse_manifest(data, limits):
    "{path: sha256} of the manifest; PackageFormatError if malformed"
    try:
        text = data.decode('utf-8')
    except UnicodeDecodeError as exception:
        raise PackageFormatError('bad_manifest', line=1,
            detail=str(exception))
    entries = {}
    lines = text.splitlines()
    if len(lines) > limits.max_entries:
        raise PackageFormatError('bad_manifest', line=limits.max_entries,
            detail="quá nhiều dòng")
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        match = _MANIFEST_LINE.match(line)
        if not match or _unsafe_name(match.group(2), limits):
            raise PackageFormatError('bad_manifest', line=number,
                detail=line[:100])
        digest, path = match.groups()
        if path in entries or path == MANIFEST:
            raise PackageFormatError('bad_manifest', line=number,
                detail=line[:100])
        entries[path] = digest
    return entries


def verify_package(data, expected_manifest_sha256=None,
        limits=DEFAULT_LIMITS):
    """Check a package and return its VerificationReport.

    Hostile zips (bombs, unsafe paths, links, encrypted entries) raise
    UnsafePackageError, a file that is not a package of ours
    PackageFormatError: nothing is extracted anywhere either way.
    """
    archive = SafeZip(bytes(data), limits)
    if MANIFEST not in archive:
        raise PackageFormatError('no_manifest', name=MANIFEST)
    manifest = archive.read(MANIFEST)
    report = VerificationReport(manifest_sha256=_sha256(manifest))
    report.manifest_altered = bool(expected_manifest_sha256
        and expected_manifest_sha256 != report.manifest_sha256)
    entries = _parse_manifest(manifest, limits)
    actual = {}
    for path, digest in entries.items():
        if path not in archive:
            report.missing.append(path)
            continue
        actual[path] = archive.sha256(path)
        if actual[path] != digest:
            report.altered.append(path)
    report.unexpected = sorted(
        set(archive.names) - set(entries) - {MANIFEST})
    for path in report.unexpected:
        actual[path] = archive.sha256(path)
    _check_metadata(archive, actual, report)
    return report


def _read_xml(archive, path, report):
    "The root element of the XML at path, or None (reported)"
    if path not in archive:
        if path not in report.missing:
            report.missing.append(path)
        return None
    try:
        return parse_xml(archive.read(path), path)
    except XmlRefused as exception:
        report.metadata_errors.append(exception.message)
        return None


def _check_reference(path, sha256, actual, report, what):
    "Compare a hash declared in the metadata with the file's"
    if path not in actual:
        if path not in report.missing:
            report.missing.append(path)
    elif sha256 != actual[path] and path not in report.altered:
        report.metadata_errors.append(
            f"{path}: mã băm khác với mã băm ghi trong {what}")


def _check_metadata(archive, actual, report):
    root = _read_xml(archive, DESCRIPTOR, report)
    if root is None:
        return
    if root.tag != f'{{{NS}}}HandoverPackage':
        raise PackageFormatError('not_package', name=DESCRIPTOR)
    ns = {'a': NS}
    report.package_id = root.get('id') or ''
    report.created = root.get('created') or ''
    report.organ_id = root.findtext('a:OrganId', '', ns).strip()
    report.organ_name = root.findtext('a:OrganName', '', ns).strip()
    handover_list = root.find('a:HandoverList', ns)
    if handover_list is not None:
        _check_reference(handover_list.get('href') or '',
            handover_list.get('sha256'), actual, report, DESCRIPTOR)
    for ref in root.iterfind('a:Dossiers/a:DossierRef', ns):
        path = ref.get('href') or ''
        _check_reference(path, ref.get('sha256'), actual, report,
            DESCRIPTOR)
        dossier_root = _read_xml(archive, path, report)
        if dossier_root is None:
            continue
        dossier, document_refs, declared = parse_dossier(dossier_root, path)
        report.dossiers.append(dossier)
        if declared != len(document_refs):
            report.metadata_errors.append(
                f"{path}: tổng số văn bản ghi {declared} nhưng có "
                f"{len(document_refs)} văn bản")
        for ordinal, href, sha256 in document_refs:
            _check_reference(href, sha256, actual, report, path)
            document_root = _read_xml(archive, href, report)
            if document_root is None:
                continue
            document = parse_document(document_root, href)
            dossier.documents.append(document)
            for file in document.files:
                _check_reference(file.path, file.sha256, actual, report,
                    href)
                if file.path in archive:
                    info = inspect_pdf(archive.read(file.path))
                    report.findings.append(FileFinding(file.path, file.name,
                            dossier.code, ordinal, info.status, info.label,
                            info.pages))
    declared_dossiers = root.findtext('a:DossierTotal', '', ns).strip()
    if declared_dossiers != str(len(report.dossiers)):
        report.metadata_errors.append(
            f"{DESCRIPTOR}: tổng số hồ sơ ghi {declared_dossiers} nhưng có "
            f"{len(report.dossiers)} hồ sơ")
    declared_files = root.findtext('a:FileTotal', '', ns).strip()
    file_total = sum(len(d.files) for x in report.dossiers
        for d in x.documents)
    if declared_files != str(file_total):
        report.metadata_errors.append(
            f"{DESCRIPTOR}: tổng số tệp ghi {declared_files} nhưng có "
            f"{file_total} tệp")


def read_package(data, expected_manifest_sha256=None,
        limits=DEFAULT_LIMITS):
    """Re-import a package: (report, dossiers with their documents and the
    content of their files). A package that is not intact is refused
    (PackageFormatError 'integrity') before anything is returned."""
    report = verify_package(data, expected_manifest_sha256, limits)
    if not report.ok:
        raise PackageFormatError('integrity', detail='; '.join(
                report.summary().splitlines()[1:6]))
    archive = SafeZip(bytes(data), limits)
    for dossier in report.dossiers:
        for document in dossier.documents:
            for file in document.files:
                file.data = archive.read(file.path)
    return report, report.dossiers
