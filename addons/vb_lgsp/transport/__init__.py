# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""Clients of the national axis and the provincial LGSP (no database).

Three transports behind one interface (``Transport``): ``VXPTransport``
(national axis SDK API, HMAC-signed headers), ``ProvincialRestTransport``
(X-SystemId/X-SecretKey) and ``OAuth2Transport`` (client-credentials Bearer
token). Failures are ``RetryableError`` or ``PermanentError``.
"""
from .base import (
    ACK_STATUSES, KINDS, AgencyEntry, AxisReceipt, InboxItem, Transport)
from .errors import (
    PermanentError, RetryableError, TransportError, error_for_axis_code,
    error_for_http_status)
from .http import HttpClient
from .oauth2 import ClientCredentials, OAuth2Transport
from .provincial import DEFAULT_PATHS, ProvincialRestTransport
from .vxp import VXPTransport

__all__ = [
    'ACK_STATUSES', 'KINDS', 'AgencyEntry', 'AxisReceipt', 'InboxItem',
    'Transport', 'PermanentError', 'RetryableError', 'TransportError',
    'error_for_axis_code', 'error_for_http_status', 'HttpClient',
    'ClientCredentials', 'OAuth2Transport', 'DEFAULT_PATHS',
    'ProvincialRestTransport', 'VXPTransport', 'make_transport']


def make_transport(config):
    """A transport from a configuration mapping (as the connector stores it).

    ``kind``: ``vxp`` (keys ``base_url``, ``system_id``, ``secret``,
    ``organ_id``), ``provincial`` (``base_url``, ``system_id``, ``secret``,
    ``paths``) or ``oauth2`` (``base_url``, ``token_url``, ``client_id``,
    ``client_secret``, optional ``system_id``/``secret``, ``scope``,
    ``paths``); ``timeout`` in seconds for all.
    """
    kind = config.get('kind')
    timeout = float(config.get('timeout') or 30)
    if kind == 'vxp':
        return VXPTransport(config.get('base_url'), config.get('system_id'),
            config.get('secret'), organ_id=config.get('organ_id'),
            timeout=timeout)
    if kind == 'provincial':
        return ProvincialRestTransport(config.get('base_url'),
            config.get('system_id'), config.get('secret'),
            paths=config.get('paths'), timeout=timeout)
    if kind == 'oauth2':
        return OAuth2Transport(config.get('base_url'),
            config.get('token_url') or '/token', config.get('client_id'),
            config.get('client_secret'), system_id=config.get('system_id'),
            secret_key=config.get('secret'), scope=config.get('scope'),
            paths=config.get('paths'), timeout=timeout)
    raise PermanentError('invalid_request',
        f'Phương thức kết nối "{kind}" không được hỗ trợ '
        '(vxp, provincial hoặc oauth2).')
