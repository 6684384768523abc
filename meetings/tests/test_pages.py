from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from meetings.models import ActionItem, Attendance
from meetings.services.decisions import decision_create
from projects.tests.factories import ProjectFactory
from soest_office.tests.factories import municipality

from .factories import ActionItemFactory, AgendaItemFactory, MeetingFactory, MembershipFactory


def test_meeting_page_shows_agenda_with_planned_times_and_end(client_for, steering):
    start = timezone.now().replace(hour=9, minute=0, second=0, microsecond=0) + timedelta(days=3)
    meeting = MeetingFactory(starts_at=start, ends_at=start + timedelta(hours=3))
    AgendaItemFactory(meeting=meeting, position=1, title="Begrüßung", duration_minutes=10)
    AgendaItemFactory(meeting=meeting, position=2, title="Haushalt", duration_minutes=45)
    page = client_for(steering).get(meeting.get_absolute_url()).content.decode()
    local = timezone.localtime(start)
    assert "Begrüßung" in page
    assert "Haushalt" in page
    assert f"Geplantes Ende: {(local + timedelta(minutes=55)):%H:%M} Uhr" in page


def test_confidential_meeting_is_404_for_non_members(client_for, partner_lippstadt):
    meeting = MeetingFactory(confidential=True)
    assert client_for(partner_lippstadt).get(meeting.get_absolute_url()).status_code == 404


def test_member_answers_on_the_meeting_page(client_for, partner_soest):
    meeting = MeetingFactory()
    MembershipFactory(body=meeting.body, user=partner_soest)
    client = client_for(partner_soest)
    assert client.post(meeting.get_absolute_url(), {"response": "accepted"}).status_code == 302
    assert Attendance.objects.get(meeting=meeting, user=partner_soest).response == "accepted"


def test_partner_marks_municipality_item_done_on_the_list(client_for, partner_soest):
    item = ActionItemFactory(owner_municipality=municipality("soest"))
    client = client_for(partner_soest)
    page = client.get(reverse("meetings:action_list")).content.decode()
    assert item.title in page
    response = client.post(reverse("meetings:action_status", args=[item.pk]), {"status": "done"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == ActionItem.Status.DONE


def test_action_list_filters_and_queries_do_not_grow(
    client_for, office, django_assert_max_num_queries
):
    project = ProjectFactory()
    for _n in range(3):
        ActionItemFactory(owner_municipality=municipality("soest"), project=project)
    ActionItemFactory(owner_municipality=municipality("lippstadt"), title="Lippstädter Aufgabe")
    client = client_for(office)
    url = reverse("meetings:action_list")
    page = client.get(url, {"municipality": municipality("soest").pk, "status": "open_any"})
    assert "Lippstädter Aufgabe" not in page.content.decode()
    with django_assert_max_num_queries(12) as captured:
        client.get(url)
    few = len(captured.captured_queries)  # the log is emptied by the next request
    for _n in range(10):
        ActionItemFactory(owner_user=office, project=project)
    client.get(url)  # a write: the navigation's inbox count is counted anew once, then kept
    with django_assert_max_num_queries(few):
        client.get(url)


def test_project_page_lists_decisions_and_open_items(client_for, office, steering):
    project = ProjectFactory(title="Smarte Parkplätze")
    meeting = MeetingFactory(body__code="LK")
    decision = decision_create(
        office, meeting, text="Das Projekt wird fortgeführt.", vote="unanimous", projects=[project]
    )
    ActionItemFactory(meeting=meeting, project=project, owner_user=office, title="Angebot holen")
    page = client_for(steering).get(project.get_absolute_url()).content.decode()
    assert decision.reference in page
    assert "Angebot holen" in page


def test_home_page_lists_own_and_municipality_items(client_for, partner_soest):
    ActionItemFactory(owner_municipality=municipality("soest"), title="Kommunale Aufgabe")
    ActionItemFactory(owner_user=partner_soest, title="Persönliche Aufgabe")
    ActionItemFactory(owner_municipality=municipality("lippstadt"), title="Fremde Aufgabe")
    page = client_for(partner_soest).get("/").content.decode()
    assert "Kommunale Aufgabe" in page
    assert "Persönliche Aufgabe" in page
    assert "Fremde Aufgabe" not in page


def test_minutes_pdf_is_tagged_and_has_the_text(client_for, office):
    item = AgendaItemFactory(title="Bürgerbeteiligung", minutes="Beschlossen wurde ein Fahrplan.")
    response = client_for(office).get(reverse("meetings:minutes_pdf", args=[item.meeting_id]))
    assert response.status_code == 200
    import io

    reader = PdfReader(io.BytesIO(response.content))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "Bürgerbeteiligung" in text
    assert "Fahrplan" in text
    assert "/StructTreeRoot" in reader.trailer["/Root"]


def test_paper_upload_goes_through_the_upload_checks(client_for, office, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from meetings.models import Paper

    settings.MEDIA_ROOT = tmp_path
    item = AgendaItemFactory()
    client = client_for(office)
    url = reverse("meetings:paper_create", args=[item.meeting_id, item.pk])
    fake = SimpleUploadedFile("vorlage.pdf", b"MZ\x90\x00 kein PDF", "application/pdf")
    response = client.post(url, {"title": "Gefälscht", "file": fake})
    assert response.status_code == 200
    assert not Paper.objects.exists()
    real = SimpleUploadedFile("vorlage.pdf", b"%PDF-1.4\n%echt\n", "application/pdf")
    assert client.post(url, {"title": "Haushalt", "file": real}).status_code == 302
    paper = Paper.objects.get()
    assert paper.original_name == "vorlage.pdf"
    download = client.get(paper.get_absolute_url())
    assert download["Content-Disposition"].startswith("attachment")


def test_agenda_item_for_a_hidden_project_is_refused(client_for, office):
    meeting = MeetingFactory()
    url = reverse("meetings:agenda_item_create", args=[meeting.pk])
    response = client_for(office).post(
        url, {"position": 1, "title": "x", "duration_minutes": 10, "projects": [999999]}
    )
    assert response.status_code == 200
    assert meeting.agenda_items.count() == 0
