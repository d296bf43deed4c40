# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""vbdh-sign: the reference signing tool of remote signing.

It does what a token plugin or a signing service does: reads the user's
pending requests from the server, checks each one, signs its signed
attributes with the local key (PKCS#12 file or PKCS#11 token: the key never
leaves this machine) and sends the signature back.

    vbdh-sign --url http://127.0.0.1:8000 --database vbdh key --login ld.ubnd
        # asks a key; the user validates it in Tryton (Preferences)
    vbdh-sign --url … --database vbdh --key KEY list
    vbdh-sign --url … --database vbdh --key KEY sign --pkcs12 me.p12
    vbdh-sign … sign --pkcs11-lib /usr/lib/softhsm/libsofthsm2.so \\
        --token VN-TOKEN --key-label leader      # PIN asked, or VBDH_PIN

Passwords and PINs come from the environment (VBDH_PASSWORD, VBDH_PIN)
or are asked on the terminal, never on the command line.
"""
import argparse
import asyncio
import base64
import getpass
import hashlib
import json
import os
import sys
import urllib.error
import urllib.request


class ClientError(Exception):
    pass


class Server:
    "The remote-signing API of one database"

    def __init__(self, url, database, key=None, timeout=60):
        self.base = f"{url.rstrip('/')}/{database}"
        self.key = key
        self.timeout = timeout

    def call(self, method, path, data=None):
        body = json.dumps(data).encode('utf-8') if data is not None else None
        request = urllib.request.Request(self.base + path, data=body,
            method=method, headers={'Content-Type': 'application/json'})
        if self.key:
            request.add_header('Authorization', f'bearer {self.key}')
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as r:
                return json.loads(r.read() or b'null')
        except urllib.error.HTTPError as error:
            raise ClientError(_error_text(error)) from error
        except urllib.error.URLError as error:
            raise ClientError(f"Không kết nối được máy chủ: {error.reason}")

    def request_key(self, login):
        return self.call('POST', '/user/application/',
            {'user': login, 'application': 'vb_signature'})

    def pending(self):
        return self.call('GET', '/vb_signature/requests')

    def answer(self, request_id, signature=None, cms=None):
        data = {}
        if signature is not None:
            data['signature'] = base64.b64encode(signature).decode('ascii')
        if cms is not None:
            data['cms'] = base64.b64encode(cms).decode('ascii')
        return self.call('POST', f'/vb_signature/requests/{request_id}',
            data)


def _error_text(error):
    body = error.read().decode('utf-8', 'replace')
    try:
        # Tryton's JSON error body: {"status", "message", "description"}
        data = json.loads(body)
        if isinstance(data, dict) and data.get('message'):
            return str(data['message'])
    except ValueError:
        pass
    return f"HTTP {error.code}: {body.strip()[:500]}"


def check_request(request):
    "What is signed must be what the request says (the hash of the attrs)"
    attributes = base64.b64decode(request['signed_attributes'])
    if hashlib.sha256(attributes).hexdigest() != request['to_sign']:
        raise ClientError(
            f"Yêu cầu {request['id']}: dữ liệu cần ký không khớp bản băm.")
    return attributes


def sign_attributes(signer, attributes):
    "The raw signature of the DER signed attributes with the local key"
    return asyncio.run(signer.pyhanko_signer.async_sign_raw(
            attributes, 'sha256'))


def sign_pending(server, signer, out=print):
    "Sign every pending request with `signer` (a pades.Signer)"
    done = []
    for request in server.pending():
        attributes = check_request(request)
        signature = sign_attributes(signer, attributes)
        try:
            result = server.answer(request['id'], signature=signature)
        except ClientError as error:
            out(f"{request['document']}: bị từ chối: {error}")
            continue
        out(f"{request['document']}: đã ký ({result['verification']})")
        done.append(result)
    return done


def _signer(options):
    from trytond.modules.vb_signature.pades import Signer
    if options.pkcs12:
        password = os.environ.get('VBDH_PASSWORD') or getpass.getpass(
            "Mật khẩu tệp khóa: ")
        with open(options.pkcs12, 'rb') as file:
            return Signer.from_pkcs12(file.read(), password)
    if options.pkcs11_lib:
        pin = os.environ.get('VBDH_PIN') or getpass.getpass("Mã PIN: ")
        return Signer.from_pkcs11(options.pkcs11_lib, options.token, pin,
            options.key_label)
    raise ClientError("Cần --pkcs12 hoặc --pkcs11-lib để ký.")


def main(argv=None):
    parser = argparse.ArgumentParser(prog='vbdh-sign',
        description="Ký số các văn bản đang chờ bằng khóa trên máy này.")
    parser.add_argument('--url', default='http://127.0.0.1:8000')
    parser.add_argument('--database', '-d', required=True)
    parser.add_argument('--key', default=os.environ.get('VBDH_SIGN_KEY'),
        help="khóa ứng dụng (hoặc biến môi trường VBDH_SIGN_KEY)")
    commands = parser.add_subparsers(dest='command', required=True)
    key = commands.add_parser('key', help="xin khóa ứng dụng")
    key.add_argument('--login', required=True)
    commands.add_parser('list', help="liệt kê yêu cầu đang chờ")
    sign = commands.add_parser('sign', help="ký các yêu cầu đang chờ")
    sign.add_argument('--pkcs12')
    sign.add_argument('--pkcs11-lib')
    sign.add_argument('--token')
    sign.add_argument('--key-label')
    options = parser.parse_args(argv)
    server = Server(options.url, options.database, options.key)
    try:
        if options.command == 'key':
            print(server.request_key(options.login))
            print("Hãy xác nhận khóa trong Tùy chọn người dùng › Ứng dụng.",
                file=sys.stderr)
            return 0
        if not options.key:
            raise ClientError("Cần khóa ứng dụng (--key).")
        if options.command == 'list':
            for request in server.pending():
                print(f"{request['id']}\t{request['expires_at']}\t"
                    f"{request['document']}")
            return 0
        with _signer(options) as signer:
            sign_pending(server, signer)
        return 0
    except ClientError as error:
        print(f"Lỗi: {error}", file=sys.stderr)
        return 1
    except Exception as error:
        message = getattr(error, 'message', None) or str(error)
        print(f"Lỗi: {message}", file=sys.stderr)
        return 1


if __name__ == '__main__':
    sys.exit(main())
