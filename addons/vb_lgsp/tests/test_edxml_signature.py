# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""edXML library: XMLDSig over the package (spec §1.9), with certificates
made at test time"""
import base64

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from lxml import etree

from trytond.modules.vb_lgsp.edxml import (QCVN_NS, AgencyCredentials,
    EdxmlSignatureError, build, parse)
from trytond.modules.vb_lgsp.edxml.xmldsig import DSIG_NS, EXC_C14N
from trytond.modules.vb_lgsp.tests.edxml_factory import (FIXTURES,
    agency_credentials, document, pdf_bytes, status)

NS = {'e': QCVN_NS, 'ds': DSIG_NS}


@pytest.fixture(scope='module')
def agency():
    return agency_credentials()


@pytest.fixture(scope='module')
def signed(agency):
    credentials, _ = agency
    return build(document(), credentials)


def test_signature_produced_and_verified(agency, signed):
    credentials, certificate = agency
    root = etree.fromstring(signed)
    [signature] = root.findall('.//ds:Signature', NS)
    # In edXMLHeader, after TraceHeaderList, unprefixed like the SDK's
    assert signature.getparent().tag == f'{{{QCVN_NS}}}edXMLHeader'
    assert signature.getprevious().tag == f'{{{QCVN_NS}}}TraceHeaderList'
    assert signature.prefix is None
    [reference] = signature.findall('ds:SignedInfo/ds:Reference', NS)
    assert reference.get('URI') == ''
    assert signature.find('ds:SignedInfo/ds:CanonicalizationMethod',
        NS).get('Algorithm') == EXC_C14N
    assert signature.find('ds:SignedInfo/ds:SignatureMethod', NS).get(
        'Algorithm') == 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256'
    assert reference.find('ds:DigestMethod', NS).get('Algorithm') == (
        'http://www.w3.org/2001/04/xmlenc#sha256')
    transforms = [t.get('Algorithm') for t in reference.iterfind(
        'ds:Transforms/ds:Transform', NS)]
    assert transforms[0] == (
        'http://www.w3.org/2000/09/xmldsig#enveloped-signature')
    der = certificate.public_bytes(serialization.Encoding.DER)
    assert base64.b64decode(signature.findtext(
        'ds:KeyInfo/ds:X509Data/ds:X509Certificate', namespaces=NS)) == der

    parsed = parse(signed)
    assert parsed.signature.verified is True
    assert parsed.signature.certificate == der
    assert 'CN=UBND tỉnh Khánh Hòa' in parsed.signature.subject
    assert parsed.subject == document().subject
    # Pinned to the agency's certificate
    assert parse(signed, trusted=[der]).signature.verified
    assert parse(signed, trusted=[certificate]).signature.verified
    pem = certificate.public_bytes(serialization.Encoding.PEM)
    assert parse(signed, trusted=[pem]).signature.verified


def test_signed_round_trip(agency, signed):
    "Signing is deterministic (PKCS#1 v1.5): same package, same bytes"
    credentials, _ = agency
    assert build(parse(signed), credentials) == signed
    # Without the key the same package goes out unsigned
    assert build(parse(signed)) == build(document())


@pytest.mark.parametrize('old, new', [
    # A changed header field
    ('V/v báo cáo'.encode(), 'V/v hủy bỏ'.encode()),
    # A changed recipient
    (b'000.00.00.H41</edXML:OrganId>', b'000.00.00.H38</edXML:OrganId>'),
    # A changed status of the business (new -> revoke)
    (b'<edXML:Paper>0</edXML:Paper>', b'<edXML:Paper>1</edXML:Paper>'),
    ])
def test_changed_envelope_refused(signed, old, new):
    assert old in signed
    forged = signed.replace(old, new, 1)
    with pytest.raises(EdxmlSignatureError) as info:
        parse(forged)
    assert info.value.code == 'signature_invalid'
    assert 'bị sửa đổi' in info.value.message
    assert info.value.sender == '000.00.00.H32'


def test_changed_attachment_refused(signed):
    "Reference URI='' covers AttachmentEncoded too"
    original = base64.b64encode(pdf_bytes())
    other = base64.b64encode(pdf_bytes('Van ban gia mao'))
    assert original in signed
    with pytest.raises(EdxmlSignatureError):
        parse(signed.replace(original, other))


def test_forged_signature_refused(agency, signed):
    "Re-signed by another key but claiming the agency's certificate"
    other_credentials, _ = agency_credentials('Kẻ giả mạo')
    forged_root = etree.fromstring(build(
        document(subject='Văn bản giả mạo'), other_credentials))
    genuine = etree.fromstring(signed)
    xpath = './/ds:KeyInfo/ds:X509Data/ds:X509Certificate'
    forged_root.find(xpath, NS).text = genuine.find(xpath, NS).text
    forged = etree.tostring(forged_root, xml_declaration=True,
        encoding='UTF-8')
    with pytest.raises(EdxmlSignatureError) as info:
        parse(forged)
    assert info.value.code == 'signature_invalid'
    # A package signed by someone else is valid in itself, untrusted here
    _, certificate = agency
    with pytest.raises(EdxmlSignatureError) as info:
        parse(build(document(), other_credentials), trusted=[certificate])
    assert info.value.code == 'signature_untrusted'


def test_partial_signature_refused(signed):
    "A signature over something else than the whole document is refused"
    root = etree.fromstring(signed)
    root.find('.//ds:SignedInfo/ds:Reference', NS).set('URI', '#body')
    with pytest.raises(EdxmlSignatureError) as info:
        parse(etree.tostring(root))
    assert 'URI' in info.value.message
    # Two signatures
    root = etree.fromstring(signed)
    signature = root.find('.//ds:Signature', NS)
    signature.getparent().append(etree.fromstring(etree.tostring(signature)))
    with pytest.raises(EdxmlSignatureError):
        parse(etree.tostring(root))
    # Garbage certificate
    root = etree.fromstring(signed)
    root.find('.//ds:X509Certificate', NS).text = 'AAAA'
    with pytest.raises(EdxmlSignatureError):
        parse(etree.tostring(root))


def test_signature_options(signed):
    unsigned = build(document())
    assert parse(unsigned).signature is None
    with pytest.raises(EdxmlSignatureError) as info:
        parse(unsigned, require_signature=True)
    assert info.value.code == 'signature_required'
    dummy = (FIXTURES / 'foreign_edoc_namespace.edxml').read_bytes()
    with pytest.raises(EdxmlSignatureError):
        parse(dummy, require_signature=True)
    assert parse(signed, require_signature=True).signature.verified
    # Not checked on request: reported as such
    tampered = signed.replace('V/v báo cáo'.encode(), b'V/v xx', 1)
    info = parse(tampered, verify_signature=False).signature
    assert info.verified is False and info.note


def test_status_and_ec_key():
    credentials, _ = agency_credentials(key_type='ec')
    data = build(status('03'), credentials)
    assert b'ecdsa-sha256' in data
    parsed = parse(data)
    assert parsed.signature.verified
    assert build(parsed, credentials) != b''
    with pytest.raises(EdxmlSignatureError):
        parse(data.replace(b'<edXML:StatusCode>03', b'<edXML:StatusCode>06'))


def test_credentials_loading(agency):
    credentials, certificate = agency
    key = credentials.private_key
    key_pem = key.private_bytes(serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(b'mat-khau'))
    cert_pem = certificate.public_bytes(serialization.Encoding.PEM)
    loaded = AgencyCredentials.from_pem(cert_pem, key_pem, b'mat-khau')
    assert loaded.certificate == certificate
    p12 = pkcs12.serialize_key_and_certificates(b'agency', key, certificate,
        None, serialization.BestAvailableEncryption(b'mat-khau'))
    loaded = AgencyCredentials.from_pkcs12(p12, b'mat-khau')
    assert parse(build(status('01'), loaded)).signature.verified
    with pytest.raises(EdxmlSignatureError) as info:
        AgencyCredentials.from_pkcs12(p12, b'sai')
    assert info.value.code == 'signing_failed'
    other, _ = agency_credentials('Khác')
    with pytest.raises(EdxmlSignatureError) as info:
        AgencyCredentials(certificate, other.private_key)
    assert 'không khớp' in info.value.message


def test_signature_outside_the_header_and_in_soap(agency):
    "A ds:Signature anywhere is checked; SOAP (encoding B) likewise"
    from trytond.modules.vb_lgsp.edxml import xmldsig
    credentials, _ = agency
    soap = etree.fromstring((FIXTURES / 'soap_status.xml').read_bytes())
    header = etree.Element('{http://schemas.xmlsoap.org/soap/envelope/}'
        'Header')
    soap.insert(0, header)
    signed = etree.tostring(xmldsig.sign(soap, header, credentials),
        xml_declaration=True, encoding='UTF-8')
    parsed = parse(signed)
    assert parsed.signature.verified
    assert parsed.description == 'Đã xử lý xong'
    with pytest.raises(EdxmlSignatureError):
        parse(signed.replace('Đã xử lý xong'.encode(), b'Tu choi'))
    # Moved out of edXMLHeader (to the end of the document): still checked
    root = etree.fromstring(build(status('05'), credentials))
    signature = root.find('.//ds:Signature', NS)
    root.append(signature)
    moved = etree.tostring(root)
    with pytest.raises(EdxmlSignatureError):
        parse(moved.replace(b'>05<', b'>06<'))
