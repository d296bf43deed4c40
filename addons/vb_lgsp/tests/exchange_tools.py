# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""Helpers of the connector tests (inside a transaction, one database).

Our installation is province Khánh Hòa (H32): UBND tỉnh and Sở Nội vụ use
a connection to a simulator running on 127.0.0.1. The other side is Nghệ
An (H41), outside: its packages are built with edxml and sent through a
transport of its own system, as its e-Office would.
"""
import datetime as dt
from functools import partial

from trytond.modules.vb_document.tests import (
    as_user, create_agency, create_staff, minimal_pdf)
from trytond.modules.vb_lgsp.edxml import (
    Attachment, DocumentCode, DocumentPackage, DocumentType, Organisation,
    OtherInfo, Priority, ResponseFor, SignerInfo, StaffInfo, StatusPackage,
    TraceHeader, build, parse)
from trytond.modules.vb_lgsp.transport import VXPTransport
from trytond.pool import Pool
from trytond.transaction import Transaction

from .axis_fixtures import (
    KH_NOI_VU, KHANH_HOA, NA_TAI_CHINH, SYSTEMS)

# Run as user like the wizards' transitions do (access checked at start)
acting = partial(as_user, check_access=False)

NA_ORG = Organisation(NA_TAI_CHINH, 'Sở Tài chính tỉnh Nghệ An')
SNV_ORG = Organisation(KH_NOI_VU, 'Sở Nội vụ tỉnh Khánh Hòa')


def setup_province(url, kind='vxp', **connection_values):
    "Our agencies, their staff and the connection to the axis at url"
    pool = Pool()
    Connection = pool.get('vb.lgsp.connection')
    connection, = Connection.create([{
                'name': "Trục liên thông (mô phỏng)",
                'kind': kind,
                'base_url': url,
                'system_id': 'H32.VBDH',
                'new_secret': SYSTEMS['H32.VBDH'][0],
                'retry_delay': 1,
                'max_attempts': 3,
                **connection_values}])
    ubnd = create_agency("UBND tỉnh Khánh Hòa", KHANH_HOA, 'UBND',
        lgsp_connection=connection.id, place="Khánh Hòa")
    snv = create_agency("Sở Nội vụ tỉnh Khánh Hòa", KH_NOI_VU, 'SNV',
        lgsp_connection=connection.id)
    na = create_agency("Sở Tài chính tỉnh Nghệ An", NA_TAI_CHINH,
        external=True)
    return {
        'connection': connection,
        'ubnd': ubnd, 'snv': snv, 'na': na,
        'clerk': create_staff(ubnd, 'vt.ubnd', ['clerk']),
        'leader': create_staff(ubnd, 'ld.ubnd', ['leader']),
        'admin': create_staff(ubnd, 'qt.ubnd', ['agency_admin']),
        'snv_clerk': create_staff(snv, 'vt.snv', ['clerk']),
        }


def issue(r, recipients, subject="V/v phối hợp rà soát biên chế năm 2026",
        urgency='normal', files=None, relations=()):
    "An outgoing công văn of UBND tỉnh issued by its clerk"
    pool = Pool()
    Document = pool.get('vb.document')
    Attachment_ = pool.get('ir.attachment')
    DocumentType_ = pool.get('vb.document.type')
    Urgency = pool.get('vb.document.urgency')
    letter, = DocumentType_.search([('code', '=', 'cong_van')])
    urgency, = Urgency.search([('code', '=', urgency)])
    document, = Document.create([{
                'company': r['ubnd'].id,
                'direction': 'outgoing',
                'type': letter.id,
                'urgency': urgency.id,
                'subject': subject,
                'signer': r['leader'].employee.id,
                'signer_position': 'CHỦ TỊCH',
                'page_count': 1,
                'recipients': [('create', [
                            {'agency': a.id} for a in recipients])],
                'recipients_text': "- Như trên;\n- Lưu: VT.",
                'relations': [('create', [{'kind': kind, 'target': target.id,
                                'note': note}
                            for kind, target, note in relations])],
                }])
    for name, data, role in files or [
            ('cong-van.pdf', minimal_pdf('Cong van'), 'main'),
            ('phu-luc.pdf', minimal_pdf('Phu luc'), 'annex')]:
        Attachment_.create([{'name': name, 'data': data,
                    'document_role': role, 'resource': str(document)}])
    with acting(r['clerk']):
        Document.issue([document])
    return Document(document.id)


def run_tasks():
    """Run the exchange's queue tasks pushed in the current transaction.

    Other modules' tasks (text indexing of the files, chat) are dropped:
    they are not what these tests are about and some are slow (OCR).
    """
    Queue = Pool().get('ir.queue')
    tasks = Transaction().tasks
    while tasks:
        task = Queue(tasks.pop(0))
        if task.name == 'lgsp':
            task.run()


def peer(url, system='H41.VBDH', organ_id=NA_TAI_CHINH):
    "The transport of the other province's e-Office"
    return VXPTransport(url, system, SYSTEMS[system][0], organ_id=organ_id)


def peer_document(number='88', notation='STC-NS', subject=None,
        recipients=(SNV_ORG,), attachments=None, priority=Priority.NORMAL,
        sender=NA_ORG, day=None):
    "A document of Sở Tài chính Nghệ An"
    day = day or dt.date.today()
    return DocumentPackage(
        sender=sender,
        recipients=list(recipients),
        code=DocumentCode(number, notation),
        promulgation_date=day,
        document_type=DocumentType('Công văn'),
        subject=subject or 'V/v đối chiếu số liệu biên chế năm 2026',
        signer=SignerInfo('Giám đốc', 'Hồ Văn Minh'),
        place='Nghệ An',
        due_date=day + dt.timedelta(days=10),
        to_places=[r.name for r in recipients],
        other_info=OtherInfo(priority=priority, page_amount=1),
        traces=[TraceHeader(sender.organ_id, dt.datetime.combine(
                    day, dt.time(9, 30)))],
        attachments=attachments if attachments is not None else [
            Attachment('88-STC-NS.pdf', minimal_pdf('So lieu'),
                description='Văn bản chính')])


def peer_status(received, code, description='', organ=NA_ORG):
    "A status of Nghệ An about a document it received from (or sent to) us"
    return StatusPackage(
        sender=organ,
        response_for=ResponseFor(received.sender.organ_id,
            str(received.code), received.promulgation_date,
            received.effective_document_id()),
        status=code,
        timestamp=dt.datetime(2026, 3, 6, 8, int(code)),
        description=description,
        staff=StaffInfo('Văn phòng', 'Nguyễn Thị Lan'))


def peer_inbox(transport, kind='edoc', ack=True):
    "The packages waiting for the peer, parsed, acknowledged"
    packages = []
    for item in transport.inbox(kind):
        packages.append(parse(transport.fetch(item.doc_id,
                    sha256=item.sha256)))
        if ack:
            transport.ack(item.doc_id, 'done')
    return packages


def send_as_peer(transport, package, to=KH_NOI_VU):
    kind = 'status' if isinstance(package, StatusPackage) else 'edoc'
    return transport.send(build(package), [to] if kind == 'edoc' else [],
        kind=kind)


def poll(r):
    "Our poll of the axis, then the tasks it queued (fetch, store, answer)"
    r['connection'].poll_inbox()
    run_tasks()


def received_from_peer(r, transport, *packages, to=KH_NOI_VU, drain=True):
    """Send packages as the peer, poll and store them here.

    The statuses we answered (01 of each new document) are taken off the
    peer's inbox when drain, so that the test reads only what follows.
    Return our incoming document of each document package (None for a
    status or when nothing was stored under its DocumentId).
    """
    Document = Pool().get('vb.document')
    for package in packages:
        send_as_peer(transport, package, to=to)
    poll(r)
    if drain:
        peer_inbox(transport, 'status')
    documents = []
    for package in packages:
        found = [] if isinstance(package, StatusPackage) else Document.search([
                ('direction', '=', 'incoming'),
                ('lgsp_sender_code', '=', package.sender.organ_id),
                ('lgsp_document_id', '=', package.effective_document_id()),
                ], limit=1)
        documents.append(found[0] if found else None)
    return documents
