"""A mail backend for tests: Django's locmem backend behind a mail server that refuses the
addresses in ``REFUSE`` (address → how many more times) with an SMTP error."""

import smtplib

from django.core.mail.backends.locmem import EmailBackend

REFUSE: dict[str, int] = {}


class RefusingBackend(EmailBackend):
    def send_messages(self, messages):
        for message in messages:
            for address in message.recipients():
                if REFUSE.get(address, 0) > 0:
                    REFUSE[address] -= 1
                    raise smtplib.SMTPRecipientsRefused(
                        {address: (450, b"4.2.1 Mailbox busy, try again later")}
                    )
        return super().send_messages(messages)
