# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""PAdES signing of administrative documents, without the database.

Nghị định 30/2020: the competent person signs (visible signature image),
the clerk gives the number and date and applies the organisation's
signature with the seal image; the receiver checks every signature. Built
on pyHanko, following the verified workflow of spec/pyhanko.md. Every
function takes and returns bytes; errors are `SignatureError`s (a `code`
for programs, a Vietnamese `message` for users) and leave nothing behind.

Drafting::

    draft = reserve_fields(pdf, Reservation(
        number=Box(...), date=Box(...), leader=Box.signature_at(page, x, y)))
    draft = reserve_fields(pdf, standard_reservation(pdf))  # ND30 A4 places
    draft = make_draft(...)             # a sample document, tests and demo

Signing (methods 1 and 2; method 3 is below)::

    signer = Signer.from_pkcs12(pfx_bytes, password)
    with Signer.from_pkcs11(lib, token_label, pin, key_label) as signer: ...
    pdf = sign_leader(draft, signer, Appearance(image=signature_png),
                      tsa=None)          # PAdES B-B, or B-T with a TSA URL
    pdf = seal(pdf, org_signer, Appearance(image=seal_png),
               number=125, date=date)    # fill + seal in one revision
    pdf = fill_number(pdf, number, date) # fill alone (own revision)
    pdf = seal_annex(annex_pdf, org_signer, "125/QĐ-UBND")
    pdf = seal_copy(copy_pdf, org_signer, "SAO Y")

Remote / interrupted signing (USB token plugin, mobile signing)::

    prepared, pending = prepare_external(pdf, 'leader', appearance,
                                         certificate=cert_der)
    # send pending.to_sign (raw) or pending.document_digest (CMS) away;
    # store `prepared` and `pending.to_dict()` (JSON)
    pdf = embed_external(prepared, pending, signature=raw)   # or cms=der

Verification and archiving::

    report = verify(pdf, trust_roots=[root_der], policy=Policy())
    report.valid, report.signatures[i].reasons, report.to_json()
    pdf = add_ltv(pdf, trust_roots, tsa=url)    # PAdES B-LT / B-LTA

Field names, box geometry and reason codes are in layout.py and
verification.py (REASONS); the test PKI (generated at run time, no key
committed) is in testpki.py. `async_verify`, `async_add_ltv` and
`async_prepare_external` serve callers inside an event loop.
"""
from .appearance import Appearance
from .draft import (
    has_reservation, make_draft, reserve_fields, standard_reservation)
from .errors import (
    DocumentError, ExternalSignatureError, SignatureError, SignerError)
from .external import (
    PendingSignature, async_prepare_external, embed_external,
    prepare_external)
from .layout import (
    FIELD_DATE, FIELD_LEADER, FIELD_NUMBER, FIELD_ORGANIZATION, Box,
    Reservation)
from .ltv import add_ltv, async_add_ltv
from .signer import Signer
from .signing import fill_number, seal, seal_annex, seal_copy, sign_leader
from .verification import (
    REASONS, Policy, Report, SignatureReport, async_verify, verify)

__all__ = [
    'Appearance', 'Box', 'Reservation', 'make_draft', 'reserve_fields',
    'standard_reservation', 'has_reservation',
    'Signer', 'sign_leader', 'fill_number', 'seal', 'seal_annex', 'seal_copy',
    'prepare_external', 'async_prepare_external', 'embed_external',
    'PendingSignature', 'verify', 'async_verify', 'Policy', 'Report',
    'SignatureReport', 'REASONS', 'add_ltv', 'async_add_ltv',
    'SignatureError', 'SignerError', 'DocumentError',
    'ExternalSignatureError', 'FIELD_NUMBER', 'FIELD_DATE', 'FIELD_LEADER',
    'FIELD_ORGANIZATION']
