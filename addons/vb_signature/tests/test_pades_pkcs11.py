# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""Signing method 2: keys on a PKCS#11 token (SoftHSM2 stands in for a
USB token or an HSM). Needs Debian's softhsm2 package."""
import shutil

import pytest

from trytond.modules.vb_signature.pades import (
    FIELD_LEADER, Signer, SignerError, seal, sign_leader, verify)
from trytond.modules.vb_signature.pades.testpki import (
    PIN, softhsm_library, softhsm_token)

from .pades_tools import ISSUE_DATE, signature

TOKEN = 'VN-TOKEN'


@pytest.fixture(scope='module')
def token(pades, tmp_path_factory):
    assert softhsm_library() and shutil.which('softhsm2-util'), (
        "SoftHSM2 is missing: apt-get install softhsm2")
    return softhsm_token(tmp_path_factory.mktemp('softhsm'), pades.pki,
        ['leader', 'org'], token_label=TOKEN)


def test_leader_and_seal_signed_on_a_token(pades, issued, token, online):
    with Signer.from_pkcs11(token, TOKEN, PIN, 'leader') as leader:
        assert leader.name == "Nguyễn Văn An"
        signed = sign_leader(issued.draft, leader, pades.leader_appearance())
    with Signer.from_pkcs11(token, TOKEN, PIN, 'org') as org:
        sealed = seal(signed, org, pades.seal_appearance(), number=127,
            date=ISSUE_DATE)
    # The key never left the token: the signature verifies with the
    # certificate stored beside it
    embedded = signature(sealed, FIELD_LEADER)
    assert embedded.signer_cert.dump() == pades.pki.der('leader')
    report = verify(sealed, pades.roots)
    assert report.valid, report.to_json()
    assert [s.signer for s in report.signatures] == [
        "Nguyễn Văn An", "Ủy ban nhân dân tỉnh Thử Nghiệm"]


def test_token_errors_are_reported(token):
    for args, code in (
            ((TOKEN, '000000', 'leader'), 'pkcs11_pin'),
            ((TOKEN, PIN, 'nobody'), 'pkcs11_key'),
            (('NO-SUCH-TOKEN', PIN, 'leader'), 'pkcs11_token')):
        with pytest.raises(SignerError) as info:
            Signer.from_pkcs11(token, *args)
        assert info.value.code == code
        assert "thiết bị ký số" in info.value.message


def test_closed_session_cannot_sign(pades, issued, token):
    leader = Signer.from_pkcs11(token, TOKEN, PIN, 'leader')
    leader.close()
    with pytest.raises(SignerError) as info:
        sign_leader(issued.draft, leader, pades.leader_appearance())
    assert info.value.code == 'pkcs11_failed'
