# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""Full-text search of documents, with the text of their files.

The searched text is folded in Python (normalize_vi: lower case, no
diacritics, đ → d) so that `quyet dinh phe duyet` finds "Quyết định phê
duyệt" alike on PostgreSQL and SQLite. PostgreSQL keeps it also as a
tsvector with a GIN index and ranks by ts_rank; SQLite matches every word
with LIKE and ranks by the number of occurrences.

The text of files is read in the queue worker (textract: pypdf, OCR of
scans with tesseract), never in the user's request; each file shows its
indexing status and the document the status of all its files.
"""
import datetime as dt
import hashlib
import logging
from collections import OrderedDict

from sql import Column, Literal, Null
from sql.conditionals import Coalesce
from sql.functions import CharLength, Function
from sql.operators import And, BinaryOperator, Not

from trytond import backend
from trytond.i18n import gettext
from trytond.model import ModelView, fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import PYSONEncoder
from trytond.tools import escape_wildcard, grouped_slice, reduce_ids
from trytond.transaction import Transaction
from trytond.wizard import Button, StateAction, StateView, Wizard

from .book import DIRECTIONS
from .textract import TextError, extract
from .vn import normalize_vi

logger = logging.getLogger(__name__)

# The texts this process read last, by file and content: a task retried
# after a conflict (it writes the document's search row, which a task of
# another change of the same document may write too) does not run the OCR
# of a scan again
_READ = OrderedDict()
_READ_KEEP = 16


def _read_text(attachment_id, data):
    "extract(data) once per file content; a TextError is kept as well"
    key = (attachment_id, hashlib.sha256(data).digest())
    if key not in _READ:
        try:
            _READ[key] = extract(data)
        except TextError as error:
            _READ[key] = error
        while len(_READ) > _READ_KEEP:
            _READ.popitem(last=False)
    result = _READ[key]
    if isinstance(result, TextError):
        raise result
    return result

# The context key giving the query to the ranking of full_text
QUERY_KEY = 'vb_full_text'
# Fields of the document that the search covers, besides the files
SEARCHED_FIELDS = ('number_notation', 'subject', 'issuer_name',
    'signer_name')
TEXT_STATES = [
    (None, ""),
    ('pending', "Waiting for Indexing"),
    ('indexed', "Indexed"),
    ('ocr', "Indexed by OCR"),
    ('no_text', "No Text"),
    ('failed', "Failed"),
    ]
# A file still waiting this long was lost by a worker (killed, restarted)
PENDING_AGAIN = dt.timedelta(hours=1)
# The queue of the task reading new files (process_files)
FILE_QUEUE = 'vb_document_file'
# When the file tasks are expected: trytond's queue takes first the tasks
# expected at no given time, then the earliest expected. Reading files is
# background work (an OCR takes seconds a page): the exchange's packages
# and statuses (vb_lgsp, expected within 30 minutes, urgent ones at once)
# go before a backlog of scans instead of waiting behind it
FILE_EXPECTED = dt.timedelta(hours=1)


def file_tasks(queue=FILE_QUEUE):
    "The context that queues tasks reading files (expected within the hour)"
    return Transaction().set_context(queue_name=queue,
        queue_expected_at=FILE_EXPECTED)


class ToTsvector(Function):
    __slots__ = ()
    _function = 'to_tsvector'


class PlainToTsquery(Function):
    __slots__ = ()
    _function = 'plainto_tsquery'


class Replace(Function):
    __slots__ = ()
    _function = 'REPLACE'


class TsRank(Function):
    __slots__ = ()
    _function = 'ts_rank'


class Match(BinaryOperator):
    __slots__ = ()
    _operator = '@@'


def words(value):
    "The folded words of a query"
    value = (value or '').replace('%', ' ').replace('_', ' ')
    return (normalize_vi(value) or '').split()


def has_tsvector():
    return backend.name == 'postgresql'


class Document(metaclass=PoolMeta):
    __name__ = 'vb.document'

    # Lazy: the text of every file of the document, read by SQL only
    # (index_text, the search); eager, each read and search of a document
    # brought it along
    search_text = fields.Text("Searched Text", readonly=True,
        loading='lazy',
        help="Number, subject, issuer, signer and the text of the files, "
        "without diacritics.")
    text_status = fields.Function(fields.Selection([
                ('none', "No Files"),
                ('pending', "Waiting for Indexing"),
                ('indexed', "Indexed"),
                ('failed', "Failed"),
                ], "Text of the Files"), 'get_text_status')
    full_text = fields.Function(fields.Char("Full Text"),
        'get_full_text')

    @classmethod
    def __register__(cls, module):
        super().__register__(module)
        if has_tsvector():
            # The Index API has no tsvector: the column and its GIN index
            # are kept here, filled with search_text
            cursor = Transaction().connection.cursor()
            table = cls._table
            cursor.execute(f'ALTER TABLE "{table}" '
                'ADD COLUMN IF NOT EXISTS search_vector tsvector')
            cursor.execute(f'CREATE INDEX IF NOT EXISTS '
                f'"{table}_search_vector_index" ON "{table}" '
                'USING GIN (search_vector)')

    @classmethod
    def on_modification(cls, mode, documents, field_names=None):
        super().on_modification(mode, documents, field_names=field_names)
        if mode in {'create', 'write'} and (field_names is None
                or field_names & set(SEARCHED_FIELDS)):
            cls.index_text(documents)

    @classmethod
    def copy(cls, documents, default=None):
        default = dict(default or {})
        default.setdefault('search_text')
        return super().copy(documents, default=default)

    @classmethod
    def index_text(cls, documents):
        """Fold the searched fields and the text of the files of documents
        into search_text (and its tsvector on PostgreSQL)"""
        Attachment = Pool().get('ir.attachment')
        table = cls.__table__()
        attachment = Attachment.__table__()
        cursor = Transaction().connection.cursor()
        ids = [d.id for d in documents]
        for sub_ids in grouped_slice(ids, backend.MAX_QUERY_PARAMS):
            sub_ids = list(sub_ids)
            texts = {}
            cursor.execute(*table.select(table.id,
                    *(getattr(table, f) for f in SEARCHED_FIELDS),
                    where=reduce_ids(table.id, sub_ids)))
            for id_, *values in cursor:
                texts[id_] = [v for v in values if v]
            resources = ['vb.document,%s' % i for i in sub_ids]
            cursor.execute(*attachment.select(
                    attachment.resource, attachment.text_content,
                    where=attachment.resource.in_(resources)
                    & (attachment.text_content != Null),
                    order_by=[attachment.id]))
            for resource, content in cursor:
                texts[int(resource.split(',')[1])].append(content)
            for id_, parts in texts.items():
                folded = normalize_vi(' '.join(parts)) or ''
                columns = [table.search_text]
                values = [folded]
                if has_tsvector():
                    columns.append(table.search_vector)
                    values.append(ToTsvector('simple', folded))
                cursor.execute(*table.update(columns, values,
                        where=table.id == id_))

    @classmethod
    def get_text_status(cls, documents, name):
        Attachment = Pool().get('ir.attachment')
        attachment = Attachment.__table__()
        cursor = Transaction().connection.cursor()
        states = {d.id: set() for d in documents}
        for sub_ids in grouped_slice(list(states), backend.MAX_QUERY_PARAMS):
            cursor.execute(*attachment.select(
                    attachment.resource, attachment.text_state,
                    where=attachment.resource.in_(
                        ['vb.document,%s' % i for i in sub_ids])
                    & (attachment.type == 'data')))
            for resource, state in cursor:
                states[int(resource.split(',')[1])].add(state)
        result = {}
        for id_, found in states.items():
            if not found:
                result[id_] = 'none'
            elif 'failed' in found:
                result[id_] = 'failed'
            elif found & {'pending', None}:
                result[id_] = 'pending'
            else:
                result[id_] = 'indexed'
        return result

    def get_full_text(self, name):
        return None

    @classmethod
    def domain_full_text(cls, domain, tables):
        """The condition on the document's own row, not a sub-query of the
        matching ids: PostgreSQL then combines the GIN index with the
        other filters (the agency) instead of hashing every match of the
        province"""
        table, _ = tables[None]
        _, operator, value = domain[:3]
        folded = words(value)
        if not folded:
            return Literal(True)

        def condition(name, pattern):
            return cls._fields[name].convert_domain(
                (name, 'ilike', pattern), tables, cls)
        if has_tsvector():
            expression = Match(Column(table, 'search_vector'),
                PlainToTsquery('simple', ' '.join(folded)))
            fragment = value.strip()
            if not any(c.isspace() for c in fragment):
                # 'simple' keeps "15/qd-ubnd" as one token: fragments of
                # number-notations (no spaces in them) are found by
                # substring
                expression |= condition('number_notation',
                    '%' + escape_wildcard(fragment) + '%')
        else:
            expression = And([condition('search_text', '%' + w + '%')
                    for w in folded])
        if operator.startswith('not ') or operator.startswith('!'):
            expression = Not(Coalesce(expression, False))
        return expression

    @classmethod
    def order_full_text(cls, tables):
        "Most relevant first, for the query given in the context"
        table, _ = tables[None]
        folded = words(Transaction().context.get(QUERY_KEY))
        if not folded:
            return [Literal(0)]
        if has_tsvector():
            return [TsRank(Coalesce(table.search_vector, ''),
                    PlainToTsquery('simple', ' '.join(folded)))]
        # Occurrences of the words in the folded text
        text = Coalesce(table.search_text, '')
        rank = Literal(0)
        for word in folded:
            rank += (CharLength(text) - CharLength(Replace(text, word, ''))
                ) / len(word)
        return [rank]


class Attachment(metaclass=PoolMeta):
    __name__ = 'ir.attachment'

    text_state = fields.Selection(TEXT_STATES, "Text Indexing",
        readonly=True)
    text_error = fields.Char("Indexing Error", readonly=True)
    # Lazy, as search_text: read by SQL only, and each read of an
    # attachment (its resource, its name) brought the file's whole text
    text_content = fields.Text("Text", readonly=True, loading='lazy',
        help="The text of the file as the search reads it (OCR for scans).")

    @classmethod
    def copy(cls, attachments, default=None):
        default = dict(default or {})
        for name in ['text_state', 'text_error', 'text_content']:
            default.setdefault(name)
        return super().copy(attachments, default=default)

    @classmethod
    def on_modification(cls, mode, attachments, field_names=None):
        super().on_modification(mode, attachments, field_names=field_names)
        Document = Pool().get('vb.document')
        if mode == 'delete':
            return
        if field_names is not None and not (
                field_names & {'data', 'resource', 'type'}):
            return
        files = [a for a in attachments if cls._is_document_file(a)]
        if files:
            cls._files_changed(files)
            with file_tasks():
                cls.__queue__.process_files(files)
        if mode == 'write':
            # A file moved or cleared changes what its document contains
            Document.index_text(Document.browse({
                        a.resource.id for a in attachments
                        if a.resource and a.resource.__name__
                        == 'vb.document'}))

    @classmethod
    def on_delete(cls, attachments):
        Document = Pool().get('vb.document')
        callback = super().on_delete(attachments)
        documents = {a.resource.id for a in attachments
            if a.resource and a.resource.__name__ == 'vb.document'}
        if documents:
            callback.append(lambda: Document.index_text(
                    Document.browse(list(documents))))
        return callback

    @staticmethod
    def _is_document_file(attachment):
        return (attachment.type == 'data' and attachment.resource
            and attachment.resource.__name__ == 'vb.document')

    @classmethod
    def _set_text(cls, attachments, state, error=None, content=None):
        # In SQL: the files of numbered documents cannot be written through
        # the ORM, and the text is not a change of the file
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*table.update(
                [table.text_state, table.text_error, table.text_content],
                [state, error, content],
                where=reduce_ids(table.id, [a.id for a in attachments])))

    @classmethod
    def _files_changed(cls, attachments):
        """Hook: the content of document files changed, in the transaction
        that changed it; mark what the file task will read again (here
        the text; vb_signature adds the signatures)"""
        cls._set_text(attachments, 'pending')

    @classmethod
    def process_files(cls, attachments):
        """Read what the system needs from new or changed files (queue
        task, one per change).

        One task for all the readers of a file (its text here, its
        signatures with vb_signature): as separate tasks, run side by side
        by the worker's processes, they wrote the same attachment row, and
        the one that lost the conflict was run again from the start.
        """
        cls._process_files(attachments)

    @classmethod
    def _process_files(cls, attachments):
        "Hook of process_files: modules add what they read from the files"
        cls.index_file_text(attachments)

    @classmethod
    def check_received(cls, attachments):
        """Hook: files just received from another system (vb_lgsp), in the
        transaction that stores them; modules check now what must be known
        before anyone acts on the document (vb_signature: its signatures,
        which the clerk's registration needs). The rest of the reading
        (the text) stays in the file task."""
        pass

    @classmethod
    def index_file_text(cls, attachments):
        """Read the text of the files (queue task): OCR when needed.

        A file that cannot be read gets the reason in Vietnamese and the
        state 'failed'; its document and the other files are unaffected.
        """
        Document = Pool().get('vb.document')
        documents = set()
        for attachment in attachments:
            if not cls._is_document_file(attachment):
                continue
            try:
                result = _read_text(attachment.id,
                    bytes(attachment.data or b''))
            except TextError as error:
                cls._set_text([attachment], 'failed', error.message)
            except Exception:
                logger.exception("text of attachment %s", attachment.id)
                cls._set_text([attachment], 'failed', gettext(
                        'vb_document.msg_text_unexpected_error'))
            else:
                state = {'ocr': 'ocr', 'mixed': 'ocr', 'text': 'indexed',
                    }.get(result.method, 'no_text')
                cls._set_text([attachment], state, None,
                    result.text or None)
            documents.add(attachment.resource.id)
        Document.index_text(Document.browse(documents))

    @classmethod
    def index_pending_text(cls):
        """Queue again the files left waiting (cron): a worker killed in
        the middle of an OCR must not leave a file unsearchable"""
        now = dt.datetime.now()
        pending = cls.search([
                ('text_state', '=', 'pending'),
                ['OR',
                    ('write_date', '<', now - PENDING_AGAIN),
                    [('write_date', '=', None),
                        ('create_date', '<', now - PENDING_AGAIN)],
                    ],
                ])
        if pending:
            with file_tasks('vb_document_text'):
                cls.__queue__.index_file_text(pending)
        return pending


class Cron(metaclass=PoolMeta):
    __name__ = 'ir.cron'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.method.selection.append(
            ('ir.attachment|index_pending_text',
                "Index the Text of Files Left Waiting"))


class SearchStart(ModelView):
    "Search Documents"
    __string__ = "Search Documents"
    __name__ = 'vb.document.search.start'

    query = fields.Char("Words", required=True,
        help="Words of the number, subject, issuer, signer or files, "
        "with or without diacritics.")
    direction = fields.Selection([(None, "")] + DIRECTIONS, "Direction")
    type = fields.Many2One('vb.document.type', "Type")
    issuer = fields.Many2One('company.company', "Issuing Agency")
    register = fields.Many2One('vb.document.register', "Register")
    dossier = fields.Many2One('vb.dossier', "Dossier")
    state = fields.Selection('get_states', "State")
    date_from = fields.Date("From Date")
    date_to = fields.Date("To Date")

    @classmethod
    def get_states(cls):
        Document = Pool().get('vb.document')
        return [(None, "")] + Document.fields_get(['state'])['state'][
            'selection']


class Search(Wizard):
    "Search Documents"
    __string__ = "Search Documents"
    __name__ = 'vb.document.search'

    start = StateView('vb.document.search.start',
        'vb_document.document_search_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Search", 'results', 'tryton-search', default=True),
            ])
    results = StateAction('vb_document.act_document_search_result')

    def domain(self):
        start = self.start
        domain = [('full_text', 'ilike', start.query)]
        for name in ['direction', 'state']:
            if getattr(start, name):
                domain.append((name, '=', getattr(start, name)))
        for name in ['type', 'issuer', 'register', 'dossier']:
            if getattr(start, name):
                domain.append((name, '=', getattr(start, name).id))
        if start.date_from:
            domain.append(('issued_date', '>=', start.date_from))
        if start.date_to:
            domain.append(('issued_date', '<=', start.date_to))
        return domain

    def do_results(self, action):
        encoder = PYSONEncoder()
        action['pyson_domain'] = encoder.encode(self.domain())
        action['pyson_context'] = encoder.encode({
                QUERY_KEY: self.start.query})
        action['pyson_order'] = encoder.encode([
                ('full_text', 'DESC'), ('id', 'DESC')])
        action['name'] += ': %s' % self.start.query
        return action, {}
