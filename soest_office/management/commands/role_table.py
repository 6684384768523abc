from django.core.management.base import BaseCommand
from django.utils import translation

from soest_office.access import role_table


class Command(BaseCommand):
    help = (
        "Gibt die Rollentabelle der README aus, erzeugt aus den Zugriffsregeln der Apps "
        "(<app>/rules.py)."
    )

    def handle(self, *args, **options):
        with translation.override("de"):
            self.stdout.write(role_table(), ending="")
