# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""Inbound channels: citizen feedback (PAKN) and the one-stop shop (Một cửa).

The province's feedback portal and one-stop-shop system post items to an
HTTP endpoint (routes.py) authenticated by a Tryton user application key of
the channel's technical user; each item becomes an incoming document of the
channel's agency and type, waiting for its clerk, with its files, so nobody
types it again. The same item posted twice (same reference) is stored
once. When the agency issues the reply document (an outgoing document "in
reply to" it), the answer is posted to the item's callback URL; failures
are retried with exponential backoff by a cron and end in a failed state
that the agency's administrators are told about.
"""
import base64
import datetime as dt
import json
import logging
import urllib.error
import urllib.request

from trytond.i18n import gettext
from trytond.model import (
    DeactivableMixin, Index, ModelSQL, ModelView, Unique, fields)
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import Transaction, without_check_access

from trytond.modules.vb_document.ir import check_file_size
from trytond.modules.vb_document.notify import agency_users, tell
from trytond.modules.vb_document.vn import is_pdf

from .exceptions import ChannelError

logger = logging.getLogger(__name__)

KINDS = [
    ('pakn', "Citizen Feedback (PAKN)"),
    ('one_stop', "One-Stop Shop"),
    ]
ANSWER_STATES = [
    (None, ""),
    ('pending', "Waiting to Be Sent"),
    ('sent', "Sent"),
    ('failed', "Failed"),
    ]
# Answers are tried this many times (about 4 hours in all) then failed
MAX_ATTEMPTS = 8
TIMEOUT = 15


class Channel(DeactivableMixin, ModelSQL, ModelView):
    "Inbound Channel"
    __name__ = 'vb.lgsp.channel'
    __string__ = "Inbound Channel"

    name = fields.Char("Name", required=True)
    code = fields.Char("Code", required=True, strip=True,
        help="The last part of the address the portal posts to: "
        "/<database>/vb_lgsp/inbound/<code>.")
    kind = fields.Selection(KINDS, "Kind", required=True)
    company = fields.Many2One('company.company', "Agency", required=True,
        ondelete='CASCADE', domain=[('external', '=', False)])
    document_type = fields.Many2One('vb.document.type', "Document Type",
        required=True, ondelete='RESTRICT')
    user = fields.Many2One('res.user', "Technical User", required=True,
        ondelete='RESTRICT',
        help="The portal authenticates with an application key "
        "(\"Kênh tiếp nhận văn bản\") of this user.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('code_unique', Unique(t, t.code), 'vb_lgsp.msg_channel_code_unique'),
            ]

    @classmethod
    def default_kind(cls):
        return 'pakn'

    def source(self):
        return 'pakn' if self.kind == 'pakn' else 'one_stop'

    def receive(self, values):
        """Store a posted item as an incoming document; return it.

        values (JSON): reference (required, the portal's id), subject
        (required), sender, contact, content, callback_url, received_at,
        files [{name, data (base64)}]. Refused with a Vietnamese message
        and nothing stored when it is malformed.
        """
        pool = Pool()
        Document = pool.get('vb.document')
        Attachment = pool.get('ir.attachment')
        Configuration = pool.get('vb.document.configuration')
        if not isinstance(values, dict):
            raise ChannelError(gettext('vb_lgsp.msg_channel_not_json'))
        reference = str(values.get('reference') or '').strip()
        subject = str(values.get('subject') or '').strip()
        for name, value in [('reference', reference), ('subject', subject)]:
            if not value:
                raise ChannelError(gettext('vb_lgsp.msg_channel_missing',
                        field=name))
        callback = str(values.get('callback_url') or '').strip() or None
        if callback and not callback.startswith(('http://', 'https://')):
            raise ChannelError(gettext('vb_lgsp.msg_channel_bad_callback'))
        files = self._decode_files(values.get('files') or [],
            Configuration(1).max_file_bytes)
        existing = Document.search([
                ('channel', '=', self.id),
                ('channel_reference', '=', reference),
                ], limit=1)
        if existing:
            return existing[0]
        sender = str(values.get('sender') or '').strip()
        contact = str(values.get('contact') or '').strip()
        note = '\n'.join(filter(None, [
                    str(values.get('content') or '').strip(),
                    contact and gettext('vb_lgsp.msg_channel_contact',
                        contact=contact)]))
        document, = Document.create([{
                    'company': self.company.id,
                    'direction': 'incoming',
                    'state': 'waiting',
                    'source': self.source(),
                    'type': self.document_type.id,
                    'subject': subject[:1000],
                    'issuer_name': sender[:200] or self.name,
                    'number_notation': reference[:100],
                    'note': note or None,
                    'channel': self.id,
                    'channel_reference': reference,
                    'channel_callback': callback,
                    }])
        main = False
        to_create = []
        for name, data in files:
            role = 'annex'
            if not main and is_pdf(data):
                role, main = 'main', True
            to_create.append({'resource': str(document), 'name': name,
                    'data': data, 'document_role': role})
        if to_create:
            Attachment.create(to_create)
        document.notify_clerks()
        return document

    @staticmethod
    def _decode_files(files, limit):
        if not isinstance(files, list):
            raise ChannelError(gettext('vb_lgsp.msg_channel_not_json'))
        result = []
        for index, item in enumerate(files, 1):
            if not isinstance(item, dict):
                raise ChannelError(gettext('vb_lgsp.msg_channel_not_json'))
            name = str(item.get('name') or f'tep-{index}').strip()
            # No path in a file name
            name = name.replace('\\', '/').rsplit('/', 1)[-1][:200] or (
                f'tep-{index}')
            try:
                data = base64.b64decode(item.get('data') or '',
                    validate=True)
            except (ValueError, TypeError):
                raise ChannelError(gettext('vb_lgsp.msg_channel_bad_file',
                        name=name))
            if not data:
                raise ChannelError(gettext('vb_lgsp.msg_channel_bad_file',
                        name=name))
            # vb_document's check and message, as for any document file
            check_file_size(name, len(data), limit)
            result.append((name, data))
        return result


class Document(metaclass=PoolMeta):
    __name__ = 'vb.document'

    channel = fields.Many2One('vb.lgsp.channel', "Inbound Channel",
        readonly=True, ondelete='RESTRICT',
        states={'invisible': ~Eval('channel')})
    channel_reference = fields.Char("Channel Reference", readonly=True,
        states={'invisible': ~Eval('channel')})
    channel_callback = fields.Char("Answer Address", readonly=True,
        states={'invisible': ~Eval('channel')})
    channel_answer_state = fields.Selection(ANSWER_STATES, "Answer",
        readonly=True, states={'invisible': ~Eval('channel_answer_state')})
    channel_answer_attempts = fields.Integer("Answer Attempts",
        readonly=True, states={'invisible': ~Eval('channel_answer_state')})
    channel_answer_next = fields.DateTime("Next Answer Attempt",
        readonly=True, states={'invisible': Eval('channel_answer_state')
            != 'pending'})
    channel_answer_error = fields.Text("Answer Error", readonly=True,
        states={'invisible': ~Eval('channel_answer_error')})

    @classmethod
    def __setup__(cls):
        super().__setup__()
        if 'one_stop' not in dict(cls.source.selection):
            cls.source.selection.append(('one_stop', "One-Stop Shop"))
        t = cls.__table__()
        cls._sql_indexes.add(Index(t, (t.channel, Index.Equality()),
                (t.channel_reference, Index.Equality())))

    @classmethod
    def copy(cls, documents, default=None):
        default = dict(default or {})
        for name in ['channel', 'channel_reference', 'channel_callback',
                'channel_answer_state', 'channel_answer_attempts',
                'channel_answer_next', 'channel_answer_error']:
            default.setdefault(name)
        return super().copy(documents, default=default)

    @classmethod
    def _finish_files(cls, documents):
        super()._finish_files(documents)
        # The replies issued now answer the items of the channels
        answered = [d.reply_to for d in documents
            if d.reply_to and d.reply_to.channel
            and d.reply_to.channel_callback]
        if answered:
            with without_check_access():
                cls.write(answered, {
                        'channel_answer_state': 'pending',
                        'channel_answer_attempts': 0,
                        'channel_answer_next': dt.datetime.now(),
                        'channel_answer_error': None,
                        })
            with Transaction().set_context(queue_name='vb_lgsp_channel'):
                cls.__queue__.post_channel_answers(answered)

    def _channel_answer(self):
        "The JSON posted to the portal: the last reply issued and its files"
        replies = sorted([r for r in self.replies if r.state == 'issued'],
            key=lambda r: (r.numbered_at or dt.datetime.min, r.id))
        reply = replies[-1]
        return {
            'reference': self.channel_reference,
            'state': 'answered',
            'answer': {
                'number_notation': reply.number_notation,
                'issued_date': reply.issued_date.isoformat()
                if reply.issued_date else None,
                'agency': reply.company.rec_name,
                'subject': reply.subject,
                'signer': reply.signer_name,
                'files': [{'name': f.name,
                        'data': base64.b64encode(bytes(f.data)).decode()}
                    for f in reply.files if f.type == 'data'],
                },
            }

    @classmethod
    def post_channel_answers(cls, documents):
        """Post the answers waiting (queue task, cron): one HTTP call each;
        a failure is retried later, after MAX_ATTEMPTS it is failed and the
        agency's administrators are told"""
        with without_check_access():
            now = dt.datetime.now()
            for document in cls.browse([d.id for d in documents]):
                if document.channel_answer_state != 'pending':
                    continue
                error = _post_json(document.channel_callback,
                    document._channel_answer())
                attempts = (document.channel_answer_attempts or 0) + 1
                if error is None:
                    values = {'channel_answer_state': 'sent',
                        'channel_answer_error': None,
                        'channel_answer_next': None}
                elif attempts >= MAX_ATTEMPTS:
                    values = {'channel_answer_state': 'failed',
                        'channel_answer_error': error,
                        'channel_answer_next': None}
                    document._tell_channel_admins(error)
                else:
                    values = {'channel_answer_error': error,
                        'channel_answer_next': now + dt.timedelta(
                            minutes=2 ** attempts)}
                values['channel_answer_attempts'] = attempts
                cls.write([document], values)

    def _tell_channel_admins(self, error):
        tell(agency_users(self.company, ['agency_admin']), [self],
            'vb_lgsp.msg_channel_answer_failed', icon='tryton-warning',
            document=self.rec_name, error=error)

    @classmethod
    def retry_channel_answers(cls):
        "Post again the answers whose next attempt is due (cron)"
        with without_check_access():
            documents = cls.search([
                    ('channel_answer_state', '=', 'pending'),
                    ('channel_answer_next', '<=', dt.datetime.now()),
                    ])
        if documents:
            cls.post_channel_answers(documents)
        return documents


def _post_json(url, data):
    "None when the portal took the answer, else the error"
    request = urllib.request.Request(url,
        data=json.dumps(data, ensure_ascii=False).encode('utf-8'),
        headers={'Content-Type': 'application/json; charset=utf-8'},
        method='POST')
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            response.read()
    except urllib.error.HTTPError as error:
        return f"HTTP {error.code}: {error.reason}"
    except (urllib.error.URLError, OSError, ValueError) as error:
        return str(getattr(error, 'reason', error))
    return None


class UserApplication(metaclass=PoolMeta):
    __name__ = 'res.user.application'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.application.selection.append(
            ('vb_lgsp_inbound', "Inbound Channel (PAKN, One-Stop Shop)"))
