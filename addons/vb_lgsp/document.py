# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""Documents and their recipients in the exchange.

Issuing a document puts it in the outbox for its external recipients;
registering or refusing a document received through the axis tells its
sender (statuses 03 and 02); statuses coming back are recorded on the
recipient lines.
"""
import datetime as dt

from trytond.cache import Cache
from trytond.model import Index, ModelView, fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import Transaction, without_check_access

from trytond.modules.vb_document.notify import tell

from .package import from_vietnam_time
from .status import PROCESSING_STATES, RANK, STATUS_SELECTION

SENDING_STATES = [
    (None, ""),
    ('pending', "Waiting to Send"),
    ('sent', "Sent to the Axis"),
    ('dead', "Sending Failed"),
    ]


class Configuration(metaclass=PoolMeta):
    __name__ = 'vb.document.configuration'
    # The file size limit bounds every received package: reading the
    # singleton is two queries for each
    _lgsp_max_file_bytes = Cache('vb.document.configuration.max_file_bytes',
        context=False)

    @classmethod
    def on_modification(cls, mode, records, field_names=None):
        super().on_modification(mode, records, field_names=field_names)
        cls._lgsp_max_file_bytes.clear()

    @classmethod
    def lgsp_max_file_bytes(cls):
        size = cls._lgsp_max_file_bytes.get(None)
        if size is None:
            size = cls(1).max_file_bytes
            cls._lgsp_max_file_bytes.set(None, size)
        return size


class Document(metaclass=PoolMeta):
    __name__ = 'vb.document'

    lgsp_connection = fields.Many2One('vb.lgsp.connection',
        "Received Through", readonly=True, ondelete='RESTRICT',
        states={'invisible': ~Eval('lgsp_connection')})
    lgsp_document_id = fields.Char("Document ID (edXML)", readonly=True,
        states={'invisible': ~Eval('lgsp_document_id')},
        help="The identifier of the document in the electronic exchange "
        "(mã định danh, date, number and notation of its issuer).")
    lgsp_sender_code = fields.Char("Sender Code", readonly=True,
        states={'invisible': ~Eval('lgsp_sender_code')})
    lgsp_code = fields.Char("Number and Notation as Received", readonly=True,
        states={'invisible': ~Eval('lgsp_code')})
    lgsp_date = fields.Date("Date as Received", readonly=True,
        states={'invisible': ~Eval('lgsp_date')})
    lgsp_statuses = fields.One2Many('vb.lgsp.recipient.status', 'document',
        "Statuses of the Recipients", readonly=True,
        states={'invisible': Eval('direction') != 'outgoing'})

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.lgsp_document_id, Index.Equality()),
                    (t.lgsp_sender_code, Index.Equality()),
                    where=t.lgsp_document_id != None),  # noqa: E711
                })

    @classmethod
    def view_attributes(cls):
        return super().view_attributes() + [
            ('//page[@id="lgsp"]', 'states', {
                    'invisible': ~Eval('lgsp_document_id'),
                    }),
            ]

    @classmethod
    def copy(cls, documents, default=None):
        default = default.copy() if default is not None else {}
        for name in ['lgsp_connection', 'lgsp_document_id',
                'lgsp_sender_code', 'lgsp_code', 'lgsp_date',
                'lgsp_statuses']:
            default.setdefault(name, None)
        default.setdefault('recipients.lgsp_state', None)
        default.setdefault('recipients.lgsp_doc_id', None)
        default.setdefault('recipients.lgsp_status', None)
        default.setdefault('recipients.lgsp_status_date', None)
        return super().copy(documents, default=default)

    def _on_issue(self):
        from .package import document_id
        super()._on_issue()
        Message = Pool().get('vb.lgsp.message')
        # Written with the issue's number, not in a second write of the
        # document (its history row, its audit entry) by the outbox
        if not self.lgsp_document_id and any(
                r.agency.external and r.state == 'draft'
                and Message.connection_for(r) for r in self.recipients):
            self.lgsp_document_id = document_id(self)

    @classmethod
    @ModelView.button
    def register_document(cls, documents):
        super().register_document(documents)
        cls.tell_lgsp_sender(documents, '03')

    @classmethod
    def do_refuse(cls, documents, reason):
        super().do_refuse(documents, reason)
        cls.tell_lgsp_sender(documents, '02', reason.strip())

    @classmethod
    def tell_lgsp_sender(cls, documents, code, description=''):
        "Send status code to the senders of documents received by the axis"
        pool = Pool()
        Message = pool.get('vb.lgsp.message')
        User = pool.get('res.user')
        user_id = Transaction().user
        user = User(user_id) if user_id else None
        with without_check_access():
            for document in documents:
                if (document.direction == 'incoming'
                        and document.lgsp_document_id):
                    Message.queue_status(document, code, description, user)


class Recipient(metaclass=PoolMeta):
    __name__ = 'vb.document.recipient'

    lgsp_state = fields.Selection(SENDING_STATES, "Electronic Sending",
        readonly=True)
    lgsp_doc_id = fields.Char("Axis Doc ID", readonly=True)
    lgsp_status = fields.Selection(STATUS_SELECTION, "Recipient's Status",
        readonly=True, sort=False,
        help="The furthest status the recipient reported through the axis.")
    lgsp_status_date = fields.DateTime("Recipient's Status Date",
        readonly=True)
    lgsp_statuses = fields.One2Many('vb.lgsp.recipient.status', 'recipient',
        "Status History", readonly=True)

    @classmethod
    def deliver(cls, recipients):
        Message = Pool().get('vb.lgsp.message')
        super().deliver(recipients)
        # Read again: other modules pass fresh instances down the chain
        external = [r for r in cls.browse([r.id for r in recipients])
            if r.state == 'external' and not r.lgsp_state]
        # In the issuing transaction: the outbox commits with the document
        with without_check_access():
            queued = Message.queue_documents(external)
            if queued:
                cls.write(queued, {'lgsp_state': 'pending'})

    def set_lgsp_queued(self):
        self.__class__.write([self], {'lgsp_state': 'pending'})

    def set_lgsp_sent(self, message):
        "The axis took the document for this recipient"
        values = {
            'lgsp_state': 'sent',
            'lgsp_doc_id': message.axis_doc_id,
            }
        if self.state in {'draft', 'external'}:
            # Delivered like an internal recipient: waiting for its clerk
            values.update(state='waiting', status_date=dt.datetime.now())
        self.__class__.write([self], values)

    def set_lgsp_failed(self, message):
        self.__class__.write([self], {'lgsp_state': 'dead'})

    def apply_lgsp_status(self, package, message):
        """Record a status the recipient sent about our document.

        Return False when this code was recorded before (a resend).
        """
        pool = Pool()
        Status = pool.get('vb.lgsp.recipient.status')
        code = package.status.value
        if Status.search([
                    ('recipient', '=', self.id), ('code', '=', code)],
                limit=1):
            return False
        staff = package.staff
        Status.create([{
                    'document': self.document.id,
                    'recipient': self.id,
                    'code': code,
                    'description': package.description or None,
                    'staff': ' - '.join(filter(None, [
                                staff.staff, staff.department]))[:200]
                    if staff else None,
                    'status_time': from_vietnam_time(package.timestamp),
                    'received_at': dt.datetime.now(),
                    'message': message.id,
                    }])
        if RANK.get(code, 0) > RANK.get(self.lgsp_status, 0):
            self._lgsp_progress(code, package)
        else:
            self._tell_sender(code)
        return True

    def _lgsp_progress(self, code, package):
        values = {
            'lgsp_status': code,
            'lgsp_status_date': from_vietnam_time(package.timestamp),
            }
        processing = PROCESSING_STATES.get(code)
        if processing and 'processing_state' in self._fields:
            # vb_workflow shows the processing of internal recipients
            # there: external ones show the same
            values['processing_state'] = processing
            values['processing_date'] = values['lgsp_status_date']
        self.__class__.write([self], values)
        if code == '02':
            if self.state != 'refused':
                self.__class__.set_refused([self], package.description
                    or package.status.default_description)
        elif code in {'03', '04', '05', '06'} and self.state in {
                'draft', 'external', 'waiting'}:
            self.__class__.set_received([self])
            if code != '03':
                self._tell_sender(code)
        else:
            self._tell_sender(code)

    def _tell_sender(self, code):
        document = self.document
        if not document.numbered_by:
            return

        def status():
            # In the reader's language
            labels = dict(self.fields_get(['lgsp_status'])['lgsp_status'][
                    'selection'])
            return labels.get(code, code)
        tell([document.numbered_by], [document],
            'vb_lgsp.msg_recipient_status', agency=self.agency.rec_name,
            document=document.rec_name, status=status)
