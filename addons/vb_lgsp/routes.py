# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""HTTP endpoint of the inbound channels (citizen feedback, one-stop shop).

POST /<db>/vb_lgsp/inbound/<code> with the JSON of Channel.receive and
"Authorization: bearer <key>", the key of a user application
"vb_lgsp_inbound" of the channel's technical user. Answers
{"id", "state", "reference"}; refusals are HTTP 400 with the Vietnamese
message, 401 without a valid key, 404 for an unknown channel.
"""
from http import HTTPStatus

from trytond.protocols.wrappers import (
    abort, user_application, with_pool, with_transaction)
from trytond.transaction import Transaction, without_check_access
from trytond.wsgi import app


@app.route('/<database_name>/vb_lgsp/inbound/<code>', methods={'POST'})
@with_pool
@with_transaction()
@user_application('vb_lgsp_inbound')
def inbound(request, pool, code):
    try:
        Channel = pool.get('vb.lgsp.channel')
    except KeyError:
        abort(HTTPStatus.NOT_FOUND)
    user = Transaction().user
    # The technical user only posts: it needs no access to documents
    with without_check_access():
        channels = Channel.search([('code', '=', code)], limit=1)
        if not channels or channels[0].user.id != user:
            abort(HTTPStatus.NOT_FOUND)
        channel, = channels
        document = channel.receive(request.parsed_data)
        return {'id': document.id, 'state': document.state,
            'reference': document.channel_reference}
