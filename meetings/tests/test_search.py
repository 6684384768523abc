"""Search scoping: what is confidential never reaches others' results, counts or
suggestions."""

from soest_office.search.engine import search, suggest

from .factories import ActionItemFactory, AgendaItemFactory, MeetingFactory, MembershipFactory

WORD = "Glasfaserausbau"


def _keys_and_titles(user, query=WORD):
    result = search(user, query)
    return {(g.source.key, h.title) for g in result.groups for h in g.hits}, result


def test_confidential_items_are_found_by_members_and_office_only(
    office, partner_soest, partner_lippstadt, steering, no_role_user, index_now
):
    secret = MeetingFactory(title=f"{WORD} vertraulich", confidential=True)
    MembershipFactory(body=secret.body, user=partner_soest)
    AgendaItemFactory(meeting=secret, title="Vergabe", minutes=f"{WORD}: Angebot A")
    ActionItemFactory(body=secret.body, meeting=secret, owner_user=office, title=f"{WORD} prüfen")
    public = MeetingFactory(title=f"{WORD} offen")
    index_now()

    _office_hits, office_result = _keys_and_titles(office)
    assert office_result.total == 4
    member_hits, _ = _keys_and_titles(partner_soest)
    assert {key for key, _title in member_hits} == {"sitzungen", "tagesordnung", "aufgaben"}

    for outsider in (partner_lippstadt, steering):
        hits, result = _keys_and_titles(outsider)
        assert hits == {("sitzungen", str(public))}, outsider
        assert result.total == 1
        assert {s.key: n for s, n in result.type_counts} == {"sitzungen": 1}
        suggestions = " ".join(str(s) for s in suggest(outsider, WORD[:6]))
        assert "vertraulich" not in suggestions
        assert "prüfen" not in suggestions

    # The suggestion check above means something: the office is offered the confidential one.
    assert "vertraulich" in " ".join(str(s) for s in suggest(office, WORD[:6]))
    hits, result = _keys_and_titles(no_role_user)
    assert hits == set()
