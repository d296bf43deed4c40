# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"Reading PDF bytes into pyHanko and writing incremental updates back"
import io

from trytond.modules.vb_document.vn import is_pdf

from .errors import DocumentError


def _not_readable(detail=None):
    return DocumentError('not_pdf',
        "Tệp không phải là tệp PDF hợp lệ hoặc đã bị hỏng.", detail)


def open_reader(pdf_bytes):
    "A strict pyHanko reader over the bytes"
    from pyhanko.pdf_utils.reader import PdfFileReader
    if not is_pdf(pdf_bytes):
        raise _not_readable()
    try:
        return PdfFileReader(io.BytesIO(bytes(pdf_bytes)), strict=True)
    except Exception as e:
        raise _not_readable(repr(e)) from e


def open_writer(pdf_bytes):
    "A writer that appends one incremental update to the bytes"
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    if not is_pdf(pdf_bytes):
        raise _not_readable()
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(bytes(pdf_bytes)),
            strict=True)
    except Exception as e:
        raise _not_readable(repr(e)) from e
    if writer.prev.encrypted:
        raise DocumentError('encrypted',
            "Tệp PDF được mã hóa bằng mật khẩu; không thể ký số.")
    return writer


def write(writer):
    "The original bytes followed by the writer's update"
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
