# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""Long-term validation: PAdES B-LT and B-LTA, when a document is archived.

`add_ltv` puts the certificates, OCSP responses and CRLs that prove each
signature valid today into the document security store (DSS), one
incremental update per signature, then, with a TSA, a document timestamp
over everything (B-LTA; pyhanko.md §8, "L2"). The organisation field's lock
(P=1) allows both: they are "LTA updates" for the modification analysis.
Years later the file validates offline from its own content, given fresh
revocation data for the newest document timestamp's TSA; renew the archive
timestamp before that TSA certificate expires (call `add_ltv` again).

PDF/A: drafts meant for archiving should be PDF/A-2b (or 3b), not 1b: the
signature and seal images are transparent (/SMask) and PDF/A-1 forbids
transparency. Incremental updates, signatures and the DSS are allowed by
PDF/A-2. Converting drafts to PDF/A-2b is the document templates' job; no
PDF/A validator (veraPDF) runs here, so conformance is not claimed.
"""
import asyncio
import io

from .errors import SignatureError
from .pdfio import open_reader
from .signing import timestamper
from .verification import Policy, _Context, _trust_roots


def add_ltv(pdf_bytes, trust_roots, *, tsa=None, policy=None):
    """Return the document with validation data (B-LT) and, when `tsa` is
    given (URL or pyHanko TimeStamper), an archive timestamp (B-LTA).

    Every signature must validate now (chain, revocation) under `policy`
    (fetching OCSP/CRL by default); otherwise SignatureError('ltv_failed')
    and nothing is returned.
    """
    return asyncio.run(async_add_ltv(pdf_bytes, trust_roots, tsa=tsa,
        policy=policy))


async def async_add_ltv(pdf_bytes, trust_roots, *, tsa=None, policy=None):
    "`add_ltv` for asynchronous callers"
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko.sign.validation.dss import async_add_validation_info
    policy = policy or Policy()
    roots = _trust_roots(trust_roots)
    data = bytes(pdf_bytes)
    reader = open_reader(data)
    count = len(reader.embedded_signatures)
    if not count:
        raise SignatureError('no_signature', "Tệp không có chữ ký số.")
    context = _Context(reader, roots, policy)
    try:
        for index in range(count):
            reader = open_reader(data)
            embedded = reader.embedded_signatures[index]
            if embedded.sig_object_type == '/DocTimeStamp':
                continue
            try:
                output = await async_add_validation_info(embedded,
                    context.new(), output=io.BytesIO())
            except Exception as e:
                raise SignatureError('ltv_failed',
                    "Không thu thập được dữ liệu kiểm tra (OCSP/CRL) cho chữ "
                    f"ký “{embedded.field_name}”: chứng thư số không hợp lệ "
                    "hoặc không lấy được tình trạng thu hồi.", repr(e)) from e
            data = output.getvalue()
        stamper = timestamper(tsa)
        if stamper is not None:
            writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=True)
            try:
                output = await signers.PdfTimeStamper(stamper
                    ).async_timestamp_pdf(writer, md_algorithm='sha256',
                    validation_context=context.new(), output=io.BytesIO())
            except Exception as e:
                raise SignatureError('tsa_failed',
                    "Không lấy được dấu thời gian lưu trữ từ máy chủ cấp dấu "
                    "thời gian (TSA).", repr(e)) from e
            data = output.getvalue()
    finally:
        await context.close()
    return data
