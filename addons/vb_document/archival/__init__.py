# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""Archival handover (nộp lưu) of closed dossiers, without the database.

Build a handover package (ZIP: metadata XML per dossier and per document
after NĐ 30/2020 PL VI and TT 02/2019, the files, a SHA-256 manifest, the
handover list as a PDF), verify or re-import one detecting missing, altered
or added files, tell PDF/A from other files, and refuse hostile zips (bombs,
path traversal) with a Vietnamese message. Importable and testable on its
own; the Tryton models are in ../dossier.py and ../archive.py.
"""
from . import codes
from .errors import (
    ArchivalError, MetadataError, PackageFormatError, UnsafePackageError)
from .metadata import DocumentRecord, DossierRecord, FileRecord
from .package import (
    DESCRIPTOR, HANDOVER_LIST, MANIFEST, BuiltPackage, FileFinding,
    VerificationReport, build_package, read_package, verify_package)
from .pdfcheck import PdfInfo, inspect_pdf
from .safezip import DEFAULT_LIMITS, SafeZip, ZipLimits

__all__ = [
    'codes', 'ArchivalError', 'MetadataError', 'PackageFormatError',
    'UnsafePackageError', 'DocumentRecord', 'DossierRecord', 'FileRecord',
    'DESCRIPTOR', 'HANDOVER_LIST', 'MANIFEST', 'BuiltPackage', 'FileFinding',
    'VerificationReport', 'build_package', 'read_package', 'verify_package',
    'PdfInfo', 'inspect_pdf', 'DEFAULT_LIMITS', 'SafeZip', 'ZipLimits']
