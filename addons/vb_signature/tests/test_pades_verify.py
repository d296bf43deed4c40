# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""Verification at the recipient: a valid issued document, the revocation
policies, a tampering corpus generated here (each case detected with its
reason) and long-term validation data (B-LT/B-LTA)."""
import asyncio
import hashlib
import json
import re

import pytest

from trytond.modules.vb_signature.pades import (
    FIELD_LEADER, FIELD_NUMBER, FIELD_ORGANIZATION, REASONS, Policy,
    SignatureError, add_ltv, make_draft, prepare_external, seal, sign_leader,
    verify)

from .pades_tools import ISSUE_DATE, field, reader, update


def _codes(report):
    return {s.field: s.codes for s in report.signatures}


# The good path

def test_issued_document_is_valid_with_a_full_report(pades, issued, online):
    before = dict(pades.server.requests)
    report = verify(issued.issued, pades.roots)
    assert report.valid, report.to_json()
    assert report.codes == [] and report.checked_at.endswith('+07:00')
    leader, organization = report.signatures
    assert (leader.kind, leader.field) == ('leader', FIELD_LEADER)
    assert leader.signer == "Nguyễn Văn An"
    assert leader.organization == "Ủy ban nhân dân tỉnh Thử Nghiệm"
    assert leader.issuer == "CA chuyên dùng Chính phủ (TEST)"
    assert leader.serial == format(
        pades.pki.certs['leader'].serial_number, 'X')
    assert leader.signing_time.endswith('+07:00')
    assert leader.timestamp is None  # B-B
    assert (leader.status, leader.reasons) == ('valid', [])
    # The clerk's update is the only change after the leader's signature
    assert leader.modification == 'FORM_FILLING'
    assert leader.changed_fields == sorted(
        [FIELD_NUMBER, 'NgayBanHanh', FIELD_ORGANIZATION])
    # Plain strings, not pyHanko's objects tied to the PDF (which
    # to_dict() would deep-copy with the whole file)
    assert {type(v) for v in [leader.field, *leader.changed_fields]} == {
        str}
    assert (organization.kind, organization.modification) == (
        'organization', 'NONE')
    assert organization.signer == "Ủy ban nhân dân tỉnh Thử Nghiệm"
    # Revocation was really checked online: OCSP for the signers, CRL for
    # the intermediate
    assert pades.server.requests.get('ocsp', 0) > before.get('ocsp', 0)
    assert pades.server.requests.get('crl', 0) > before.get('crl', 0)
    stored = json.loads(report.to_json())
    assert stored['signatures'][0]['signer'] == "Nguyễn Văn An"
    assert "Nguyễn" in report.to_json()  # readable Vietnamese


def test_one_fetch_a_document(pades, issued, online):
    "The leader's and the seal's chains share the CA's CRL: fetched once"
    before = dict(pades.server.requests)
    report = verify(issued.issued, pades.roots)
    assert report.valid, report.to_json()

    def fetched(kind):
        return pades.server.requests.get(kind, 0) - before.get(kind, 0)
    assert fetched('crl') == 1
    assert fetched('ocsp') == 2  # one a signer


def test_revocation_data_offline_or_missing(pades, issued, online):
    offline = Policy(fetch=False, crls=pades.pki.crls())
    assert verify(issued.issued, pades.roots, offline).valid
    # Hard-fail: no data at all, or the responders down, is not "valid"
    online.online = False
    for policy in (Policy(fetch=False), Policy()):
        report = verify(issued.issued, pades.roots, policy)
        assert not report.valid
        assert all(s.codes == ['revocation_unknown']
            for s in report.signatures), report.to_json()
        assert report.signatures[0].reasons == [REASONS['revocation_unknown']]


def test_soft_fail_would_accept_a_revoked_certificate(pades, issued, online):
    "Why hard-fail is the default (pyhanko.md P1)"
    revoked = sign_leader(issued.draft, pades.signer('revoked'),
        pades.leader_appearance())
    online.online = False
    lenient = verify(revoked, pades.roots, Policy(revocation='soft-fail'))
    assert lenient.valid
    strict = verify(revoked, pades.roots)
    assert not strict.valid
    online.online = True
    assert _codes(verify(revoked, pades.roots))[FIELD_LEADER] == ['revoked']
    with pytest.raises(SignatureError) as info:
        Policy(revocation='off')
    assert info.value.code == 'bad_policy'


def test_inputs_that_are_not_signed_documents(pades, issued):
    assert verify(b'hello', pades.roots).codes == ['not_pdf']
    assert verify(make_draft(), pades.roots).codes == ['no_signature']
    with pytest.raises(SignatureError) as info:
        verify(issued.issued, [])
    assert info.value.code == 'no_trust_roots'
    with pytest.raises(SignatureError) as info:
        verify(issued.issued, pades.roots, Policy(crls=[b'not a CRL']))
    assert info.value.code == 'bad_revocation_data'


# The tampering corpus: each builder returns the tampered bytes

def _unchecked(pades, label):
    "A signer whose own pre-signing checks are off, as an attacker's tool"
    signer = pades.signer(label)
    signer.check_usable = lambda when: None
    return signer


def changed_text(pades, issued):
    data = issued.issued
    start = data.index(b'30/2020')  # in the body text of page 1
    assert start < reader(data).embedded_signatures[0].byte_range[1]
    return data[:start] + b'80/2020' + data[start + 7:]


def extra_page(pades, issued):
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.generic import pdf_name

    def add(writer):
        content = writer.add_object(generic.StreamObject(
            stream_data=b'BT /F1 24 Tf 72 700 Td (Dieu 9 bo sung) Tj ET'))
        writer.insert_page(generic.DictionaryObject({
            pdf_name('/Type'): pdf_name('/Page'),
            pdf_name('/MediaBox'): generic.ArrayObject(
                generic.NumberObject(v) for v in (0, 0, 595, 842)),
            pdf_name('/Resources'): generic.DictionaryObject(),
            pdf_name('/Contents'): content}))
    return update(issued.issued, add)


def replaced_image(pades, issued):
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.generic import pdf_name

    def swap(writer):
        for ref in writer.root['/AcroForm']['/Fields']:
            if str(ref.get_object()['/T']) == FIELD_LEADER:
                widget = ref.get_object()
        ap_ref = widget['/AP'].raw_get('/N')
        xobjects = ap_ref.get_object()['/Resources']['/XObject']
        name = next(iter(xobjects))
        # Another person's "signature": one red pixel stretched
        xobjects[name] = writer.add_object(generic.StreamObject({
            pdf_name('/Type'): pdf_name('/XObject'),
            pdf_name('/Subtype'): pdf_name('/Image'),
            pdf_name('/Width'): generic.NumberObject(1),
            pdf_name('/Height'): generic.NumberObject(1),
            pdf_name('/ColorSpace'): pdf_name('/DeviceRGB'),
            pdf_name('/BitsPerComponent'): generic.NumberObject(8),
            }, stream_data=b'\xff\x00\x00'))
        writer.mark_update(ap_ref)
    return update(issued.issued, swap)


def second_revision(pades, issued):
    from pyhanko.pdf_utils import generic

    def rewrite(writer):
        page_ref = writer.find_page_for_modification(0)[0]
        page = page_ref.get_object()
        text = page['/Contents'].data.replace(b'30/2020', b'80/2020')
        page['/Contents'] = writer.add_object(
            generic.StreamObject(stream_data=text))
        writer.mark_update(page_ref)
    return update(issued.issued, rewrite)


def number_changed_after_seal(pades, issued):
    from pyhanko.pdf_utils.generic import pdf_string

    def renumber(writer):
        for ref in writer.root['/AcroForm']['/Fields']:
            if str(ref.get_object()['/T']) == FIELD_NUMBER:
                ref.get_object()['/V'] = pdf_string('725')
                writer.mark_update(ref)
    return update(issued.issued, renumber)


def third_signature_after_leader(pades, issued):
    "Someone else signs in a new field between the leader and the clerk"
    from pyhanko.sign import fields, signers
    import io
    from pyhanko.pdf_utils.incremental_writer import (
        IncrementalPdfFileWriter)
    writer = IncrementalPdfFileWriter(io.BytesIO(issued.signed))
    output = io.BytesIO()
    signers.PdfSigner(signers.PdfSignatureMetadata(field_name='ChuKyKhac',
            subfilter=fields.SigSeedSubFilter.PADES),
        signer=pades.signer('org').pyhanko_signer,
        new_field_spec=fields.SigFieldSpec('ChuKyKhac')).sign_pdf(writer,
        output=output)
    return output.getvalue()


def other_field_after_unlocked_leader(pades, issued):
    """A draft from elsewhere: no field lock on the leader's field and an
    extra text field, filled after the leader signed. pyHanko accepts it
    as form filling; the workflow's rule does not."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.form_tools import populate_static_text_field
    from pyhanko.pdf_utils.generic import pdf_name, pdf_string
    from trytond.modules.vb_signature.pades.appearance import field_style

    def unlock_and_add(writer):
        fields = writer.root['/AcroForm']['/Fields']
        for ref in fields:
            if str(ref.get_object()['/T']) == FIELD_LEADER:
                del ref.get_object()['/Lock']
                writer.mark_update(ref)
        page_ref = writer.find_page_for_modification(0)[0]
        note = writer.add_object(generic.DictionaryObject({
            pdf_name('/FT'): pdf_name('/Tx'), pdf_name('/T'): pdf_string(
                'GhiChu'), pdf_name('/Type'): pdf_name('/Annot'),
            pdf_name('/Subtype'): pdf_name('/Widget'),
            pdf_name('/F'): generic.NumberObject(4), pdf_name('/P'): page_ref,
            pdf_name('/Rect'): generic.ArrayObject(generic.NumberObject(v)
                for v in (100, 100, 300, 120)),
            pdf_name('/DA'): pdf_string('/Helv 0 Tf 0 g')}))
        writer.register_annotation(page_ref, note)
        fields.append(note)
        writer.update_container(fields)
    draft = update(issued.draft, unlock_and_add)
    signed = sign_leader(draft, pades.signer('leader'),
        pades.leader_appearance())
    return update(signed, lambda writer: populate_static_text_field(
        writer, 'GhiChu', field_style('ALIGN_MIN'), "Cấp thêm 10 tỷ đồng"))


def byte_range_gap(pades, issued):
    "A validly signed ByteRange that leaves the end of its revision out"
    prepared, pending = prepare_external(issued.draft, 'leader',
        pades.leader_appearance(), certificate=pades.pki.der('leader'),
        chain=[pades.pki.der('interm'), pades.pki.der('root')])
    data = bytearray(prepared)
    match = list(re.finditer(rb'/ByteRange \[(0 (\d+) (\d+) (\d+))\s*\]',
        data))[-1]
    a, b, c = (int(match.group(i)) for i in (2, 3, 4))
    assert data[a:a + 1] == b'<' and data[b - 1:b] == b'>'
    short = b'0 %d %d %d' % (a, b, c - 40)
    data[match.start(1):match.end(1)] = short.ljust(len(match.group(1)))
    digest = hashlib.sha256(bytes(data[:a] + data[b:b + c - 40])).digest()
    cms = asyncio.run(pades.signer('leader').pyhanko_signer.async_sign(
        digest, 'sha256', use_pades=True)).dump().hex().encode()
    assert len(cms) <= b - a - 2
    data[a + 1:a + 1 + len(cms)] = cms
    return bytes(data)


def trailing_bytes(pades, issued):
    return issued.issued + b'\n% unsigned data appended\n1 0 obj (x) endobj\n'


def truncated(pades, issued):
    return issued.issued[:-1500]


def leader_by(label):
    def build(pades, issued):
        return sign_leader(issued.draft, _unchecked(pades, label),
            pades.leader_appearance())
    build.__name__ = label
    return build


CORPUS = [
    # builder, expected codes per signature field (None: the file's codes)
    (changed_text, {FIELD_LEADER: 'not_intact',
        FIELD_ORGANIZATION: 'not_intact'}),
    (extra_page, {FIELD_LEADER: 'modified',
        FIELD_ORGANIZATION: 'changed_after_seal'}),
    (replaced_image, {FIELD_LEADER: 'modified',
        FIELD_ORGANIZATION: 'changed_after_seal'}),
    (leader_by('other_signer'), {FIELD_LEADER: 'untrusted'}),
    (leader_by('expired'), {FIELD_LEADER: 'expired'}),
    (leader_by('revoked'), {FIELD_LEADER: 'revoked'}),
    (leader_by('wrong_usage'), {FIELD_LEADER: 'key_usage'}),
    (second_revision, {FIELD_LEADER: 'modified',
        FIELD_ORGANIZATION: 'changed_after_seal'}),
    (number_changed_after_seal, {FIELD_ORGANIZATION: 'changed_after_seal'}),
    (third_signature_after_leader, {FIELD_LEADER: 'modified'}),
    (other_field_after_unlocked_leader, {FIELD_LEADER: 'forbidden_fields'}),
    (byte_range_gap, {FIELD_LEADER: 'coverage'}),
    (trailing_bytes, {None: 'uncovered_bytes'}),
    (truncated, {None: 'damaged'}),
]


@pytest.mark.parametrize('build, expected', CORPUS,
    ids=[build.__name__ for build, _ in CORPUS])
def test_tampering_is_detected(pades, issued, online, build, expected):
    report = verify(build(pades, issued), pades.roots)
    assert not report.valid, report.to_json()
    codes = _codes(report)
    for name, code in expected.items():
        found = report.codes if name is None else codes[name]
        assert code in found, report.to_json()
        reasons = (report.reasons if name is None else next(
            s.reasons for s in report.signatures if s.field == name))
        assert reasons[found.index(code)].split(':')[0] in REASONS[code]


def test_each_signature_counts(pades, issued, online):
    "A later change the leader's signature allows still fails the seal"
    report = verify(number_changed_after_seal(pades, issued), pades.roots)
    leader, organization = report.signatures
    assert leader.valid and not organization.valid and not report.valid
    assert str(field(number_changed_after_seal(pades, issued),
        FIELD_NUMBER)['/V']) == '725'


def test_revoked_detected_from_an_offline_crl(pades, issued, online):
    revoked = sign_leader(issued.draft, pades.signer('revoked'),
        pades.leader_appearance())
    online.online = False
    report = verify(revoked, pades.roots,
        Policy(fetch=False, crls=pades.pki.crls()))
    assert _codes(report) == {FIELD_LEADER: ['revoked']}


# Long-term validation

def test_ltv_document_validates_offline(pades, issued, online):
    tsa = pades.server.tsa_url
    signed = sign_leader(issued.draft, pades.signer('leader'),
        pades.leader_appearance(), tsa=tsa)
    sealed = seal(signed, pades.signer('org'), pades.seal_appearance(),
        number=125, date=ISSUE_DATE, tsa=tsa)
    archived = add_ltv(sealed, pades.roots, tsa=tsa)
    dss = reader(archived).root['/DSS']
    assert len(dss['/Certs']) >= 4 and len(dss['/OCSPs']) >= 2
    assert len(dss['/CRLs']) >= 1
    # The services are gone: everything comes from the file itself
    online.online = False
    report = verify(archived, pades.roots, Policy(fetch=False))
    assert report.valid, report.to_json()
    assert [s.kind for s in report.signatures] == [
        'leader', 'organization', 'timestamp']
    assert report.signatures[1].modification == 'LTA_UPDATES'
    assert report.signatures[2].signer == "TSA Thử nghiệm (TEST)"
    # Fetching on but unreachable: the embedded data is used instead
    assert verify(archived, pades.roots).valid
    # Without the validation data the same document cannot be checked
    assert not verify(sealed, pades.roots, Policy(fetch=False)).valid


def test_ltv_refuses_a_revoked_signature(pades, issued, online):
    revoked = sign_leader(issued.draft, pades.signer('revoked'),
        pades.leader_appearance())
    with pytest.raises(SignatureError) as info:
        add_ltv(revoked, pades.roots, tsa=pades.server.tsa_url)
    assert info.value.code == 'ltv_failed'
