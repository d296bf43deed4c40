# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"Text of PDFs and images: pypdf for text pages, tesseract for scans"
import io
import logging
import os
import shutil
import subprocess
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from ..vn.pdf import is_pdf

logger = logging.getLogger(__name__)

# A page with fewer characters of text than this is taken as a scan
MIN_PAGE_CHARS = 25
# Resolution of the page images given to tesseract: 300 dpi is what its
# models are trained for
OCR_DPI = 300
OCR_LANGUAGE = 'vie'
OCR_PAGE_TIMEOUT = 120
IMAGE_MAGICS = {
    b'\x89PNG\r\n\x1a\n': 'png',
    b'\xff\xd8\xff': 'jpeg',
    b'II*\x00': 'tiff',
    b'MM\x00*': 'tiff',
    }
# One thread per page: a worker per core scales, tesseract's own threads
# fight over the cores (measured: 2.5× slower on a busy 2-core machine)
OCR_ENV = dict(os.environ, OMP_THREAD_LIMIT='1')
# The scanned pages of one file are read by that many tesseract processes
# at once (VBDH_OCR_PROCESSES, default: the number of cores): a worker
# busy with a long scan uses the machine, not one core of it
OCR_PROCESSES = max(int(os.environ.get('VBDH_OCR_PROCESSES', 0))
    or os.cpu_count() or 1, 1)
MESSAGES = {
    'corrupt': "Tệp PDF bị hỏng, không đọc được nội dung.",
    'encrypted': "Tệp PDF được bảo vệ bằng mật khẩu hoặc mã hóa, không đọc "
    "được nội dung.",
    'ocr_missing': "Máy chủ chưa cài phần mềm nhận dạng chữ (tesseract-ocr, "
    "tesseract-ocr-vie): chưa đọc được tệp quét.",
    'ocr_failed': "Nhận dạng chữ (OCR) thất bại: {detail}",
    'too_many_pages': "Tệp có {pages} trang quét, vượt giới hạn {limit} "
    "trang nhận dạng chữ.",
    }


class TextError(Exception):
    "A file whose text cannot be read: code for programs, message for users"

    def __init__(self, code, **variables):
        self.code = code
        self.message = MESSAGES[code].format(**variables)
        super().__init__(self.message)


@dataclass
class Extraction:
    text: str
    # 'text' (a text PDF), 'ocr' (scans), 'mixed', or 'none' (a file
    # kind without text, e.g. a spreadsheet)
    method: str
    pages: int = 0
    ocr_pages: int = 0


def file_kind(data):
    "'pdf', 'png', 'jpeg', 'tiff' or None"
    data = bytes(data[:1100]) if data else b''
    if is_pdf_head(data):
        return 'pdf'
    for magic, kind in IMAGE_MAGICS.items():
        if data.startswith(magic):
            return kind
    return None


def is_pdf_head(head):
    return b'%PDF-' in head[:1024 + 5]


def ocr_available():
    "Whether tesseract with its Vietnamese model and pdftoppm are here"
    if not shutil.which('tesseract') or not shutil.which('pdftoppm'):
        return False
    try:
        languages = subprocess.run(['tesseract', '--list-langs'],
            capture_output=True, text=True, timeout=30).stdout.split()
    except (OSError, subprocess.SubprocessError):
        return False
    return OCR_LANGUAGE in languages


def extract(data, max_ocr_pages=200):
    """The text of data (the bytes of a file).

    Text pages of PDFs are read as they are; pages without text (scans)
    and images are read by OCR.
    """
    kind = file_kind(data)
    if kind == 'pdf':
        return _extract_pdf(bytes(data), max_ocr_pages)
    if kind is not None:
        return Extraction(_clean(_ocr_image(bytes(data))), 'ocr', 1, 1)
    return Extraction('', 'none')


def _extract_pdf(data, max_ocr_pages):
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError
    if not is_pdf(data):
        raise TextError('corrupt')
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            # An owner password alone still lets anyone read the text
            try:
                opened = reader.decrypt('')
            except Exception:
                opened = 0
            if not opened:
                raise TextError('encrypted')
        pages = list(reader.pages)
        texts = [page.extract_text() or '' for page in pages]
    except TextError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError,
            IndexError, RecursionError) as exception:
        logger.info("unreadable PDF: %s", exception)
        raise TextError('corrupt') from exception
    scans = [i for i, text in enumerate(texts)
        if len(text.strip()) < MIN_PAGE_CHARS]
    if len(scans) > max_ocr_pages:
        raise TextError('too_many_pages', pages=len(scans),
            limit=max_ocr_pages)
    def read(index, image):
        return _ocr_image(image or _render_page(data, index + 1))

    with ThreadPoolExecutor(OCR_PROCESSES) as pool:
        # A few pages at a time: a page image is megabytes. pypdf is not
        # thread-safe: images are read out here, tesseract runs in threads
        for start in range(0, len(scans), OCR_PROCESSES):
            batch = scans[start:start + OCR_PROCESSES]
            images = [_page_image(pages[i]) for i in batch]
            for index, text in zip(batch, pool.map(read, batch, images)):
                texts[index] = text
    if not scans:
        method = 'text'
    elif len(scans) == len(texts):
        method = 'ocr'
    else:
        method = 'mixed'
    return Extraction(_clean('\n'.join(texts)), method, len(texts),
        len(scans))


def _page_image(page):
    """The image of a scanned page as the scanner stored it, or None.

    A scan is one image over the page: reading it out costs nothing,
    rendering the page again costs seconds.
    """
    try:
        xobjects = page.get('/Resources', {}).get('/XObject', {})
        xobjects = [x.get_object() for x in xobjects.values()]
        if len(xobjects) == 1 and xobjects[0].get('/Subtype') == '/Image':
            raw = _raw_image(xobjects[0])
            if raw is not None:
                return raw
        # pypdf decodes every image of the page (and encodes it again)
        images = list(page.images)
        if len(images) != 1:
            return None
        data = images[0].data
    except Exception:
        # Unusual encodings (JBIG2, CCITT variants) are rendered instead
        return None
    if file_kind(data) is None:
        return None
    return data


# PIL modes of the 8-bit colour spaces a scan's pixels are read from
PIXEL_MODES = {'/DeviceGray': ('L', 1), '/DeviceRGB': ('RGB', 3)}


def _raw_image(xobject):
    """The image XObject as tesseract reads it fastest, or None: a JPEG as
    it is stored, 8-bit pixels as a grey PGM. pypdf's own ``data``
    encodes a PNG from the pixels first (0.15 s an A4 page at 200 dpi),
    which tesseract decodes again; grey pixels also spare tesseract
    about 5 % against colour ones."""
    from PIL import Image
    filters = xobject.get('/Filter')
    if not isinstance(filters, list):
        filters = [filters]
    if filters == ['/DCTDecode']:
        return xobject.get_data()
    mode = PIXEL_MODES.get(xobject.get('/ColorSpace'))
    if (mode is None or xobject.get('/BitsPerComponent') != 8
            or xobject.get('/SMask') is not None
            or xobject.get('/Decode') is not None
            or not set(filters) <= {'/FlateDecode', '/ASCII85Decode',
                '/ASCIIHexDecode', None}):
        return None
    size = int(xobject['/Width']), int(xobject['/Height'])
    pixels = xobject.get_data()
    if len(pixels) != size[0] * size[1] * mode[1]:
        return None
    image = Image.frombytes(mode[0], size, pixels)
    if image.mode != 'L':
        image = image.convert('L')
    output = io.BytesIO()
    image.save(output, 'PPM')
    return output.getvalue()


def _render_page(data, number):
    """PGM of page number (from 1) of the PDF data, in grey: raw pixels,
    2.5 times faster to write than a PNG at 300 dpi, which tesseract
    would only decompress again"""
    return _run(['pdftoppm', '-f', str(number), '-l', str(number),
            '-r', str(OCR_DPI), '-gray', '-'], data)


def _ocr_image(image):
    # No second pass over each line looking for white on black text:
    # about 15 % of the time, and official scans have none
    return _run(['tesseract', 'stdin', 'stdout', '-l', OCR_LANGUAGE,
            '-c', 'tessedit_do_invert=0'], image).decode('utf-8', errors='replace')


def _run(command, data):
    if not shutil.which(command[0]):
        raise TextError('ocr_missing')
    try:
        process = subprocess.run(command, input=data, capture_output=True,
            timeout=OCR_PAGE_TIMEOUT, env=OCR_ENV)
    except subprocess.TimeoutExpired as exception:
        raise TextError('ocr_failed',
            detail=f"{command[0]} quá {OCR_PAGE_TIMEOUT} giây") from exception
    except OSError as exception:
        raise TextError('ocr_failed', detail=str(exception)) from exception
    if process.returncode:
        detail = process.stderr.decode('utf-8', errors='replace').strip()
        if 'Failed loading language' in detail or 'Error opening data' \
                in detail:
            raise TextError('ocr_missing')
        raise TextError('ocr_failed',
            detail=(detail.splitlines() or [command[0]])[-1][:200])
    return process.stdout


def _clean(text):
    "NFC (pypdf may give decomposed accents) and no empty lines"
    text = unicodedata.normalize('NFC', text.replace('\x00', ''))
    return '\n'.join(line.strip() for line in text.splitlines()
        if line.strip())
