# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""From documents to edXML packages (what we send).

Records of vb_document are turned into the plain data of the edxml
package; building and checking are edxml's.
"""
import datetime as dt

from trytond.i18n import gettext
from trytond.pool import Pool
from trytond.transaction import Transaction

from .edxml import (
    Attachment, Business, BusinessKind, DocumentCode, DocumentPackage,
    DocumentType, EdxmlError, OtherInfo, Replacement, ResponseFor,
    SignerInfo, StaffInfo,
    StatusCode, StatusPackage, SteeringType, TraceHeader, VN_TZ, build,
    make_document_id, now_vn, priority_for_urgency, split_document_id)
from .exceptions import PackageError

UTC = dt.timezone.utc


def to_vietnam_time(value):
    "A naive UTC date-time of the database as naive Vietnam time"
    if value is None:
        return now_vn()
    return value.replace(tzinfo=UTC).astimezone(VN_TZ).replace(
        tzinfo=None, microsecond=0)


def from_vietnam_time(value):
    "A naive Vietnam time of a package as a naive UTC date-time"
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=VN_TZ)
    return value.astimezone(UTC).replace(tzinfo=None)


def split_notation(number_notation):
    "(số, ký hiệu) of '15/QĐ-UBND'"
    number, _, notation = (number_notation or '').partition('/')
    return number.strip(), notation.strip()


def document_id(document):
    "The DocumentId of an outgoing document (spec §1.6)"
    number, notation = split_notation(document.number_notation)
    try:
        return make_document_id(document.company.identifier_code,
            document.issued_date, number, notation)
    except EdxmlError as error:
        raise PackageError(gettext('vb_lgsp.msg_package_invalid',
                document=document.rec_name, error=error.message))


def _files(document):
    "The main file first, then the annexes, in their order"
    files = sorted(document.files,
        key=lambda f: (f.document_role != 'main', f.id))
    return [Attachment(name=f.name, data=f.data or b'',
            description=(f.description or '')[:500]) for f in files]


def document_package(document):
    """The edXML package of an issued outgoing document, without To.

    The caller sets the recipients (one package per recipient, so that a
    recipient the axis refuses does not hold back the others).
    """
    number, notation = split_notation(document.number_notation)
    response_for = []
    original = document.reply_to
    if original and original.lgsp_document_id:
        response_for.append(ResponseFor(
                organ_id=original.lgsp_sender_code or '',
                code=original.lgsp_code or original.number_notation or '',
                promulgation_date=(original.lgsp_date
                    or original.issued_date),
                document_id=original.lgsp_document_id))
    competence = f'{document.authority}.' if document.authority else ''
    return DocumentPackage(
        sender=document.company.lgsp_organisation(),
        recipients=[],
        code=DocumentCode(number, notation),
        promulgation_date=document.issued_date,
        document_type=DocumentType(name=document.type.name),
        subject=document.subject,
        signer=SignerInfo(
            position=document.signer_position or '',
            full_name=document.signer_name or '',
            competence=competence),
        place=document.company.place or '',
        due_date=document.deadline,
        to_places=[r.agency.rec_name for r in document.recipients],
        other_info=OtherInfo(
            priority=priority_for_urgency(
                document.urgency.code if document.urgency else None),
            promulgation_amount=document.copy_count,
            page_amount=document.page_count),
        response_for=response_for,
        steering_type=SteeringType.NOT_STEERING,
        document_id=document.lgsp_document_id or document_id(document),
        # The hop is dated when the document was numbered, not when it is
        # built: a package built again is the same bytes
        traces=[TraceHeader(document.company.identifier_code,
                to_vietnam_time(document.numbered_at))],
        business=business_of(document),
        attachments=_files(document))


def business_of(document):
    """What the package does (spec §1.12): a document that revokes or
    replaces documents this agency sent is sent as a revocation
    (BussinessDocType 1) or a replacement (3) of them, else as new"""
    relations = [r for r in getattr(document, 'relations', [])
        if r.kind in {'revoke', 'replace'}
        and r.target.direction == 'outgoing'
        and r.target.company == document.company]
    replaced = [r for r in relations if r.kind == 'replace']
    revoked = [r for r in relations if r.kind == 'revoke']
    if replaced:
        return Business(kind=BusinessKind.REPLACE,
            reason=(replaced[0].note or document.subject)[:500],
            replacements=[Replacement(
                    document_id=(r.target.lgsp_document_id
                        or document_id(r.target)),
                    organ_ids=[line.agency.identifier_code
                        for line in r.target.recipients
                        if line.agency.identifier_code])
                for r in replaced])
    if revoked:
        target = revoked[0].target
        return Business(kind=BusinessKind.REVOKE,
            document_id=target.lgsp_document_id or document_id(target),
            reason=(revoked[0].note or document.subject)[:500])
    return Business(kind=BusinessKind.NEW)


def build_for(package, recipient_agency, document=None):
    "The bytes of package addressed to recipient_agency"
    try:
        return build(package.replace(
                recipients=[recipient_agency.lgsp_organisation()]),
            credentials=document.company.lgsp_credentials()
            if document else None)
    except EdxmlError as error:
        raise PackageError(gettext('vb_lgsp.msg_package_invalid',
                document=document.rec_name if document else '',
                error=error.message))


def staff_info(user):
    "Who acted, as the StaffInfo of a status"
    if user is None:
        return None
    User = Pool().get('res.user')
    # The user's employee depends on the context (company/res.py)
    key = (user.id, Transaction().context.get('employee'))
    values = User._lgsp_staff.get(key)
    if values is None:
        employee = user.employee
        unit = getattr(employee, 'unit', None) if employee else None
        values = {
            'department': (unit.name if unit else '')[:200],
            'staff': (user.name or user.login or '')[:200],
            'email': (user.email or '')[:200],
            }
        User._lgsp_staff.set(key, values)
    return StaffInfo(**values)


def response_key(document):
    "The ResponseFor naming an incoming document in our statuses"
    code = document.lgsp_code or document.number_notation or ''
    date = document.lgsp_date or document.issued_date
    if date is None:
        parts = split_document_id(document.lgsp_document_id)
        date = parts[1] if parts else Pool().get('ir.date').today()
    return ResponseFor(
        organ_id=document.lgsp_sender_code,
        code=code[:42],
        promulgation_date=date,
        document_id=document.lgsp_document_id)


def status_package(agency, response_for, code, description='', user=None):
    "The bytes of a status package from our agency"
    try:
        return build(StatusPackage(
                sender=agency.lgsp_organisation(),
                response_for=response_for,
                status=StatusCode(code),
                timestamp=now_vn(),
                description=(description or '')[:500],
                staff=staff_info(user)),
            credentials=agency.lgsp_credentials())
    except EdxmlError as error:
        raise PackageError(gettext('vb_lgsp.msg_status_invalid',
                code=code, document=response_for.document_id,
                error=error.message))
