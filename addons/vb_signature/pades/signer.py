# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""Who signs: a key held by the server (PKCS#12) or on a token (PKCS#11).

A `Signer` wraps a pyHanko signer with the certificate facts the pipeline
needs (the name on the stamp, the validity check before signing). Passwords
and PINs are used to open the key and are not kept.

Opening a PKCS#12 file derives its key from the password (about 40 ms,
then 20 ms to read its certificates): a server that seals every issued
document keeps the last files it opened, opened, in the process, under a
digest of the file and its password. That widens nothing: the server
holds the file and can decrypt its stored password anyway.
"""
import datetime as dt
import hashlib
import threading
from collections import OrderedDict

from .errors import SignerError
from .fonts import nfc

VN_TZ = dt.timezone(dt.timedelta(hours=7), 'ICT')
# PKCS#12 files kept open in the process
OPENED_MAX = 32
_opened = OrderedDict()
_opened_lock = threading.Lock()
# A signing certificate must assert one of these (RFC 5280 keyUsage)
SIGNING_KEY_USAGES = frozenset({'digital_signature', 'non_repudiation'})


def _cached_key_signer_class():
    from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
    from pyhanko.sign import signers
    from pyhanko_certvalidator.util import get_pyca_cryptography_hash

    class CachedKeySigner(signers.SimpleSigner):
        """SimpleSigner that parses its private key once.

        pyHanko's SimpleSigner re-parses the key for every raw signature
        (about 70 ms for RSA-2048 with cryptography's consistency check,
        twice per PDF signature: pyhanko.md P11).
        """

        def __init__(self, pyca_key, **kwargs):
            super().__init__(**kwargs)
            self._pyca_key = pyca_key

        def sign_raw(self, data, digest_algorithm):
            mechanism = self.get_signature_mechanism_for_digest(
                digest_algorithm).signature_algo
            hash_algo = get_pyca_cryptography_hash(digest_algorithm)
            key = self._pyca_key
            if (mechanism == 'rsassa_pkcs1v15'
                    and isinstance(key, rsa.RSAPrivateKey)):
                return key.sign(data, padding.PKCS1v15(), hash_algo)
            if (mechanism == 'ecdsa'
                    and isinstance(key, ec.EllipticCurvePrivateKey)):
                return key.sign(data, ec.ECDSA(hash_algo))
            return super().sign_raw(data, digest_algorithm)

    return CachedKeySigner


def certificate_facts(cert):
    "Name, organisation, issuer and serial of an asn1crypto certificate"
    subject = cert.subject.native
    issuer = cert.issuer.native
    return {
        'name': nfc(subject.get('common_name', '')),
        'organization': nfc(subject.get('organization_name', '')),
        'unit': nfc(subject.get('organizational_unit_name', '')
            if isinstance(subject.get('organizational_unit_name'), str)
            else ''),
        'issuer': nfc(issuer.get('common_name', '')
            or cert.issuer.human_friendly),
        'serial': format(cert.serial_number, 'X'),
        'valid_from': cert['tbs_certificate']['validity']['not_before'].native,
        'valid_to': cert['tbs_certificate']['validity']['not_after'].native,
        }


def load_certificate(data):
    "An asn1crypto certificate from DER or PEM bytes (or one already loaded)"
    from asn1crypto import pem, x509
    if isinstance(data, x509.Certificate):
        return data
    try:
        data = bytes(data)
        if pem.detect(data):
            _, _, data = pem.unarmor(data)
        cert = x509.Certificate.load(data)
        cert.native  # parse now: asn1crypto is lazy
        return cert
    except Exception as e:
        raise SignerError('bad_certificate',
            "Dữ liệu chứng thư số không hợp lệ (cần tệp DER hoặc PEM).",
            repr(e)) from e


def load_certificates(items):
    "Several certificates; a PEM bundle may hold more than one"
    from asn1crypto import pem
    result = []
    for item in items or ():
        if isinstance(item, (bytes, bytearray)) and pem.detect(bytes(item)):
            for _, _, der in pem.unarmor(bytes(item), multiple=True):
                result.append(load_certificate(der))
        else:
            result.append(load_certificate(item))
    return result


def check_certificate_usable(cert, when):
    "Refuse a certificate out of its validity period or not for signing"
    facts = certificate_facts(cert)
    usage = cert.key_usage_value
    if usage is not None and not (usage.native & SIGNING_KEY_USAGES):
        raise SignerError('key_usage',
            f"Chứng thư số của “{facts['name']}” không được phép dùng "
            "để ký số (thiếu mục đích digitalSignature/nonRepudiation).")
    if when < facts['valid_from']:
        raise SignerError('certificate_not_yet_valid',
            f"Chứng thư số của “{facts['name']}” chưa có hiệu lực "
            f"(từ {facts['valid_from'].astimezone(VN_TZ):%d/%m/%Y}).")
    if when > facts['valid_to']:
        raise SignerError('certificate_expired',
            f"Chứng thư số của “{facts['name']}” đã hết hạn "
            f"(ngày {facts['valid_to'].astimezone(VN_TZ):%d/%m/%Y}).")


class Signer:
    """A signing key with its certificate and chain.

    Build with `Signer.from_pkcs12()` or `Signer.from_pkcs11()`; use as a
    context manager (or call `close()`) so a token session is closed.
    """

    def __init__(self, pyhanko_signer, session=None):
        self.pyhanko_signer = pyhanko_signer
        self._session = session

    @classmethod
    def from_pkcs12(cls, data, password):
        """A signer from the bytes of a .pfx/.p12 file and its password.

        The file must hold the private key and its certificate; the other
        certificates in it (the chain) are embedded in the signatures.
        """
        from pyhanko_certvalidator.registry import SimpleCertificateStore
        try:
            opened = open_pkcs12(data, password)
        except ValueError as e:
            raise SignerError('pkcs12_unreadable',
                "Không mở được tệp PKCS#12: sai mật khẩu hoặc tệp hỏng.",
                repr(e)) from e
        if opened.key is None or opened.cert is None:
            raise SignerError('pkcs12_incomplete',
                "Tệp PKCS#12 không có khóa bí mật hoặc chứng thư số.")
        signer = _cached_key_signer_class()(pyca_key=opened.key,
            signing_cert=opened.signing_cert, signing_key=opened.signing_key,
            cert_registry=SimpleCertificateStore.from_certs(opened.chain))
        return cls(signer)

    @classmethod
    def from_pkcs11(cls, lib, token_label, pin, key_label, cert_label=None):
        """A signer on a PKCS#11 token (USB token, HSM, SoftHSM2).

        `lib` is the path of the PKCS#11 module, e.g.
        /usr/lib/softhsm/libsofthsm2.so. The certificate is read from the
        token under `cert_label` (default: the key's label), and every
        other certificate on the token is embedded as a possible chain.
        """
        from pyhanko.config.pkcs11 import TokenCriteria
        from pyhanko.sign import pkcs11 as p11
        try:
            session = p11.open_pkcs11_session(lib,
                token_criteria=TokenCriteria(label=token_label),
                user_pin=str(pin))
        except Exception as e:
            text = repr(e)
            if 'Pin' in text or 'PIN' in text:
                raise SignerError('pkcs11_pin',
                    "Mã PIN của thiết bị ký số không đúng.", text) from e
            raise SignerError('pkcs11_token',
                f"Không mở được thiết bị ký số “{token_label}”.", text) from e
        try:
            signer = p11.PKCS11Signer(session, key_label=key_label,
                cert_label=cert_label or key_label, other_certs_to_pull=None)
            signer.signing_cert  # noqa: B018 (loads cert and key handle)
        except Exception as e:
            session.close()
            raise SignerError('pkcs11_key',
                f"Không tìm thấy khóa hoặc chứng thư “{key_label}” "
                "trên thiết bị ký số.", repr(e)) from e
        return cls(signer, session=session)

    @property
    def certificate(self):
        return self.pyhanko_signer.signing_cert

    @property
    def facts(self):
        return certificate_facts(self.certificate)

    @property
    def name(self):
        return self.facts['name']

    def check_usable(self, when):
        "Refuse a certificate out of its validity period or not for signing"
        check_certificate_usable(self.certificate, when)

    def close(self):
        if self._session is not None:
            self._session.close()
            self._session = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class _OpenedPKCS12:
    """A PKCS#12 file opened: its key, certificate and other certificates
    (cryptography objects), and the same as asn1crypto objects for pyHanko
    (None when the file lacks the key or the certificate)"""

    def __init__(self, key, cert, extra):
        from asn1crypto import keys, x509
        from cryptography.hazmat.primitives import serialization
        self.key, self.cert, self.extra = key, cert, tuple(extra or ())
        der = serialization.Encoding.DER
        self.chain = [x509.Certificate.load(c.public_bytes(der))
            for c in self.extra]
        self.signing_cert = self.signing_key = None
        if key is not None and cert is not None:
            self.signing_cert = x509.Certificate.load(cert.public_bytes(der))
            self.signing_key = keys.PrivateKeyInfo.load(key.private_bytes(
                    der, serialization.PrivateFormat.PKCS8,
                    serialization.NoEncryption()))
        # Parsed now (asn1crypto is lazy): the threads of a server share
        # these objects and only read them
        for value in (*self.chain, self.signing_cert, self.signing_key):
            if value is not None:
                value.native


def open_pkcs12(data, password):
    """The PKCS#12 file data opened with password (_OpenedPKCS12), kept
    open for the next calls; ValueError when it cannot be opened."""
    from cryptography.hazmat.primitives.serialization import pkcs12
    if isinstance(password, str):
        password = password.encode()
    data = bytes(data)
    password = password or None
    digest = hashlib.sha256(len(data).to_bytes(8, 'big') + data
        + (password or b'')).digest()
    with _opened_lock:
        opened = _opened.get(digest)
        if opened is not None:
            _opened.move_to_end(digest)
            return opened
    opened = _OpenedPKCS12(*pkcs12.load_key_and_certificates(data, password))
    with _opened_lock:
        _opened[digest] = opened
        while len(_opened) > OPENED_MAX:
            _opened.popitem(last=False)
    return opened
