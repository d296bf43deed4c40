# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""XML signature of a package (XMLDSig, spec §1.9), with signxml.

Enveloped signature placed in ``edXMLHeader``, one Reference with
``URI=""``: the whole document except the signature, i.e. the envelope and,
in encoding A, the attachments too. Exclusive XML canonicalization,
RSA-SHA256 (ECDSA for EC keys), SHA-256 digest, the agency certificate in
``KeyInfo/X509Data``.
On receipt RSA-SHA1 is accepted as well: it is what the national axis SDK
produces.

Verification proves that the package was not changed since it was signed
by the holder of the certificate it carries; whether that certificate
belongs to an agency trusted by the receiver is for the caller to decide
(``trusted`` pins a list; chain validation against the national roots
belongs to vb_signature).
"""
import base64
import binascii
import dataclasses

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from lxml import etree

from .errors import EdxmlSignatureError
from .model import SignatureInfo
from .namespaces import DSIG_NS

# Exclusive canonicalization: the SignedInfo of a signature nested in the
# edXML namespaces canonicalizes the same inside and outside the document
# (with inclusive C14N the ancestors' xmlns:edXML would count, and signxml
# verifies SignedInfo out of its context). The SDK's Transforms list it too.
EXC_C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#'


def _signxml():
    # Imported on first use: parsing unsigned packages never needs it
    import signxml
    return signxml


@dataclasses.dataclass(frozen=True)
class AgencyCredentials:
    "The agency's certificate and private key (and intermediate CAs)"
    certificate: x509.Certificate
    private_key: object
    chain: tuple = ()

    def __post_init__(self):
        if not isinstance(self.private_key, (
                rsa.RSAPrivateKey, ec.EllipticCurvePrivateKey)):
            raise EdxmlSignatureError('signing_failed',
                detail='chỉ hỗ trợ khóa RSA hoặc EC')
        public = serialization.PublicFormat.SubjectPublicKeyInfo
        encoding = serialization.Encoding.DER
        if (self.private_key.public_key().public_bytes(encoding, public)
                != self.certificate.public_key().public_bytes(
                    encoding, public)):
            raise EdxmlSignatureError('signing_failed',
                detail='khóa bí mật không khớp với chứng thư số')

    @classmethod
    def from_pem(cls, certificate_pem, key_pem, password=None):
        try:
            certificates = x509.load_pem_x509_certificates(certificate_pem)
            key = serialization.load_pem_private_key(key_pem, password)
        except (ValueError, TypeError) as exception:
            raise EdxmlSignatureError('signing_failed', detail=str(exception))
        return cls(certificates[0], key, tuple(certificates[1:]))

    @classmethod
    def from_pkcs12(cls, data, password=None):
        try:
            key, certificate, chain = pkcs12.load_key_and_certificates(
                data, password)
        except (ValueError, TypeError) as exception:
            raise EdxmlSignatureError('signing_failed', detail=str(exception))
        if key is None or certificate is None:
            raise EdxmlSignatureError('signing_failed',
                detail='tệp PKCS#12 thiếu khóa hoặc chứng thư')
        return cls(certificate, key, tuple(chain or ()))


def _parser():
    # The document was produced by us or already read by the bounded
    # reader; huge_tree only lifts libxml2's 10 MB limit on one text node
    return etree.XMLParser(resolve_entities=False, no_network=True,
        load_dtd=False, huge_tree=True)


def sign(root, header, credentials, tail=None):
    """Return a signed copy of the tree whose signature goes at the end of
    `header` (followed by `tail`)"""
    signxml = _signxml()
    if isinstance(credentials.private_key, rsa.RSAPrivateKey):
        algorithm = signxml.SignatureMethod.RSA_SHA256
    else:
        algorithm = signxml.SignatureMethod.ECDSA_SHA256
    placeholder = etree.SubElement(header, f'{{{DSIG_NS}}}Signature',
        Id='placeholder', nsmap={None: DSIG_NS})
    placeholder.tail = tail
    signer = signxml.XMLSigner(
        method=signxml.methods.enveloped, signature_algorithm=algorithm,
        digest_algorithm=signxml.DigestAlgorithm.SHA256,
        c14n_algorithm=EXC_C14N)
    # Unprefixed like the SDK's output: <Signature xmlns="…xmldsig#">
    signer.namespaces = {None: DSIG_NS}
    # signxml re-parses its input; its default parser stops at 10 MB text
    signer._parser = _parser()
    try:
        return signer.sign(root, key=credentials.private_key,
            cert=[credentials.certificate, *credentials.chain])
    except (signxml.exceptions.SignXMLException, ValueError) as exception:
        raise EdxmlSignatureError('signing_failed', detail=str(exception))


def _invalid(detail):
    return EdxmlSignatureError('signature_invalid', detail=detail)


def verify(xml, trusted=None):
    """Verify the XML signature of the document `xml` (bytes).

    Returns None when there is no XMLDSig Signature, a SignatureInfo with
    verified=True when it holds, and raises EdxmlSignatureError when it
    does not (changed document, forged or foreign signature, untrusted
    certificate when `trusted` lists the accepted ones).
    """
    root = etree.fromstring(xml, _parser())
    signatures = root.findall(f'.//{{{DSIG_NS}}}Signature')
    if not signatures:
        return None
    if len(signatures) > 1:
        raise _invalid('nhiều chữ ký trong một gói tin')
    signature = signatures[0]
    references = signature.findall(
        f'{{{DSIG_NS}}}SignedInfo/{{{DSIG_NS}}}Reference')
    # Only a signature of the whole document protects what we read
    if len(references) != 1 or references[0].get('URI') != '':
        raise _invalid('chữ ký không phủ toàn bộ gói tin (Reference URI="")')
    text = signature.findtext(f'{{{DSIG_NS}}}KeyInfo/{{{DSIG_NS}}}X509Data/'
        f'{{{DSIG_NS}}}X509Certificate')
    try:
        der = base64.b64decode(''.join((text or '').split()), validate=True)
        certificate = x509.load_der_x509_certificate(der)
    except (ValueError, binascii.Error) as exception:
        raise _invalid(f'chứng thư số trong KeyInfo không đọc được: '
            f'{exception}')
    if trusted is not None and der not in {
            _der(candidate) for candidate in trusted}:
        raise EdxmlSignatureError('signature_untrusted')
    signxml = _signxml()
    config = signxml.SignatureConfiguration(
        require_x509=True, expect_references=1,
        signature_methods=frozenset(signxml.SignatureMethod),
        digest_algorithms=frozenset(signxml.DigestAlgorithm))
    try:
        signxml.XMLVerifier().verify(root, x509_cert=certificate,
            expect_config=config, parser=_parser())
    except (signxml.exceptions.SignXMLException, ValueError) as exception:
        raise _invalid(str(exception))
    method = signature.find(
        f'{{{DSIG_NS}}}SignedInfo/{{{DSIG_NS}}}SignatureMethod')
    return SignatureInfo(verified=True, certificate=der,
        subject=certificate.subject.rfc4514_string(),
        algorithm=method.get('Algorithm', '') if method is not None else '')


def _der(certificate):
    if isinstance(certificate, x509.Certificate):
        return certificate.public_bytes(serialization.Encoding.DER)
    if certificate.lstrip().startswith(b'-----BEGIN'):
        return x509.load_pem_x509_certificate(certificate).public_bytes(
            serialization.Encoding.DER)
    return bytes(certificate)
