# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""HTTP API of remote signing (JSON), for the signing tool `vbdh-sign`.

Authenticated per user with a Tryton user application key of the
application "vb_signature" (Authorization: bearer <key>), which the user
requests with POST /<db>/user/application/ and validates in the client:

GET  /<db>/vb_signature/requests         the user's pending requests
POST /<db>/vb_signature/requests/<id>    {"signature": base64} (raw, over
                                         the signed attributes) or
                                         {"cms": base64}; answers the
                                         verification of the signed file
Refusals are HTTP 400 with the Vietnamese message.
"""
from http import HTTPStatus

from trytond.protocols.wrappers import (
    abort, user_application, with_pool, with_transaction)
from trytond.wsgi import app

APPLICATION = 'vb_signature'


def _requests(pool):
    try:
        return pool.get('vb.signature.request')
    except KeyError:
        # The module is not activated in this database
        abort(HTTPStatus.NOT_FOUND)


@app.route('/<database_name>/vb_signature/requests', methods={'GET'})
@with_pool
@with_transaction(readonly=False)
@user_application(APPLICATION)
def pending_requests(request, pool):
    Request = _requests(pool)
    return [r.to_api() for r in Request.mine()]


@app.route('/<database_name>/vb_signature/requests/<int:request_id>',
    methods={'POST'})
@with_pool
@with_transaction()
@user_application(APPLICATION)
def answer_request(request, pool, request_id):
    from .request import decode_answer
    Request = _requests(pool)
    records = Request.search([('id', '=', request_id)])
    if not records:
        abort(HTTPStatus.NOT_FOUND)
    record, = records
    report = record.complete(**decode_answer(request.parsed_data or {}))
    return {
        'id': record.id,
        'state': 'done',
        'document': record.document.rec_name,
        'verification': report.status,
        'reasons': report.reasons,
        }
