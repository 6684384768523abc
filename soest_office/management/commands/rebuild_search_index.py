from django.core.management.base import BaseCommand, CommandError

from soest_office.search.indexing import rebuild_search_index, vacuum_search_tables
from soest_office.search.registry import sources


class Command(BaseCommand):
    help = (
        "Baut den Suchindex neu auf (alle Quellen oder die angegebenen). "
        "Idempotent; Einträge gelöschter Objekte werden entfernt."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "sources",
            nargs="*",
            help="Schlüssel der Quellen, z. B. projekte kontakte (Standard: alle)",
        )

    def handle(self, *args, **options):
        known = {source.key for source in sources()}
        unknown = sorted(set(options["sources"]) - known)
        if unknown:
            raise CommandError(
                f"Unbekannte Quelle(n): {', '.join(unknown)}. Bekannt: {', '.join(sorted(known))}"
            )
        counts = rebuild_search_index(options["sources"] or None)
        vacuum_search_tables()
        for key, count in counts.items():
            self.stdout.write(f"{key}: {count} Einträge")
        self.stdout.write(self.style.SUCCESS("Suchindex neu aufgebaut."))
