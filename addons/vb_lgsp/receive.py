# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""Receiving a delivery of the axis (spec §3.5.2–§3.5.6).

Runs in the queue task of one listed message: download, check, store as an
incoming document waiting for the clerk (or as a status of one of our
documents), answer 01 — all in the task's transaction — and acknowledge
the delivery once that transaction committed. A package refused by the
checks is kept as evidence and answered with 02 when its sender and
DocumentId could be read.
"""
import datetime as dt

from trytond.i18n import gettext
from trytond.pool import Pool

from trytond.modules.vb_document.vn import is_pdf

from .edxml import (
    BusinessKind, EdxmlError, Limits, StatusCode, StatusPackage, parse,
    urgency_for_priority)
from .transport import PermanentError, RetryableError

BUSINESS = {
    BusinessKind.NEW: 'new',
    BusinessKind.REVOKE: 'revoke',
    BusinessKind.UPDATE: 'update',
    BusinessKind.REPLACE: 'replace',
    }


def receive(message):
    "Download, check and store one listed delivery"
    pool = Pool()
    Message = pool.get('vb.lgsp.message')
    connection = message.connection
    message.attempts = (message.attempts or 0) + 1
    try:
        data = connection.get_transport().fetch(message.axis_doc_id,
            sha256=message.sha256)
    except RetryableError as error:
        _download_failed(message, error,
            retry=message.attempts < connection.max_attempts)
        return
    except PermanentError as error:
        _download_failed(message, error, retry=False)
        return
    message.received_at = dt.datetime.now()
    message.error = message.error_code = None
    for name, value in Message._package_values(
            data, f'{message.axis_doc_id}.edxml').items():
        setattr(message, name, value)
    try:
        package = parse(data, limits=limits())
    except EdxmlError as error:
        _refuse(message, error)
    else:
        if isinstance(package, StatusPackage):
            _store_status(message, package)
        else:
            _store_document(message, package)
    message.save()
    message.acknowledge_later('done')


def limits():
    "The bounds of a received package: the agency's file size limit"
    Configuration = Pool().get('vb.document.configuration')
    size = Configuration.lgsp_max_file_bytes()
    return Limits(max_attachment_size=size,
        max_package_size=max(Limits.max_package_size, size * 2))


def _download_failed(message, error, retry):
    Message = Pool().get('vb.lgsp.message')
    message.error = error.message
    message.error_code = error.code
    if retry:
        delay = min(message.connection.retry_delay
            * 2 ** (message.attempts - 1), 3600)
        message.next_attempt_at = dt.datetime.now() + dt.timedelta(
            seconds=delay)
        message.save()
        Message.enqueue([message], delay=dt.timedelta(seconds=delay))
    else:
        message.state = 'failed'
        message.next_attempt_at = None
        message.save()
        message.tell_admins('vb_lgsp.msg_message_failed')


def _our_agency(code):
    Company = Pool().get('company.company')
    agency = Company.find_by_code(code)
    return agency if agency and not agency.external else None


def _refuse(message, error):
    "Keep a refused package as evidence; answer 02 when possible"
    Message = Pool().get('vb.lgsp.message')
    message.state = 'refused'
    message.error = error.message
    message.error_code = error.code
    message.sender_code = error.sender or message.sender_code
    message.document_id = error.document_id
    if message.kind == 'edoc':
        Message.queue_refusal(message.connection,
            _our_agency(message.target_code), error, message)
    message.tell_admins('vb_lgsp.msg_message_refused')


def _store_document(message, package):
    pool = Pool()
    Document = pool.get('vb.document')
    Company = pool.get('company.company')
    Message = pool.get('vb.lgsp.message')
    message.business = BUSINESS[package.kind]
    message.document_id = package.effective_document_id()
    message.sender_code = package.sender.organ_id
    message.sender_name = package.sender.name[:200]
    agency = _our_agency(message.target_code)
    if agency is None:
        codes = {r.organ_id for r in package.recipients}
        ours = [a for a in message.connection.agencies
            if a.identifier_code in codes]
        agency = ours[0] if len(ours) == 1 else None
    if agency is None:
        message.state = 'ignored'
        message.error = gettext('vb_lgsp.msg_document_not_ours',
            codes=', '.join(r.organ_id for r in package.recipients))
        return
    message.company = agency
    if package.kind == BusinessKind.REVOKE:
        _store_revocation(message, package, agency)
        return
    if package.kind == BusinessKind.UPDATE:
        # A request on the document it names (update.py); stored as new
        # only when it adds us to the recipients of a document we lack
        if not pool.get('vb.lgsp.update').receive(message, package, agency):
            return
    duplicates = Document.search([
            ('company', '=', agency.id),
            ('direction', '=', 'incoming'),
            ('lgsp_sender_code', '=', message.sender_code),
            ('lgsp_document_id', '=', message.document_id),
            ], limit=1)
    if duplicates:
        message.state = 'duplicate'
        message.document = duplicates[0]
        return
    issuer = Company.external_agency(message.connection,
        package.sender.organ_id, package.sender.name)
    document, = Document.create([_document_values(message, package, agency,
                issuer)])
    _attach_files(document, package)
    if package.kind == BusinessKind.REPLACE:
        _link_replaced(document, package)
    message.state = 'stored'
    message.document = document
    message.save()
    Message.queue_status(document, '01')
    document.notify_clerks()


def _received(agency, sender_code, document_ids):
    "Our incoming documents of agency received from sender under ids"
    Document = Pool().get('vb.document')
    return Document.search([
            ('company', '=', agency.id),
            ('direction', '=', 'incoming'),
            ('lgsp_sender_code', '=', sender_code),
            ('lgsp_document_id', 'in', list(document_ids)),
            ])


def _store_revocation(message, package, agency):
    """The sender revoked a document it sent us (BussinessDocType 1): the
    clerk applies it (15, the document is cancelled) or refuses (16)"""
    revoked = package.business.document_id
    documents = _received(agency, package.sender.organ_id, [revoked])
    if not documents:
        message.state = 'ignored'
        message.error = gettext('vb_lgsp.msg_withdrawal_unmatched',
            document=revoked)
        return
    reason = package.business.reason or package.subject
    recorded = [d for d in documents
        if d.receive_withdrawal(reason, kind='revoke')]
    message.document = documents[0]
    message.state = 'stored' if recorded else 'duplicate'


def _link_replaced(document, package):
    """A replacement (BussinessDocType 3): the new document replaces the
    ones it names; the relation takes effect when it is registered, and
    their handlers are told then (vb_document's relations)"""
    Relation = Pool().get('vb.document.relation')
    replaced = _received(document.company, package.sender.organ_id,
        [r.document_id for r in package.business.replacements])
    if replaced:
        Relation.create([{'document': document.id, 'kind': 'replace',
                    'target': old.id,
                    'note': package.business.reason or None}
                for old in replaced])


def _document_values(message, package, agency, issuer):
    pool = Pool()
    Urgency = pool.get('vb.document.urgency')
    code = str(package.code)
    urgencies = Urgency.search([
            ('code', '=', urgency_for_priority(package.other_info.priority)),
            ], limit=1)
    signer = package.signer
    # A due date already past would block the registration (the deadline
    # cannot precede the arrival): the clerk sets one then
    today = pool.get('ir.date').today()
    deadline = package.due_date if (package.due_date
        and package.due_date >= today) else None
    return {
        'company': agency.id,
        'direction': 'incoming',
        'state': 'waiting',
        'source': 'lgsp',
        'type': _document_type(package.document_type.name).id,
        'subject': package.subject,
        'urgency': urgencies[0].id if urgencies else None,
        'number_notation': code[:100],
        'issued_date': package.promulgation_date,
        'issuer': issuer.id,
        'issuer_name': package.sender.name,
        'signer_name': signer.full_name,
        'signer_position': ' '.join(filter(None,
                [signer.competence, signer.position])),
        'page_count': package.other_info.page_amount or None,
        'deadline': deadline,
        'note': package.content or None,
        'lgsp_connection': message.connection.id,
        'lgsp_document_id': message.document_id,
        'lgsp_sender_code': package.sender.organ_id,
        'lgsp_code': code[:100],
        'lgsp_date': package.promulgation_date,
        }


def _document_type(name):
    "The document type named as in the package, else công văn"
    DocumentType = Pool().get('vb.document.type')
    for domain in [[('name', '=', (name or '').strip())],
            [('code', '=', 'cong_van')], []]:
        types = DocumentType.search(domain, limit=1)
        if types:
            return types[0]


def _attach_files(document, package):
    "The files of the package, the first PDF as main file"
    Attachment = Pool().get('ir.attachment')
    values, main = [], False
    for attachment in package.attachments:
        data = attachment.data
        role = 'annex'
        if not main and is_pdf(data):
            role, main = 'main', True
        values.append({
                'resource': str(document),
                'name': attachment.name,
                'data': data,
                'description': attachment.description or None,
                'document_role': role,
                })
    if values:
        Attachment.check_received(Attachment.create(values))


def _store_status(message, package):
    "A recipient's status of one of our outgoing documents"
    pool = Pool()
    Recipient = pool.get('vb.document.recipient')
    response = package.response_for
    message.status_code = package.status.value
    message.description = package.description or None
    message.sender_code = package.sender.organ_id
    message.sender_name = package.sender.name[:200]
    message.document_id = response.document_id
    if package.status == StatusCode.WITHDRAW_REQUEST:
        _store_withdrawal(message, package)
        return
    # One query for the line (not the documents, then their lines and
    # the agency of each)
    recipients = Recipient.search([
            ('document.direction', '=', 'outgoing'),
            ('document.lgsp_document_id', '=', response.document_id),
            ('document.company.identifier_code', '=', response.organ_id),
            ('agency.identifier_code', '=', package.sender.organ_id),
            ], order=[('document', 'ASC'), ('id', 'ASC')])
    if not recipients:
        message.state = 'ignored'
        message.error = gettext('vb_lgsp.msg_status_unmatched',
            document=response.document_id, agency=package.sender.organ_id)
        return
    recipient = recipients[0]
    message.company = recipient.document.company
    message.document = recipient.document
    message.recipient = recipient
    recorded = recipient.apply_lgsp_status(package, message)
    message.state = 'stored' if recorded else 'duplicate'



def _store_withdrawal(message, package):
    "The sender of a document we received asks for it back (13)"
    Document = Pool().get('vb.document')
    response = package.response_for
    domain = [
        ('direction', '=', 'incoming'),
        ('lgsp_sender_code', '=', package.sender.organ_id),
        ('lgsp_document_id', '=', response.document_id),
        ]
    agency = _our_agency(message.target_code)
    if agency:
        domain.append(('company', '=', agency.id))
    documents = Document.search(domain)
    if not documents:
        message.state = 'ignored'
        message.error = gettext('vb_lgsp.msg_withdrawal_unmatched',
            document=response.document_id)
        return
    recorded = [d for d in documents
        if d.receive_withdrawal(package.description, kind='withdraw')]
    message.company = documents[0].company
    message.document = documents[0]
    message.state = 'stored' if recorded else 'duplicate'
