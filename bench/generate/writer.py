"""Bulk insert of plain rows: COPY on PostgreSQL, executemany on SQLite."""

import json


class Writer:
    """Bulk insert of plain rows (dicts) into a model's table: COPY on PostgreSQL,
    executemany on SQLite. Missing columns get the field's default."""

    def __init__(self, connection, now):
        self.connection = connection
        self.now = now
        self.counts: dict[str, int] = {}

    def _defaults(self, fields):
        defaults = {}
        for f in fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                defaults[f.attname] = self.now
            elif f.has_default():
                defaults[f.attname] = f.get_default()
            elif f.null:
                defaults[f.attname] = None
            else:
                defaults[f.attname] = ""
        return defaults

    def insert(self, model, rows):
        rows = list(rows)
        if not rows:
            return
        meta = model._meta
        fields = [
            f for f in meta.local_concrete_fields if not f.primary_key or f.attname in rows[0]
        ]
        defaults = self._defaults(fields)
        columns = [f.column for f in fields]
        pg = self.connection.vendor == "postgresql"
        converters = []
        for f in fields:
            internal = f.get_internal_type()
            if internal == "JSONField":
                converters.append(lambda v: None if v is None else json.dumps(v))
            elif not pg and internal in ("DateTimeField", "DateField", "DecimalField"):
                converters.append(lambda v, f=f: f.get_db_prep_save(v, self.connection))
            else:
                converters.append(None)
        names = [f.attname for f in fields]

        def tuples():
            for row in rows:
                values = []
                for name, conv in zip(names, converters, strict=True):
                    value = row.get(name, defaults[name])
                    values.append(conv(value) if conv and value is not None else value)
                yield values

        quoted = ", ".join(self.connection.ops.quote_name(c) for c in columns)
        table = self.connection.ops.quote_name(meta.db_table)
        self.connection.ensure_connection()
        raw = self.connection.connection
        if pg:
            with raw.cursor() as cursor, cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as cp:
                for values in tuples():
                    cp.write_row(values)
        else:
            marks = ", ".join("?" for _ in columns)
            raw.executemany(f"INSERT INTO {table} ({quoted}) VALUES ({marks})", tuples())  # noqa: S608
        self.counts[meta.db_table] = self.counts.get(meta.db_table, 0) + len(rows)


def _through(model, field_name):
    return model._meta.get_field(field_name).remote_field.through
