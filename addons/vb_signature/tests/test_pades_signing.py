# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""The signing steps: draft reservations, leader, number + seal, annexes,
copies, remote signing primitives and the errors of each step."""
import datetime as dt
import hashlib
import io
import json

import pytest
from PIL import Image

from trytond.modules.vb_document.demo.pdf import render
from trytond.modules.vb_signature.pades import (
    FIELD_DATE, FIELD_LEADER, FIELD_NUMBER, FIELD_ORGANIZATION, Appearance,
    Box, DocumentError, ExternalSignatureError, PendingSignature,
    Reservation, SignatureError, Signer, SignerError, embed_external,
    fill_number, prepare_external, reserve_fields, seal,
    seal_annex, seal_copy, sign_leader, verify)
from trytond.modules.vb_signature.pades.layout import image_box, seal_box
from trytond.modules.vb_signature.pades.testpki import PASSWORD

from .pades_tools import (
    ISSUE_DATE, appearance_text, field, images, reader, revisions, signature,
    widget)


def _vietnamese(text):
    "A user message must be Vietnamese, with its diacritics"
    return any(c in text for c in 'ăâđêôơưĂÂĐÊÔƠƯáàảãạếềểễệốồổỗộớờởỡợứừửữự')


def _raises(error_class, code, call, *args, **kwargs):
    with pytest.raises(error_class) as info:
        call(*args, **kwargs)
    assert info.value.code == code, info.value.detail
    assert _vietnamese(info.value.message), info.value.message
    return info.value


# Drafts

def test_draft_reserves_number_date_and_both_signatures(issued):
    draft = issued.draft
    for name in (FIELD_NUMBER, FIELD_DATE):
        obj = field(draft, name)
        assert obj['/FT'] == '/Tx' and '/V' not in obj
    leader = field(draft, FIELD_LEADER)
    lock = leader['/Lock']
    assert lock['/Action'] == '/Exclude'
    assert sorted(str(f) for f in lock['/Fields']) == sorted(
        [FIELD_NUMBER, FIELD_DATE, FIELD_ORGANIZATION])
    organization = field(draft, FIELD_ORGANIZATION)
    assert organization['/Lock']['/Action'] == '/All'
    assert organization['/Lock']['/P'] == 1
    # The seal's right edge is one third into the signature image, and it
    # is drawn after (over) the leader's widget
    leader_rect = [float(v) for v in widget(leader)['/Rect']]
    seal_rect = [float(v) for v in widget(organization)['/Rect']]
    leader_box = Box(0, *leader_rect)
    image = image_box(leader_box)
    assert abs(seal_rect[2] - (image.x1 + image.width / 3)) <= 1
    assert seal_rect[0] < image.x1 < seal_rect[2] < image.x2
    page = widget(leader)['/P']
    annots = [a.get_object() for a in page['/Annots']]
    assert annots.index(widget(organization)) > annots.index(widget(leader))


def test_reserve_fields_on_an_existing_pdf():
    pdf = render("ỦY BAN NHÂN DÂN TỈNH THỬ NGHIỆM", "Công văn",
        "Về việc thử nghiệm")
    reservation = Reservation(number=Box(0, 70, 700, 110, 718),
        date=Box(0, 330, 700, 520, 718),
        leader=Box.signature_at(0, 320, 200))
    draft = reserve_fields(pdf, reservation)
    assert draft.startswith(pdf)  # an incremental update
    expected = seal_box(reservation.leader)
    assert [float(v) for v in widget(field(draft, FIELD_ORGANIZATION))[
        '/Rect']] == [round(v) for v in expected.rect]
    _raises(DocumentError, 'fields_exist', reserve_fields, draft, reservation)
    far = Reservation(reservation.number, reservation.date,
        Box.signature_at(5, 320, 200))
    _raises(DocumentError, 'page_out_of_range', reserve_fields, pdf, far)
    _raises(DocumentError, 'not_pdf', reserve_fields, b'not a pdf', far)


# The leader

def test_leader_signature_is_pades_certification_allowing_form_filling(
        pades, issued):
    from pyhanko.sign.fields import MDPPerm
    embedded = signature(issued.signed, FIELD_LEADER)
    assert embedded.sig_object['/SubFilter'] == '/ETSI.CAdES.detached'
    assert embedded.docmdp_level == MDPPerm.FILL_FORMS
    assert embedded.fieldmdp.action.name == 'EXCLUDE'
    signed = {a['type'].native for a in embedded.signer_info['signed_attrs']}
    assert {'content_type', 'message_digest',
        'signing_certificate_v2'} <= signed
    assert 'signing_time' not in signed  # PAdES: the time is /M
    assert not embedded.signer_info['unsigned_attrs'].native  # B-B
    # Signing time: /M at +07:00, the same instant as the stamp's ISO text
    claimed = embedded.self_reported_timestamp
    assert claimed.utcoffset() == dt.timedelta(hours=7)
    stamp = appearance_text(issued.signed, FIELD_LEADER)
    assert stamp == ["Ký bởi: Nguyễn Văn An",
        "Thời gian ký: " + claimed.isoformat(timespec='seconds')]
    assert stamp[1].endswith('+07:00')
    # The signature image keeps its transparency
    (picture,) = images(issued.signed, FIELD_LEADER)
    assert '/SMask' in picture and picture['/Width'] == 600
    assert embedded.signer_cert.subject.native['common_name'] == \
        "Nguyễn Văn An"


def test_leader_signature_with_timestamp_is_b_t(pades, issued, online):
    signed = sign_leader(issued.draft, pades.signer('leader'),
        pades.leader_appearance(), tsa=pades.server.tsa_url)
    embedded = signature(signed, FIELD_LEADER)
    unsigned = {a['type'].native
        for a in embedded.signer_info['unsigned_attrs']}
    assert unsigned == {'signature_time_stamp_token'}
    report = verify(signed, pades.roots)
    assert report.valid, report.to_json()
    leader = report.signature('leader')
    assert leader.timestamp and leader.timestamp.endswith('+07:00')


# The clerk

def test_number_date_and_seal_in_one_revision(pades, issued):
    pdf = issued.issued
    assert revisions(pdf) == revisions(issued.signed) + 1
    assert str(field(pdf, FIELD_NUMBER)['/V']) == '125'
    assert str(field(pdf, FIELD_DATE)['/V']) == 'ngày 05 tháng 3 năm 2026'
    # Static appearances in an embedded font, read-only
    assert appearance_text(pdf, FIELD_DATE) == ['ngày 05 tháng 3 năm 2026']
    assert int(field(pdf, FIELD_NUMBER)['/Ff']) & 1
    embedded = signature(pdf, FIELD_ORGANIZATION)
    assert embedded.signed_revision == revisions(pdf) - 1
    assert embedded.signer_cert.subject.native['common_name'] == \
        "Ủy ban nhân dân tỉnh Thử Nghiệm"
    (picture,) = images(pdf, FIELD_ORGANIZATION)
    assert '/SMask' in picture
    assert appearance_text(pdf, FIELD_ORGANIZATION) == []  # seal only
    report = verify(pdf, pades.roots)
    assert report.valid, report.to_json()
    assert [s.kind for s in report.signatures] == ['leader', 'organization']


def test_signature_room_estimated_once_a_signer(pades, issued):
    """pyHanko's dry-run CMS that sizes a signature is built once for a
    signer, not at every signature; what it reserves still fits"""
    from unittest.mock import patch

    from pyhanko.sign.signers.pdf_signer import PdfSigningSession
    estimate = PdfSigningSession.estimate_signature_container_size
    calls = []

    async def counted(self, *args, **kwargs):
        cert = self.pdf_signer.signer.signing_cert
        calls.append(cert.subject.human_friendly)
        return await estimate(self, *args, **kwargs)

    with patch.object(PdfSigningSession,
            'estimate_signature_container_size', counted):
        sealed = [seal(issued.signed, pades.signer('org'),
                pades.seal_appearance(), number=n, date=ISSUE_DATE)
            for n in (126, 127)]
        other = seal(issued.signed, pades.signer('revoked'),
            pades.seal_appearance(), number=128, date=ISSUE_DATE)
    # The fixture's seal sized the organisation's; the other key's is
    # sized once (or was, by an earlier test of this process)
    org = (pades.signer('org').pyhanko_signer.signing_cert
        .subject.human_friendly)
    assert org not in calls and len(calls) <= 1
    for pdf in sealed:
        report = verify(pdf, pades.roots)
        assert report.valid, report.to_json()
    report = verify(other, pades.roots)
    leader, organization = report.signatures
    assert leader.valid and 'revoked' in organization.codes


def test_fill_number_alone_then_seal(pades, issued):
    filled = fill_number(issued.signed, 7, dt.date(2026, 1, 9))
    assert str(field(filled, FIELD_NUMBER)['/V']) == '07'
    assert str(field(filled, FIELD_DATE)['/V']) == 'ngày 09 tháng 01 năm 2026'
    leader_only = verify(filled, pades.roots)
    assert leader_only.valid, leader_only.to_json()
    assert leader_only.signatures[0].changed_fields == [FIELD_DATE,
        FIELD_NUMBER]
    sealed = seal(filled, pades.signer('org'), pades.seal_appearance())
    report = verify(sealed, pades.roots)
    assert report.valid, report.to_json()
    _raises(DocumentError, 'already_numbered', fill_number, filled, 8,
        "ngày 10 tháng 01 năm 2026")


def test_steps_out_of_order_are_refused(pades, issued):
    org, leader = pades.signer('org'), pades.signer('leader')
    _raises(DocumentError, 'leader_not_signed', seal, issued.draft, org,
        pades.seal_appearance(), number=1, date=ISSUE_DATE)
    _raises(DocumentError, 'not_numbered', seal, issued.signed, org,
        pades.seal_appearance())
    _raises(DocumentError, 'already_signed', sign_leader, issued.signed,
        leader, pades.leader_appearance())
    _raises(DocumentError, 'already_sealed', seal, issued.issued, org,
        pades.seal_appearance())
    _raises(DocumentError, 'already_numbered', fill_number, issued.issued,
        126, ISSUE_DATE)
    plain = render("ỦY BAN NHÂN DÂN", "Công văn", "Thử")
    _raises(DocumentError, 'field_missing', sign_leader, plain, leader,
        pades.leader_appearance())
    _raises(DocumentError, 'number_empty', fill_number, issued.signed, ' ',
        ISSUE_DATE)


def test_bad_inputs_are_refused(pades, issued):
    leader = pades.signer('leader')
    _raises(DocumentError, 'not_pdf', sign_leader, b'%PNG not a pdf',
        leader, pades.leader_appearance())
    opaque = io.BytesIO()
    Image.new('RGB', (60, 24), (0, 0, 255)).save(opaque, 'PNG')
    _raises(SignatureError, 'image_not_transparent', sign_leader,
        issued.draft, leader, Appearance(image=opaque.getvalue()))
    jpeg = io.BytesIO()
    Image.new('RGB', (60, 24)).save(jpeg, 'JPEG')
    _raises(SignatureError, 'bad_image', sign_leader, issued.draft, leader,
        Appearance(image=jpeg.getvalue()))
    _raises(SignatureError, 'bad_template', sign_leader, issued.draft,
        leader, Appearance(image=pades.signature_png, text="{unknown}"))
    _raises(SignerError, 'pkcs12_unreadable', Signer.from_pkcs12,
        pades.pki.pkcs12('leader'), b'wrong')
    # Certificates that must not sign
    _raises(SignerError, 'certificate_expired', sign_leader, issued.draft,
        pades.signer('expired'), pades.leader_appearance())
    _raises(SignerError, 'key_usage', sign_leader, issued.draft,
        pades.signer('wrong_usage'), pades.leader_appearance())
    # Nothing listens on port 9: the timestamp cannot be had
    _raises(SignatureError, 'tsa_failed', sign_leader, issued.draft, leader,
        pades.leader_appearance(), tsa='http://127.0.0.1:9/tsa')


def test_pkcs12_signer_reads_key_certificate_and_chain(pades):
    key_file = pades.pki.pkcs12('org')
    signer = Signer.from_pkcs12(key_file, PASSWORD.decode())
    assert signer.name == "Ủy ban nhân dân tỉnh Thử Nghiệm"
    assert signer.facts['issuer'] == "CA chuyên dùng Chính phủ (TEST)"
    chain = {c.subject.native['common_name']
        for c in signer.pyhanko_signer.cert_registry}
    assert "CA chuyên dùng Chính phủ (TEST)" in chain
    assert not hasattr(signer, 'password')
    # Kept open for the next seal: the same key, not opened again
    again = Signer.from_pkcs12(key_file, PASSWORD.decode())
    assert again.pyhanko_signer.signing_cert is (
        signer.pyhanko_signer.signing_cert)
    # ...but only with its password
    _raises(SignerError, 'pkcs12_unreadable', Signer.from_pkcs12,
        key_file, b'wrong')


# Annexes and electronic copies: no image, 10 pt text at the top right

def _top_right(pdf):
    rect = [float(v) for v in widget(field(pdf, FIELD_ORGANIZATION))['/Rect']]
    media = [float(v) for v in reader(pdf).root['/Pages']['/Kids'][0]
        .get_object()['/MediaBox']]
    return rect, media


def test_annex_gets_organization_text_at_top_right(pades, online):
    annex = render("ỦY BAN NHÂN DÂN TỈNH THỬ NGHIỆM", "Phụ lục I",
        "Danh sách thử nghiệm")
    signed = seal_annex(annex, pades.signer('org'), "125/QĐ-UBND")
    embedded = signature(signed, FIELD_ORGANIZATION)
    claimed = embedded.self_reported_timestamp.isoformat(timespec='seconds')
    assert appearance_text(signed, FIELD_ORGANIZATION) == [
        "Ủy ban nhân dân tỉnh Thử Nghiệm", "Số: 125/QĐ-UBND",
        "Thời gian ký: " + claimed]
    assert images(signed, FIELD_ORGANIZATION) == []
    rect, media = _top_right(signed)
    assert media[2] - 60 < rect[2] <= media[2] - 40  # 15 mm right margin
    assert media[3] - 60 < rect[1] and rect[3] <= media[3]
    assert b'/F1 10 Tf' in widget(field(signed, FIELD_ORGANIZATION))[
        '/AP']['/N'].data
    report = verify(signed, pades.roots)
    assert report.valid, report.to_json()
    assert report.signatures[0].kind == 'organization'


def test_electronic_copy(pades):
    copy = render("ỦY BAN NHÂN DÂN TỈNH THỬ NGHIỆM", "Công văn", "Bản sao")
    signed = seal_copy(copy, pades.signer('org'), "sao y")
    text = appearance_text(signed, FIELD_ORGANIZATION)
    assert text[:2] == ["SAO Y", "Ủy ban nhân dân tỉnh Thử Nghiệm"]
    assert text[2].startswith("Thời gian ký: ") and text[2].endswith(
        "+07:00")
    _raises(SignatureError, 'bad_copy_form', seal_copy, copy,
        pades.signer('org'), "BẢN CHỤP")
    _raises(DocumentError, 'already_sealed', seal_copy, signed,
        pades.signer('org'))


# Remote / interrupted signing primitives

def _sign_hash(pades, label, digest_hex):
    "What a USB token or a signHash API does"
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding, utils
    return pades.pki.keys[label].sign(bytes.fromhex(digest_hex),
        padding.PKCS1v15(), utils.Prehashed(hashes.SHA256()))


def _sign_cms(pades, label, digest):
    "What a remote-signing service returning a whole CMS does"
    import asyncio
    signer = pades.signer(label).pyhanko_signer
    return asyncio.run(signer.async_sign(digest, 'sha256',
        use_pades=True)).dump()


def test_external_raw_signature_with_timestamp(pades, issued, online):
    prepared, pending = prepare_external(issued.draft, 'leader',
        pades.leader_appearance(), certificate=pades.pki.der('leader'),
        chain=[pades.pki.der('interm')], tsa=pades.server.tsa_url)
    # The request survives storage as JSON between the two HTTP calls
    stored = json.loads(json.dumps(pending.to_dict()))
    pending = PendingSignature.from_dict(stored)
    assert pending.source_sha256 == hashlib.sha256(issued.draft).hexdigest()
    assert pending.to_sign == hashlib.sha256(
        __import__('base64').b64decode(pending.signed_attributes)).hexdigest()
    # A signature over another digest, or by another key, is refused
    wrong = _sign_hash(pades, 'leader', hashlib.sha256(b'x').hexdigest())
    _raises(ExternalSignatureError, 'wrong_digest', embed_external,
        prepared, pending, signature=wrong)
    other_key = _sign_hash(pades, 'org', pending.to_sign)
    _raises(ExternalSignatureError, 'wrong_digest', embed_external,
        prepared, pending, signature=other_key)
    _raises(ExternalSignatureError, 'document_changed', embed_external,
        prepared + b'\n', pending,
        signature=_sign_hash(pades, 'leader', pending.to_sign))
    signed = embed_external(prepared, stored,
        signature=_sign_hash(pades, 'leader', pending.to_sign),
        tsa=pades.server.tsa_url)
    report = verify(signed, pades.roots)
    assert report.valid, report.to_json()
    assert report.signatures[0].signer == "Nguyễn Văn An"
    assert report.signatures[0].timestamp is not None
    assert appearance_text(signed, FIELD_LEADER)[0] == \
        "Ký bởi: Nguyễn Văn An"


def test_external_cms_for_the_organization(pades, issued):
    prepared, pending = prepare_external(issued.signed, 'organization',
        pades.seal_appearance(), signer_name="Văn thư", number=126,
        date=ISSUE_DATE)
    assert pending.to_sign == '' and pending.certificate == ''
    digest = bytes.fromhex(pending.document_digest)
    _raises(ExternalSignatureError, 'wrong_digest', embed_external,
        prepared, pending,
        cms=_sign_cms(pades, 'org', hashlib.sha256(b'x').digest()))
    _raises(ExternalSignatureError, 'bad_cms', embed_external, prepared,
        pending, cms=b'\x30\x03garbage')
    _raises(ExternalSignatureError, 'answer_missing', embed_external,
        prepared, pending)
    signed = embed_external(prepared, pending,
        cms=_sign_cms(pades, 'org', digest))
    assert str(field(signed, FIELD_NUMBER)['/V']) == '126'
    report = verify(signed, pades.roots)
    assert report.valid, report.to_json()
    assert report.signatures[1].signer == "Ủy ban nhân dân tỉnh Thử Nghiệm"


def test_external_cms_by_another_certificate_is_refused(pades, issued):
    prepared, pending = prepare_external(issued.draft, 'leader',
        pades.leader_appearance(), certificate=pades.pki.der('leader'))
    digest = bytes.fromhex(pending.document_digest)
    _raises(ExternalSignatureError, 'wrong_certificate', embed_external,
        prepared, pending, cms=_sign_cms(pades, 'org', digest))
    _raises(SignerError, 'certificate_expired', prepare_external,
        issued.draft, 'leader', pades.leader_appearance(),
        certificate=pades.pki.der('expired'))
    _raises(SignatureError, 'bad_role', prepare_external, issued.draft,
        'clerk', pades.leader_appearance(), signer_name="X")
