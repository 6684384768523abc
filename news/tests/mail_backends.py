"""A mail backend for tests that fails like a real SMTP server, chosen by the address."""

import smtplib

from django.core.mail.backends.locmem import EmailBackend


class FlakySMTPBackend(EmailBackend):
    """`temp-…@` answers 451 (try again later), `perm-…@` 550, `drop-…@` drops the line."""

    opened = 0

    def open(self):
        FlakySMTPBackend.opened += 1
        return True

    def send_messages(self, messages):
        for message in messages:
            address = message.to[0]
            if address.startswith("temp-"):
                raise smtplib.SMTPResponseException(451, b"4.3.0 Mailbox busy, try later")
            if address.startswith("perm-"):
                raise smtplib.SMTPRecipientsRefused({address: (550, b"5.1.1 User unknown")})
            if address.startswith("drop-"):
                raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)
