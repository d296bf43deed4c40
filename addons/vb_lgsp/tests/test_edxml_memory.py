# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""edXML library: a 10 MB package is read within 3× its size in memory.

tracemalloc sees Python's allocations; the parser keeps no tree of its own
(libxml2 only holds the 64 KiB piece being fed), so they are what grows.
tests/bench/edxml.py measures the whole process (ru_maxrss) as well.
"""
import gc
import os
import tracemalloc

from trytond.modules.vb_lgsp.edxml import Attachment, build, parse
from trytond.modules.vb_lgsp.tests.edxml_factory import document, pdf_bytes


def test_ten_megabyte_package_memory():
    # Incompressible content: a PDF with 7.3 MB of random bytes, plus a
    # zip-wrapped annex (decoded while parsing)
    big = pdf_bytes() + os.urandom(7_300_000) + b'\n%%EOF\n'
    annex = os.urandom(100_000)
    data = build(document(attachments=[
        Attachment('van-ban.pdf', big),
        Attachment('phu-luc.bin', annex)]))
    size = len(data)
    assert 9_500_000 < size < 10_600_000
    del big
    gc.collect()
    tracemalloc.start()
    try:
        package = parse(data)
        _, peak_parse = tracemalloc.get_traced_memory()
        decoded = [attachment.data for attachment in package.attachments]
        _, peak_total = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # The input (1×) was there before: parsing keeps the base64 text (1×),
    # decoding releases it piece by piece as the file grows (target: 3×)
    print(f'parse peak {peak_parse / size:.2f}x, '
        f'with decoding {peak_total / size:.2f}x')
    assert size + peak_parse <= 2.2 * size, peak_parse / size
    assert size + peak_total <= 2.5 * size, peak_total / size
    assert decoded[1] == annex
    assert decoded[0].startswith(b'%PDF-1.7') and len(decoded[0]) > 7_300_000
