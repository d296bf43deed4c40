# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""``vbdh-axis``: a real HTTP service simulating the document axes.

It serves the national axis VXP API (HMAC-signed headers), the provincial
REST variant (X-SystemId/X-SecretKey or Bearer) and an OAuth2 token
endpoint over a store on disk, routes packages to per-agency inboxes,
recognises resends, logs every request and fails on command. No database.
See README.md.
"""
from .app import AxisApp
from .credentials import Credentials
from .faults import FaultInjector
from .server import AxisServer, main

__all__ = ['AxisApp', 'AxisServer', 'Credentials', 'FaultInjector', 'main']
