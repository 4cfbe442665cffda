"""The email tests' SMTP server over TLS with AUTH (aiosmtpd):
`python smtp_tls_sink.py PORT DIR CERT KEY MODE USER PASSWORD`, MODE `smtps` (TLS from the start)
or `starttls` (STARTTLS required). Only USER with PASSWORD may send (AUTH PLAIN or LOGIN, over TLS
only). Each message is written as DIR/<n>.eml (envelope recipients in DIR/<n>.rcpt). Prints "ready" once it listens, and runs until its standard input closes.
"""
import os
import ssl
import sys
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Sink:
    def __init__(self, directory):
        self.directory = directory
        self.count = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.count += 1
            n = self.count
        base = os.path.join(self.directory, f"{n:04}")
        with open(base + ".rcpt", "w") as f:
            f.write("\n".join(envelope.rcpt_tos))
        with open(base + ".tmp", "wb") as f:
            f.write(envelope.original_content or envelope.content)
        os.rename(base + ".tmp", base + ".eml")
        return "250 OK"


def main():
    port, directory, cert, key, mode, user, password = sys.argv[1:8]
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = (
            isinstance(auth_data, LoginPassword)
            and auth_data.login.decode() == user
            and auth_data.password.decode() == password
        )
        return AuthResult(success=ok, handled=False)

    options = dict(authenticator=authenticator, auth_required=True, auth_require_tls=True)
    if mode == "smtps":
        # aiosmtpd does not count TLS from the start as TLS for auth_require_tls (it would hide
        # AUTH); every byte of this connection is encrypted anyway.
        options.update(ssl_context=context, auth_require_tls=False)
    else:
        options.update(tls_context=context, require_starttls=True)
    controller = Controller(
        Sink(directory), hostname="127.0.0.1", port=int(port), server_hostname="localhost", **options
    )
    controller.start()
    print("ready", flush=True)
    try:
        sys.stdin.read()
    finally:
        controller.stop()


main()
