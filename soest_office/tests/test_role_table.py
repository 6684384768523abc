"""The README's role table is the one `manage.py role_table` prints from the registered rules:
change a rule and this test asks for the README to follow."""

import io
import re
from pathlib import Path

from django.conf import settings
from django.core.management import call_command

from soest_office.plugins import RULES

TABLE = re.compile(r"<!-- role-table:start -->\n(.*?)<!-- role-table:end -->", re.DOTALL)


def printed_table() -> str:
    out = io.StringIO()
    call_command("role_table", stdout=out)
    return out.getvalue()


def test_the_readme_shows_the_table_printed_from_the_rules():
    readme = (Path(settings.BASE_DIR) / "README.md").read_text(encoding="utf-8")
    found = TABLE.search(readme)
    assert found, "README.md: Markierungen <!-- role-table:start/end --> fehlen"
    assert found.group(1) == printed_table(), (
        "README.md weicht von den Regeln ab: `python manage.py role_table` ausgeben und "
        "zwischen die Markierungen setzen."
    )


def test_every_rule_has_a_row_and_every_role_a_column():
    table = printed_table()
    for rule in RULES:
        assert f"(`{rule.model}`)" in table
    assert table.splitlines()[0] == (
        "| Objekte | Projektbüro | Kommune | Lenkungskreis | Öffentlichkeit |"
    )
