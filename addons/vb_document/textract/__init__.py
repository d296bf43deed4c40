# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""Text of the files of documents, for the search, without the database.

`extract(data, name)` returns an `Extraction`: the text of a text PDF
(pypdf), or of a scanned PDF or an image read by OCR in Vietnamese
(Debian's tesseract-ocr + tesseract-ocr-vie; pages of PDFs rendered by
poppler's pdftoppm). Files that cannot be read raise `TextError` with a
`code` for programs and a Vietnamese `message` for users: corrupt or
encrypted PDFs, OCR missing or failing, a file too large to read.

It runs in the queue worker, never in a user's request: OCR costs about
a second per page.
"""
from .extract import (
    Extraction, TextError, extract, file_kind, ocr_available)

__all__ = ['Extraction', 'TextError', 'extract', 'file_kind',
    'ocr_available']
