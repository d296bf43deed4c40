# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"Vietnamese text folding for diacritic- and case-insensitive search"
import unicodedata


def normalize_vi(text):
    "Lower-case and strip Vietnamese diacritics (đ -> d)"
    if not text:
        return text
    text = text.replace('đ', 'd').replace('Đ', 'D')
    text = unicodedata.normalize('NFKD', text)
    return ''.join(c for c in text if not unicodedata.combining(c)).lower()
