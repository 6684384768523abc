"""The contacts' own log is gone: its entries live in soest_office.AuditEvent (0004)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("stakeholders", "0004_auditlogentry_to_auditevent"),
    ]

    operations = [
        migrations.DeleteModel(name="AuditLogEntry"),
    ]
