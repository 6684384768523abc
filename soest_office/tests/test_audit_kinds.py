"""Every kind of audit event the code writes is a member of AuditEvent.Kind (with a German
label for the log's page), not a free string the choices do not know."""

import ast
from pathlib import Path

from django.conf import settings

from soest_office.models import AuditEvent

ROOT = Path(settings.BASE_DIR)
PACKAGES = [
    "soest_office",
    "projects",
    "stakeholders",
    "news",
    "subscriptions",
    "participation",
    "meetings",
]


def _audit_calls():
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "tests" in path.parts or "migrations" in path.parts:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if not isinstance(node, ast.Call):
                    continue
                name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                if name != "audit_record":
                    continue
                for keyword in node.keywords:
                    if keyword.arg == "kind":
                        yield f"{path.relative_to(ROOT)}:{node.lineno}", keyword.value


def test_the_scan_finds_the_audit_calls_of_the_apps():
    places = [place for place, _value in _audit_calls()]
    assert any(p.startswith("meetings/") for p in places)
    assert any(p.startswith("stakeholders/") for p in places)


def test_every_audit_kind_written_by_the_code_is_a_choice():
    unknown = []
    for place, value in _audit_calls():
        if isinstance(value, ast.Constant):  # a free string: must still be a known kind
            if value.value not in AuditEvent.Kind.values:
                unknown.append(f"{place}: {value.value!r}")
        elif isinstance(value, ast.Attribute) and ast.unparse(value.value).endswith("Kind"):
            if not hasattr(AuditEvent.Kind, value.attr):
                unknown.append(f"{place}: {ast.unparse(value)}")
        elif isinstance(value, ast.Name):
            continue  # a variable chosen among members above (e.g. the password kinds)
        else:
            unknown.append(f"{place}: {ast.unparse(value)}")
    assert unknown == []


def test_meetings_kinds_have_german_labels():
    labels = dict(AuditEvent.Kind.choices)
    assert labels["meeting_decision"] == "Beschluss gefasst"
    assert labels["meeting_decision_effect"] == "Projekt durch Beschluss geändert"
    assert labels["meeting_action_status"] == "Status einer Aufgabe geändert"
    assert labels["meeting_minutes_approved"] == "Protokoll genehmigt"
    assert all(len(value) <= AuditEvent._meta.get_field("kind").max_length for value in labels)
