# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""Fault injection, so that tests can watch the connector cope.

A fault rule says what goes wrong (``mode``), how many matching requests it
affects (``count``, None = until cleared) and which requests match
(``actions``: endpoint names such as ``sendEdoc``; ``apis``: ``vxp``,
``rest``, ``oauth``; empty = all). Modes:

``500``, ``503``, ``429``… (any HTTP status 400–599)
    answer with that status before doing anything (nothing stored);
``timeout``
    say nothing for ``delay`` seconds, then close the connection
    (nothing stored) — set ``delay`` above the client's timeout;
``reset``
    close the connection at once without answering (nothing stored);
``drop_after_accept``
    process the request (a package is stored and routed), then close the
    connection instead of answering: the client cannot know it succeeded,
    sends again, and the axis must recognise the resend;
``slow``
    process the request, then wait ``delay`` seconds before answering
    (the client times out although the request succeeded).
"""
import threading
from dataclasses import asdict, dataclass, field

BEHAVIOURS = ('timeout', 'reset', 'drop_after_accept', 'slow')
APIS = ('vxp', 'rest', 'oauth')
DEFAULT_DELAY = 30.0


class FaultError(Exception):
    def __init__(self, message):
        self.message = message
        super().__init__(message)


@dataclass
class Fault:
    mode: str
    count: int = None
    delay: float = DEFAULT_DELAY
    actions: list = field(default_factory=list)
    apis: list = field(default_factory=list)
    injected: int = 0

    @property
    def http_status(self):
        return int(self.mode) if self.mode.isdigit() else None

    @property
    def processes_request(self):
        "Whether the request is carried out despite the fault"
        return self.mode in ('drop_after_accept', 'slow')

    def matches(self, api, action):
        return ((not self.apis or api in self.apis)
            and (not self.actions or action in self.actions))

    def as_dict(self):
        return asdict(self)


def make_fault(spec):
    "A Fault from a dict (admin endpoint body); FaultError when invalid"
    if not isinstance(spec, dict):
        raise FaultError('Cấu hình lỗi giả lập phải là một đối tượng JSON.')
    mode = str(spec.get('mode', '')).strip()
    status = int(mode) if mode.isdigit() else 0
    if mode not in BEHAVIOURS and not 400 <= status <= 599:
        raise FaultError(f'Chế độ lỗi "{mode}" không hợp lệ: dùng mã HTTP '
            f'4xx/5xx hoặc một trong {", ".join(BEHAVIOURS)}.')
    count = spec.get('count')
    if count is not None:
        try:
            count = int(count)
        except (TypeError, ValueError):
            count = -1
        if count < 1:
            raise FaultError('Số lần (count) phải là số nguyên dương.')
    try:
        delay = float(spec.get('delay', DEFAULT_DELAY))
    except (TypeError, ValueError):
        delay = -1
    if delay < 0:
        raise FaultError('Thời gian chờ (delay) phải là số giây không âm.')
    actions = spec.get('actions') or []
    apis = spec.get('apis') or []
    if isinstance(actions, str):
        actions = [actions]
    if isinstance(apis, str):
        apis = [apis]
    if any(api not in APIS for api in apis):
        raise FaultError(f'apis chỉ nhận {", ".join(APIS)}.')
    return Fault(mode, count, delay, [str(a) for a in actions], list(apis))


def parse_fault_option(text, delay=DEFAULT_DELAY):
    """``MODE[:COUNT][@ACTION,ACTION]`` of the ``--fault`` option"""
    spec, _, actions = text.partition('@')
    mode, _, count = spec.partition(':')
    return make_fault({'mode': mode, 'count': count or None, 'delay': delay,
            'actions': [a for a in actions.split(',') if a]})


class FaultInjector:
    "Rules applied in order; the first matching rule with uses left wins"

    def __init__(self):
        self._lock = threading.Lock()
        self._faults = []

    def add(self, fault):
        if isinstance(fault, dict):
            fault = make_fault(fault)
        with self._lock:
            self._faults.append(fault)
        return fault

    def clear(self):
        with self._lock:
            self._faults.clear()

    def take(self, api, action):
        with self._lock:
            for fault in self._faults:
                if fault.matches(api, action):
                    fault.injected += 1
                    if fault.count is not None:
                        fault.count -= 1
                        if fault.count <= 0:
                            self._faults.remove(fault)
                    return fault
        return None

    def describe(self):
        with self._lock:
            return [f.as_dict() for f in self._faults]
