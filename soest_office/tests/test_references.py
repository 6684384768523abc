"""The kernel's references: a token an app stores, resolved for a user by the app that owns
the object; a token of an unknown app, a malformed one or an object the user may not see
resolves to nothing."""

from soest_office.plugins import (
    REFERENCES,
    Reference,
    parse_reference,
    reference_token,
    resolve_references,
)


def test_a_token_reads_back():
    token = reference_token("demo.thing", 12)
    assert token == "ref:demo.thing:12"
    assert parse_reference(token) == ("demo.thing", 12)


def test_malformed_tokens_are_no_references():
    for token in (None, "", "participants:soest>lippstadt", "ref:", "ref:demo", "ref:demo:x"):
        assert parse_reference(token) is None


def test_resolve_asks_each_app_once_and_drops_what_the_user_may_not_see():
    calls = []

    def links(user, pks):
        calls.append((user, pks))
        return {pk: (f"Ding {pk}", f"/ding/{pk}/") for pk in pks if pk != 2}

    tokens = [reference_token("demo.thing", pk) for pk in (3, 1, 2, 1)]
    tokens += ["ref:unknown.app:1", "participants:>"]
    with REFERENCES.replaced(Reference(key="demo.thing", links=links)):
        resolved = resolve_references("alice", tokens)
    assert calls == [("alice", [1, 2, 3])]
    assert resolved == {
        "ref:demo.thing:1": ("Ding 1", "/ding/1/"),
        "ref:demo.thing:3": ("Ding 3", "/ding/3/"),
    }
