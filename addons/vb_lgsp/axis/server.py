# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""HTTP server of the simulator and the ``vbdh-axis`` command.

Served by werkzeug's threaded server (a trytond dependency): one thread per
request, so an injected delay holds only its own request, and the socket is
reachable for the connection-dropping faults.
"""
import argparse
import logging
import signal
import sys
import threading

from werkzeug.serving import WSGIRequestHandler, make_server

from .app import DEFAULT_MAX_PACKAGE, AxisApp
from .credentials import Credentials, CredentialsError
from .directory import DirectoryError, load_agencies
from .faults import (
    DEFAULT_DELAY, FaultError, FaultInjector, parse_fault_option)

logger = logging.getLogger('vbdh_axis')


class _QuietHandler(WSGIRequestHandler):
    "Requests go to the request log, not to stderr"

    def log_request(self, code='-', size='-'):
        logger.debug('%s %s %s', self.command, self.path, code)


class AxisServer:
    """A running axis: ``start()`` serves in a background thread.

    ``port=0`` picks a free port; ``url`` tells which.
    """

    def __init__(self, app, host='127.0.0.1', port=0):
        self.app = app
        self._server = make_server(host, port, app, threaded=True,
            request_handler=_QuietHandler)
        self.host = host
        self.port = self._server.port
        self._thread = None

    @property
    def url(self):
        host = f'[{self.host}]' if ':' in self.host else self.host
        return f'http://{host}:{self.port}'

    def serve_forever(self):
        self.app.stopping.clear()
        self._server.serve_forever()

    def start(self):
        self.app.stopping.clear()
        # A short poll keeps stop() quick (tests start many servers)
        self._thread = threading.Thread(target=self._server.serve_forever,
            kwargs={'poll_interval': 0.05}, name=f'vbdh-axis:{self.port}',
            daemon=True)
        self._thread.start()
        return self

    def stop(self):
        self.app.stopping.set()
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(5)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def _split_option(text, parts, option):
    values = text.split(':', parts - 1)
    if len(values) < parts - 1 or not all(values[:parts - 1]):
        raise CredentialsError(f'{option} "{text}" sai cú pháp.')
    return values + [''] * (parts - len(values))


def build_parser():
    parser = argparse.ArgumentParser(prog='vbdh-axis',
        description='Trục liên thông văn bản giả lập (VXP và REST tỉnh) '
        'cho thử nghiệm và trình diễn VBĐH.')
    parser.add_argument('--host', default='127.0.0.1',
        help='địa chỉ lắng nghe (mặc định 127.0.0.1)')
    parser.add_argument('--port', type=int, default=8100,
        help='cổng (mặc định 8100; 0 = cổng trống bất kỳ)')
    parser.add_argument('--store', required=True, metavar='DIR',
        help='thư mục kho dữ liệu (tạo nếu chưa có)')
    parser.add_argument('--agencies', metavar='FILE',
        help='tệp JSON/YAML danh bạ đơn vị (mã định danh)')
    parser.add_argument('--credentials', metavar='FILE',
        help='tệp JSON/YAML khai báo hệ thống, client OAuth2, người dùng')
    parser.add_argument('--system', action='append', default=[],
        metavar='ID:SECRET:MẪU[,MẪU]',
        help='thêm một hệ thống: mã, khóa bí mật, các mã định danh '
        'hoặc mẫu (*.H32) mà hệ thống đại diện')
    parser.add_argument('--client', action='append', default=[],
        metavar='CLIENT_ID:CLIENT_SECRET:SYSTEM_ID',
        help='thêm một client OAuth2 thuộc một hệ thống')
    parser.add_argument('--max-skew', type=float, default=300,
        help='độ lệch tối đa (giây) của timestamp VXP; 0 = không kiểm tra')
    parser.add_argument('--token-ttl', type=int, default=3600,
        help='thời hạn mã truy cập OAuth2 (giây)')
    parser.add_argument('--login-ttl', type=int, default=1800,
        help='thời hạn mã đăng nhập /api/lgspedoc/login (giây)')
    parser.add_argument('--max-package-size', type=int,
        default=DEFAULT_MAX_PACKAGE, metavar='BYTES',
        help='dung lượng tối đa một gói tin (byte, mặc định 50 MB)')
    parser.add_argument('--require-bearer', action='store_true',
        help='API REST tỉnh bắt buộc có mã truy cập Bearer')
    parser.add_argument('--admin-token',
        help='yêu cầu tiêu đề X-Admin-Token cho /_admin/')
    parser.add_argument('--fault', action='append', default=[],
        metavar='MODE[:COUNT][@ACTION,...]',
        help='lỗi giả lập khi khởi động: 500, 503, 429, timeout, reset, '
        'drop_after_accept, slow')
    parser.add_argument('--fault-delay', type=float, default=DEFAULT_DELAY,
        help='thời gian chờ (giây) của lỗi timeout/slow')
    parser.add_argument('--no-fsync', action='store_true',
        help='không ép ghi đĩa (nhanh hơn, kém an toàn khi mất điện)')
    parser.add_argument('-v', '--verbose', action='store_true')
    return parser


def app_from_args(args):
    credentials = Credentials()
    if args.credentials:
        credentials.load(args.credentials)
    for text in args.system:
        system_id, secret, agencies = _split_option(text, 3, '--system')
        credentials.add_system(system_id, secret, agencies or '*')
    for text in args.client:
        client_id, secret, system_id = _split_option(text, 3, '--client')
        credentials.add_client(client_id, secret, system_id)
    faults = FaultInjector()
    for text in args.fault:
        faults.add(parse_fault_option(text, args.fault_delay))
    agencies = load_agencies(args.agencies) if args.agencies else []
    return AxisApp(args.store, agencies=agencies, credentials=credentials,
        faults=faults, max_skew=args.max_skew, token_ttl=args.token_ttl,
        login_ttl=args.login_ttl, max_package_size=args.max_package_size,
        require_bearer=args.require_bearer, admin_token=args.admin_token,
        fsync=not args.no_fsync)


def main(argv=None):
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose
        else logging.INFO, format='%(asctime)s %(name)s: %(message)s')
    try:
        app = app_from_args(args)
    except (CredentialsError, DirectoryError, FaultError) as error:
        parser.error(error.message)
    except (OSError, ValueError) as error:
        parser.error(f'không đọc được cấu hình: {error}')
    server = AxisServer(app, args.host, args.port)

    def stop(signum, frame):
        # shutdown() waits for serve_forever: call it from another thread
        threading.Thread(target=server.stop, daemon=True).start()
    signal.signal(signal.SIGTERM, stop)
    print(f'vbdh-axis: đang phục vụ tại {server.url} (kho: {args.store}, '
        f'{len(app.credentials.systems)} hệ thống)', file=sys.stderr,
        flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0
