from meetings.models import ActionItem, Meeting, Paper
from meetings.rules import MEETING, RESPOND
from meetings.selectors import open_action_items_for
from soest_office.tests.factories import municipality

from .factories import ActionItemFactory, AgendaItemFactory, MeetingFactory, MembershipFactory


def test_confidential_meeting_is_for_members_and_office_only(
    office, partner_soest, partner_lippstadt, steering, no_role_user
):
    meeting = MeetingFactory(confidential=True)
    MembershipFactory(body=meeting.body, user=partner_soest)
    open_meeting = MeetingFactory(body=meeting.body)
    for user, expected in [
        (office, {meeting, open_meeting}),
        (partner_soest, {meeting, open_meeting}),
        (partner_lippstadt, {open_meeting}),
        (steering, {open_meeting}),
        (no_role_user, set()),
    ]:
        assert set(Meeting.objects.visible_to(user)) == expected, user


def test_nothing_public_unless_marked_public(db):
    from django.contrib.auth.models import AnonymousUser

    MeetingFactory()
    public = MeetingFactory(is_public=True)
    assert list(Meeting.objects.visible_to(AnonymousUser())) == [public]


def test_only_members_respond(partner_soest, partner_lippstadt):
    meeting = MeetingFactory()
    MembershipFactory(body=meeting.body, user=partner_soest)
    assert MEETING.allows(partner_soest, meeting, RESPOND)
    assert not MEETING.allows(partner_lippstadt, meeting, RESPOND)


def test_confidential_paper_hidden_from_non_members(partner_soest, partner_lippstadt):
    from django.core.files.base import ContentFile

    item = AgendaItemFactory()
    MembershipFactory(body=item.meeting.body, user=partner_soest)
    paper = Paper(agenda_item=item, title="Vertraulich", original_name="v.pdf", confidential=True)
    paper.file.save("v.pdf", ContentFile(b"%PDF-1.4 x"), save=True)
    assert list(Paper.objects.visible_to(partner_soest)) == [paper]
    assert list(Paper.objects.visible_to(partner_lippstadt)) == []


def test_open_action_items_for_user_and_municipality(partner_soest, partner_lippstadt, steering):
    own = ActionItemFactory(owner_user=partner_soest)
    municipal = ActionItemFactory(owner_municipality=municipality("soest"))
    ActionItemFactory(owner_municipality=municipality("soest"), status=ActionItem.Status.DONE)
    ActionItemFactory(owner_municipality=municipality("lippstadt"))
    mine = list(open_action_items_for(partner_soest))
    assert mine == sorted([own, municipal], key=lambda i: (i.due, i.pk))
    assert list(open_action_items_for(steering)) == []
