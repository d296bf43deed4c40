# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""A real IMAP server for the tests: Debian's Dovecot on 127.0.0.1.

Dovecot is started in the foreground with a configuration of its own in a
temporary folder (mails in Maildir, users in a passwd file, a TLS
certificate issued for 127.0.0.1 by a throwaway CA), on free ports, plain
IMAP and IMAPS; it is stopped with the test. As root its processes drop
to Debian's dovecot users; otherwise everything runs as the current user.
`make system` installs it (package dovecot-imapd).
"""
import datetime as dt
import imaplib
import os
import pwd
import shutil
import socket
import ssl
import subprocess
import tempfile
import time
from pathlib import Path

DOVECOT = shutil.which('dovecot') or '/usr/sbin/dovecot'


def available():
    return os.path.exists(DOVECOT)


def _free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def _certificates(folder):
    "A CA and a certificate for 127.0.0.1 signed by it: (ca_pem, cert, key)"
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = dt.datetime.now(dt.timezone.utc)

    def name(text):
        return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, text)])

    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (x509.CertificateBuilder()
        .subject_name(name("CA thu nghiem VBDH"))
        .issuer_name(name("CA thu nghiem VBDH"))
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None),
            critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True,
                content_commitment=False, key_encipherment=False,
                data_encipherment=False, key_agreement=False,
                key_cert_sign=True, crl_sign=True, encipher_only=False,
                decipher_only=False), critical=True)
        .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (x509.CertificateBuilder()
        .subject_name(name("127.0.0.1"))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.SubjectAlternativeName([
                    x509.IPAddress(ipaddress.ip_address('127.0.0.1')),
                    x509.DNSName('localhost')]), critical=False)
        .add_extension(x509.ExtendedKeyUsage(
                [x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .sign(ca_key, hashes.SHA256()))
    pem = serialization.Encoding.PEM
    ca_pem = ca.public_bytes(pem).decode()
    (folder / 'server.crt').write_bytes(cert.public_bytes(pem))
    (folder / 'server.key').write_bytes(key.private_bytes(pem,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption()))
    os.chmod(folder / 'server.key', 0o600)
    return ca_pem


class Dovecot:
    "Dovecot serving the mailboxes of users ({login: password})"

    def __init__(self, users):
        self.users = dict(users)
        self.process = None
        self.folder = None
        self.port = self.ssl_port = None
        self.ca_pem = None

    def start(self):
        self.folder = Path(tempfile.mkdtemp(prefix='vbdh-imap-'))
        os.chmod(self.folder, 0o755)
        (self.folder / 'run').mkdir()
        (self.folder / 'state').mkdir()
        home = self.folder / 'home'
        home.mkdir()
        self.ca_pem = _certificates(self.folder)
        (self.folder / 'passwd').write_text(''.join(
                f'{login}:{{PLAIN}}{password}\n'
                for login, password in self.users.items()))
        self.port, self.ssl_port = _free_port(), _free_port()
        if os.geteuid() == 0:
            login_user, internal_user = 'dovenull', 'dovecot'
            mail_user = pwd.getpwnam('dovecot')
            shutil.chown(home, mail_user.pw_uid, mail_user.pw_gid)
            chroot = ''
        else:
            me = pwd.getpwuid(os.geteuid())
            login_user = internal_user = me.pw_name
            mail_user = me
            chroot = ('service imap-login {\n  chroot =\n}\n'
                'service anvil {\n  chroot =\n}\n')
        f = self.folder
        (f / 'dovecot.conf').write_text(f"""\
protocols = imap
listen = 127.0.0.1
base_dir = {f}/run
state_dir = {f}/state
log_path = {f}/dovecot.log
info_log_path = {f}/dovecot.log
default_login_user = {login_user}
default_internal_user = {internal_user}
first_valid_uid = {mail_user.pw_uid}
first_valid_gid = {mail_user.pw_gid}
ssl = yes
ssl_cert = <{f}/server.crt
ssl_key = <{f}/server.key
ssl_min_protocol = TLSv1.2
disable_plaintext_auth = no
auth_mechanisms = plain login
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {f}/passwd
}}
userdb {{
  driver = static
  args = uid={mail_user.pw_uid} gid={mail_user.pw_gid} home={home}/%u
}}
mail_location = maildir:~/Maildir
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {self.port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {self.ssl_port}
    ssl = yes
  }}
}}
{chroot}""")
        self.process = subprocess.Popen(
            [DOVECOT, '-F', '-c', str(f / 'dovecot.conf')],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("dovecot did not start: "
                    + self.process.stderr.read().decode(errors='replace')
                    + self.log())
            try:
                with socket.create_connection(
                        ('127.0.0.1', self.ssl_port), timeout=1):
                    with socket.create_connection(
                            ('127.0.0.1', self.port), timeout=1):
                        return self
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("dovecot did not listen: " + self.log())

    def log(self):
        path = self.folder / 'dovecot.log' if self.folder else None
        return path.read_text(errors='replace') if path and path.exists() \
            else ''

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None
        if self.folder:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *args):
        self.stop()

    # What a mail client does -----------------------------------------

    def client(self, login, folder='INBOX'):
        "An IMAPS session of login (TLS checked against the test CA)"
        context = ssl.create_default_context(cadata=self.ca_pem)
        imap = imaplib.IMAP4_SSL('127.0.0.1', self.ssl_port,
            ssl_context=context, timeout=30)
        from trytond.modules.vb_lgsp.mailbox import login as login_
        login_(imap, login, self.users[login])
        imap.select(f'"{folder}"')
        return imap

    def deliver(self, login, raw, folder='INBOX'):
        "Put a mail in the folder of login, unseen, as delivery does"
        imap = self.client(login, folder)
        try:
            typ, data = imap.append(f'"{folder}"', None, None, raw)
            assert typ == 'OK', data
        finally:
            imap.logout()

    def create_folder(self, login, folder):
        from trytond.modules.vb_lgsp.mailbox import quote
        imap = self.client(login)
        try:
            typ, data = imap.create(quote(folder))
            assert typ == 'OK', data
        finally:
            imap.logout()

    def count(self, login, folder):
        "How many mails the folder holds"
        from trytond.modules.vb_lgsp.mailbox import quote
        imap = self.client(login)
        try:
            typ, data = imap.status(quote(folder), '(MESSAGES)')
        finally:
            imap.logout()
        return int(data[0].decode().rsplit('MESSAGES ', 1)[1].rstrip(')'))

    def flags(self, login, folder='INBOX'):
        "{uid: set of flags} of the mails in the folder"
        imap = self.client(login, folder)
        try:
            typ, data = imap.uid('FETCH', '1:*', '(UID FLAGS)')
        finally:
            imap.logout()
        result = {}
        for line in data:
            if not line:
                continue
            line = line.decode() if isinstance(line, bytes) else line[0]
            uid = int(line.split('UID ')[1].split()[0].rstrip(')'))
            flags = line.split('FLAGS (')[1].split(')')[0].split()
            result[uid] = set(flags)
        return result

    def unflag_seen(self, login, folder='INBOX'):
        "Clear \\Seen everywhere (as if the marks had been lost)"
        imap = self.client(login, folder)
        try:
            imap.uid('STORE', '1:*', '-FLAGS', r'(\Seen)')
        finally:
            imap.logout()
