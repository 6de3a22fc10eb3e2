"""A mail backend for tests: Django's locmem backend behind a mail server that refuses the
addresses in ``REFUSE`` (address → how many more times) with an SMTP error, fails on those in
``BREAK`` with an error that is not SMTP's (a backend's ValueError), and dies on those in
``KILL`` as a worker killed mid-send does; each callable in ``DURING`` is called with the address
first, as what happens elsewhere while the mail server takes its time."""

import smtplib

from django.core.mail.backends.locmem import EmailBackend

REFUSE: dict[str, int] = {}
BREAK: dict[str, int] = {}
KILL: set[str] = set()
DURING: list = []


def reset() -> None:
    REFUSE.clear()
    BREAK.clear()
    KILL.clear()
    DURING.clear()


class WorkerKilled(BaseException):
    """What a killed worker looks like from inside: no ``except Exception`` sees it."""


class RefusingBackend(EmailBackend):
    def send_messages(self, messages):
        for message in messages:
            for address in message.recipients():
                for during in DURING:
                    during(address)
                if address in KILL:
                    raise WorkerKilled(address)
                if BREAK.get(address, 0) > 0:
                    BREAK[address] -= 1
                    raise ValueError("Header values may not contain linefeed characters")
                if REFUSE.get(address, 0) > 0:
                    REFUSE[address] -= 1
                    raise smtplib.SMTPRecipientsRefused(
                        {address: (450, b"4.2.1 Mailbox busy, try again later")}
                    )
        return super().send_messages(messages)
