# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""Updates of a sent document ("cập nhật", BussinessDocType 2, spec §1.12).

Sending: the clerk corrects the information of an issued document sent
through the axis (subject, signer, deadline, pages, urgency) and/or its
main file with a reason; the correction is written on the document and an
update package with the new information goes to every recipient line the
document was sent to electronically.

Receiving: an update of a document we received from its sender becomes a
request the clerk applies (the fields and files of the document change,
its handlers are told, 15 goes back) or refuses with a reason (16). An
update naming a document we did not receive from that sender is refused
(16) and changes nothing. An update adding us to the recipients of a
document we do not have brings it as a new document; one removing us is
applied by cancelling the document.

Every update, sent or received, is a vb.lgsp.update with the values before
and after: the log of the change.
"""
import datetime as dt
import hashlib
import json

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, fields
from trytond.model.exceptions import AccessButtonError
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import Transaction, without_check_access
from trytond.wizard import Button, StateTransition, StateView, Wizard

from trytond.modules.vb_document.vn import is_pdf
from trytond.modules.vb_document.notify import agency_users, tell

from .edxml import (
    Business, BusinessKind, ReceiverChange, ResponseFor, TraceHeader,
    UpdateInfo, now_vn, urgency_for_priority)
from .exceptions import ExchangeError

# The information of a document an update carries (the number, notation
# and date are its DocumentId: they cannot change)
UPDATE_FIELDS = ['subject', 'signer_name', 'signer_position', 'deadline',
    'page_count', 'urgency']
DIRECTIONS = [
    ('out', "Sent"),
    ('in', "Received"),
    ]
STATES = [
    ('sent', "Sent"),
    ('requested', "Waiting for the Clerk"),
    ('applied', "Applied"),
    ('refused', "Refused"),
    ]


def check_button_access(model, button):
    """A wizard's transition, run over RPC, does what the button that opens
    it does: only for the groups of that button"""
    pool = Pool()
    Button = pool.get('ir.model.button')
    User = pool.get('res.user')
    transaction = Transaction()
    if not transaction.user or not transaction.check_access:
        return
    groups = Button.get_groups(model, button)
    if groups and not groups & set(User.get_groups()):
        raise AccessButtonError(gettext('ir.msg_access_button_error',
                button=button, **pool.get(model).__names__()))


def _dump(values):
    "JSON of the values of UPDATE_FIELDS"
    def value(name, v):
        if isinstance(v, dt.date):
            return v.isoformat()
        if name == 'urgency' and v is not None and not isinstance(v, int):
            return v.id
        return v
    return json.dumps({k: value(k, v) for k, v in values.items()},
        ensure_ascii=False, sort_keys=True)


def _dump_recipient_changes(add_agencies, remove_lines):
    "JSON of the agencies an update adds and takes off, or None"
    changes = [(a, True) for a in add_agencies] + [
        (r.agency, False) for r in remove_lines]
    if not changes:
        return None
    return json.dumps([{'code': a.identifier_code, 'name': a.rec_name,
                'added': added} for a, added in changes], ensure_ascii=False)


def _load(text):
    values = json.loads(text or '{}')
    if values.get('deadline'):
        values['deadline'] = dt.date.fromisoformat(values['deadline'])
    return values


def current_values(document):
    return {
        'subject': document.subject,
        'signer_name': document.signer_name or None,
        'signer_position': document.signer_position or None,
        'deadline': document.deadline,
        'page_count': document.page_count,
        'urgency': document.urgency.id if document.urgency else None,
        }


class Update(ModelSQL, ModelView):
    "Document Update"
    __string__ = "Document Update"
    __name__ = 'vb.lgsp.update'

    document = fields.Many2One('vb.document', "Document", required=True,
        readonly=True, ondelete='CASCADE')
    direction = fields.Selection(DIRECTIONS, "Direction", required=True,
        readonly=True)
    state = fields.Selection(STATES, "State", required=True, readonly=True,
        sort=False)
    reason = fields.Text("Reason", readonly=True)
    changes = fields.Function(fields.Text("Changes"), 'get_changes')
    old_values = fields.Text("Values Before", readonly=True)
    new_values = fields.Text("Values After", readonly=True)
    files_replaced = fields.Boolean("Files Replaced", readonly=True)
    removed = fields.Boolean("Removed from the Recipients", readonly=True,
        help="The sender took this agency off the recipients: applying "
        "the update cancels the document here.")
    recipient_changes = fields.Text("Recipient Changes", readonly=True,
        help="The agencies a sent update added to or took off the "
        "recipients (JSON: code, name, added).")
    new_files = fields.One2Many('ir.attachment', 'resource', "New Files",
        readonly=True, states={'invisible': ~Eval('files_replaced')})
    message = fields.Many2One('vb.lgsp.message', "Package", readonly=True,
        ondelete='RESTRICT', states={'invisible': ~Eval('message')})
    sender_code = fields.Char("Sender Code", readonly=True,
        states={'invisible': Eval('direction') != 'in'})
    fingerprint = fields.Char("Fingerprint", readonly=True,
        help="What a received update asks (reason, values, files): the "
        "same request sent again is recognised.")
    refusal_reason = fields.Text("Refusal Reason", readonly=True,
        states={'invisible': Eval('state') != 'refused'})
    user = fields.Many2One('res.user', "By", readonly=True,
        help="Who sent the update, or who applied or refused it.")
    date = fields.DateTime("Date", readonly=True,
        help="When it was sent, received or decided.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('document')
        cls._order = [('date', 'DESC'), ('id', 'DESC')]
        cls._buttons.update({
                'apply': {
                    'invisible': Eval('state') != 'requested',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                'refuse': {
                    'invisible': Eval('state') != 'requested',
                    'icon': 'tryton-cancel',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_files_replaced(cls):
        return False

    @classmethod
    def default_removed(cls):
        return False

    def get_rec_name(self, name):
        return f'{self.document.rec_name} ({self.date:%d/%m/%Y %H:%M})' \
            if self.date else self.document.rec_name

    def get_changes(self, name):
        "The changes, one a line, in the reader's language"
        pool = Pool()
        Field = pool.get('ir.model.field')
        Urgency = pool.get('vb.document.urgency')
        old, new = _load(self.old_values), _load(self.new_values)

        def show(name, value):
            if value in (None, ''):
                return '—'
            if name == 'urgency':
                return Urgency(value).rec_name
            if isinstance(value, dt.date):
                return value.strftime('%d/%m/%Y')
            return str(value)
        lines = []
        for name in UPDATE_FIELDS:
            if name in new and new[name] != old.get(name):
                lines.append('%s: %s → %s' % (
                        Field.get_name('vb.document', name) or name,
                        show(name, old.get(name)), show(name, new[name])))
        if self.files_replaced:
            lines.append(gettext('vb_lgsp.msg_update_files_line',
                    names=', '.join(f.name for f in self.new_files)
                    if self.direction == 'in' else ''))
        if self.removed:
            lines.append(gettext('vb_lgsp.msg_update_removed_line'))
        changed = json.loads(self.recipient_changes or '[]')
        for added, message in [(True, 'vb_lgsp.msg_update_added_agencies'),
                (False, 'vb_lgsp.msg_update_dropped_agencies')]:
            names = [c['name'] for c in changed if c['added'] == added]
            if names:
                lines.append(gettext(message, agencies=', '.join(names)))
        return '\n'.join(lines)

    # Receiving ----------------------------------------------------------

    @classmethod
    @ModelView.button
    def apply(cls, updates):
        """Apply the sender's update: the document's information and files
        change, its handlers are told, 15 goes back"""
        pool = Pool()
        Document = pool.get('vb.document')
        Attachment_ = pool.get('ir.attachment')
        user = Transaction().user or None
        updates = [u for u in updates if u.state == 'requested']
        for update in updates:
            document = update.document
            if update.removed:
                if document.state in {'waiting', 'registered'}:
                    Document.cancel([document])
            else:
                values = _load(update.new_values)
                if values:
                    Document.write([document], values)
                if update.files_replaced:
                    # The files as received are kept, out of the document
                    Attachment_.write(list(document.files),
                        {'document_role': None})
                    Attachment_.create([{
                                'resource': str(document),
                                'name': f.name,
                                'data': f.data,
                                'description': f.description,
                                'document_role': f.document_role,
                                } for f in update.new_files])
            update.state = 'applied'
            update.user = user
            update.date = dt.datetime.now()
        cls.save(updates)
        for update in updates:
            Document.tell_lgsp_sender_update(update, '15')
            update._tell_handlers()

    def _tell_handlers(self):
        "Tell who handled the document that its sender changed it"
        document = self.document
        tell([u for u in document._relation_handlers()
                if u.id != Transaction().user], [document],
            'vb_lgsp.msg_update_applied', document=document.rec_name,
            agency=document.issuer_name or document.lgsp_sender_code or '',
            # In the reader's language
            changes=lambda: self.__class__(self.id).changes)

    @classmethod
    @ModelView.button_action('vb_lgsp.wizard_update_refuse')
    def refuse(cls, updates):
        pass

    @classmethod
    def do_refuse(cls, updates, reason):
        "Keep the document as it is: 16 with the reason to the sender"
        Document = Pool().get('vb.document')
        reason = (reason or '').strip()
        if not reason:
            raise ExchangeError(gettext('vb_lgsp.msg_withdrawal_reason'))
        check_button_access(cls.__name__, 'refuse')
        updates = [u for u in updates if u.state == 'requested']
        with without_check_access():
            cls.write(updates, {
                    'state': 'refused',
                    'refusal_reason': reason,
                    'user': Transaction().user or None,
                    'date': dt.datetime.now(),
                    })
        for update in updates:
            Document.tell_lgsp_sender_update(update, '16', reason)

    @classmethod
    def receive(cls, message, package, agency):
        """Record an update package received for agency.

        Return True when it is to be stored as a new document (it adds
        agency to the recipients of a document we do not have).
        """
        from .receive import _received
        pool = Pool()
        Attachment_ = pool.get('ir.attachment')
        business = package.business
        sender = package.sender.organ_id
        target = business.document_id or package.effective_document_id()
        message.document_id = target
        info = business.update or UpdateInfo()
        ours = [r.added for r in info.receivers
            if r.organ_id == agency.identifier_code]
        documents = _received(agency, sender, [target])
        if not documents:
            if ours and ours[-1]:
                return True
            cls._refuse_package(message, package, agency, target,
                gettext('vb_lgsp.msg_update_unmatched', document=target,
                    sender=sender))
            return False
        document = documents[0]
        message.document = document
        removed = bool(ours) and not ours[-1]
        proposed = {} if removed else _package_values(package, document)
        fingerprint = hashlib.sha256(json.dumps([business.reason,
                    _dump(proposed), removed,
                    [hashlib.sha256(a.data).hexdigest()
                        for a in package.attachments]]).encode()).hexdigest()
        if cls.search([
                    ('document', '=', document.id),
                    ('fingerprint', '=', fingerprint),
                    ], limit=1):
            # The same request again (a resend, another axis)
            message.state = 'duplicate'
            return False
        if document.state in {'refused', 'cancelled'}:
            cls._refuse_package(message, package, agency, target,
                gettext('vb_lgsp.msg_update_closed',
                    document=document.rec_name,
                    state=document.state_string))
            return False
        old = current_values(document)
        new = {k: v for k, v in proposed.items() if v != old[k]}
        message.save()
        update, = cls.create([{
                    'document': document.id,
                    'direction': 'in',
                    'state': 'requested',
                    'reason': business.reason or None,
                    'old_values': _dump(old),
                    'new_values': _dump(new),
                    'files_replaced': bool(package.attachments)
                    and not removed,
                    'removed': removed,
                    'message': message.id,
                    'sender_code': sender,
                    'fingerprint': fingerprint,
                    'date': dt.datetime.now(),
                    }])
        if update.files_replaced:
            values, main = [], False
            for attachment in package.attachments:
                role = 'annex'
                if not main and is_pdf(attachment.data):
                    role, main = 'main', True
                values.append({
                        'resource': str(update),
                        'name': attachment.name,
                        'data': attachment.data,
                        'description': attachment.description or None,
                        'document_role': role,
                        })
            Attachment_.create(values)
        message.state = 'stored'
        update._tell_clerks()
        return False

    @classmethod
    def _refuse_package(cls, message, package, agency, target, reason):
        "Nothing changes: the package is logged refused, 16 goes back"
        Message = Pool().get('vb.lgsp.message')
        message.state = 'refused'
        message.error = reason
        message.save()
        Message.queue_answer(message.connection, agency, ResponseFor(
                organ_id=package.sender.organ_id,
                code=str(package.code)[:42],
                promulgation_date=package.promulgation_date,
                document_id=target),
            '16', reason, f'refusal:{message.id}')

    def _tell_clerks(self):
        document = self.document
        tell(agency_users(document.company, ['clerk']), [document],
            'vb_lgsp.msg_update_received', icon='tryton-warning',
            agency=document.issuer_name or self.sender_code,
            document=document.rec_name, reason=self.reason or '',
            # In the reader's language
            changes=lambda: self.__class__(self.id).changes)


def _package_values(package, document):
    "What an update package says of the fields of UPDATE_FIELDS"
    pool = Pool()
    Urgency = pool.get('vb.document.urgency')
    Date = pool.get('ir.date')
    signer = package.signer
    values = {
        'subject': package.subject,
        'signer_name': signer.full_name or None,
        'signer_position': ' '.join(filter(None,
                [signer.competence, signer.position])) or None,
        }
    # As for a new document: a past due date would block the registration
    if package.due_date and package.due_date >= Date.today():
        values['deadline'] = package.due_date
    if package.other_info.page_amount:
        values['page_count'] = package.other_info.page_amount
    urgencies = Urgency.search([
            ('code', '=', urgency_for_priority(package.other_info.priority)),
            ], limit=1)
    if urgencies:
        values['urgency'] = urgencies[0].id
    return values


class Document(metaclass=PoolMeta):
    __name__ = 'vb.document'

    lgsp_updates = fields.One2Many('vb.lgsp.update', 'document',
        "Updates", readonly=True,
        states={'invisible': ~Eval('lgsp_updates')})

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._buttons.update({
                'lgsp_send_update': {
                    'invisible': ((Eval('direction') != 'outgoing')
                        | (Eval('state') != 'issued')
                        | ~Eval('lgsp_document_id')),
                    'icon': 'tryton-forward',
                    'depends': ['direction', 'state', 'lgsp_document_id'],
                    },
                })

    @classmethod
    def copy(cls, documents, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('lgsp_updates', None)
        return super().copy(documents, default=default)

    @classmethod
    @ModelView.button_action('vb_lgsp.wizard_update_send')
    def lgsp_send_update(cls, documents):
        pass

    @classmethod
    def send_lgsp_update(cls, documents, values, reason, main_file=None,
            add_agencies=(), remove_lines=()):
        """Correct the information of sent documents and send the update.

        values: new values of UPDATE_FIELDS (urgency as an id); main_file:
        (name, bytes) of a new main file, made final as at the issue
        (`_finish_new_main_file`: with vb_signature, the agency's signature
        when the competent person signed it). The update goes as
        BussinessDocType 2 to every recipient line the document was sent to
        electronically.

        add_agencies: agencies that become recipients (a recipient line
        each, delivered as at the issue: a new document for them);
        remove_lines: recipient lines sent through the axis that the
        document no longer concerns. The update names both
        (``DocumentReceiver``, ``ReceiverType`` 1 and 0); the lines taken
        off get it even when nothing else changed, so that they cancel the
        document, and are left out of later updates.
        """
        pool = Pool()
        Update = pool.get('vb.lgsp.update')
        Attachment_ = pool.get('ir.attachment')
        check_button_access(cls.__name__, 'lgsp_send_update')
        reason = (reason or '').strip()
        if not reason:
            raise ExchangeError(gettext('vb_lgsp.msg_withdrawal_reason'))
        values = {k: v for k, v in values.items() if k in UPDATE_FIELDS}
        if 'subject' in values and not (values['subject'] or '').strip():
            raise ExchangeError(gettext(
                    'vb_document.msg_document_subject_empty'))
        if values.get('page_count') is not None and values['page_count'] < 1:
            raise ExchangeError(gettext('vb_lgsp.msg_update_bad_pages'))
        if main_file and not is_pdf(main_file[1]):
            raise ExchangeError(gettext('vb_document.msg_file_not_pdf',
                    name=main_file[0]))
        add_agencies, remove_lines = list(add_agencies), list(remove_lines)
        for document in documents:
            lines = document._lgsp_update_lines()
            document._check_recipient_changes(lines, add_agencies,
                remove_lines)
            if (values.get('deadline') and document.issued_date
                    and values['deadline'] < document.issued_date):
                raise ExchangeError(gettext(
                        'vb_lgsp.msg_update_bad_deadline',
                        document=document.rec_name))
            old = current_values(document)
            new = {k: v for k, v in _normalise(values).items()
                if v != old[k]}
            if (not new and not main_file and not add_agencies
                    and not remove_lines):
                raise ExchangeError(gettext('vb_lgsp.msg_update_nothing',
                        document=document.rec_name))
            with without_check_access():
                if new:
                    cls.write([document], new)
                if main_file:
                    mains = [f for f in document.files
                        if f.document_role == 'main']
                    # The file sent before is kept, out of the document
                    Attachment_.write(mains, {'document_role': None})
                    main, = Attachment_.create([{
                                'resource': str(document),
                                'name': main_file[0],
                                'data': main_file[1],
                                'document_role': 'main',
                                }])
                    # Final as an issued main file (vb_signature seals it)
                    # before the package reads it
                    document._finish_new_main_file(main)
                update, = Update.create([{
                            'document': document.id,
                            'direction': 'out',
                            'state': 'sent',
                            'reason': reason,
                            'old_values': _dump(old),
                            'new_values': _dump(new),
                            'files_replaced': bool(main_file),
                            'recipient_changes': _dump_recipient_changes(
                                add_agencies, remove_lines),
                            'user': Transaction().user or None,
                            'date': dt.datetime.now(),
                            }])
                document = cls(document.id)
                cls._change_recipients(document, update, add_agencies,
                    remove_lines)
                metadata = bool(new or main_file)
                # Nothing else to tell the others when only the recipients
                # changed: the added get the document
                kept = [line for line in lines
                    if metadata and line not in remove_lines]
                cls._queue_update(document, update, kept + remove_lines,
                    add_agencies, remove_lines, metadata=metadata)

    def _lgsp_update_lines(self):
        "The recipient lines an update of this document goes to"
        if self.direction != 'outgoing' or self.state != 'issued':
            raise ExchangeError(gettext('vb_lgsp.msg_update_not_sent',
                    document=self.rec_name))
        waiting = [r for r in self.recipients if r.lgsp_state == 'pending']
        if waiting:
            raise ExchangeError(gettext('vb_lgsp.msg_update_still_pending',
                    document=self.rec_name,
                    agencies=', '.join(r.agency.rec_name for r in waiting)))
        lines = [r for r in self.recipients
            if r.lgsp_state == 'sent' and r.lgsp_status != '02'
            and not r.lgsp_removed_by]
        if not lines:
            raise ExchangeError(gettext('vb_lgsp.msg_update_not_sent',
                    document=self.rec_name))
        return lines

    def _check_recipient_changes(self, lines, add_agencies, remove_lines):
        "Refuse recipient changes an update cannot make"
        current = {r.agency for r in self.recipients
            if not r.lgsp_removed_by}
        for agency in add_agencies:
            if agency in current or agency == self.company:
                raise ExchangeError(gettext(
                        'vb_lgsp.msg_update_already_recipient',
                        document=self.rec_name, agency=agency.rec_name))
            if agency.external:
                connection = self.company.lgsp_connection_to(agency)
                if (not agency.identifier_code or not connection
                        or not connection.active):
                    raise ExchangeError(gettext(
                            'vb_lgsp.msg_update_unreachable',
                            agency=agency.rec_name))
        for line in remove_lines:
            if line not in lines:
                raise ExchangeError(gettext(
                        'vb_lgsp.msg_update_remove_not_sent',
                        document=self.rec_name,
                        agency=line.agency.rec_name))

    @classmethod
    def _change_recipients(cls, document, update, add_agencies,
            remove_lines):
        """The lines taken off are marked; the agencies added get a line
        delivered as at the issue (vb_document's deliver: an incoming
        document inside the installation, the outbox outside)"""
        Recipient = Pool().get('vb.document.recipient')
        if remove_lines:
            Recipient.write(remove_lines, {'lgsp_removed_by': update.id})
        if add_agencies:
            Recipient.deliver(Recipient.create([
                        {'document': document.id, 'agency': a.id}
                        for a in add_agencies]))

    @classmethod
    def _queue_update(cls, document, update, lines, add_agencies=(),
            remove_lines=(), metadata=True):
        "One update package per recipient line, through the outbox"
        from .message import _package_name
        from .package import build_for, document_package
        Message = Pool().get('vb.lgsp.message')
        agency = document.company
        package = document_package(document)
        package = package.replace(
            traces=[TraceHeader(agency.identifier_code, now_vn())],
            business=Business(kind=BusinessKind.UPDATE,
                document_id=document.lgsp_document_id,
                reason=update.reason[:2000],
                update=UpdateInfo(metadata_changed=metadata,
                    receivers_changed=bool(add_agencies or remove_lines),
                    receivers=[ReceiverChange(a.identifier_code, True)
                        for a in add_agencies if a.identifier_code]
                    + [ReceiverChange(r.agency.identifier_code, False)
                        for r in remove_lines])),
            attachments=package.attachments if update.files_replaced
            else [])
        # The connection each line was first sent through, in one query
        sent = {}
        for message in Message.search([
                    ('recipient', 'in', [line.id for line in lines]),
                    ('direction', '=', 'out'), ('kind', '=', 'edoc'),
                    ], order=[('id', 'ASC')]):
            sent.setdefault(message.recipient.id, message.connection)
        values = []
        for line in lines:
            connection = (sent.get(line.id)
                or agency.lgsp_connection_to(line.agency))
            data = build_for(package, line.agency, document)
            values.append(Message.outgoing_values(document, connection,
                    line.agency, data, 'update-' + _package_name(
                        document.number_notation, line),
                    business='update', description=update.reason,
                    key=f'update:{update.id}:{line.id}'))
        if values:
            Message.enqueue(Message.create(values))

    @classmethod
    def tell_lgsp_sender_update(cls, update, code, description=''):
        "Answer an update request of the sender (15 or 16), once"
        pool = Pool()
        Message = pool.get('vb.lgsp.message')
        User = pool.get('res.user')
        user_id = Transaction().user
        with without_check_access():
            Message.queue_status(update.document, code, description,
                User(user_id) if user_id else None,
                key=f'update:{update.id}:{code}')


class Recipient(metaclass=PoolMeta):
    __name__ = 'vb.document.recipient'

    lgsp_removed_by = fields.Many2One('vb.lgsp.update',
        "Taken Off by the Update", readonly=True, ondelete='RESTRICT',
        help="An update sent through the axis took this agency off the "
        "recipients: it cancels the document on its side, and later "
        "updates do not go to it.")

    @classmethod
    def copy(cls, recipients, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('lgsp_removed_by', None)
        return super().copy(recipients, default=default)


def _normalise(values):
    "Wizard values as stored on the document"
    result = {}
    for name, value in values.items():
        if isinstance(value, str):
            value = value.strip() or None
        if name == 'urgency' and value is not None and not isinstance(
                value, int):
            value = value.id
        result[name] = value
    return result


class SendUpdateStart(ModelView):
    "Send an Update"
    __string__ = "Send an Update"
    __name__ = 'vb.lgsp.update.send.start'

    subject = fields.Text("Subject", required=True)
    signer_name = fields.Char("Signed by")
    signer_position = fields.Char("Signer Position")
    deadline = fields.Date("Deadline")
    page_count = fields.Integer("Pages")
    urgency = fields.Many2One('vb.document.urgency', "Urgency",
        required=True)
    main_file = fields.Binary("New Main File", filename='main_file_name',
        help="A PDF replacing the main file sent; leave empty to keep it.")
    main_file_name = fields.Char("File Name")
    document = fields.Many2One('vb.document', "Document", readonly=True)
    company = fields.Many2One('company.company', "Agency", readonly=True)
    add_agencies = fields.Many2Many('company.company', None, None,
        "Add Recipients",
        domain=[('id', '!=', Eval('company', -1))],
        help="Agencies that become recipients: each gets the document as "
        "a new one.")
    remove_recipients = fields.Many2Many('vb.document.recipient', None, None,
        "Take Off Recipients",
        domain=[
            ('document', '=', Eval('document', -1)),
            ('lgsp_state', '=', 'sent'),
            ('lgsp_removed_by', '=', None),
            ],
        help="Recipients sent through the axis that the document no "
        "longer concerns: they cancel it on their side.")
    reason = fields.Text("Reason", required=True,
        help="Why the document is corrected: the recipients see it.")


class SendUpdate(Wizard):
    "Send an Update"
    __name__ = 'vb.lgsp.update.send'
    start = StateView('vb.lgsp.update.send.start',
        'vb_lgsp.update_send_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Send the Update", 'send', 'tryton-ok', default=True),
            ])
    send = StateTransition()

    def default_start(self, fields):
        document = self.record
        values = current_values(document)
        return {k: values[k] for k in UPDATE_FIELDS} | {
            'document': document.id,
            'company': document.company.id,
            'add_agencies': [],
            'remove_recipients': [],
            }

    def transition_send(self):
        start = self.start
        main_file = None
        if start.main_file:
            main_file = (start.main_file_name or 'van-ban.pdf',
                bytes(start.main_file))
        self.model.send_lgsp_update(self.records,
            {k: getattr(start, k) for k in UPDATE_FIELDS}, start.reason,
            main_file, add_agencies=start.add_agencies,
            remove_lines=start.remove_recipients)
        return 'end'


class RefuseUpdate(Wizard):
    "Refuse the Update"
    __name__ = 'vb.lgsp.update.refuse'
    start = StateView('vb.lgsp.reason.start',
        'vb_lgsp.reason_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Refuse", 'refuse', 'tryton-ok', default=True),
            ])
    refuse = StateTransition()

    def transition_refuse(self):
        self.model.do_refuse(self.records, self.start.reason)
        return 'end'
