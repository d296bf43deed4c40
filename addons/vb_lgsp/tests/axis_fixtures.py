# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""Shared test material of the axis simulator and the transports: a
directory of two provinces, credentials, real edXML packages (built with
lxml in the §1.14 layout) and a running simulator on a free port."""
import base64
import contextlib
import json
import os
import shutil
import socket
import tempfile

from lxml import etree

from trytond.modules.vb_lgsp.axis import AxisApp, AxisServer, Credentials

NS = 'http://www.mic.gov.vn/TBT/QCVN_102_2016'

KHANH_HOA = '000.00.00.H32'
KH_NOI_VU = '000.00.05.H32'
KH_XA = '000.07.21.H32'
NGHE_AN = '000.00.00.H41'
NA_TAI_CHINH = '000.00.07.H41'
VPCP = '000.00.00.G22'
LOCKED = '000.00.09.H41'

AGENCIES = [
    {'code': VPCP, 'name': 'Văn phòng Chính phủ', 'mail': 'vpcp@chinhphu.vn'},
    {'code': KHANH_HOA, 'name': 'UBND tỉnh Khánh Hòa'},
    {'code': KH_NOI_VU, 'name': 'Sở Nội vụ tỉnh Khánh Hòa'},
    {'code': '000.00.21.H32', 'name': 'UBND huyện Diên Khánh'},
    {'code': KH_XA, 'name': 'UBND xã Diên An'},
    {'code': NGHE_AN, 'name': 'UBND tỉnh Nghệ An'},
    {'code': NA_TAI_CHINH, 'name': 'Sở Tài chính tỉnh Nghệ An'},
    {'code': LOCKED, 'name': 'Sở đã giải thể', 'locked': True},
    ]

SYSTEMS = {
    'H32.VBDH': ('Kh4nhH0a-secret-0123456789abcdefghijklmnopq=', ['*.H32']),
    'H41.VBDH': ('NgheAn-secret-0123456789abcdefghijklmnopqrs=', ['*.H41']),
    'VPCP.VBDH': ('Vpcp-secret-0123456789abcdefghijklmnopqrstu=', [VPCP]),
    }
CLIENTS = {
    'h41-client': ('h41-client-secret', 'H41.VBDH'),
    'h32-client': ('h32-client-secret', 'H32.VBDH'),
    }
USERS = {'vanthu.h41': ('mat-khau-thu', 'VBDH', 'H41.VBDH')}


def make_credentials():
    credentials = Credentials()
    for system_id, (secret, agencies) in SYSTEMS.items():
        credentials.add_system(system_id, secret, agencies)
    for client_id, (secret, system_id) in CLIENTS.items():
        credentials.add_client(client_id, secret, system_id)
    for username, (password, code, system_id) in USERS.items():
        credentials.add_user(username, password, system_id, code)
    return credentials


def credentials_document():
    "The same credentials as a configuration file's content"
    return {'systems': [{
                'system_id': system_id, 'secret': secret,
                'agencies': agencies,
                'clients': [{'client_id': c, 'client_secret': s}
                    for c, (s, sid) in CLIENTS.items() if sid == system_id],
                'users': [{'username': u, 'password': p,
                        'application_code': code}
                    for u, (p, code, sid) in USERS.items()
                    if sid == system_id],
                } for system_id, (secret, agencies) in SYSTEMS.items()]}


def _el(parent, name, text=None):
    element = etree.SubElement(parent, f'{{{NS}}}{name}')
    if text is not None:
        element.text = str(text)
    return element


def _envelope():
    root = etree.Element(f'{{{NS}}}edXML', nsmap={None: NS})
    envelope = etree.SubElement(root, f'{{{NS}}}edXMLEnvelope',
        nsmap={'edXML': NS})
    header = _el(envelope, 'edXMLHeader')
    return root, envelope, header


def _serialise(root):
    return etree.tostring(root, xml_declaration=True, encoding='UTF-8')


def document_id(sender, number, notation, date='2026/03/05'):
    return f'{sender},{date},{number}/{notation}'


def edoc(sender, recipients, number=125, notation='UBND-VP',
        subject='V/v báo cáo tình hình thực hiện nhiệm vụ',
        business=0, timestamp='2026/03/05 15:02:11', attachment=None):
    "A document package; ``attachment`` = (file name, bytes)"
    root, envelope, header = _envelope()
    message = _el(header, 'MessageHeader')
    source = _el(message, 'From')
    _el(source, 'OrganId', sender)
    _el(source, 'OrganName', next(a['name'] for a in AGENCIES
            if a['code'] == sender))
    for recipient in recipients:
        _el(_el(message, 'To'), 'OrganId', recipient)
    code = _el(message, 'Code')
    _el(code, 'CodeNumber', number)
    _el(code, 'CodeNotation', notation)
    info = _el(message, 'PromulgationInfo')
    _el(info, 'Place', 'Khánh Hòa')
    _el(info, 'PromulgationDate', '2026/03/05')
    _el(message, 'Subject', subject)
    _el(message, 'SteeringType', 1)
    _el(message, 'DocumentId', document_id(sender, number, notation))
    traces = _el(header, 'TraceHeaderList')
    trace = _el(traces, 'TraceHeader')
    _el(trace, 'OrganId', sender)
    _el(trace, 'Timestamp', timestamp)
    bussiness = _el(traces, 'Bussiness')
    _el(bussiness, 'BussinessDocType', business)
    _el(bussiness, 'BussinessDocReason', 'Văn bản điện tử mới')
    _el(bussiness, 'Paper', 0)
    body = _el(envelope, 'edXMLBody')
    manifest = _el(body, 'edXMLManifest')
    if attachment is not None:
        name, content = attachment
        reference = _el(manifest, 'Reference')
        _el(reference, 'ContentId', 'cid:1')
        _el(reference, 'AttachmentName', name)
        encoded = etree.SubElement(root, 'AttachmentEncoded')
        item = etree.SubElement(encoded, 'Attachment')
        etree.SubElement(item, 'ContentId').text = 'cid:1'
        etree.SubElement(item, 'AttachmentName').text = name
        etree.SubElement(item, 'ContentType').text = 'application/pdf'
        etree.SubElement(item, 'ContentTransferEncoded').text = (
            base64.b64encode(content).decode('ascii'))
    return _serialise(root)


def status(sender, original_sender, number, notation, code,
        description='Đã đến', timestamp='2026/03/05 16:00:00'):
    "A status package from ``sender`` about a document of ``original_sender``"
    root, envelope, header = _envelope()
    message = _el(header, 'MessageHeader')
    source = _el(message, 'From')
    _el(source, 'OrganId', sender)
    response_for = _el(message, 'ResponseFor')
    _el(response_for, 'OrganId', original_sender)
    _el(response_for, 'Code', f'{number}/{notation}')
    _el(response_for, 'PromulgationDate', '2026/03/05')
    _el(response_for, 'DocumentId',
        document_id(original_sender, number, notation))
    staff = _el(message, 'StaffInfo')
    _el(staff, 'Department', 'Văn phòng')
    _el(staff, 'Staff', 'Nguyễn Thị Văn Thư')
    _el(message, 'StatusCode', code)
    _el(message, 'Description', description)
    _el(message, 'Timestamp', timestamp)
    return _serialise(root)


def free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def store_directory():
    path = tempfile.mkdtemp(prefix='vbdh-axis-')
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


@contextlib.contextmanager
def running_axis(store=None, **options):
    "An AxisServer on a free port of 127.0.0.1 (fresh store unless given)"
    with contextlib.ExitStack() as stack:
        if store is None:
            store = stack.enter_context(store_directory())
        options.setdefault('agencies', AGENCIES)
        options.setdefault('credentials', make_credentials())
        options.setdefault('fsync', False)
        app = AxisApp(store, **options)
        server = stack.enter_context(AxisServer(app))
        yield server


def write_json(directory, name, value):
    path = os.path.join(directory, name)
    with open(path, 'w', encoding='utf-8') as file:
        json.dump(value, file, ensure_ascii=False)
    return path
