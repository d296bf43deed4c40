# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""Fixtures of the PAdES tests: a test PKI generated once per session.

The PKI (keys, certificates, CRLs, OCSP, TSA) is made at run time by
pades.testpki and served on 127.0.0.1; no key or certificate is committed.
"""
from dataclasses import dataclass

import pytest

from trytond.modules.vb_signature.pades import (
    Appearance, make_draft, seal, sign_leader)
from trytond.modules.vb_signature.pades.testpki import PKIServer, TestPKI
from trytond.modules.vb_signature.tests.pades_tools import ISSUE_DATE


@dataclass
class PadesEnv:
    "The session's PKI, its server and what tests sign with"
    pki: TestPKI
    server: PKIServer
    signature_png: bytes
    seal_png: bytes

    @property
    def roots(self):
        return [self.pki.der('root')]

    def signer(self, label):
        return self.pki.signer(label)

    def leader_appearance(self):
        return Appearance(image=self.signature_png)

    def seal_appearance(self):
        return Appearance(image=self.seal_png)


@pytest.fixture(scope='session')
def pades(tmp_path_factory):
    server = PKIServer().start()
    pki = server.attach(TestPKI(server.url,
        tmp_path_factory.mktemp('pades-pki')))
    yield PadesEnv(pki, server, TestPKI.signature_png(), TestPKI.seal_png())
    server.stop()


@pytest.fixture
def online(pades):
    "The PKI services answer (tests may take them offline)"
    pades.server.online = True
    yield pades.server
    pades.server.online = True


@dataclass
class Issued:
    "One document through the whole chain, each step's bytes"
    draft: bytes
    signed: bytes       # leader's signature (B-B)
    issued: bytes       # number + date + organisation seal


@pytest.fixture(scope='session')
def issued(pades):
    # Uncompressed content streams, so that tests can alter the text
    draft = make_draft(pages=2, compress=False)
    signed = sign_leader(draft, pades.signer('leader'),
        pades.leader_appearance())
    sealed = seal(signed, pades.signer('org'), pades.seal_appearance(),
        number=125, date=ISSUE_DATE)
    return Issued(draft, signed, sealed)
