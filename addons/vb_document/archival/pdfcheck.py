# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""What a file of a dossier is: PDF/A, plain PDF, encrypted, broken or not
a PDF, and how many pages it has.

Archives take documents as PDF/A (TT 02/2019: PDF/A-1b; TT 05/2025 as read
by implementers: PDF/A). The PDF/A level is the one the file *declares* in
its XMP metadata (``pdfaid:part`` / ``pdfaid:conformance``): checking full
ISO 19005 conformance needs a validator such as veraPDF, which this check
does not replace.
"""
import dataclasses
import io
import logging

from ..vn.pdf import PDF_MAGIC, is_pdf
from .xmlsafe import XmlRefused, parse_xml

PDFAID_NS = 'http://www.aiim.org/pdfa/ns/id/'
# XMP packets are a few kilobytes; a bigger one is not worth parsing
MAX_XMP_SIZE = 1024 * 1024

STATUS_LABELS = {
    'pdfa': "PDF/A",
    'pdf': "PDF, không phải PDF/A",
    'encrypted': "PDF có mã hóa (PDF/A không cho phép mã hóa)",
    'password': "PDF có mật khẩu, không mở được",
    'corrupt': "PDF bị hỏng, không đọc được",
    'not_pdf': "Không phải tệp PDF",
    }


@dataclasses.dataclass(frozen=True)
class PdfInfo:
    status: str
    pages: int = None
    pdfa: str = None        # e.g. 'PDF/A-1b', as declared
    detail: str = None

    @property
    def is_pdfa(self):
        return self.status == 'pdfa'

    @property
    def label(self):
        label = STATUS_LABELS[self.status]
        if self.pdfa:
            label = self.pdfa
        return label


def inspect_pdf(data):
    "Return the PdfInfo of the bytes of a file; never raises on bad input"
    data = bytes(data or b'')
    if PDF_MAGIC not in data[:1024 + len(PDF_MAGIC)]:
        return PdfInfo('not_pdf')
    if not is_pdf(data):
        return PdfInfo('corrupt', detail="thiếu %%EOF: tệp bị cắt cụt")
    from pypdf import PdfReader
    # pypdf logs every repaired cross-reference of a damaged file
    logger = logging.getLogger('pypdf')
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        encrypted = reader.is_encrypted
        if encrypted:
            # An empty user password opens files protected only against
            # printing or copying; the others cannot be read at all
            try:
                opened = bool(reader.decrypt(''))
            except Exception as exception:
                return PdfInfo('password', detail=str(exception))
            if not opened:
                return PdfInfo('password')
        pages = len(reader.pages)
        if encrypted:
            return PdfInfo('encrypted', pages=pages)
        pdfa = _declared_pdfa(reader)
        return PdfInfo('pdfa' if pdfa else 'pdf', pages=pages, pdfa=pdfa)
    except Exception as exception:
        # pypdf raises many classes on broken files (PdfReadError,
        # KeyError, ValueError, RecursionError…): all mean "unreadable"
        return PdfInfo('corrupt', detail=str(exception)[:200])
    finally:
        logger.setLevel(level)


def _declared_pdfa(reader):
    "'PDF/A-<part><conformance>' declared by the XMP metadata, or None"
    metadata = reader.trailer['/Root'].get('/Metadata')
    if metadata is None:
        return None
    data = metadata.get_object().get_data()
    if not data or len(data) > MAX_XMP_SIZE:
        return None
    try:
        root = parse_xml(data, 'XMP')
    except XmlRefused:
        return None
    part = conformance = None
    # Written as attributes of rdf:Description or as child elements
    for element in root.iter():
        for name, value in element.attrib.items():
            if name == f'{{{PDFAID_NS}}}part':
                part = value
            elif name == f'{{{PDFAID_NS}}}conformance':
                conformance = value
        if element.tag == f'{{{PDFAID_NS}}}part':
            part = (element.text or '').strip()
        elif element.tag == f'{{{PDFAID_NS}}}conformance':
            conformance = (element.text or '').strip()
    if not part or not part.strip().isdigit():
        return None
    return 'PDF/A-%s%s' % (part.strip(), (conformance or '').strip().lower())
