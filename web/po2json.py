#!/usr/bin/env python3
"""Convert a gettext PO file into the JSON format loaded by sao.

The Tryton web client (sao) loads its UI translations from
``locale/<lang>.json`` with ``jQuery.getJSON``.  Upstream builds these files
with grunt-po2json using the ``raw`` format, which looks like::

    {
        "": {"language": "vi", "plural-forms": "...", ...},
        "<msgid>": [null, "<msgstr>"],
        "<msgid>": ["<msgid_plural>", "<msgstr[0]>", "<msgstr[1]>", ...]
    }

This script reproduces that output (it yields exactly the ``fr.json``
shipped in tryton-sao 8.0 from its ``fr.po``) so that no Node.js toolchain
is needed to deploy our ``web/locale/vi.po``.

Usage::

    python web/po2json.py web/locale/vi.po /path/to/sao/locale/vi.json
"""
import argparse
import json

import polib


def convert(po_path):
    """Return the sao/grunt-po2json "raw" dictionary for the PO file."""
    po = polib.pofile(po_path)
    # Header entry: keys are lower-cased ("Plural-Forms" -> "plural-forms"),
    # which is what gettext.js expects for "language" and "plural-forms".
    data = {'': {k.lower(): v for k, v in po.metadata.items()}}
    for e in po:
        # Like grunt-po2json: skip obsolete (#~), context-qualified, fuzzy
        # and untranslated entries; sao then falls back to the English msgid.
        if (e.obsolete or e.msgctxt is not None or 'fuzzy' in e.flags
                or not e.translated()):
            continue
        if e.msgid_plural:
            # [msgid_plural, msgstr[0], msgstr[1], ...] in plural-index order.
            data[e.msgid] = [e.msgid_plural] + [
                e.msgstr_plural[i] for i in sorted(e.msgstr_plural)]
        else:
            data[e.msgid] = [None, e.msgstr]
    return data


def main(argv=None):
    parser = argparse.ArgumentParser(
        description="Convert a PO file to sao's locale JSON format.")
    parser.add_argument('po', help="input .po file (e.g. web/locale/vi.po)")
    parser.add_argument('json', help="output .json file (e.g. vi.json)")
    args = parser.parse_args(argv)
    data = convert(args.po)
    # Compact UTF-8 JSON, the same layout as the files shipped with sao.
    with open(args.json, 'w', encoding='utf-8') as f:
        json.dump(data, f, ensure_ascii=False, separators=(',', ':'))


if __name__ == '__main__':
    main()
