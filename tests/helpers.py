# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"Business helpers over the JSON-RPC API shared by the cross-module tests"
import functools

from live import binary

from trytond.modules.vb_document.tests.tools import minimal_pdf

PDF = minimal_pdf()


@functools.cache
def letter():
    """A one-page công văn with its text, as the demo renders them (the
    one-word PDF has no text: the worker OCRs it as a scan)"""
    from trytond.modules.vb_document.demo.pdf import render
    return render("Ủy ban nhân dân tỉnh", "Công văn",
        "V/v đo thông lượng liên thông văn bản",
        ["Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của "
            "Chính phủ về công tác văn thư, Ủy ban nhân dân tỉnh đề nghị "
            "các cơ quan, đơn vị phối hợp thực hiện."] * 6)


def agency_id(client, abbreviation):
    ids = client.model('company.company', 'search',
        [('abbreviation', '=', abbreviation), ('external', '=', False)],
        0, 1, None)
    return ids[0]


def catalog_id(client, model, code):
    return client.model(model, 'search', [('code', '=', code)], 0, 1, None)[0]


def create_outgoing(client, agency, count=1, subject="Quyết định thử nghiệm",
        type_code='quyet_dinh', recipients=(), pdf=PDF):
    "Outgoing drafts of agency ready to issue (signer, main PDF)"
    context = {'company': agency, 'direction': 'outgoing'}
    signers = client.model('company.employee', 'search',
        [('company', '=', agency)], 0, 1, None, context=context)
    type_id = catalog_id(client, 'vb.document.type', type_code)
    ids = client.model('vb.document', 'create', [{
                'company': agency,
                'direction': 'outgoing',
                'type': type_id,
                'subject': f"{subject} {i}",
                'signer': signers[0],
                'recipients_text': "- Lưu: VT, VP.",
                'recipients': [('create', [{'agency': r}
                            for r in recipients])],
                } for i in range(count)], context=context)
    client.model('ir.attachment', 'create', [{
                'name': f'vb-{i}.pdf', 'data': binary(pdf),
                'document_role': 'main',
                'resource': f'vb.document,{i}'} for i in ids],
        context=context)
    return ids


def create_incoming(client, agency, **values):
    context = {'company': agency, 'direction': 'incoming'}
    document = {
        'company': agency,
        'direction': 'incoming',
        'type': catalog_id(client, 'vb.document.type', 'cong_van'),
        'subject': "V/v báo cáo kết quả thực hiện nhiệm vụ",
        'issuer_name': "Bộ Nội vụ",
        'number_notation': '321/BNV-VP',
        'issued_date': {'__class__': 'date', 'year': 2026, 'month': 11,
            'day': 2},
        }
    document.update(values)
    ids = client.model('vb.document', 'create', [document], context=context)
    return ids[0]
