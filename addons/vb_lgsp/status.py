# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""The statuses recipients report on our outgoing documents (spec §1.11).

Each code is recorded once per recipient line, with what the recipient
said and when; the line shows the furthest one reached.
"""
from trytond.model import Index, ModelSQL, ModelView, Unique, fields

STATUS_CODES = [
    ('01', "01 - Arrived"),
    ('02', "02 - Refused"),
    ('03', "03 - Registered"),
    ('04', "04 - Assigned"),
    ('05', "05 - In Progress"),
    ('06', "06 - Completed"),
    ('13', "13 - Withdrawal Requested"),
    ('15', "15 - Change Accepted"),
    ('16', "16 - Change Refused"),
    ]
STATUS_SELECTION = [(None, "")] + STATUS_CODES
# How far a document went at its recipient: a status arriving late (a
# retried 01 after the 03) never moves the line back. A refusal ends it.
RANK = {'01': 1, '03': 3, '04': 4, '05': 5, '06': 6, '02': 9}
# The processing state of vb_workflow a status stands for
PROCESSING_STATES = {'04': 'assigned', '05': 'processing', '06': 'done'}


class RecipientStatus(ModelSQL, ModelView):
    "Recipient Status"
    __string__ = "Recipient Status"
    __name__ = 'vb.lgsp.recipient.status'

    document = fields.Many2One('vb.document', "Document", required=True,
        readonly=True, ondelete='CASCADE')
    recipient = fields.Many2One('vb.document.recipient', "Recipient",
        required=True, readonly=True, ondelete='CASCADE')
    agency = fields.Function(fields.Many2One('company.company', "Agency"),
        'get_agency')
    code = fields.Selection(STATUS_CODES, "Status", required=True,
        readonly=True, sort=False)
    description = fields.Text("Description", readonly=True)
    staff = fields.Char("By", readonly=True)
    status_time = fields.DateTime("Time", readonly=True,
        help="When the recipient reported it.")
    received_at = fields.DateTime("Received At", readonly=True)
    message = fields.Many2One('vb.lgsp.message', "Package", readonly=True,
        ondelete='SET NULL')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('document')
        t = cls.__table__()
        cls._sql_constraints += [
            ('code_unique', Unique(t, t.recipient, t.code),
                'vb_lgsp.msg_status_unique'),
            ]
        cls._sql_indexes.add(Index(t, (t.document, Index.Equality())))
        cls._order = [('status_time', 'ASC'), ('id', 'ASC')]

    def get_agency(self, name):
        return self.recipient.agency.id if self.recipient else None
