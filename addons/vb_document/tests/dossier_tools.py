# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"Helpers of the dossier and archival tests and scenarios"
import io
from pathlib import Path

PO_PATH = Path(__file__).resolve().parent.parent / 'locale' / 'vi.po'


def pdf_file(pages=1, pdfa=None, user_password=None):
    """A PDF of blank pages; pdfa=(part, conformance) declares PDF/A in its
    XMP metadata; user_password encrypts it ('' : readable without one)"""
    from pypdf import PdfWriter
    from pypdf.generic import NameObject, StreamObject
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    if pdfa:
        part, conformance = pdfa
        xmp = (
            '<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>'
            '<x:xmpmeta xmlns:x="adobe:ns:meta/">'
            '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
            '<rdf:Description rdf:about="" '
            'xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/" '
            f'pdfaid:part="{part}" pdfaid:conformance="{conformance}"/>'
            '</rdf:RDF></x:xmpmeta><?xpacket end="w"?>').encode()
        stream = StreamObject()
        stream.set_data(xmp)
        stream[NameObject('/Type')] = NameObject('/Metadata')
        stream[NameObject('/Subtype')] = NameObject('/XML')
        writer.root_object[NameObject('/Metadata')] = (
            writer._add_object(stream))
    if user_password is not None:
        writer.encrypt(user_password=user_password,
            owner_password='chu-so-huu', algorithm='AES-128')
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def use_vietnamese(*users, config=None):
    """Load the Vietnamese translation of vb_document into the database of
    a scenario and make it the language of users, so that the messages
    they get are the ones the agencies read."""
    from proteus import Model
    from proteus import config as proteus_config
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    config = config or proteus_config.get_config()
    with Transaction().start(config.database_name, 0) as transaction:
        pool = Pool()
        Lang = pool.get('ir.lang')
        Translation = pool.get('ir.translation')
        lang, = Lang.search([('code', '=', 'vi')])
        if not lang.translatable:
            lang.translatable = True
            lang.save()
        Translation.translation_import('vi', 'vb_document', [str(PO_PATH)])
        transaction.commit()
    User = Model.get('res.user', config=config)
    Lang = Model.get('ir.lang', config=config)
    vietnamese, = Lang.find([('code', '=', 'vi')])
    for user in users:
        user = User(user.id)
        user.language = vietnamese
        user.save()
