# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""Interrupted signing: the key is somewhere else (spec §8.4, pyhanko.md §7).

Vietnamese officials sign with a USB token through a local signing plugin,
or on their phone through a remote-signing service. The server:

1. `prepare_external()`: writes the signature's revision with a placeholder
   (appearance, number and date included) and returns the prepared PDF and a
   `PendingSignature` (JSON-serialisable) holding the document digest and,
   when the certificate is known, the signed attributes and their SHA-256
   hash, which is what a token or a CSC "signHash" API signs;
2. `embed_external()`: receives either the raw signature over that hash or
   a complete CMS (PAdES, detached) over the document digest, checks that
   it signs exactly this request with the expected certificate, and embeds
   it. A signature over another digest is refused.

Nothing is kept between the two calls except what the caller stores (the
prepared bytes and the pending request): any worker can finish.
"""
import asyncio
import base64
import hashlib
import io
from dataclasses import asdict, dataclass, field

from .appearance import Appearance
from .errors import ExternalSignatureError, SignatureError
from .pdfio import open_writer
from .signer import (
    certificate_facts, check_certificate_usable, load_certificate,
    load_certificates)
from .signing import (
    LEADER_REASON, ORGANIZATION_REASON, leader_step, now, pdf_signer,
    seal_step, timestamper, translate)

LEADER, ORGANIZATION = 'leader', 'organization'
# Room for a CMS whose certificate is not known in advance: a full chain
# and a timestamp token fit (the hex encoding doubles the DER size)
UNKNOWN_CERT_RESERVE = 32768


def _b64(data):
    return base64.b64encode(data).decode('ascii')


@dataclass
class PendingSignature:
    """A signature waiting for an external signer.

    `to_sign` (hex) is the SHA-256 of the DER signed attributes: a token or
    a signHash API signs it as a pre-hashed digest (RSA PKCS#1 v1.5 or
    ECDSA). `document_digest` (hex) is the SHA-256 of the PDF's ByteRange,
    which a service returning a whole CMS signs. `prepared_sha256` binds
    the request to the prepared file, `source_sha256` to the document
    version it was prepared from.
    """
    role: str
    field: str
    document_digest: str
    reserved_start: int
    reserved_end: int
    prepared_sha256: str
    source_sha256: str
    signing_time: str
    to_sign: str = ''
    signed_attributes: str = ''
    certificate: str = ''
    chain: list = field(default_factory=list)
    digest_algorithm: str = 'sha256'

    def to_dict(self):
        return asdict(self)

    @classmethod
    def from_dict(cls, values):
        try:
            return cls(**values)
        except TypeError as e:
            raise ExternalSignatureError('bad_request',
                "Yêu cầu ký số đang chờ không hợp lệ.", repr(e)) from e


def _step(role, appearance, number, date, location):
    if role == LEADER:
        return leader_step(appearance, location, LEADER_REASON)
    if role == ORGANIZATION:
        return seal_step(appearance, number, date, location,
            ORGANIZATION_REASON)
    raise SignatureError('bad_role',
        "Vai trò ký phải là người có thẩm quyền (leader) hoặc cơ quan "
        "(organization).")


def prepare_external(pdf_bytes, role, appearance, *, certificate=None,
        chain=(), signer_name=None, number=None, date=None, tsa=None,
        location=None):
    """Prepare the signature of `role` ('leader' or 'organization') for an
    external signer; return (prepared PDF bytes, PendingSignature).

    `certificate` (DER/PEM) is the signer's, read from the token or the
    provider beforehand; without it only a whole CMS can be embedded and
    `signer_name` is shown on the stamp. `tsa` lets pyHanko size the
    placeholder for a timestamp added at embedding.
    """
    return asyncio.run(async_prepare_external(pdf_bytes, role, appearance,
        certificate=certificate, chain=chain, signer_name=signer_name,
        number=number, date=date, tsa=tsa, location=location))


async def async_prepare_external(pdf_bytes, role, appearance, *,
        certificate=None, chain=(), signer_name=None, number=None, date=None,
        tsa=None, location=None):
    "`prepare_external` for asynchronous callers"
    from pyhanko.sign.signers.pdf_cms import ExternalSigner
    from pyhanko_certvalidator.registry import SimpleCertificateStore
    appearance = appearance or Appearance()
    step = _step(role, appearance, number, date, location)
    cert = load_certificate(certificate) if certificate else None
    chain = load_certificates(chain)
    when = now()
    if cert is not None:
        check_certificate_usable(cert, when)
        facts = certificate_facts(cert)
        name, organization = facts['name'], facts['organization']
        # The placeholder must fit the real signature value
        signature_size = (cert.public_key.bit_size + 7) // 8
        if cert.public_key.algorithm == 'ec':
            signature_size = 2 * signature_size + 9
    elif signer_name:
        name, organization, signature_size = signer_name, '', 512
    else:
        raise SignatureError('signer_unknown',
            "Cần chứng thư số hoặc tên người ký để chuẩn bị ký số từ xa.")
    text = appearance.render_text(when, signer=name,
        organization=organization)
    writer = open_writer(pdf_bytes)
    step.prepare(writer, text)
    external = ExternalSigner(signing_cert=cert,
        cert_registry=SimpleCertificateStore.from_certs(chain),
        signature_value=signature_size)
    signer = pdf_signer(step, external, when, timestamper(tsa))
    output = io.BytesIO()
    try:
        prepared, _tbs, _out = await signer.async_digest_doc_for_signing(
            writer, existing_fields_only=True, output=output,
            bytes_reserved=None if cert is not None else UNKNOWN_CERT_RESERVE,
            appearance_text_params={'vb_text': text})
    except Exception as e:
        raise translate(e) from e
    data = output.getvalue()
    pending = PendingSignature(role=role, field=step.field,
        document_digest=prepared.document_digest.hex(),
        reserved_start=prepared.reserved_region_start,
        reserved_end=prepared.reserved_region_end,
        prepared_sha256=hashlib.sha256(data).hexdigest(),
        source_sha256=hashlib.sha256(bytes(pdf_bytes)).hexdigest(),
        signing_time=when.isoformat(timespec='seconds'),
        chain=[_b64(c.dump()) for c in chain])
    if cert is not None:
        signed_attrs = await external.signed_attrs(prepared.document_digest,
            'sha256', use_pades=True)
        der = signed_attrs.dump()
        pending.signed_attributes = _b64(der)
        pending.to_sign = hashlib.sha256(der).hexdigest()
        pending.certificate = _b64(cert.dump())
    return data, pending


def _verify_raw(cert, signature, message):
    "Whether `signature` is the certificate key's signature of `message`"
    from cryptography import x509
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
    key = x509.load_der_x509_certificate(cert.dump()).public_key()
    try:
        if isinstance(key, rsa.RSAPublicKey):
            key.verify(signature, message, padding.PKCS1v15(),
                hashes.SHA256())
        elif isinstance(key, ec.EllipticCurvePublicKey):
            key.verify(signature, message, ec.ECDSA(hashes.SHA256()))
        else:
            return False
    except (InvalidSignature, ValueError):
        return False
    return True


def _wrong_digest(detail=None):
    return ExternalSignatureError('wrong_digest',
        "Chữ ký số trả về không ký đúng dữ liệu của yêu cầu này (sai bản "
        "băm hoặc sai văn bản).", detail)


def _cms_from_raw(pending, signature, stamper):
    from asn1crypto import cms
    from pyhanko.sign.signers.pdf_cms import ExternalSigner
    from pyhanko_certvalidator.registry import SimpleCertificateStore
    if not pending.signed_attributes:
        raise ExternalSignatureError('cms_required',
            "Yêu cầu này không có chứng thư số: cần chữ ký dạng CMS.")
    cert = load_certificate(base64.b64decode(pending.certificate))
    der = base64.b64decode(pending.signed_attributes)
    if not _verify_raw(cert, signature, der):
        raise _wrong_digest()
    external = ExternalSigner(signing_cert=cert,
        cert_registry=SimpleCertificateStore.from_certs(load_certificates(
            base64.b64decode(c) for c in pending.chain)),
        signature_value=signature)
    return asyncio.run(external.async_sign_prescribed_attributes('sha256',
        signed_attrs=cms.CMSAttributes.load(der), timestamper=stamper))


def _check_cms(pending, cms_der):
    "The ContentInfo of a returned CMS, if it signs this request"
    from asn1crypto import cms
    from pyhanko.sign.general import (
        extract_signer_info, find_unique_cms_attribute)
    from pyhanko.sign.validation.generic_cms import (
        extract_certs_for_validation, validate_sig_integrity)
    try:
        content = cms.ContentInfo.load(bytes(cms_der))
        signed_data = content['content']
        signer_info = extract_signer_info(signed_data)
        digest = find_unique_cms_attribute(signer_info['signed_attrs'],
            'message_digest').native
        cert = extract_certs_for_validation(signed_data).signer_cert
    except Exception as e:
        raise ExternalSignatureError('bad_cms',
            "Dữ liệu chữ ký số trả về không phải là CMS hợp lệ.",
            repr(e)) from e
    if digest != bytes.fromhex(pending.document_digest):
        raise _wrong_digest()
    if pending.certificate and cert.dump() != base64.b64decode(
            pending.certificate):
        raise ExternalSignatureError('wrong_certificate',
            "Chữ ký số trả về được ký bằng chứng thư số khác với chứng thư "
            "đã đăng ký cho yêu cầu.")
    intact, valid = validate_sig_integrity(signer_info, cert,
        expected_content_type='data', actual_digest=digest)
    if not (intact and valid):
        raise _wrong_digest('signature over the signed attributes invalid')
    check_certificate_usable(cert, now())
    return content


def embed_external(prepared_pdf, pending, *, signature=None, cms=None,
        tsa=None):
    """Embed the external signer's answer in the prepared PDF; return the
    signed PDF bytes.

    `signature`: the raw signature over `pending.to_sign`; with `tsa` a
    timestamp is added (B-T). `cms`: a complete DER CMS over
    `pending.document_digest`. Refused (ExternalSignatureError) when the
    file is not the prepared one, the signature is over another digest or
    by another certificate, or does not fit the placeholder.
    """
    from pyhanko.sign.signers.pdf_byterange import PreparedByteRangeDigest
    from pyhanko.sign.signers.pdf_signer import PdfTBSDocument
    if isinstance(pending, dict):
        pending = PendingSignature.from_dict(pending)
    data = bytes(prepared_pdf)
    if hashlib.sha256(data).hexdigest() != pending.prepared_sha256:
        raise ExternalSignatureError('document_changed',
            "Tệp chờ ký không còn là tệp đã chuẩn bị cho yêu cầu này.")
    if (signature is None) == (cms is None):
        raise ExternalSignatureError('answer_missing',
            "Cần đúng một trong hai: giá trị chữ ký hoặc CMS.")
    if signature is not None:
        content = _cms_from_raw(pending, bytes(signature), timestamper(tsa))
    else:
        content = _check_cms(pending, cms)
    room = pending.reserved_end - pending.reserved_start - 2
    if len(content.dump()) * 2 > room:
        raise ExternalSignatureError('signature_too_large',
            "Chữ ký số trả về lớn hơn chỗ dành sẵn trong tệp.")
    output = io.BytesIO(data)
    prepared = PreparedByteRangeDigest(bytes.fromhex(pending.document_digest),
        pending.reserved_start, pending.reserved_end)
    try:
        PdfTBSDocument.finish_signing(output, prepared, content)
    except Exception as e:
        raise translate(e) from e
    return output.getvalue()
