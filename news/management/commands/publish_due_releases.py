from django.core.management.base import BaseCommand

from news.services import publish_due_releases


class Command(BaseCommand):
    help = (
        "Veröffentlicht fällige geplante Pressemitteilungen (sonst Aufgabe von Celery beat; "
        "für Cron oder den Betrieb ohne Redis)."
    )

    def handle(self, *args, **options):
        published = publish_due_releases()
        self.stdout.write(f"Veröffentlicht: {len(published)}")
