# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""Incoming (văn bản đến) and outgoing (văn bản đi) documents.

One model with a direction, as account.invoice has a type: both share
the register, the type, the files, the chat and the relations that later
modules (dossiers, processing, exchange) attach to "a document".
"""
import datetime as dt
from zoneinfo import ZoneInfo

from sql.conditionals import Coalesce

from trytond import backend
from trytond.i18n import gettext
from trytond.model import (
    ChatMixin, Index, ModelSQL, ModelView, Workflow, fields)
from trytond.pool import Pool
from trytond.pyson import Bool, Eval, If
from trytond.tools import grouped_slice, reduce_ids
from trytond.transaction import Transaction
from trytond.wizard import Button, StateTransition, StateView, Wizard

from .company import current_agency
from .exceptions import (
    DocumentStateError, DocumentValidationError, DuplicateDocumentWarning)
from .model import check_transition, strict_transition
from .notify import agency_users, tell
from .book import DIRECTIONS
from .vn import normalize_vi, notation

SOURCES = [
    ('paper', "Paper (scanned)"),
    ('email', "E-mail"),
    ('internal', "Internal delivery"),
    ('lgsp', "LGSP / national axis"),
    ('pakn', "Citizen feedback"),
    ('other', "Other"),
    ]
AUTHORITIES = [
    (None, ""),
    ('TM', "TM. (on behalf of the collective)"),
    ('KT', "KT. (signing for the head)"),
    ('Q', "Q. (acting head)"),
    ('TL', "TL. (by order)"),
    ('TUQ', "TUQ. (by delegation)"),
    ]
STATES = [
    ('draft', "Draft"),
    ('waiting', "Waiting for Receipt"),
    ('registered', "Registered"),
    ('refused', "Refused"),
    ('issued', "Issued"),
    ('cancelled', "Cancelled"),
    ]
# Fields that are fixed once the document is numbered
NUMBER_FIELDS = {
    'register', 'register_number', 'register_year', 'number_notation',
    'issued_date', 'arrival_date', 'company', 'direction'}

_incoming = Eval('direction') == 'incoming'
_outgoing = Eval('direction') == 'outgoing'
_editable = Eval('state').in_(['draft', 'waiting'])
_readonly = ~_editable


class Document(ChatMixin, Workflow, ModelSQL, ModelView):
    "Document"
    __string__ = "Document"
    __name__ = 'vb.document'
    _history = True
    _rec_name = 'subject'

    company = fields.Many2One(
        'company.company', "Agency", required=True, ondelete='RESTRICT',
        states={'readonly': (Eval('state') != 'draft') | (Eval('id', -1) >= 0)},
        domain=[('external', '=', False)])
    direction = fields.Selection(DIRECTIONS, "Direction", required=True,
        states={'readonly': Eval('id', -1) >= 0})
    direction_string = direction.translated('direction')
    state = fields.Selection(STATES, "State", required=True, readonly=True,
        sort=False)
    state_string = state.translated('state')
    type = fields.Many2One('vb.document.type', "Type", required=True,
        ondelete='RESTRICT', states={'readonly': _readonly})
    subject = fields.Text("Subject", required=True,
        states={'readonly': _readonly},
        help="The abstract (trích yếu) of the document.")
    subject_search = fields.Char("Subject without Diacritics", readonly=True)
    domain_field = fields.Many2One('vb.document.field', "Field",
        ondelete='RESTRICT', states={'readonly': _readonly})
    urgency = fields.Many2One('vb.document.urgency', "Urgency",
        required=True, ondelete='RESTRICT', states={'readonly': _readonly})
    secrecy = fields.Many2One('vb.document.secrecy', "Confidentiality",
        required=True, ondelete='RESTRICT', states={'readonly': _readonly})
    register = fields.Many2One('vb.document.register', "Register",
        ondelete='RESTRICT',
        domain=[
            ('company', '=', Eval('company', -1)),
            ('direction', '=', Eval('direction')),
            ],
        states={'readonly': _readonly})
    register_number = fields.Integer("Number in Register", readonly=True,
        help="The incoming number (số đến) or the outgoing number.")
    register_year = fields.Integer("Year", readonly=True)
    number_notation = fields.Char("Number and Notation", strip=True,
        states={
            'readonly': _outgoing | _readonly,
            },
        help="Số, ký hiệu, e.g. 15/QĐ-UBND.")
    issued_date = fields.Date("Document Date",
        states={'readonly': _outgoing | _readonly})
    page_count = fields.Integer("Pages", states={'readonly': _readonly},
        domain=[If(Bool(Eval('page_count')),
                ('page_count', '>', 0), ())])
    copy_count = fields.Integer("Copies", states={'readonly': _readonly},
        domain=[If(Bool(Eval('copy_count')),
                ('copy_count', '>', 0), ())])
    deadline = fields.Date("Deadline",
        domain=[If(Bool(Eval('deadline')) & Bool(Eval('arrival_date')),
                ('deadline', '>=', Eval('arrival_date')), ())],
        states={'readonly': Eval('state').in_(['refused', 'cancelled'])},
        help="The processing deadline (hạn xử lý).")
    note = fields.Text("Note")
    files = fields.One2Many('ir.attachment', 'resource', "Files",
        filter=[('document_role', 'in', ['main', 'annex'])],
        states={'readonly': _readonly})

    # Incoming
    arrival_date = fields.Date("Arrival Date",
        states={
            'invisible': ~_incoming,
            'readonly': _readonly,
            })
    source = fields.Selection([(None, "")] + SOURCES, "Source",
        states={
            'invisible': ~_incoming,
            'readonly': _readonly | (Eval('state') == 'waiting'),
            })
    issuer = fields.Many2One('company.company', "Issuing Agency",
        ondelete='RESTRICT',
        states={
            'invisible': ~_incoming,
            'readonly': _readonly | (Eval('state') == 'waiting'),
            })
    issuer_name = fields.Char("Issuing Agency Name",
        states={'readonly': _readonly},
        help="The name of the issuing agency as written on the document.")
    signer_name = fields.Char("Signed by",
        states={'readonly': _readonly})
    recipient_units = fields.Many2Many(
        'vb.document-vb.unit', 'document', 'unit', "Receiving Units",
        domain=[('company', '=', Eval('company', -1))],
        states={
            'invisible': ~_incoming,
            'readonly': Eval('state').in_(['refused', 'cancelled']),
            })
    recipient_users = fields.Many2Many(
        'vb.document-res.user', 'document', 'user', "Receiving Persons",
        domain=[('companies', 'in', [Eval('company', -1)])],
        states={
            'invisible': ~_incoming,
            'readonly': Eval('state').in_(['refused', 'cancelled']),
            })
    origin = fields.Many2One('vb.document.recipient', "Delivered by",
        readonly=True, ondelete='RESTRICT',
        states={'invisible': ~Eval('origin')})
    refusal_reason = fields.Text("Refusal Reason", readonly=True,
        states={'invisible': Eval('state') != 'refused'})
    duplicates = fields.Function(fields.Many2Many(
            'vb.document', None, None, "Likely Duplicates",
            states={'invisible': ~Eval('duplicates')}),
        'get_duplicates')

    # Outgoing
    drafting_unit = fields.Many2One('vb.unit', "Drafting Unit",
        domain=[('company', '=', Eval('company', -1))],
        states={
            'invisible': ~_outgoing,
            'readonly': _readonly,
            })
    signer = fields.Many2One('company.employee', "Signer",
        domain=[('company', '=', Eval('company', -1))],
        states={
            'invisible': ~_outgoing,
            'readonly': _readonly,
            })
    signer_position = fields.Char("Signer Position",
        states={'readonly': _readonly},
        help="The title printed above the name, e.g. CHỦ TỊCH.")
    authority = fields.Selection(AUTHORITIES, "Signing Authority",
        states={
            'invisible': ~_outgoing,
            'readonly': _readonly,
            })
    recipients = fields.One2Many('vb.document.recipient', 'document',
        "Recipients",
        states={
            'invisible': ~_outgoing,
            'readonly': _readonly,
            })
    recipients_text = fields.Text("Distribution",
        states={
            'invisible': ~_outgoing,
            'readonly': _readonly,
            },
        help='The "Nơi nhận" block, ending with "- Lưu: VT, …".')
    reply_to = fields.Many2One('vb.document', "In Reply To",
        domain=[
            ('company', '=', Eval('company', -1)),
            ('direction', '=', 'incoming'),
            ],
        states={
            'invisible': ~_outgoing,
            'readonly': _readonly,
            })
    replies = fields.One2Many('vb.document', 'reply_to', "Replies",
        readonly=True, states={'invisible': ~_incoming})

    # Who numbered it and when
    numbered_by = fields.Many2One('res.user', "Numbered By", readonly=True)
    numbered_at = fields.DateTime("Numbered At", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t,
                    (t.company, Index.Equality()),
                    (t.direction, Index.Equality(cardinality='low')),
                    (t.state, Index.Equality(cardinality='low'))),
                Index(t,
                    (t.register, Index.Equality()),
                    (t.register_year, Index.Equality()),
                    (t.register_number, Index.Range())),
                Index(t, (t.number_notation, Index.Equality())),
                Index(t, (t.origin, Index.Equality())),
                Index(t, (t.reply_to, Index.Equality())),
                })
        cls._order = [
            ('register_year', 'DESC NULLS FIRST'),
            ('register_number', 'DESC NULLS FIRST'),
            ('id', 'DESC'),
            ]
        cls._transitions |= {
            ('draft', 'registered'),
            ('waiting', 'registered'),
            ('waiting', 'refused'),
            ('draft', 'issued'),
            ('draft', 'cancelled'),
            ('issued', 'cancelled'),
            ('registered', 'cancelled'),
            }
        cls._buttons.update({
                'register_document': {
                    'invisible': ~_incoming | ~_editable,
                    'icon': 'tryton-ok',
                    'depends': ['direction', 'state'],
                    },
                'refuse': {
                    'invisible': ~_incoming | (Eval('state') != 'waiting'),
                    'icon': 'tryton-back',
                    'depends': ['direction', 'state'],
                    },
                'issue': {
                    'invisible': ~_outgoing | (Eval('state') != 'draft'),
                    'icon': 'tryton-launch',
                    'depends': ['direction', 'state'],
                    },
                'cancel': {
                    'invisible': ~Eval('state').in_(
                        ['draft', 'registered', 'issued']),
                    'icon': 'tryton-cancel',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def view_attributes(cls):
        return super().view_attributes() + [
            ('//group[@id="incoming"]', 'states', {'invisible': ~_incoming}),
            ('//group[@id="outgoing"]', 'states', {'invisible': ~_outgoing}),
            ('//page[@name="recipients"]', 'states',
                {'invisible': ~_outgoing}),
            ('//page[@name="replies"]', 'states', {'invisible': ~_incoming}),
            ]

    @classmethod
    def default_company(cls):
        return current_agency()

    @classmethod
    def default_direction(cls):
        return Transaction().context.get('direction', 'incoming')

    @classmethod
    def default_state(cls):
        return 'draft'

    @classmethod
    def default_source(cls):
        if Transaction().context.get('direction') == 'incoming':
            return 'paper'

    @classmethod
    def default_urgency(cls):
        return cls._default_catalog('vb.document.urgency', 'normal')

    @classmethod
    def default_secrecy(cls):
        return cls._default_catalog('vb.document.secrecy', 'normal')

    @classmethod
    def _default_catalog(cls, model, code):
        records = Pool().get(model).search([('code', '=', code)], limit=1)
        return records[0].id if records else None

    @classmethod
    def default_copy_count(cls):
        return 1

    @fields.depends('company', 'direction', 'type', 'secrecy', 'register')
    def on_change_type(self):
        self._set_default_register()

    @fields.depends('company', 'direction', 'type', 'secrecy', 'register')
    def on_change_secrecy(self):
        self._set_default_register()

    @fields.depends('company', 'direction', 'type', 'secrecy', 'register')
    def _set_default_register(self):
        Register = Pool().get('vb.document.register')
        if self.company and self.direction:
            register = Register.find(self.company, self.direction, self.type,
                secret=self.secrecy.secret if self.secrecy else False)
            if register:
                self.register = register

    @fields.depends('signer')
    def on_change_signer(self):
        if self.signer and self.signer.position:
            self.signer_position = self.signer.position.name.upper()

    @fields.depends('issuer')
    def on_change_issuer(self):
        if self.issuer:
            self.issuer_name = self.issuer.rec_name

    @fields.depends('company', 'direction', 'issuer', 'issuer_name',
        'number_notation', 'issued_date', 'id')
    def on_change_notify(self):
        notifications = super().on_change_notify()
        if self.direction == 'incoming' and self.company:
            duplicates = self._find_duplicates()
            if duplicates:
                notifications.append(('warning', gettext(
                            'vb_document.msg_document_duplicate',
                            document=self.number_notation,
                            duplicates=', '.join(
                                d.reference for d in duplicates))))
        return notifications

    def _find_duplicates(self):
        "Registered incoming documents with the same issuer, number, date"
        if not (self.number_notation and self.issued_date
                and (self.issuer or self.issuer_name)):
            return []
        domain = [
            ('company', '=', self.company.id),
            ('direction', '=', 'incoming'),
            ('number_notation', '=', self.number_notation),
            ('issued_date', '=', self.issued_date),
            ('state', 'not in', ['refused', 'cancelled']),
            ]
        if self.issuer:
            domain.append(('issuer', '=', self.issuer.id))
        else:
            domain.append(('issuer_name', 'ilike', self.issuer_name))
        if getattr(self, 'id', None) and self.id >= 0:
            domain.append(('id', '!=', self.id))
        return self.search(domain, limit=5)

    def get_duplicates(self, name):
        if self.direction != 'incoming' or self.state not in {
                'draft', 'waiting'}:
            return []
        return [d.id for d in self._find_duplicates()]

    @property
    def reference(self):
        "How staff refer to the document: its number or its subject"
        if self.direction == 'incoming' and self.register_number:
            return gettext('vb_document.msg_incoming_reference',
                number=self.register_number,
                year=self.register_year,
                notation=self.number_notation or '')
        return self.number_notation or (self.subject or '')[:60]

    @classmethod
    def get_rec_name(cls, documents, name):
        return cls.names_of([d.id for d in documents])

    @classmethod
    def names_of(cls, ids):
        """{id: name} of the documents ids, as rec_name.

        One query for the two columns: lists of assignments, tasks and
        recipients show the names of many documents, and loading the
        documents themselves would read every column (browsing them costs
        the square of their number in trytond's checks of the ids)."""
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        names = {}
        for sub_ids in grouped_slice(ids, backend.MAX_QUERY_PARAMS):
            cursor.execute(*table.select(
                    table.id, table.number_notation, table.subject,
                    where=reduce_ids(table.id, sub_ids)))
            for id_, number_notation, subject in cursor:
                subject = subject.splitlines()[0][:80] if subject else ''
                names[id_] = ('%s - %s' % (number_notation, subject)
                    if number_notation else subject)
        return names

    @classmethod
    def search_rec_name(cls, name, clause):
        _, operator, value, *_ = clause
        folded = normalize_vi(value) if isinstance(value, str) else value
        if operator.startswith('!') or operator.startswith('not '):
            bool_op = 'AND'
        else:
            bool_op = 'OR'
        return [bool_op,
            ('number_notation', operator, value),
            ('subject_search', operator, folded),
            ]

    @classmethod
    def order_register_number(cls, tables):
        table, _ = tables[None]
        return [Coalesce(table.register_number, 0)]

    @classmethod
    def _open_domain(cls):
        "Domain of the documents whose work is not finished"
        return [('state', 'in', ['draft', 'waiting'])]

    @classmethod
    def preprocess_values(cls, mode, values):
        pool = Pool()
        Company = pool.get('company.company')
        DocumentType = pool.get('vb.document.type')
        Secrecy = pool.get('vb.document.secrecy')
        Register = pool.get('vb.document.register')
        values = super().preprocess_values(mode, values)
        if 'subject' in values:
            values['subject_search'] = normalize_vi(values['subject'])
        if (mode == 'create' and not values.get('register')
                and values.get('company') and values.get('direction')):
            # Chosen now rather than under the numbering lock
            secrecy = values.get('secrecy')
            register = Register.find(Company(values['company']),
                values['direction'],
                DocumentType(values['type']) if values.get('type') else None,
                secret=Secrecy(secrecy).secret if secrecy else False)
            if register:
                values['register'] = register.id
        return values

    @classmethod
    def check_modification(cls, mode, documents, values=None, external=False):
        super().check_modification(
            mode, documents, values=values, external=external)
        if mode == 'delete':
            for document in documents:
                if document.state != 'draft':
                    raise DocumentStateError(gettext(
                            'vb_document.msg_document_delete_not_draft',
                            document=document.rec_name))
        elif mode == 'write':
            numbered = NUMBER_FIELDS & set(values)
            if numbered:
                for document in documents:
                    if document.register_number:
                        raise DocumentStateError(gettext(
                                'vb_document.msg_document_number_locked',
                                document=document.rec_name))
            if external and (set(values) - {
                        'note', 'deadline', 'recipient_units',
                        'recipient_users'}):
                # Fields are readonly in the client; refuse the same edits
                # when they come through RPC.
                for document in documents:
                    if document.state not in {'draft', 'waiting'}:
                        raise DocumentStateError(gettext(
                                'vb_document.msg_document_not_editable',
                                document=document.rec_name,
                                state=document.state_string))

    @classmethod
    def validate_fields(cls, documents, field_names):
        super().validate_fields(documents, field_names)
        for document in documents:
            if document.subject is not None and not document.subject.strip():
                raise DocumentValidationError(gettext(
                        'vb_document.msg_document_subject_empty'))

    @classmethod
    def copy(cls, documents, default=None):
        default = default.copy() if default is not None else {}
        for name in NUMBER_FIELDS - {'company', 'direction'} | {
                'numbered_by', 'numbered_at', 'origin', 'refusal_reason',
                'replies', 'files'}:
            default.setdefault(name, None)
        default.setdefault('recipients.state', 'draft')
        default.setdefault('recipients.incoming_document', None)
        return super().copy(documents, default=default)

    def _check_required(self, field_names):
        "Raise naming the fields, in the user's language, that are empty"
        missing = [f for f in field_names if not getattr(self, f)]
        if missing:
            raise DocumentValidationError(gettext(
                    'vb_document.msg_document_missing_fields',
                    document=self.rec_name, fields=', '.join(
                        _translated_field(self.__class__, f)
                        for f in missing)))

    def _check_main_file(self):
        Attachment = Pool().get('ir.attachment')
        if not Attachment.search([
                    ('resource', '=', str(self)),
                    ('document_role', '=', 'main'),
                    ], count=True):
            raise DocumentValidationError(gettext(
                    'vb_document.msg_document_main_file_missing',
                    document=self.rec_name))

    def _set_register(self):
        "Find and check the register the document is numbered in"
        pool = Pool()
        Register = pool.get('vb.document.register')
        if not self.register:
            self.register = Register.find(self.company, self.direction,
                self.type, secret=self.secrecy.secret)
        if not self.register:
            raise DocumentValidationError(gettext(
                    'vb_document.msg_document_no_register',
                    document=self.rec_name,
                    direction=self.direction_string))
        if (self.register.company != self.company
                or self.register.direction != self.direction):
            raise DocumentValidationError(gettext(
                    'vb_document.msg_document_wrong_register',
                    document=self.rec_name, register=self.register.rec_name))

    @classmethod
    def _lock_counters(cls, documents):
        """Lock the register counters the documents take their numbers from.

        Return {document: (counter, date)}, the date whose year numbers
        the document. Done first: the first lock request restarts the whole
        call with the rows locked, so nothing done before it is worth doing.
        """
        pool = Pool()
        Counter = pool.get('vb.document.register.counter')
        Date = pool.get('ir.date')
        today = {}
        numbering = {}
        for document in documents:
            document._set_register()
            if document.direction == 'incoming' and document.arrival_date:
                date = document.arrival_date
            else:
                agency = document.company
                if agency not in today:
                    # The agency's timezone decides the day (passed, not
                    # set in the context, which would empty the caches)
                    today[agency] = Date.today(timezone=ZoneInfo(
                            agency.timezone) if agency.timezone else None)
                date = today[agency]
            numbering[document] = (
                Counter.get(document.register, date.year), date)
        Counter.lock([c for c, _ in numbering.values()])
        return numbering

    def _number(self, counter, date):
        "Take the next number of the locked counter"
        self.register_year = date.year
        self.register_number = counter.take()
        self.numbered_by = Transaction().user
        self.numbered_at = dt.datetime.now()

    @classmethod
    @ModelView.button
    @strict_transition('registered')
    def register_document(cls, documents):
        "Register incoming documents: take the next incoming number"
        pool = Pool()
        Warning_ = pool.get('res.user.warning')
        Recipient = pool.get('vb.document.recipient')
        numbering = cls._lock_counters(documents)
        for document in documents:
            if document.direction != 'incoming':
                raise DocumentStateError(gettext(
                        'vb_document.msg_document_not_incoming',
                        document=document.rec_name))
            document._check_required(['type', 'subject'])
            if not (document.issuer or document.issuer_name):
                document._check_required(['issuer_name'])
            duplicates = document._find_duplicates()
            if duplicates:
                key = Warning_.format('vb_document_duplicate', [document])
                if Warning_.check(key):
                    raise DuplicateDocumentWarning(key, gettext(
                            'vb_document.msg_document_duplicate',
                            document=document.number_notation,
                            duplicates=', '.join(
                                d.reference for d in duplicates)))
        for document in documents:
            counter, date = numbering[document]
            document.arrival_date = date
            if not document.issuer_name and document.issuer:
                document.issuer_name = document.issuer.rec_name
            document._number(counter, date)
            document.state = 'registered'
        cls.save(documents)
        delivered = [d.origin for d in documents if d.origin]
        if delivered:
            Recipient.set_received(delivered)

    @classmethod
    @ModelView.button_action('vb_document.wizard_document_refuse')
    def refuse(cls, documents):
        check_transition(cls, documents, 'refused')

    @classmethod
    @strict_transition('refused')
    def do_refuse(cls, documents, reason):
        "Refuse documents delivered to the agency"
        Recipient = Pool().get('vb.document.recipient')
        if not reason or not reason.strip():
            raise DocumentValidationError(gettext(
                    'vb_document.msg_document_refuse_reason'))
        cls.write(documents, {'refusal_reason': reason.strip()})
        delivered = [d.origin for d in documents if d.origin]
        if delivered:
            Recipient.set_refused(delivered, reason.strip())

    @classmethod
    @ModelView.button
    @strict_transition('issued')
    def issue(cls, documents):
        """Number, date and deliver outgoing documents.

        The number and the notation are locked from now on; cancelling
        the document later does not free them.
        """
        pool = Pool()
        Recipient = pool.get('vb.document.recipient')
        numbering = cls._lock_counters(documents)
        for document in documents:
            if document.direction != 'outgoing':
                raise DocumentStateError(gettext(
                        'vb_document.msg_document_not_outgoing',
                        document=document.rec_name))
            document._check_required(['type', 'subject', 'signer'])
            # The distribution text first: it is nearly always filled
            # ("Lưu: VT"), and the lines are one more query
            if not document.recipients_text and not document.recipients:
                document._check_required(['recipients'])
            document._check_main_file()
            if not document.company.abbreviation:
                raise DocumentValidationError(gettext(
                        'vb_document.msg_agency_no_abbreviation',
                        agency=document.company.rec_name))
        for document in documents:
            counter, document.issued_date = numbering[document]
            document._number(counter, document.issued_date)
            document.number_notation = notation(
                document.register_number, document.company.abbreviation,
                type_abbreviation=document.type.abbreviation,
                unit_abbreviation=(document.drafting_unit.abbreviation
                    if document.drafting_unit else None))
            if not document.signer_position and document.signer.position:
                document.signer_position = (
                    document.signer.position.name.upper())
            if not document.signer_name:
                document.signer_name = document.signer.party.name
            document.issuer = document.company
            document.issuer_name = document.company.rec_name
            document.state = 'issued'
            document._on_issue()
        cls.save(documents)
        cls._finish_files(documents)
        recipients = [r for d in documents for r in d.recipients]
        if recipients:
            Recipient.deliver(recipients)

    def _on_issue(self):
        """Hook: the outgoing document was just numbered and dated by the
        issue and is not saved yet; set what derives from its number, to
        be written with it (vb_lgsp: the edXML DocumentId)."""
        pass

    @classmethod
    def _finish_files(cls, documents):
        """Hook: the outgoing documents were just numbered and dated;
        make their files final before they are delivered.

        vb_signature writes the number and date into the signed PDF and
        applies the organisation's signature.
        """
        pass

    def _finish_new_main_file(self, attachment):
        """Hook: attachment is a main file given after issuing, e.g. the
        corrected version an update carries; make it final as the issue
        makes the main file final before it is sent.

        vb_signature applies the organisation's signature to it.
        """
        pass

    @classmethod
    @ModelView.button
    @strict_transition('cancelled')
    def cancel(cls, documents):
        pass

    def notify_clerks(self):
        "Tell the clerks of the agency that a document waits for them"
        tell(agency_users(self.company, ['clerk']), [self],
            'vb_document.msg_document_delivered',
            agency=self.issuer_name or '', document=self.rec_name)

    @classmethod
    def transfer(cls, documents, agency):
        "Move open documents to another agency (reorganisation)"
        pool = Pool()
        Register = pool.get('vb.document.register')
        for document in documents:
            document.company = agency
            document.register = Register.find(agency, document.direction,
                document.type, secret=document.secrecy.secret)
            document.recipient_units = []
            document.drafting_unit = None
            document.signer = None
        cls.save(documents)


def _translated_field(Model, name):
    "The label of a field in the language of the user"
    pool = Pool()
    Field = pool.get('ir.model.field')
    return Field.get_name(Model.__name__, name) or name


class DocumentUnit(ModelSQL):
    "Document - Receiving Unit"
    __string__ = "Document - Receiving Unit"
    __name__ = 'vb.document-vb.unit'
    document = fields.Many2One(
        'vb.document', "Document", required=True, ondelete='CASCADE')
    unit = fields.Many2One(
        'vb.unit', "Unit", required=True, ondelete='CASCADE')


class DocumentUser(ModelSQL):
    "Document - Receiving Person"
    __string__ = "Document - Receiving Person"
    __name__ = 'vb.document-res.user'
    document = fields.Many2One(
        'vb.document', "Document", required=True, ondelete='CASCADE')
    user = fields.Many2One(
        'res.user', "User", required=True, ondelete='CASCADE')


class Recipient(ModelSQL, ModelView):
    "Recipient of an outgoing document"
    __string__ = "Recipient"
    __name__ = 'vb.document.recipient'

    document = fields.Many2One('vb.document', "Document", required=True,
        ondelete='CASCADE', domain=[('direction', '=', 'outgoing')])
    agency = fields.Many2One('company.company', "Agency", required=True,
        ondelete='RESTRICT',
        domain=[('id', '!=', Eval('_parent_document', {}).get('company', -1))])
    external = fields.Function(fields.Boolean("External"), 'get_external')
    state = fields.Selection([
            ('draft', "Not Sent"),
            ('waiting', "Waiting for Receipt"),
            ('received', "Received"),
            ('refused', "Refused"),
            ('external', "To Send Outside"),
            ], "Status", readonly=True, required=True)
    status_date = fields.DateTime("Status Date", readonly=True)
    reason = fields.Text("Reason", readonly=True)
    incoming_document = fields.Many2One('vb.document', "Incoming Document",
        readonly=True, ondelete='SET NULL')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('document')
        t = cls.__table__()
        cls._sql_indexes.add(Index(t, (t.document, Index.Equality())))

    @classmethod
    def default_state(cls):
        return 'draft'

    def get_external(self, name):
        return bool(self.agency and self.agency.external)

    @classmethod
    def check_modification(cls, mode, recipients, values=None,
            external=False):
        super().check_modification(
            mode, recipients, values=values, external=external)
        if mode in {'write', 'delete'} and external:
            for recipient in recipients:
                if recipient.state != 'draft':
                    raise DocumentStateError(gettext(
                            'vb_document.msg_recipient_sent',
                            agency=recipient.agency.rec_name))

    @classmethod
    def deliver(cls, recipients):
        """Deliver issued documents to the agencies of this installation.

        Each recipient agency gets a new incoming document waiting for its
        clerk, with a copy of the files; agencies outside wait for the
        electronic exchange (vb_lgsp) or the post.
        """
        pool = Pool()
        Document = pool.get('vb.document')
        Attachment = pool.get('ir.attachment')
        now = dt.datetime.now()
        internal = [r for r in recipients
            if not r.agency.external and r.state == 'draft']
        external = [r for r in recipients
            if r.agency.external and r.state == 'draft']
        # Not create([]): it still writes to the history table
        incoming = Document.create([r._incoming_values() for r in internal]
            ) if internal else []
        for recipient, document in zip(internal, incoming):
            recipient.incoming_document = document
            recipient.state = 'waiting'
            recipient.status_date = now
        for recipient in external:
            recipient.state = 'external'
            recipient.status_date = now
        cls.save(internal + external)
        files = []
        for recipient, document in zip(internal, incoming):
            for file in recipient.document.files:
                files.append({
                        'name': file.name,
                        'data': file.data,
                        'document_role': file.document_role,
                        'description': file.description,
                        'resource': str(document),
                        })
        if files:
            Attachment.create(files)
        for recipient, document in zip(internal, incoming):
            document.notify_clerks()

    def _incoming_values(self):
        source = self.document
        return {
            'company': self.agency.id,
            'direction': 'incoming',
            'state': 'waiting',
            'source': 'internal',
            'type': source.type.id,
            'subject': source.subject,
            'domain_field': (
                source.domain_field.id if source.domain_field else None),
            'urgency': source.urgency.id,
            'secrecy': source.secrecy.id,
            'number_notation': source.number_notation,
            'issued_date': source.issued_date,
            'issuer': source.company.id,
            'issuer_name': source.company.rec_name,
            'signer_name': source.signer_name,
            'signer_position': source.signer_position,
            'page_count': source.page_count,
            'arrival_date': None,
            'origin': self.id,
            }

    @classmethod
    def set_received(cls, recipients):
        cls.write(recipients, {
                'state': 'received',
                'status_date': dt.datetime.now(),
                })
        cls._notify_sender(recipients, 'vb_document.msg_recipient_received')

    @classmethod
    def set_refused(cls, recipients, reason):
        cls.write(recipients, {
                'state': 'refused',
                'reason': reason,
                'status_date': dt.datetime.now(),
                })
        cls._notify_sender(recipients, 'vb_document.msg_recipient_refused')

    @classmethod
    def _notify_sender(cls, recipients, message_id):
        for recipient in recipients:
            document = recipient.document
            tell([document.numbered_by] if document.numbered_by else [],
                [document], message_id, agency=recipient.agency.rec_name,
                document=document.rec_name)


class RefuseStart(ModelView):
    "Refuse Document"
    __string__ = "Refuse Document"
    __name__ = 'vb.document.refuse.start'
    reason = fields.Text("Reason", required=True)


class Refuse(Wizard):
    "Refuse Document"
    __name__ = 'vb.document.refuse'
    start = StateView('vb.document.refuse.start',
        'vb_document.document_refuse_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Refuse", 'refuse', 'tryton-ok', default=True),
            ])
    refuse = StateTransition()

    def transition_refuse(self):
        self.model.do_refuse(self.records, self.start.reason)
        return 'end'
