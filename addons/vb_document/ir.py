# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
from zoneinfo import ZoneInfo

from trytond.cache import Cache
from trytond.i18n import gettext
from trytond.model import fields
from trytond.pool import Pool, PoolMeta
from trytond.tools import grouped_slice, reduce_ids
from trytond.transaction import Transaction, check_access

from .exceptions import DocumentStateError, FileValidationError
from .vn import is_pdf


class Attachment(metaclass=PoolMeta):
    __name__ = 'ir.attachment'

    document_role = fields.Selection([
            (None, ""),
            ('main', "Main File"),
            ('annex', "Annex"),
            ], "Role in Document",
        help="The main file of a document must be a PDF.")

    @classmethod
    def _document_ids(cls, attachments):
        return [int(a.resource.id) for a in attachments
            if a.resource and a.resource.__name__ == 'vb.document']

    @classmethod
    def validate_fields(cls, attachments, field_names):
        super().validate_fields(attachments, field_names)
        if field_names is None or field_names & {
                'data', 'document_role', 'resource', 'type'}:
            cls.check_document_file(attachments)

    @classmethod
    def check_document_file(cls, attachments):
        Configuration = Pool().get('vb.document.configuration')
        limit = Configuration(1).max_file_bytes
        for attachment in attachments:
            if (not attachment.resource
                    or attachment.resource.__name__ != 'vb.document'
                    or attachment.type != 'data'):
                continue
            check_file_size(attachment.name, attachment.data_size or 0, limit)
            if attachment.document_role == 'main':
                if not is_pdf(attachment.data):
                    raise FileValidationError(gettext(
                            'vb_document.msg_file_not_pdf',
                            name=attachment.name))

    @classmethod
    def preprocess_values(cls, mode, values):
        Configuration = Pool().get('vb.document.configuration')
        values = super().preprocess_values(mode, values)
        # Refuse oversized data before it reaches the filestore
        data = values.get('data')
        resource = str(values.get('resource') or '')
        if data is not None and resource.startswith('vb.document,'):
            check_file_size(values.get('name', ''), len(data),
                Configuration(1).max_file_bytes)
        return values

    @classmethod
    def check_modification(cls, mode, attachments, values=None,
            external=False):
        super().check_modification(
            mode, attachments, values=values, external=external)
        if external:
            cls._check_document_files_editable(attachments)

    @classmethod
    def _check_document_files_editable(cls, attachments):
        "Files of numbered documents are evidence: they cannot change"
        Document = Pool().get('vb.document')
        ids = cls._document_ids(attachments)
        if not ids:
            return
        for document in Document.browse(ids):
            if document.state not in {'draft', 'waiting'}:
                raise DocumentStateError(gettext(
                        'vb_document.msg_document_files_locked',
                        document=document.rec_name))


def check_file_size(name, size, limit):
    """Refuse a file of size bytes over limit (bytes; 0 or None: no limit)
    with vb_document's message, in the user's language: the same check
    for the files of documents and whatever becomes one (vb_lgsp's
    inbound channels)"""
    if limit and size > limit:
        raise FileValidationError(gettext(
                'vb_document.msg_file_too_large', name=name,
                size=round(size / 1024 / 1024, 1),
                limit=round(limit / 1024 / 1024, 1)))


def file_documents(ids):
    """{attachment id: document id} of the attachments of ids that are
    files of a document, read from the column: reading the resource
    through the ORM searches the document, selecting its every column"""
    table = Pool().get('ir.attachment').__table__()
    cursor = Transaction().connection.cursor()
    documents = {}
    for sub_ids in grouped_slice(list(ids)):
        cursor.execute(*table.select(table.id, table.resource,
                where=reduce_ids(table.id, sub_ids)
                & table.resource.like('vb.document,%')))
        documents.update(
            (i, int(resource.split(',')[1])) for i, resource in cursor)
    return documents


class ModelLog(metaclass=PoolMeta):
    __name__ = 'ir.model.log'

    @classmethod
    def _validate(cls, logs, field_names=None):
        # Logs are written by Tryton alone (Transaction.log_records: a
        # click, a write, a transition), with values it sets; nobody may
        # create or change one (ir.model.access). Validating them read
        # each back, its resource through a search selecting every eager
        # column of the document (about 60): two reads an issue
        pass


class Date(metaclass=PoolMeta):
    __name__ = 'ir.date'
    _company_timezone = Cache('ir.date.company_timezone', context=False)

    @classmethod
    def today(cls, timezone=None):
        # company's today() reads the whole agency record (every column
        # and many-to-one) for its timezone, about 2 ms each time; lists
        # ask for today in each call (overdue columns and tabs)
        company_id = Transaction().context.get('company')
        if timezone is None and company_id is not None and company_id >= 0:
            name = cls._company_timezone.get(company_id, -1)
            if name == -1:
                Company = Pool().get('company.company')
                name = Company(company_id).timezone
                cls._company_timezone.set(company_id, name)
            if name:
                timezone = ZoneInfo(name)
        return super().today(timezone=timezone)


class Channel(metaclass=PoolMeta):
    __name__ = 'ir.chat.channel'

    @classmethod
    @check_access
    def check_access(cls, resource):
        # The chat RPCs only check the model access: apply the record rules
        # of the resource too, or any user could read another agency's
        # discussion by guessing an id.
        super().check_access(resource)
        if Transaction().user:
            model, id_ = str(resource).split(',')
            Pool().get('ir.rule').check(model, [int(id_)], 'read')


class Cron(metaclass=PoolMeta):
    __name__ = 'ir.cron'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.method.selection.append(
            ('vb.document.register|create_next_year_counters',
                "Open Next Year's Register Counters"))
        cls.method.selection.append(
            ('vb.document.audit.chain|link_pending',
                "Chain the Audit Entries Left Waiting"))
