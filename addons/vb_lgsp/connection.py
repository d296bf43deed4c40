# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""Connections to the document axes (national VXP, provincial LGSP).

A connection is what the axis issued to this installation: the kind of
API, its address and the credentials. Agencies of the installation use one
to send and receive; external agencies name the one they are reached
through. The secrets are stored in fields nobody can read through the
client: the forms show a masked hint and take a new value write-only.
"""
import datetime as dt
import json
import logging
import threading
from urllib.parse import urlsplit

from trytond.cache import Cache
from trytond.i18n import gettext
from trytond.model import DeactivableMixin, ModelSQL, ModelView, fields
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction, without_check_access

from .exceptions import ConnectionValidationError, ExchangeError
from .transport import TransportError, make_transport

logger = logging.getLogger(__name__)

TRANSPORT_KINDS = [
    ('vxp', "National Axis (VXP, HMAC-signed)"),
    ('provincial', "Provincial Axis (REST, X-SystemId/X-SecretKey)"),
    ('oauth2', "Provincial Gateway (OAuth2 Bearer)"),
    ]
_oauth2 = Eval('kind') == 'oauth2'

# Transports keep their OAuth2 token: one per connection version and process
_transports = {}
_transports_lock = threading.Lock()
# Written by the poll and the directory synchronisation: not the transport
_RUN_FIELDS = {'last_poll', 'last_poll_result', 'directory_synced_at'}


def mask(secret):
    "What the forms show of a secret: that it is set, and its last characters"
    if not secret:
        return ''
    return '•' * 8 + (secret[-4:] if len(secret) >= 12 else '')


class Connection(DeactivableMixin, ModelSQL, ModelView):
    "Axis Connection"
    __string__ = "Axis Connection"
    __name__ = 'vb.lgsp.connection'

    name = fields.Char("Name", required=True)
    kind = fields.Selection(TRANSPORT_KINDS, "Transport", required=True)
    base_url = fields.Char("Base URL", required=True, strip=True,
        help="The address of the axis API, e.g. https://axis.example.gov.vn "
        "(VXP paths at its root, provincial paths under /v1/).")
    token_url = fields.Char("Token URL", strip=True,
        states={'invisible': ~_oauth2},
        help="The OAuth2 token endpoint; relative to the base URL when it "
        "starts with /.")
    system_id = fields.Char("System ID", strip=True,
        help="The system id the axis issued (systemid, X-SystemId).")
    secret = fields.Char("Secret Key")
    secret_hint = fields.Function(fields.Char("Secret Key"), 'get_hint')
    new_secret = fields.Function(fields.Char("New Secret Key",
            help="Type a new secret key to replace the stored one; it is "
            "never shown again."),
        'get_new_secret', setter='set_secret')
    client_id = fields.Char("Client ID", strip=True,
        states={'invisible': ~_oauth2})
    client_secret = fields.Char("Client Secret")
    client_secret_hint = fields.Function(fields.Char("Client Secret",
            states={'invisible': ~_oauth2}), 'get_hint')
    new_client_secret = fields.Function(fields.Char("New Client Secret",
            states={'invisible': ~_oauth2}),
        'get_new_secret', setter='set_secret')
    scope = fields.Char("Scope", states={'invisible': ~_oauth2})
    paths = fields.Text("Endpoint Paths",
        states={'invisible': Eval('kind') == 'vxp'},
        help='JSON object overriding the paths of the provincial API, e.g. '
        '{"send": "/lgsp/v1/sendEdoc"}.')
    timeout = fields.Integer("Timeout (s)", required=True,
        domain=[('timeout', '>', 0)])
    poll_interval = fields.Integer("Polling Interval (min)", required=True,
        domain=[('poll_interval', '>', 0)],
        help="How often the inbox is read for documents and statuses.")
    max_attempts = fields.Integer("Attempts before Giving Up", required=True,
        domain=[('max_attempts', '>', 0)],
        help="Sending is retried after transient failures; after this many "
        "attempts the message waits for an administrator.")
    retry_delay = fields.Integer("First Retry Delay (s)", required=True,
        domain=[('retry_delay', '>', 0)],
        help="Doubled at each new attempt, up to one hour.")
    last_poll = fields.DateTime("Last Polled", readonly=True)
    last_poll_result = fields.Char("Result of the Last Poll", readonly=True)
    directory_synced_at = fields.DateTime("Directory Synchronised",
        readonly=True)
    agencies = fields.One2Many('company.company', 'lgsp_connection',
        "Agencies of the Installation", filter=[('external', '=', False)],
        readonly=True)
    external_agencies = fields.One2Many('company.company', 'lgsp_connection',
        "External Agencies", filter=[('external', '=', True)], readonly=True)
    # The transport's configuration (JSON) by connection: reading it is two
    # reads of the connection (its secrets without access check) for every
    # message sent or received
    _transport_configs = Cache('vb.lgsp.connection.transport_config',
        context=False)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order.insert(0, ('name', 'ASC'))
        cls._buttons.update({
                'poll_now': {'icon': 'tryton-refresh'},
                'synchronise_directory': {'icon': 'tryton-refresh'},
                })

    @classmethod
    def copy(cls, connections, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('agencies', None)
        default.setdefault('external_agencies', None)
        default.setdefault('last_poll', None)
        default.setdefault('last_poll_result', None)
        default.setdefault('directory_synced_at', None)
        return super().copy(connections, default=default)

    @classmethod
    def on_modification(cls, mode, connections, field_names=None):
        super().on_modification(mode, connections, field_names=field_names)
        if mode == 'delete' or (mode == 'write' and (field_names is None
                    or field_names - _RUN_FIELDS)):
            cls._transport_configs.clear()

    @classmethod
    def default_kind(cls):
        return 'vxp'

    @classmethod
    def default_timeout(cls):
        return 30

    @classmethod
    def default_poll_interval(cls):
        # Spec §3.5: every 1 to 5 minutes
        return 2

    @classmethod
    def default_max_attempts(cls):
        return 8

    @classmethod
    def default_retry_delay(cls):
        return 30

    @classmethod
    def get_hint(cls, connections, names):
        source = {'secret_hint': 'secret',
            'client_secret_hint': 'client_secret'}
        result = {n: {} for n in names}
        with without_check_access():
            for connection in cls.browse(connections):
                for name in names:
                    result[name][connection.id] = mask(
                        getattr(connection, source[name]))
        return result

    def get_new_secret(self, name):
        return None

    @classmethod
    def set_secret(cls, connections, name, value):
        if not value:
            return
        target = {'new_secret': 'secret',
            'new_client_secret': 'client_secret'}[name]
        # The stored fields cannot be written through the client
        with without_check_access():
            cls.write(connections, {target: value.strip()})

    @classmethod
    def validate_fields(cls, connections, field_names):
        super().validate_fields(connections, field_names)
        for connection in connections:
            connection.check_url()
            connection.check_paths()

    def check_url(self):
        for value in filter(None, [self.base_url,
                    self.token_url if self.kind == 'oauth2'
                    and not (self.token_url or '').startswith('/')
                    else None]):
            parts = urlsplit(value)
            if parts.scheme not in {'http', 'https'} or not parts.netloc:
                raise ConnectionValidationError(gettext(
                        'vb_lgsp.msg_connection_bad_url',
                        url=value, connection=self.rec_name))

    def check_paths(self):
        if not self.paths:
            return
        try:
            paths = json.loads(self.paths)
        except ValueError:
            paths = None
        if not isinstance(paths, dict) or not all(
                isinstance(v, str) and v.startswith('/')
                for v in paths.values()):
            raise ConnectionValidationError(gettext(
                    'vb_lgsp.msg_connection_bad_paths',
                    connection=self.rec_name))

    def transport_config(self):
        "The configuration transport.make_transport reads"
        with without_check_access():
            connection = self.__class__(self.id)
            secret, client_secret = (
                connection.secret, connection.client_secret)
        token_url = self.token_url
        if token_url and token_url.startswith('/'):
            token_url = self.base_url.rstrip('/') + token_url
        return {
            'kind': self.kind,
            'base_url': self.base_url,
            'system_id': self.system_id,
            'secret': secret,
            'token_url': token_url,
            'client_id': self.client_id,
            'client_secret': client_secret,
            'scope': self.scope,
            'paths': json.loads(self.paths) if self.paths else None,
            'timeout': self.timeout,
            }

    def get_transport(self):
        """The transport of the connection, shared within the process.

        Rebuilt when the configuration changes (not when the poll writes
        its time): OAuth2 transports keep their access token between
        calls.
        """
        config = self._transport_configs.get(self.id)
        if config is None:
            config = json.dumps(self.transport_config(), sort_keys=True,
                default=str)
            self._transport_configs.set(self.id, config)
        key = (Transaction().database.name, self.id, config)
        with _transports_lock:
            transport = _transports.get(key)
        if transport is None:
            try:
                transport = make_transport(json.loads(config))
            except TransportError as error:
                raise ExchangeError(gettext(
                        'vb_lgsp.msg_connection_unusable',
                        connection=self.rec_name, error=error.message))
            with _transports_lock:
                for old in [k for k in _transports if k[:2] == key[:2]]:
                    del _transports[old]
                _transports[key] = transport
        return transport

    def holder(self):
        "The agency that owns what arrives for none of ours"
        agencies = [a for a in self.agencies if a.identifier_code]
        return agencies[0] if agencies else None

    # Receiving ----------------------------------------------------------

    @classmethod
    def poll(cls):
        "Read the inboxes of the connections that are due (ir.cron)"
        now = dt.datetime.now()
        for connection in cls.search([]):
            if (connection.last_poll is None
                    or connection.last_poll + dt.timedelta(
                        minutes=connection.poll_interval) <= now
                    + dt.timedelta(seconds=5)):
                connection.poll_inbox()

    @classmethod
    @ModelView.button
    def poll_now(cls, connections):
        for connection in connections:
            connection.poll_inbox()

    def poll_inbox(self):
        """List what waits in the inbox and hand each package to the queue.

        Each package is then fetched, stored and acknowledged in its own
        transaction (vb.lgsp.message|receive); what was stored before but
        is still listed (its acknowledgement was lost) is acknowledged
        now.
        """
        Message = Pool().get('vb.lgsp.message')
        Message.resend_lost(self)
        if self.holder() is None:
            self.__class__.write([self], {
                    'last_poll': dt.datetime.now(),
                    'last_poll_result': gettext(
                        'vb_lgsp.msg_connection_no_agency'),
                    })
            return
        transport = self.get_transport()
        items = []
        try:
            for kind in ('edoc', 'status'):
                items.extend(transport.inbox(kind))
        except TransportError as error:
            logger.warning("polling %s failed: %s", self.rec_name,
                error.message)
            result = error.message
        else:
            result = gettext('vb_lgsp.msg_connection_polled',
                count=len(items))
        Message.take_inbox(self, transport, items)
        self.__class__.write([self], {
                'last_poll': dt.datetime.now(),
                'last_poll_result': result[:250],
                })

    # Directory ----------------------------------------------------------

    @classmethod
    @ModelView.button
    def synchronise_directory(cls, connections):
        Company = Pool().get('company.company')
        for connection in connections:
            try:
                entries = connection.get_transport().agencies()
            except TransportError as error:
                raise ExchangeError(gettext(
                        'vb_lgsp.msg_directory_failed',
                        connection=connection.rec_name,
                        error=error.message))
            Company.synchronise_directory(connection, entries)
            connection.directory_synced_at = dt.datetime.now()
        cls.save(connections)

    @classmethod
    def synchronise_directories(cls):
        "Synchronise the directory of every connection (ir.cron)"
        recent = dt.datetime.now() - dt.timedelta(hours=12)
        for connection in cls.search(['OR',
                    ('directory_synced_at', '=', None),
                    ('directory_synced_at', '<', recent)]):
            try:
                cls.synchronise_directory([connection])
            except ExchangeError as error:
                logger.warning("%s", error)
