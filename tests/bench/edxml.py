# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""Benchmark of the edXML library of vb_lgsp (no database).

Two packages: a one-page document (a 60 KB signed PDF — its fonts and
signature simulated by random bytes — a Word annex and a text note) and a
10 MB one (a 7.4 MB PDF). For each: build and parse throughput, parse
(which validates everything: XML, fields, base64, declared types, zips)
against a bare ``lxml.etree.fromstring`` of the same bytes (target ≤ 2×),
parse plus decoding every file, and, for the 10 MB package, the peak
memory of a fresh process that reads the file, parses it and decodes the
attachments (peak resident memory above the process's baseline, the input
included; target ≤ 3× the package size; a bare lxml parse of the same file
is given for reference).

    .venv/bin/python tests/bench/edxml.py [--quick | --stages]

Prints one JSON object; with --stages, the CPU time of each stage of a
one-page parse instead (cutting the files out, libxml2's tree of the rest,
the limits' XPath, the Nodes, the fields, the attachments).
"""
import argparse
import gc
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

from lxml import etree

from trytond.modules.vb_lgsp.edxml import Attachment, build, parse
from trytond.modules.vb_lgsp.tests.edxml_factory import document, pdf_bytes

TARGET_RATIO = 2.0
TARGET_MEMORY = 3.0


def one_page():
    pdf = pdf_bytes() + os.urandom(60_000) + b'\n%%EOF\n'
    package = document()
    package.attachments[0] = Attachment('125-UBND-VP.signed.pdf', pdf,
        description='Văn bản chính')
    return package


def ten_megabytes():
    pdf = pdf_bytes() + os.urandom(7_400_000) + b'\n%%EOF\n'
    return document(attachments=[Attachment('125-UBND-VP.signed.pdf', pdf,
        description='Văn bản chính')])


def rounds_of(function, repeat, number):
    """Seconds per call of each of `repeat` rounds of `number` calls.

    CPU time of this process, not wall time: on a shared machine the time
    spent waiting for a processor is not the parser's, and the ratios to
    the bare parse would depend on the others' load."""
    function()
    rounds = []
    for _ in range(repeat):
        gc.collect()
        start = time.process_time()
        for _ in range(number):
            function()
        rounds.append((time.process_time() - start) / number)
    return rounds


def timed(function, repeat, number):
    "Median seconds per call over `repeat` rounds of `number` calls"
    return statistics.median(rounds_of(function, repeat, number))


def measure(package, repeat, number):
    data = build(package)
    size = len(data)
    # A plain secure parser (huge_tree only lifts libxml2's 10 MB limit on
    # one text node, which the 10 MB package's PDF exceeds)
    bare_parser = etree.XMLParser(resolve_entities=False, no_network=True,
        huge_tree=True)

    def parse_and_decode():
        for attachment in parse(data).attachments:
            attachment.data

    build_s = timed(lambda: build(package), repeat, number)
    parse_s = timed(lambda: parse(data), repeat, number)
    bare_s = timed(lambda: etree.fromstring(data, bare_parser), repeat,
        number)
    decode_s = timed(parse_and_decode, repeat, number)
    return {
        'package_bytes': size,
        'build_ms': round(build_s * 1e3, 3),
        'build_per_s': round(1 / build_s, 1),
        'build_mb_per_s': round(size / build_s / 1e6, 1),
        'parse_ms': round(parse_s * 1e3, 3),
        'parse_per_s': round(1 / parse_s, 1),
        'parse_mb_per_s': round(size / parse_s / 1e6, 1),
        'bare_lxml_ms': round(bare_s * 1e3, 3),
        'parse_vs_bare_lxml': round(parse_s / bare_s, 2),
        'parse_and_decode_ms': round(decode_s * 1e3, 3),
        'parse_and_decode_vs_bare_lxml': round(decode_s / bare_s, 2),
    }


def _memory():
    """(current, peak) resident bytes of this process.

    The peak is reset first where Linux allows it (/proc/self/clear_refs):
    imports leave a high-water mark above what they keep, which would hide
    what the parse adds. Elsewhere ru_maxrss is used."""
    try:
        with open('/proc/self/status') as status:
            fields = dict(line.split(':', 1) for line in status)
        return (int(fields['VmRSS'].split()[0]) * 1024,
            int(fields['VmHWM'].split()[0]) * 1024)
    except (OSError, KeyError):
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        return peak, peak


def _reset_peak():
    try:
        with open('/proc/self/clear_refs', 'w') as clear_refs:
            clear_refs.write('5')
    except OSError:
        pass


def memory_child(path, mode):
    "Run in a fresh process: peak memory to read and parse `path`"
    warm = build(document())
    parse(warm)
    etree.fromstring(warm)
    del warm
    gc.collect()
    _reset_peak()
    baseline, _ = _memory()
    with open(path, 'rb') as file:
        data = file.read()
    if mode == 'edxml':
        package = parse(data)
        for attachment in package.attachments:
            attachment.data
    else:
        etree.fromstring(data, etree.XMLParser(
            resolve_entities=False, no_network=True, huge_tree=True))
    _, peak = _memory()
    print(json.dumps({'peak_bytes': peak - baseline, 'size': len(data)}))


def measure_memory(package):
    data = build(package)
    with tempfile.NamedTemporaryFile(suffix='.edxml') as file:
        file.write(data)
        file.flush()
        results = {}
        for mode in ('edxml', 'lxml'):
            output = subprocess.run([sys.executable, __file__,
                    '--memory-child', file.name, mode],
                check=True, capture_output=True, text=True).stdout
            results[mode] = json.loads(output)
    size = len(data)
    ratio = results['edxml']['peak_bytes'] / size
    return {
        'package_bytes': size,
        'peak_bytes': results['edxml']['peak_bytes'],
        'peak_vs_size': round(ratio, 2),
        'bare_lxml_peak_vs_size': round(
            results['lxml']['peak_bytes'] / size, 2),
        'target': TARGET_MEMORY,
        'met': ratio <= TARGET_MEMORY,
    }


def stages(repeat=15, number=200):
    """CPU time of each stage of parsing the one-page package, each timed
    alone (best of `repeat` rounds of `number` calls, microseconds)"""
    from trytond.modules.vb_lgsp.edxml import parser as edxml_parser
    from trytond.modules.vb_lgsp.edxml import reader
    from trytond.modules.vb_lgsp.edxml.limits import DEFAULT_LIMITS

    limits = DEFAULT_LIMITS
    data = build(one_page())
    bare_parser = etree.XMLParser(resolve_entities=False, no_network=True,
        huge_tree=True)
    skeleton, cut = reader._cut_payloads(data, limits)
    tree = etree.fromstring(skeleton, reader._tree_parser())
    root = reader._read_tree(skeleton, limits, dict(cut))

    class Fields(edxml_parser._PackageReader):
        def attachments(self):
            return []

    def best(function):
        return round(min(rounds_of(function, repeat, number)) * 1e6, 1)

    def fields():
        return Fields(root, None, None, limits, False).read()

    def fields_and_attachments():
        return edxml_parser._PackageReader(root, None, None, limits,
            False).read()
    result = {
        'skeleton_bytes': len(skeleton),
        'elements': sum(1 for _ in tree.iter()),
        'bare_lxml_us': best(lambda: etree.fromstring(data, bare_parser)),
        'cut_us': best(lambda: reader._cut_payloads(data, limits)),
        'libxml2_tree_us': best(
            lambda: etree.fromstring(skeleton, reader._tree_parser())),
        'limits_xpath_us': best(lambda: reader._over_limits(tree, limits)),
        'nodes_us': best(
            lambda: reader._small_nodes(tree, limits, dict(cut))),
        'nodes_element_by_element_us': best(
            lambda: reader._general_nodes(tree, limits, dict(cut))),
        'fields_us': best(fields),
        'fields_and_attachments_us': best(fields_and_attachments),
        'parse_us': best(lambda: parse(data)),
    }
    result['attachments_us'] = round(result['fields_and_attachments_us']
        - result['fields_us'], 1)
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--quick', action='store_true',
        help='fewer repetitions (a few seconds)')
    parser.add_argument('--stages', action='store_true',
        help='only the time of each stage of a one-page parse')
    parser.add_argument('--memory-child', nargs=2, metavar=('FILE', 'MODE'),
        help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory_child:
        memory_child(*args.memory_child)
        return
    if args.stages:
        print(json.dumps(stages(), indent=2))
        return
    if args.quick:
        small_rounds, big_rounds = (5, 50), (3, 2)
    else:
        small_rounds, big_rounds = (9, 300), (7, 5)
    small = measure(one_page(), *small_rounds)
    big_package = ten_megabytes()
    big = measure(big_package, *big_rounds)
    for result in (small, big):
        result['target_parse_vs_bare_lxml'] = TARGET_RATIO
        result['met'] = result['parse_vs_bare_lxml'] <= TARGET_RATIO
    print(json.dumps({
        'benchmark': 'edxml',
        'quick': args.quick,
        'python': sys.version.split()[0],
        'lxml': '.'.join(map(str, etree.LXML_VERSION)),
        'cpus': os.cpu_count(),
        'one_page': small,
        'ten_megabytes': big,
        'memory_ten_megabytes': measure_memory(big_package),
    }, indent=2, ensure_ascii=False))


if __name__ == '__main__':
    main()
