# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""Long-term validation when dossiers are handed over to the archive.

Before the package is built, every validly signed PDF of the dossiers gets
the validation data that proves its signatures valid today (PAdES B-LT)
and, when the agency configured a timestamp authority, an archive
timestamp (B-LTA): years later the archive validates the file from its own
content. Without a TSA nothing is added (B-LT alone would not survive the
expiry of the signers' certificates as well); the README says so.
"""
from trytond.i18n import gettext
from trytond.pool import Pool, PoolMeta

from . import pades
from .exceptions import SigningError
from .verification import policy_of


class Handover(metaclass=PoolMeta):
    __name__ = 'vb.dossier.handover'

    @classmethod
    def export(cls, dossiers):
        cls.add_long_term_validation(dossiers)
        return super().export(dossiers)

    @classmethod
    def add_long_term_validation(cls, dossiers):
        "Add B-LT/B-LTA data to the signed files of the dossiers"
        pool = Pool()
        Attachment = pool.get('ir.attachment')
        Trust = pool.get('vb.signature.trust')
        roots, intermediates = Trust.store()
        for dossier in dossiers:
            agency = dossier.company
            if not agency.tsa_url or not roots:
                continue
            policy = policy_of(agency)
            policy.intermediates = tuple(intermediates)
            for document in dossier.documents:
                files = document._files_by_document([document])[document.id]
                # A file whose check has not run yet (its file task lost
                # with a killed worker, say) is checked now, then read again
                if Attachment.check_waiting(files):
                    files = document._files_by_document(
                        [document])[document.id]
                for attachment in files:
                    if attachment.signature_status != 'valid':
                        continue
                    try:
                        data = pades.add_ltv(bytes(attachment.data), roots,
                            tsa=agency.tsa_url, policy=policy)
                    except pades.SignatureError as error:
                        raise SigningError(gettext(
                                'vb_signature.msg_ltv_failed',
                                document=document.rec_name,
                                file=attachment.name, reason=error.message))
                    document.store_signed(attachment, data, 'archive', None)
