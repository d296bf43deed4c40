# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""Metadata of dossiers and documents for the archive, as XML.

Element names are those of Nghị định 30/2020 Phụ lục VI Phần II (verified:
FileCode = OrganId + FileCatalog + FileNotation, Title, Maintenance, Rights,
Creator, Language, StartDate, EndDate, DocTotal, PageTotal, Description for
dossiers; DocOrdinal, TypeName, CodeNumber, CodeNotation, IssuedDate,
OrganName, Subject, Language, PageAmount, Description, SignerInfo, To,
Priority, DueDate, ArrivalDate, ArrivalNumber, ToPlaces for documents) with
the additions of Thông tư 02/2019/TT-BNV Phụ lục I as far as known (Keyword,
Mode, ConfidenceLevel, ArchivesCode: vn-regulations.md §6.3, not verified
against the official text, which publishes no XSD). They live in the
namespace of this profile, ``urn:vbdh:nop-luu:1``; dates are ISO 8601
(YYYY-MM-DD, the 10 characters of the Date type).
"""
import dataclasses
import datetime as dt

from lxml import etree

from . import codes
from .errors import MetadataError, PackageFormatError

NS = 'urn:vbdh:nop-luu:1'
PROFILE = 'NĐ 30/2020 PL VI; TT 02/2019/TT-BNV'
DEFAULT_LANGUAGE = "Tiếng Việt"


def _q(tag):
    return f'{{{NS}}}{tag}'


@dataclasses.dataclass
class FileRecord:
    "A file of a document"
    name: str                   # the name it had in the system
    data: bytes = dataclasses.field(repr=False, default=b'')
    role: str = 'main'          # main or annex
    # Filled when the package is built or read
    path: str = None
    sha256: str = None
    size: int = None
    format: str = None          # PdfInfo.label
    pages: int = None


@dataclasses.dataclass
class DocumentRecord:
    "A document of a dossier (văn bản đi or đến)"
    direction: str              # incoming or outgoing
    type_name: str
    subject: str
    number_notation: str = ''   # 15/QĐ-UBND
    issued_date: dt.date = None
    organ_name: str = ''
    language: str = DEFAULT_LANGUAGE
    page_amount: int = None
    description: str = ''
    signer_position: str = ''
    signer_name: str = ''
    priority: str = ''
    secrecy: str = ''
    due_date: dt.date = None
    # Incoming
    arrival_date: dt.date = None
    arrival_number: int = None
    to_places: str = ''
    # Outgoing: (mã định danh, name) of each recipient agency
    recipients: list = dataclasses.field(default_factory=list)
    mode: str = 'public'        # codes.USAGE_MODES
    confidence: str = 'original'    # codes.CONFIDENCE_LEVELS
    keywords: str = ''
    identifier: str = ''        # the id of the document in the system
    files: list = dataclasses.field(default_factory=list)
    ordinal: int = None         # DocOrdinal, set by the package


@dataclasses.dataclass
class DossierRecord:
    "A dossier (hồ sơ) with its documents in chronological order"
    organ_id: str               # mã định danh of the agency
    year: int                   # FileCatalog
    notation: str               # FileNotation, e.g. 01.TCCB
    title: str
    retention_years: int = None  # None: permanent
    mode: str = 'public'
    creator: str = ''
    language: str = DEFAULT_LANGUAGE
    start_date: dt.date = None
    end_date: dt.date = None
    page_total: int = None
    keywords: str = ''
    description: str = ''
    documents: list = dataclasses.field(default_factory=list)

    @property
    def code(self):
        return codes.file_code(self.organ_id, self.year, self.notation)

    @property
    def doc_total(self):
        return len(self.documents)

    @property
    def maintenance(self):
        return codes.maintenance_text(self.retention_years)

    def check(self):
        "Raise MetadataError if the dossier cannot be described"
        if not self.organ_id:
            raise MetadataError('invalid_metadata',
                detail=f"hồ sơ «{self.title}» thiếu mã định danh cơ quan")
        if not codes.is_valid_notation(self.notation):
            raise MetadataError('invalid_metadata',
                detail=f"số và ký hiệu hồ sơ «{self.notation}» không hợp lệ")
        if not self.title or not self.title.strip():
            raise MetadataError('invalid_metadata',
                detail=f"hồ sơ {self.code} thiếu tiêu đề")
        if self.mode not in codes.USAGE_MODES:
            raise MetadataError('invalid_metadata',
                detail=f"chế độ sử dụng «{self.mode}» không hợp lệ")
        for document in self.documents:
            if document.mode not in codes.USAGE_MODES:
                raise MetadataError('invalid_metadata',
                    detail=f"chế độ sử dụng «{document.mode}» không hợp lệ")


def _date(value):
    return value.isoformat() if value else ''


def _parse_date(text):
    return dt.date.fromisoformat(text) if text else None


def _sub(parent, tag, text=None, **attrib):
    element = etree.SubElement(parent, _q(tag), {
            k: str(v) for k, v in attrib.items() if v is not None})
    if text is not None and text != '':
        element.text = str(text)
    return element


def _file_code(parent, dossier):
    element = _sub(parent, 'FileCode')
    _sub(element, 'OrganId', dossier.organ_id)
    _sub(element, 'FileCatalog', '%04d' % dossier.year)
    _sub(element, 'FileNotation', dossier.notation)
    return element


def _tostring(root):
    return etree.tostring(root, xml_declaration=True, encoding='UTF-8',
        pretty_print=True)


def dossier_xml(dossier, document_paths):
    """The XML of a dossier (hồ sơ); document_paths lists the path and the
    SHA-256 of the XML of each of its documents, in order."""
    root = etree.Element(_q('Dossier'), nsmap={None: NS},
        profile=PROFILE)
    _file_code(root, dossier)
    _sub(root, 'Code', dossier.code)
    _sub(root, 'Title', dossier.title)
    _sub(root, 'Maintenance', dossier.maintenance,
        code=codes.maintenance_code(dossier.retention_years))
    code, label = codes.USAGE_MODES[dossier.mode]
    _sub(root, 'Rights', label, code=code)
    _sub(root, 'Creator', dossier.creator)
    _sub(root, 'Language', dossier.language)
    _sub(root, 'StartDate', _date(dossier.start_date))
    _sub(root, 'EndDate', _date(dossier.end_date))
    _sub(root, 'DocTotal', dossier.doc_total)
    _sub(root, 'PageTotal', dossier.page_total or 0)
    _sub(root, 'Keyword', dossier.keywords)
    _sub(root, 'Description', dossier.description)
    documents = _sub(root, 'Documents')
    for document, (path, sha256) in zip(dossier.documents, document_paths):
        _sub(documents, 'DocumentRef', ordinal=document.ordinal,
            href=path, sha256=sha256)
    return _tostring(root)


def document_xml(dossier, document):
    "The XML of a document of a dossier, its files described"
    root = etree.Element(_q('Document'), nsmap={None: NS}, profile=PROFILE)
    _file_code(root, dossier)
    _sub(root, 'DocOrdinal', document.ordinal)
    _sub(root, 'ArchivesCode', '%s.%03d' % (dossier.code, document.ordinal))
    _sub(root, 'Identifier', document.identifier)
    _sub(root, 'Direction', document.direction)
    _sub(root, 'TypeName', document.type_name)
    number, notation = codes.split_number_notation(document.number_notation)
    _sub(root, 'CodeNumber', number)
    _sub(root, 'CodeNotation', notation)
    _sub(root, 'IssuedDate', _date(document.issued_date))
    _sub(root, 'OrganName', document.organ_name)
    _sub(root, 'Subject', document.subject)
    _sub(root, 'Language', document.language)
    _sub(root, 'PageAmount', document.page_amount or 0)
    _sub(root, 'Description', document.description)
    signer = _sub(root, 'SignerInfo')
    _sub(signer, 'Position', document.signer_position)
    _sub(signer, 'FullName', document.signer_name)
    _sub(root, 'Priority', document.priority)
    _sub(root, 'Secrecy', document.secrecy)
    _sub(root, 'DueDate', _date(document.due_date))
    if document.direction == 'incoming':
        _sub(root, 'ArrivalDate', _date(document.arrival_date))
        _sub(root, 'ArrivalNumber', document.arrival_number)
        _sub(root, 'ToPlaces', document.to_places)
    else:
        for organ_id, name in document.recipients:
            to = _sub(root, 'To')
            _sub(to, 'OrganId', organ_id)
            _sub(to, 'OrganName', name)
    code, label = codes.USAGE_MODES[document.mode]
    _sub(root, 'Mode', label, code=code)
    _sub(root, 'ConfidenceLevel',
        codes.CONFIDENCE_LEVELS.get(document.confidence, ''),
        code=document.confidence)
    _sub(root, 'Keyword', document.keywords)
    files = _sub(root, 'Files')
    for file in document.files:
        _sub(files, 'File', href=file.path, name=file.name, role=file.role,
            size=file.size, sha256=file.sha256, format=file.format,
            pages=file.pages)
    return _tostring(root)


# Reading back


def _text(root, path):
    element = root.find(path, {'a': NS})
    return (element.text or '').strip() if element is not None else ''


def _int(text):
    return int(text) if text and text.lstrip('-').isdigit() else None


def _check_root(root, tag, name):
    if root.tag != _q(tag):
        raise PackageFormatError('not_package', name=name)


def parse_dossier(root, name):
    """(DossierRecord without documents, [(ordinal, href, sha256)]) of the
    root element of a dossier XML"""
    _check_root(root, 'Dossier', name)
    maintenance = root.find('a:Maintenance', {'a': NS})
    mode = root.find('a:Rights', {'a': NS})
    try:
        dossier = DossierRecord(
            organ_id=_text(root, 'a:FileCode/a:OrganId'),
            year=int(_text(root, 'a:FileCode/a:FileCatalog') or 0),
            notation=_text(root, 'a:FileCode/a:FileNotation'),
            title=_text(root, 'a:Title'),
            retention_years=_retention(maintenance),
            mode=_mode_key(mode),
            creator=_text(root, 'a:Creator'),
            language=_text(root, 'a:Language'),
            start_date=_parse_date(_text(root, 'a:StartDate')),
            end_date=_parse_date(_text(root, 'a:EndDate')),
            page_total=_int(_text(root, 'a:PageTotal')),
            keywords=_text(root, 'a:Keyword'),
            description=_text(root, 'a:Description'))
    except ValueError as exception:
        raise PackageFormatError('bad_xml', name=name, detail=str(exception))
    refs = [(_int(e.get('ordinal')), e.get('href') or '', e.get('sha256')
            or '') for e in root.iterfind('a:Documents/a:DocumentRef',
            {'a': NS})]
    declared_total = _int(_text(root, 'a:DocTotal'))
    return dossier, refs, declared_total


def parse_document(root, name):
    "DocumentRecord (files without data) of the root of a document XML"
    _check_root(root, 'Document', name)
    ns = {'a': NS}
    number = _text(root, 'a:CodeNumber')
    notation = _text(root, 'a:CodeNotation')
    mode = root.find('a:Mode', ns)
    confidence = root.find('a:ConfidenceLevel', ns)
    try:
        document = DocumentRecord(
            direction=_text(root, 'a:Direction'),
            type_name=_text(root, 'a:TypeName'),
            subject=_text(root, 'a:Subject'),
            number_notation=f'{number}/{notation}' if number else notation,
            issued_date=_parse_date(_text(root, 'a:IssuedDate')),
            organ_name=_text(root, 'a:OrganName'),
            language=_text(root, 'a:Language'),
            page_amount=_int(_text(root, 'a:PageAmount')),
            description=_text(root, 'a:Description'),
            signer_position=_text(root, 'a:SignerInfo/a:Position'),
            signer_name=_text(root, 'a:SignerInfo/a:FullName'),
            priority=_text(root, 'a:Priority'),
            secrecy=_text(root, 'a:Secrecy'),
            due_date=_parse_date(_text(root, 'a:DueDate')),
            arrival_date=_parse_date(_text(root, 'a:ArrivalDate')),
            arrival_number=_int(_text(root, 'a:ArrivalNumber')),
            to_places=_text(root, 'a:ToPlaces'),
            recipients=[(_text(e, 'a:OrganId'), _text(e, 'a:OrganName'))
                for e in root.iterfind('a:To', ns)],
            mode=_mode_key(mode),
            confidence=(confidence.get('code') if confidence is not None
                else '') or '',
            keywords=_text(root, 'a:Keyword'),
            identifier=_text(root, 'a:Identifier'),
            ordinal=_int(_text(root, 'a:DocOrdinal')))
    except ValueError as exception:
        raise PackageFormatError('bad_xml', name=name, detail=str(exception))
    for element in root.iterfind('a:Files/a:File', ns):
        document.files.append(FileRecord(
                name=element.get('name') or '',
                role=element.get('role') or '',
                path=element.get('href') or '',
                sha256=element.get('sha256') or '',
                size=_int(element.get('size')),
                format=element.get('format'),
                pages=_int(element.get('pages'))))
    return document


def _retention(element):
    if element is None:
        return None
    if element.get('code') == '01':
        return None
    text = (element.text or '').split()
    return _int(text[0]) if text else None


def _mode_key(element):
    code = element.get('code') if element is not None else None
    for key, (mode_code, _) in codes.USAGE_MODES.items():
        if mode_code == code:
            return key
    return ''
