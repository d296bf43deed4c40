# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"Reading back what the PAdES pipeline wrote, for the tests"
import datetime as dt
import io
import re

from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader

# The issue date the clerk writes in the test documents
ISSUE_DATE = dt.date(2026, 3, 5)


def reader(pdf):
    return PdfFileReader(io.BytesIO(pdf), strict=True)


def field(pdf, name):
    for ref in reader(pdf).root['/AcroForm']['/Fields']:
        obj = ref.get_object()
        if str(obj.get('/T')) == name:
            return obj
    raise AssertionError(f'no field {name}')


def widget(obj):
    "The widget of a field (merged with it, or its only kid)"
    return obj['/Kids'][0].get_object() if '/Kids' in obj else obj


def signature(pdf, name):
    return next(s for s in reader(pdf).embedded_signatures
        if s.field_name == name)


def _pdf_string(raw):
    "Decode the bytes of a PDF literal string (escapes, UTF-16BE BOM)"
    out, i = bytearray(), 0
    escapes = {b'n': 10, b'r': 13, b't': 9, b'b': 8, b'f': 12}
    while i < len(raw):
        c = raw[i:i + 1]
        if c == b'\\':
            nxt = raw[i + 1:i + 2]
            octal = re.match(rb'[0-7]{1,3}', raw[i + 1:i + 4])
            if octal:
                out.append(int(octal.group(), 8) & 0xFF)
                i += 1 + len(octal.group())
                continue
            out.append(escapes.get(nxt, nxt[0]))
            i += 2
            continue
        out += c
        i += 1
    data = bytes(out)
    if data.startswith(b'\xfe\xff'):
        return data[2:].decode('utf-16-be')
    return data.decode('latin-1')


def _streams(obj, seen=None):
    "The appearance stream and the forms it draws, depth first"
    seen = seen if seen is not None else set()
    if id(obj) in seen:
        return
    seen.add(id(obj))
    yield obj
    resources = obj.get('/Resources', {})
    for xobject in resources.get('/XObject', {}).values():
        xobject = xobject.get_object()
        if xobject.get('/Subtype') == '/Form':
            yield from _streams(xobject, seen)


def appearance(pdf, name):
    return widget(field(pdf, name))['/AP']['/N']


def appearance_text(pdf, name):
    "The lines of text drawn in a field's appearance (from /ActualText)"
    lines = []
    for stream in _streams(appearance(pdf, name)):
        for raw in re.findall(rb'/ActualText \(((?:\\.|[^\\)])*)\)',
                stream.data):
            lines.append(_pdf_string(raw))
    return lines


def appearance_fonts(pdf, name):
    "(glyph ids drawn, {gid: width}, ToUnicode data) per font of a field"
    result = []
    for stream in _streams(appearance(pdf, name)):
        for font in stream.get('/Resources', {}).get('/Font', {}).values():
            font = font.get_object()
            cid_font = font['/DescendantFonts'][0].get_object()
            widths, w = {}, list(cid_font['/W'])
            for start, values in zip(w[::2], w[1::2]):
                for offset, value in enumerate(values):
                    widths[int(start) + offset] = float(value)
            gids = [int(h[i:i + 4], 16)
                for h in re.findall(rb'<([0-9a-fA-F]+)>', stream.data)
                for i in range(0, len(h), 4)]
            result.append((gids, widths, font['/ToUnicode'].data))
    return result


def images(pdf, name):
    "The image XObjects drawn in a field's appearance"
    found = []
    for stream in _streams(appearance(pdf, name)):
        for xobject in stream.get('/Resources', {}).get('/XObject',
                {}).values():
            xobject = xobject.get_object()
            if xobject.get('/Subtype') == '/Image':
                found.append(xobject)
    return found


def update(pdf, change):
    "Append an incremental update made by change(writer) (an attacker's)"
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=True)
    change(writer)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def revisions(pdf):
    return reader(pdf).xrefs.total_revisions
