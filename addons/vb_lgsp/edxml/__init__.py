# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""edXML packages of QCVN 102:2016 (document exchange between e-Offices).

Plain Python and lxml, no database: :func:`build` writes a document or
status package (encoding A, optionally signed with XMLDSig), :func:`parse`
reads one (encoding A or SOAP with attachments B) within the bounds of
:class:`Limits` and refuses hostile input with an :class:`EdxmlError`
carrying a code and a Vietnamese message. See README.md beside this file.
"""
from .builder import build
from .codes import (BusinessKind, Priority, StatusCode, SteeringType,
    priority_for_urgency, urgency_for_priority)
from .dates import VN_TZ, format_date, format_timestamp, now_vn
from .errors import (EdxmlAttachmentError, EdxmlError, EdxmlFormatError,
    EdxmlSecurityError, EdxmlSignatureError)
from .identifiers import (check_identifier, is_standard_identifier,
    make_document_id, split_document_id)
from .limits import DEFAULT_LIMITS, Limits
from .model import (Attachment, Business, DocumentCode, DocumentPackage,
    DocumentType, Organisation, OtherInfo, ReceiverChange, Replacement,
    ResponseFor, SignatureInfo, SignerInfo, StaffInfo, StatusPackage,
    TraceHeader, UpdateInfo)
from .namespaces import QCVN_NS
from .parser import parse
from .xmldsig import AgencyCredentials

__all__ = [
    'build', 'parse', 'Limits', 'DEFAULT_LIMITS', 'AgencyCredentials',
    'DocumentPackage', 'StatusPackage', 'Organisation', 'DocumentCode',
    'DocumentType', 'SignerInfo', 'OtherInfo', 'ResponseFor', 'TraceHeader',
    'StaffInfo', 'ReceiverChange', 'UpdateInfo', 'Replacement', 'Business',
    'Attachment', 'SignatureInfo',
    'Priority', 'SteeringType', 'BusinessKind', 'StatusCode',
    'priority_for_urgency', 'urgency_for_priority',
    'EdxmlError', 'EdxmlSecurityError', 'EdxmlFormatError',
    'EdxmlAttachmentError', 'EdxmlSignatureError',
    'make_document_id', 'split_document_id', 'check_identifier',
    'is_standard_identifier', 'format_date', 'format_timestamp', 'now_vn',
    'VN_TZ', 'QCVN_NS',
]
