# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""Certificates: the trust store, and the keys users and agencies sign with.

Signing methods (issue 5): 'pkcs12', a key held by the server (the agency's
seal, or a demo/test setup), its password encrypted outside the database
(secret.py); 'pkcs11', a token or HSM the server reaches through its
PKCS#11 library; 'remote', a key that never comes to the server (USB
token through the local signing tool, a remote-signing service): the
server prepares the file and waits for the signature (request.py).
"""
import datetime as dt
import hashlib

from trytond.i18n import gettext
from trytond.model import (
    DeactivableMixin, Index, ModelSQL, ModelView, Unique, fields)
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval, If
from trytond.transaction import Transaction, without_check_access

from trytond.modules.vb_document.notify import agency_users, tell

from . import secret
from .exceptions import CertificateError, SigningError
from .pades import Appearance, Signer, SignatureError
from .pades.signer import certificate_facts, load_certificate

METHODS = [
    ('pkcs12', "Key File on the Server (PKCS#12)"),
    ('pkcs11', "Token or HSM on the Server (PKCS#11)"),
    ('remote', "Remote Signing (USB Token Tool or Signing Service)"),
    ]
OWNERS = [
    ('personal', "Personal"),
    ('organization', "Organization"),
    ]
STATUSES = [
    ('valid', "Valid"),
    ('expiring', "Expiring within 30 Days"),
    ('expired', "Expired"),
    ('not_yet_valid', "Not Yet Valid"),
    ]
EXPIRY_WARNING = dt.timedelta(days=30)


def _utc_naive(when):
    return when.astimezone(dt.timezone.utc).replace(tzinfo=None)


def read_certificate(data):
    """The facts of a DER/PEM certificate stored as a record's fields,
    or a CertificateError in Vietnamese"""
    try:
        cert = load_certificate(bytes(data))
    except Exception as e:
        raise CertificateError(gettext(
                'vb_signature.msg_certificate_unreadable')) from e
    facts = certificate_facts(cert)
    return cert, {
        'subject_name': facts['name'] or cert.subject.human_friendly,
        'organization': facts['organization'],
        'issuer_name': facts['issuer'],
        'serial': facts['serial'],
        'not_before': _utc_naive(facts['valid_from']),
        'not_after': _utc_naive(facts['valid_to']),
        'fingerprint': hashlib.sha256(cert.dump()).hexdigest(),
        }


class CertificateFactsMixin:
    "The facts read from the certificate, filled when it is saved"
    __slots__ = ()
    subject_name = fields.Char("Subject", readonly=True)
    organization = fields.Char("Organization", readonly=True)
    issuer_name = fields.Char("Issuer", readonly=True)
    serial = fields.Char("Serial Number", readonly=True)
    not_before = fields.DateTime("Valid From", readonly=True)
    not_after = fields.DateTime("Valid Until", readonly=True)
    fingerprint = fields.Char("SHA-256 Fingerprint", readonly=True)
    status = fields.Function(fields.Selection(STATUSES, "Status"),
        'get_status', searcher='search_status')
    status_string = status.translated('status')

    @classmethod
    def _facts_values(cls, values, data):
        values = values.copy()
        if data:
            cert, facts = read_certificate(data)
            values.update(facts)
            values['certificate'] = cert.dump()
        return values

    def get_status(self, name):
        now = dt.datetime.utcnow()
        if not self.not_after:
            return None
        if self.not_before and self.not_before > now:
            return 'not_yet_valid'
        if self.not_after < now:
            return 'expired'
        if self.not_after < now + EXPIRY_WARNING:
            return 'expiring'
        return 'valid'

    @classmethod
    def search_status(cls, name, clause):
        _, operator, value = clause[:3]
        now = dt.datetime.utcnow()
        domains = {
            'expired': [('not_after', '<', now)],
            'not_yet_valid': [('not_before', '>', now)],
            'expiring': [('not_after', '>=', now),
                ('not_after', '<', now + EXPIRY_WARNING)],
            'valid': [('not_after', '>=', now + EXPIRY_WARNING),
                ('not_before', '<=', now)],
            }
        values = value if isinstance(value, (list, tuple)) else [value]
        domain = ['OR'] + [domains[v] for v in values if v in domains]
        if operator in {'!=', 'not in'}:
            return ['NOT', domain]
        return domain


class Trust(DeactivableMixin, CertificateFactsMixin, ModelSQL, ModelView):
    "Trusted Certificate Authority"
    __string__ = "Trusted Certificate Authority"
    __name__ = 'vb.signature.trust'
    _rec_name = 'subject_name'

    certificate = fields.Binary("Certificate", required=True,
        help="The CA certificate (DER or PEM), e.g. the root of the "
        "Vietnamese national CA and the government CA.")
    kind = fields.Selection([
            ('root', "Root"),
            ('intermediate', "Intermediate"),
            ], "Kind", required=True,
        help="Signatures are valid only when their chain ends at a trusted "
        "root; intermediates help build chains the files do not carry.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('fingerprint_unique', Unique(t, t.fingerprint),
                'vb_signature.msg_trust_unique'),
            ]

    @classmethod
    def default_kind(cls):
        return 'root'

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        return cls._facts_values(values, values.get('certificate'))

    @classmethod
    def validate_fields(cls, trusts, field_names):
        super().validate_fields(trusts, field_names)
        for trust in trusts:
            cert = load_certificate(bytes(trust.certificate))
            if not cert.ca:
                raise CertificateError(gettext(
                        'vb_signature.msg_trust_not_ca',
                        name=trust.subject_name))
            if trust.kind == 'root' and cert.self_signed == 'no':
                raise CertificateError(gettext(
                        'vb_signature.msg_trust_root_not_self_signed',
                        name=trust.subject_name))

    @classmethod
    def store(cls):
        "(roots, intermediates): the DER certificates trusted now"
        roots, intermediates = [], []
        for trust in cls.search([]):
            (roots if trust.kind == 'root' else intermediates).append(
                bytes(trust.certificate))
        return roots, intermediates


class Certificate(DeactivableMixin, CertificateFactsMixin, ModelSQL,
        ModelView):
    "Signing Certificate"
    __string__ = "Signing Certificate"
    __name__ = 'vb.signature.certificate'
    _rec_name = 'subject_name'

    owner = fields.Selection(OWNERS, "Owner", required=True,
        states={'readonly': Eval('id', -1) >= 0})
    company = fields.Many2One('company.company', "Agency", required=True,
        ondelete='CASCADE',
        domain=[('id', If(Eval('context', {}).contains('company'), '=', '!='),
                Eval('context', {}).get('company', -1))])
    user = fields.Many2One('res.user', "User", ondelete='CASCADE',
        states={
            'required': Eval('owner') == 'personal',
            'invisible': Eval('owner') != 'personal',
            })
    method = fields.Selection(METHODS, "Signing Method", required=True)
    certificate = fields.Binary("Certificate", required=True,
        states={'readonly': Eval('method') == 'pkcs12'},
        help="The signer's certificate (DER or PEM). For a key file it is "
        "read from the file.")
    pkcs12 = fields.Function(fields.Binary("Key File (PKCS#12)",
            states={'invisible': Eval('method') != 'pkcs12'},
            help="Kept on the server, never sent back to the client."),
        'get_secret', setter='set_key')
    key_stored = fields.Function(fields.Boolean("Key File Stored"),
        'get_key_info')
    pkcs11_library = fields.Char("PKCS#11 Library",
        states={
            'required': Eval('method') == 'pkcs11',
            'invisible': Eval('method') != 'pkcs11',
            },
        help="The path of the token's library on the server, e.g. "
        "/usr/lib/softhsm/libsofthsm2.so.")
    token_label = fields.Char("Token Label",
        states={
            'required': Eval('method') == 'pkcs11',
            'invisible': Eval('method') != 'pkcs11',
            })
    key_label = fields.Char("Key Label",
        states={
            'required': Eval('method') == 'pkcs11',
            'invisible': Eval('method') != 'pkcs11',
            })
    secret = fields.Function(fields.Char("Password or PIN",
            states={'invisible': Eval('method') == 'remote'},
            help="Kept encrypted outside the database. Leave empty to be "
            "asked at each signing (required for the organization's key, "
            "which the clerk uses when issuing)."),
        'get_secret', setter='set_key')
    check_secret = fields.Function(fields.Char("Password to Open the File",
            states={'invisible': Eval('method') != 'pkcs12'},
            help="Used once to read and check the key file; not stored."),
        'get_secret', setter='set_nothing')
    secret_stored = fields.Function(fields.Boolean("Secret Stored"),
        'get_key_info')
    image = fields.Binary("Signature Image",
        help="PNG with a transparent background: the person's signature, "
        "or the agency's red round seal.")
    expiry_notified = fields.Date("Expiry Notified", readonly=True)
    mine = fields.Function(fields.Boolean("Mine"), 'get_mine',
        searcher='search_mine')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.user, Index.Equality())),
                Index(t, (t.company, Index.Equality()),
                    (t.owner, Index.Equality(cardinality='low'))),
                })

    @classmethod
    def default_owner(cls):
        return 'personal'

    @classmethod
    def default_method(cls):
        return 'remote'

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_user(cls):
        if Transaction().context.get('vb_signature_owner') != 'organization':
            return Transaction().user

    def get_mine(self, name):
        return bool(self.user and self.user.id == Transaction().user)

    @classmethod
    def search_mine(cls, name, clause):
        _, operator, value = clause[:3]
        mine = (operator == '=') == bool(value)
        return [('user', '=' if mine else '!=', Transaction().user)]

    def get_secret(self, name):
        # Never sent back to the client
        return None

    def _key(self):
        Key = Pool().get('vb.signature.key')
        with without_check_access():
            keys = Key.search([('certificate', '=', self.id)], limit=1)
        return keys[0] if keys else None

    def _key_values(self):
        "(key file, secret token), read for the server's signing code"
        with without_check_access():
            key = self._key()
            if key is None:
                return None, None
            return (bytes(key.pkcs12) if key.pkcs12 else None,
                key.secret_token)

    def get_key_info(self, name):
        with without_check_access():
            key = self._key()
            if name == 'secret_stored':
                return bool(key and key.secret_token)
            return bool(key and key.pkcs12_id)

    @classmethod
    def set_nothing(cls, certificates, name, value):
        pass

    @classmethod
    def set_key(cls, certificates, name, value):
        "Keep the key file or the secret in the key model nobody reads"
        Key = Pool().get('vb.signature.key')
        if name == 'secret':
            value = secret.encrypt(value) if value else None
            name = 'secret_token'
        with without_check_access():
            for certificate in certificates:
                key = certificate._key() or Key(certificate=certificate)
                setattr(key, name, value)
                key.save()

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        data = values.get('certificate')
        if values.get('pkcs12') is not None:
            # The certificate of a key file is the file's, read with the
            # password given (stored or only typed to check the file)
            data = cls._pkcs12_certificate(values['pkcs12'],
                values.get('secret') or values.get('check_secret'))
        values.pop('check_secret', None)
        return cls._facts_values(values, data)

    @staticmethod
    def _pkcs12_certificate(data, password):
        from cryptography.hazmat.primitives.serialization import (
            Encoding, pkcs12)
        try:
            _key, cert, _others = pkcs12.load_key_and_certificates(
                bytes(data), password.encode('utf-8') if password else None)
        except ValueError:
            raise CertificateError(gettext(
                    'vb_signature.msg_certificate_pkcs12_password'))
        if cert is None:
            raise CertificateError(gettext(
                    'vb_signature.msg_certificate_pkcs12_empty'))
        return cert.public_bytes(Encoding.DER)

    @classmethod
    def validate_fields(cls, certificates, field_names):
        super().validate_fields(certificates, field_names)
        for certificate in certificates:
            if certificate.owner == 'organization' and (
                    certificate.method == 'remote'):
                raise CertificateError(gettext(
                        'vb_signature.msg_certificate_organization_remote',
                        certificate=certificate.rec_name))
            if (certificate.method == 'pkcs12' and certificate.key_stored
                    and certificate.secret_stored):
                # A wrong password is found now, not at the first issue
                with certificate.signer():
                    pass

    def appearance(self):
        return Appearance(image=bytes(self.image) if self.image else None)

    def signer(self, secret_text=None):
        """The pades.Signer of this certificate, to use in a with block.

        `secret_text`: the password or PIN typed by the user, else the
        stored one.
        """
        if self.method == 'remote':
            raise SigningError(gettext(
                    'vb_signature.msg_certificate_remote_only',
                    certificate=self.rec_name))
        key_file, secret_token = self._key_values()
        if not secret_text and secret_token:
            try:
                secret_text = secret.decrypt(secret_token)
            except secret.SecretError:
                raise SigningError(gettext(
                        'vb_signature.msg_certificate_secret_lost',
                        certificate=self.rec_name))
        if not secret_text:
            raise SigningError(gettext(
                    'vb_signature.msg_certificate_secret_required',
                    certificate=self.rec_name))
        try:
            if self.method == 'pkcs12':
                signer = Signer.from_pkcs12(key_file or b'',
                    secret_text)
            else:
                signer = Signer.from_pkcs11(self.pkcs11_library,
                    self.token_label, secret_text, self.key_label)
        except SignatureError as error:
            raise SigningError(gettext(
                    'vb_signature.msg_certificate_signer_failed',
                    certificate=self.rec_name, reason=error.message))
        if self.fingerprint and hashlib.sha256(
                signer.certificate.dump()).hexdigest() != self.fingerprint:
            signer.close()
            raise SigningError(gettext(
                    'vb_signature.msg_certificate_key_mismatch',
                    certificate=self.rec_name))
        return signer

    def check_usable(self):
        if self.status in {'expired', 'not_yet_valid'}:
            raise SigningError(gettext(
                    'vb_signature.msg_certificate_not_valid_now',
                    certificate=self.rec_name,
                    status=self.status_string))

    @classmethod
    def personal(cls, user_id):
        "The usable personal certificate of a user, or None"
        certificates = cls.search([
                ('owner', '=', 'personal'),
                ('user', '=', user_id),
                ('status', 'in', ['valid', 'expiring']),
                ], order=[('not_after', 'DESC')], limit=1)
        return certificates[0] if certificates else None

    @classmethod
    def of_agency(cls, company):
        "The usable organization certificate of an agency, or None"
        certificates = cls.search([
                ('owner', '=', 'organization'),
                ('company', '=', company.id),
                ('status', 'in', ['valid', 'expiring']),
                ], order=[('not_after', 'DESC')], limit=1)
        return certificates[0] if certificates else None

    @classmethod
    def notify_expiring(cls):
        """Warn 30 days ahead (cron): the owner of a personal certificate,
        the agency's administrators for the organization's"""
        pool = Pool()
        Date = pool.get('ir.date')
        today = Date.today()
        now = dt.datetime.utcnow()
        certificates = cls.search([
                ('not_after', '>=', now),
                ('not_after', '<', now + EXPIRY_WARNING),
                ('expiry_notified', '=', None),
                ])
        for certificate in certificates:
            if certificate.owner == 'personal':
                users = [certificate.user]
            else:
                users = agency_users(certificate.company, ['agency_admin'])
            tell(users, [certificate], 'vb_signature.msg_certificate_expiring',
                icon='tryton-warning', certificate=certificate.rec_name,
                agency=certificate.company.rec_name,
                date=certificate.not_after.date().isoformat(),
                days=(certificate.not_after - now).days)
        cls.write(certificates, {'expiry_notified': today})
        return certificates

    @classmethod
    def copy(cls, certificates, default=None):
        default = dict(default or {})
        default.setdefault('expiry_notified')
        return super().copy(certificates, default=default)


class Key(ModelSQL):
    """Signing Key

    The key file and the encrypted secret of a certificate, apart so that
    no user reads them through the client (no access is granted on this
    model): only the server's signing code does.
    """
    __name__ = 'vb.signature.key'
    __string__ = "Signing Key"

    certificate = fields.Many2One('vb.signature.certificate', "Certificate",
        required=True, ondelete='CASCADE')
    pkcs12 = fields.Binary("Key File", file_id='pkcs12_id')
    pkcs12_id = fields.Char("Key File ID")
    secret_token = fields.Char("Encrypted Secret")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('certificate_unique', Unique(t, t.certificate),
                'vb_signature.msg_key_unique'),
            ]


class User(metaclass=PoolMeta):
    __name__ = 'res.user'

    signature_certificates = fields.One2Many('vb.signature.certificate',
        'user', "Signing Certificates", readonly=True)


class UserApplication(metaclass=PoolMeta):
    __name__ = 'res.user.application'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.application.selection.append(
            ('vb_signature', "Remote Signing (vbdh-sign)"))


class Company(metaclass=PoolMeta):
    __name__ = 'company.company'

    signature_policy = fields.Selection([
            ('refuse', "Refuse"),
            ('warn', "Warn and Allow Registering"),
            ], "Invalid Signatures on Receipt",
        help="What the clerk may do with an electronic document whose "
        "signatures are missing or invalid.")
    signature_revocation = fields.Selection([
            ('hard-fail', "Refuse When Status Unknown"),
            ('require', "Require Revocation Data"),
            ('soft-fail', "Accept When Status Unknown (not recommended)"),
            ], "Revocation Check")
    signature_online = fields.Boolean("Check Revocation Online",
        help="Ask the OCSP responders and CRL addresses of the "
        "certificates; data embedded in the files is always used.")
    tsa_url = fields.Char("Timestamp Authority (TSA)",
        help="URL of an RFC 3161 timestamp service: signatures become "
        "PAdES B-T, and archiving adds B-LT/B-LTA data.")

    @classmethod
    def default_signature_policy(cls):
        return 'refuse'

    @classmethod
    def default_signature_revocation(cls):
        return 'hard-fail'

    @classmethod
    def default_signature_online(cls):
        return True


class Cron(metaclass=PoolMeta):
    __name__ = 'ir.cron'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.method.selection.extend([
                ('vb.signature.certificate|notify_expiring',
                    "Warn of Expiring Signing Certificates"),
                ('vb.signature.request|expire',
                    "Expire Remote Signing Requests"),
                ])
