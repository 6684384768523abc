from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from soest_office.demo import DEMO_PASSWORD, demo_logins, demo_modules


class Command(BaseCommand):
    help = "Legt die Demo-Daten der Modellregion an (idempotent; nur mit DEBUG=true)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo legt Konten mit bekanntem Passwort an und läuft deshalb nur mit "
                "DEBUG=true, nie im Produktivbetrieb."
            )
        for module in demo_modules():
            with transaction.atomic():
                module.seed(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo-Daten sind angelegt."))
        self.stdout.write(f"Anmeldung mit Passwort »{DEMO_PASSWORD}« als:")
        for line in demo_logins():
            self.stdout.write(f"  {line}")
