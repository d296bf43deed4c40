# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""With vb_signature: packages signed with the agency's certificate.

The organisation certificate of the agency, when its key is a key file on
the server with its password stored, signs the edXML envelope of every
package the agency sends (XMLDSig, spec §1.9). A key on a token cannot sign
XML through signxml: such agencies send unsigned envelopes (their files
carry the PAdES signatures).
"""
from trytond.pool import Pool, PoolMeta


class Company(metaclass=PoolMeta):
    __name__ = 'company.company'

    def lgsp_credentials(self):
        from trytond.modules.vb_signature import secret
        from trytond.modules.vb_signature.pades.signer import open_pkcs12
        from .edxml.xmldsig import AgencyCredentials
        Certificate = Pool().get('vb.signature.certificate')
        certificate = Certificate.of_agency(self)
        if certificate is None or certificate.method != 'pkcs12':
            return super().lgsp_credentials()
        key_file, token = certificate._key_values()
        if not key_file or not token:
            return super().lgsp_credentials()
        try:
            opened = open_pkcs12(key_file, secret.decrypt(token))
        except (ValueError, secret.SecretError):
            return super().lgsp_credentials()
        return AgencyCredentials(certificate=opened.cert,
            private_key=opened.key, chain=opened.extra)
