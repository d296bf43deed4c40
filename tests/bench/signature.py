# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""Benchmark of the PAdES pipeline (vb_signature.pades), no database.

For a 2-page and a 50-page document: the leader's signature (B-B), the
clerk's fill + seal (one revision) and the verification of both signatures
offline (hard-fail, CRLs supplied, modification analysis on), each against
the bare pyHanko calls doing the same work (spec/pyhanko.md §10: cached
key, 1000-upm subset font, a fresh ValidationContext per signature).

Targets (issue "vb_signature"): leader ≤ 150 ms, fill + seal ≤ 400 ms,
verification ≤ 250 ms, each ≤ 1.3× the bare call; peak memory ≤ 200 MB
for the 50-page file.

Each size runs in its own process (so its peak RSS is its own); one
warm-up run, then the pipeline and the bare calls alternate run after run
and the medians are reported.
Python-heap peaks come from a separate tracemalloc pass, which slows
pyHanko, so they are not timed. Prints JSON.

    python tests/bench/signature.py [--quick] [--pages 2 50] [--runs 9]

The CPU is shared: run the full benchmark only when asked to.
"""
import argparse
import io
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc

TARGETS_MS = {'leader_sign': 150, 'fill_and_seal': 400, 'verify_both': 250}
TARGET_RATIO = 1.3
TARGET_RSS_MB = 200


def _setup(pages):
    from trytond.modules.vb_signature.pades import Appearance, make_draft
    from trytond.modules.vb_signature.pades.testpki import TestPKI
    # No server: CRLs are given offline, and no URL is fetched
    pki = TestPKI('http://127.0.0.1:9')
    return {
        'pki': pki,
        'draft': make_draft(pages=pages),
        'leader': pki.signer('leader'),
        'org': pki.signer('org'),
        'signature': Appearance(image=pki.signature_png()),
        'seal': Appearance(image=pki.seal_png()),
        'roots': [pki.der('root')],
        'crls': pki.crls(),
    }


# The pipeline

def pipeline_ops(env):
    import datetime as dt
    from trytond.modules.vb_signature.pades import (
        Policy, seal, sign_leader, verify)
    policy = Policy(fetch=False, crls=env['crls'])
    state = {}

    def leader_sign():
        state['signed'] = sign_leader(env['draft'], env['leader'],
            env['signature'])

    def fill_and_seal():
        state['issued'] = seal(state['signed'], env['org'], env['seal'],
            number=125, date=dt.date(2026, 3, 5))

    def verify_both():
        report = verify(state['issued'], env['roots'], policy)
        assert report.valid and len(report.signatures) == 2

    return [('leader_sign', leader_sign), ('fill_and_seal', fill_and_seal),
        ('verify_both', verify_both)]


# The same work with bare pyHanko calls (pyhanko.md §4–6)

def bare_ops(env):
    from asn1crypto import x509
    from pyhanko.pdf_utils.form_tools import populate_static_text_field
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign import fields, signers
    from pyhanko.sign.diff_analysis import DEFAULT_DIFF_POLICY
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext
    from trytond.modules.vb_signature.pades.appearance import (
        field_style, leader_style, seal_style)
    root = x509.Certificate.load(env['roots'][0])
    state = {}

    def leader_sign():
        meta = signers.PdfSignatureMetadata(field_name='ChuKyLanhDao',
            md_algorithm='sha256', subfilter=fields.SigSeedSubFilter.PADES,
            certify=True, docmdp_permissions=fields.MDPPerm.FILL_FORMS,
            reason="Ký ban hành văn bản")
        writer = IncrementalPdfFileWriter(io.BytesIO(env['draft']))
        output = io.BytesIO()
        signers.PdfSigner(meta, signer=env['leader'].pyhanko_signer,
            stamp_style=leader_style(env['signature'].image)).sign_pdf(
            writer, existing_fields_only=True, output=output,
            appearance_text_params={'vb_text': "Ký bởi: Nguyễn Văn An"})
        state['signed'] = output.getvalue()

    def fill_and_seal():
        writer = IncrementalPdfFileWriter(io.BytesIO(state['signed']))
        populate_static_text_field(writer, 'SoVanBan',
            field_style('ALIGN_MAX'), "125")
        populate_static_text_field(writer, 'NgayBanHanh',
            field_style('ALIGN_MIN'), "ngày 05 tháng 3 năm 2026")
        meta = signers.PdfSignatureMetadata(field_name='ChuKyCoQuan',
            md_algorithm='sha256', subfilter=fields.SigSeedSubFilter.PADES,
            docmdp_permissions=fields.MDPPerm.NO_CHANGES,
            reason="Phát hành văn bản")
        output = io.BytesIO()
        signers.PdfSigner(meta, signer=env['org'].pyhanko_signer,
            stamp_style=seal_style(env['seal'].image)).sign_pdf(writer,
            existing_fields_only=True, output=output)
        state['issued'] = output.getvalue()

    def verify_both():
        reader = PdfFileReader(io.BytesIO(state['issued']))
        ok = True
        for embedded in reader.embedded_signatures:
            context = ValidationContext(trust_roots=[root],
                crls=env['crls'], revocation_mode='hard-fail')
            status = validate_pdf_signature(embedded, context,
                diff_policy=DEFAULT_DIFF_POLICY)
            ok &= status.bottom_line
        assert ok

    return [('leader_sign', leader_sign), ('fill_and_seal', fill_and_seal),
        ('verify_both', verify_both)]


def _time(variants, runs):
    """Median ms per operation of each variant, alternating the variants
    run after run so that machine noise hits them alike; one untimed
    warm-up run first (imports, font cache, first parse)."""
    for ops in variants.values():
        for _name, op in ops:
            op()
    times = {key: {name: [] for name, _ in ops}
        for key, ops in variants.items()}
    for _ in range(runs):
        for key, ops in variants.items():
            for name, op in ops:
                start = time.perf_counter()
                op()
                times[key][name].append((time.perf_counter() - start) * 1000)
    return {key: {name: round(statistics.median(values), 1)
            for name, values in per_op.items()}
        for key, per_op in times.items()}


def _heap_peak(ops):
    tracemalloc.start()
    peaks = {}
    for name, op in ops:
        tracemalloc.reset_peak()
        op()
        peaks[name] = round(tracemalloc.get_traced_memory()[1] / 2**20, 1)
    tracemalloc.stop()
    return peaks


def run_case(pages, runs):
    "One size, in this process; return its figures"
    env = _setup(pages)
    medians = _time({'pipeline': pipeline_ops(env), 'bare': bare_ops(env)},
        runs)
    pipeline_ms, bare_ms = medians['pipeline'], medians['bare']
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    heap = _heap_peak(pipeline_ops(env))
    return {
        'pages': pages,
        'draft_kb': round(len(env['draft']) / 1024),
        'pipeline_ms': pipeline_ms,
        'bare_pyhanko_ms': bare_ms,
        'ratio': {k: round(pipeline_ms[k] / bare_ms[k], 2)
            for k in pipeline_ms},
        'peak_rss_mb': round(rss, 1),
        'python_heap_peak_mb': heap,
    }


def _verdict(case):
    ok = {}
    for name, target in TARGETS_MS.items():
        ok[name] = (case['pipeline_ms'][name] <= target
            and case['ratio'][name] <= TARGET_RATIO)
    ok['memory'] = case['peak_rss_mb'] <= TARGET_RSS_MB
    return ok


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--quick', action='store_true',
        help="3 runs per operation instead of 9")
    parser.add_argument('--pages', type=int, nargs='+')
    parser.add_argument('--runs', type=int, default=9)
    parser.add_argument('--case', type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    runs = 3 if args.quick else args.runs
    if args.case:
        print(json.dumps(run_case(args.case, runs)))
        return
    pages = args.pages or [2, 50]
    cases = []
    env = dict(os.environ)
    # The prepared fonts are cached on disk; keep them across the cases
    env.setdefault('VBDH_CACHE_DIR', os.path.join(tempfile.gettempdir(),
        f'vbdh-{os.getuid()}'))
    for size in pages:
        child = subprocess.run([sys.executable, __file__, '--case',
            str(size), '--runs', str(runs)], capture_output=True, text=True,
            env=env)
        if child.returncode:
            sys.stderr.write(child.stderr)
            sys.exit(child.returncode)
        case = json.loads(child.stdout.strip().splitlines()[-1])
        case['within_targets'] = _verdict(case)
        cases.append(case)
    print(json.dumps({
        'benchmark': 'vb_signature.pades',
        'runs': runs,
        'targets': {'ms': TARGETS_MS, 'ratio': TARGET_RATIO,
            'peak_rss_mb': TARGET_RSS_MB},
        'cases': cases,
    }, ensure_ascii=False, indent=1))


if __name__ == '__main__':
    main()
