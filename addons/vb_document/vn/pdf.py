# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"Cheap checks on uploaded files"

PDF_MAGIC = b'%PDF-'


def is_pdf(data):
    """Whether `data` looks like a PDF file.

    The header may be preceded by up to 1024 bytes of garbage (PDF 1.7,
    7.5.2), and a PDF ends with %%EOF somewhere in its last kilobyte.
    """
    if not data:
        return False
    data = bytes(data)
    return (PDF_MAGIC in data[:1024 + len(PDF_MAGIC)]
        and b'%%EOF' in data[-1024:])
