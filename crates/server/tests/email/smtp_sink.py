"""A real SMTP server for the email tests (aiosmtpd): `python smtp_sink.py PORT DIR`.

Each message received is written to DIR/<n>.eml (envelope recipients in DIR/<n>.rcpt). While the
file DIR/reject exists, every message is refused with 550; while DIR/tempfail exists, with 451
(a transient refusal). Prints "ready" once it listens, and runs
until its standard input closes (the test process ended) or it is killed.
"""
import os
import sys
import threading

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, directory):
        self.directory = directory
        self.count = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        if os.path.exists(os.path.join(self.directory, "reject")):
            return "550 5.1.1 mailbox unavailable"
        if os.path.exists(os.path.join(self.directory, "tempfail")):
            return "451 4.3.0 try again later"
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
    port, directory = int(sys.argv[1]), sys.argv[2]
    controller = Controller(Sink(directory), hostname="127.0.0.1", port=port)
    controller.start()
    print("ready", flush=True)
    try:
        sys.stdin.read()
    finally:
        controller.stop()


main()
