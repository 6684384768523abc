"""The sources of the apps: role table per source, no leaks, freshness after DSGVO actions,
merge and import, and document contents found after the extraction task ran."""

import io
import zipfile

import pytest
from django.db.models import Q
from django.utils import timezone

from news.tests.factories import PressReleaseFactory
from projects.models import ProgressReport
from projects.tests.factories import (
    DocumentFactory,
    MilestoneFactory,
    ProgressReportFactory,
    ProjectFactory,
)
from soest_office.search.engine import search, suggest
from soest_office.search.models import ExtractedText, SearchEntry
from soest_office.tests.factories import municipality
from stakeholders import services as stakeholder_services
from stakeholders.tests.factories import ContactFactory, InteractionFactory, OrganisationFactory

WORD = "Zebrastreifen"


def found(user, query=WORD):
    result = search(user, query)
    return {(group.source.key, hit.title) for group in result.groups for hit in group.hits}


def extracted(document) -> ExtractedText:
    return ExtractedText.objects.get(source="dokumente", object_id=document.pk)


def keys(user, query=WORD):
    return {source.key for source, _ in search(user, query).type_counts}


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }


@pytest.fixture
def world(db, office, partner_soest, partner_lippstadt, index_now):
    """One object per source, all mentioning the same word; Soest and Lippstadt variants
    where the role table distinguishes municipalities."""
    soest_project = ProjectFactory(title="Schulweg digital", summary=f"{WORD} am Schulweg")
    lippstadt_project = ProjectFactory(
        title="Lippstädter Ampeln", lead_municipality=municipality("lippstadt")
    )
    ProgressReportFactory(project=soest_project, achieved=f"{WORD} markiert", author=partner_soest)
    ProgressReportFactory(
        project=lippstadt_project,
        achieved=f"{WORD} geplant (Entwurf)",
        status=ProgressReport.Status.DRAFT,
        author=partner_lippstadt,
    )
    MilestoneFactory(project=soest_project, title=f"{WORD} abgenommen")
    DocumentFactory(project=soest_project, title=f"Plan {WORD}")
    soest_org = OrganisationFactory(name="Verkehrswacht Soest", notes=WORD)
    OrganisationFactory(
        name="Verkehrswacht Lippstadt", notes=WORD, municipality=municipality("lippstadt")
    )
    soest_contact = ContactFactory(
        first_name="Jana", last_name="Meyer", notes=WORD, organisation=soest_org
    )
    lippstadt_contact = ContactFactory(
        first_name="Otto", last_name="Brandt", notes=WORD, municipality=municipality("lippstadt")
    )
    InteractionFactory(contact=soest_contact, summary=f"Telefonat über {WORD}")
    InteractionFactory(contact=lippstadt_contact, summary=f"Termin zum {WORD}")
    PressReleaseFactory(title=f"{WORD} freigegeben", published=True, author=office)
    PressReleaseFactory(title=f"Entwurf {WORD} Büro", author=office)
    PressReleaseFactory(title=f"Entwurf {WORD} Soest", author=partner_soest)
    index_now()
    return {"soest_contact": soest_contact, "lippstadt_contact": lippstadt_contact}


def test_office_finds_everything(world, office):
    assert keys(office) == {
        "projekte",
        "berichte",
        "meilensteine",
        "dokumente",
        "kontakte",
        "organisationen",
        "kontakthistorie",
        "presse",
    }
    assert search(office, WORD).total == 14


def test_partner_sees_own_municipality_stakeholders_and_own_drafts(world, partner_soest):
    hits = found(partner_soest)
    titles = {title for _, title in hits}
    assert ("kontakte", "Jana Meyer") in hits
    assert "Otto Brandt" not in titles
    assert "Verkehrswacht Lippstadt" not in titles
    assert not any("Brandt" in title for title in titles)  # nor in the contact history
    assert {t for k, t in hits if k == "presse"} == {
        f"{WORD} freigegeben",
        f"Entwurf {WORD} Soest",
    }
    # Lippstadt's draft report is Lippstadt's working copy.
    assert [t for k, t in hits if k == "berichte"] == [
        f"Sachstandsbericht Schulweg digital zum {timezone.localdate():%d.%m.%Y}"
    ]
    result = search(partner_soest, WORD)
    counts = {source.key: n for source, n in result.type_counts}
    assert counts["kontakte"] == counts["organisationen"] == counts["kontakthistorie"] == 1
    assert counts["presse"] == 2
    # Everything of Lippstadt with the word is hidden from Soest: not even a facet count.
    assert "lippstadt" not in {row["slug"] for row in result.municipality_facet}
    assert "Brandt" not in str(suggest(partner_soest, "Brandt"))


def test_partner_of_lippstadt_sees_its_draft_report(world, partner_lippstadt):
    assert any("Lippstädter Ampeln" in t for k, t in found(partner_lippstadt) if k == "berichte")


def test_steering_group_sees_no_stakeholders_and_no_drafts(world, steering):
    assert keys(steering) == {"projekte", "berichte", "meilensteine", "dokumente", "presse"}
    titles = {t for _, t in found(steering)}
    assert f"Entwurf {WORD} Büro" not in titles
    assert not any("Lippstädter" in t for t in titles)
    assert suggest(steering, "Meyer") == []
    assert search(steering, "Meyer").total == 0
    assert search(steering, "Meier").total == 0  # not through typo tolerance either


def test_name_typo_finds_the_contact(world, office):
    assert ("kontakte", "Jana Meyer") in found(office, "Meier")


def test_erased_person_is_findable_nowhere(world, office, index_now):
    contact = world["soest_contact"]
    telefonat = SearchEntry.objects.filter(source="kontakthistorie", summary__contains="Telefonat")
    assert telefonat.exists()  # indexed before the erasure, so the checks below mean something
    stakeholder_services.contact_erase(contact=contact, user=office)
    # Gone inside the erasure's transaction, before any task ran ...
    assert search(office, "Jana Meyer").total == 0
    assert not SearchEntry.objects.filter(summary__contains="Telefonat über").exists()
    index_now()  # ... and still gone after the tasks the commit queues
    assert search(office, "Jana Meyer").total == 0
    assert not any("Meyer" in title for _, title in found(office) | found(office, "Telefonat"))
    assert suggest(office, "Meyer") == []
    assert search(office, "Meier").total == 0  # nor through the phonetic variant
    assert not SearchEntry.objects.filter(names_norm__contains="meyer").exists()
    # The interaction's text is its entry's summary (sources.interaction_document).
    assert not SearchEntry.objects.filter(
        Q(summary__contains="Telefonat")
        | Q(title__contains="Telefonat")
        | Q(body__contains="Telefonat")
    ).exists()
    assert not SearchEntry.objects.filter(
        source="kontakthistorie", title__contains="Meyer"
    ).exists()


def test_merge_moves_the_history_to_the_kept_contact(world, office, index_now):
    keep, merge = world["lippstadt_contact"], world["soest_contact"]
    stakeholder_services.contact_merge(keep=keep, merge=merge, user=office)
    index_now()
    history = {t for k, t in found(office, "Telefonat") if k == "kontakthistorie"}
    assert len(history) == 1
    assert history.pop().endswith("Otto Brandt")
    assert ("kontakte", "Jana Meyer") not in found(office)


def test_project_rename_updates_its_reports_once_the_task_ran(
    world, office, django_capture_on_commit_callbacks
):
    from projects.models import Project

    project = Project.objects.get(title="Schulweg digital")
    project.title = "Sicherer Schulweg"
    with django_capture_on_commit_callbacks() as callbacks:
        project.save()
    # The save only queued the work: the reports still carry the old title.
    assert not {t for k, t in found(office, "Sicherer Schulweg") if k == "berichte"}
    for callback in callbacks:
        callback()
    assert {t for k, t in found(office, "Sicherer Schulweg") if k == "berichte"}


# --- Document contents ---------------------------------------------------------------------


def _zip(member: str, xml: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(member, xml)
    return buffer.getvalue()


def docx_bytes(text):
    ns = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    return _zip(
        "word/document.xml",
        f'<w:document xmlns:w="{ns}"><w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p>'
        "</w:body></w:document>",
    )


def odt_bytes(text):
    ns = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
    return _zip(
        "content.xml",
        f'<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:'
        f'office:1.0" xmlns:text="{ns}"><office:body><office:text><text:p>{text}</text:p>'
        "</office:text></office:body></office:document-content>",
    )


def xlsx_bytes(text):
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["Position", text])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def pdf_bytes(text, pages=1):
    from weasyprint import HTML

    body = "".join(f"<p style='page-break-after: always'>{text} {i}</p>" for i in range(pages))
    return HTML(string=f"<html lang='de'><body>{body}</body></html>").write_pdf()


@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("plan.pdf", pdf_bytes),
        ("plan.docx", docx_bytes),
        ("plan.odt", odt_bytes),
        ("plan.xlsx", xlsx_bytes),
    ],
)
def test_document_found_by_a_word_inside_after_the_task_ran(
    db, office, django_capture_on_commit_callbacks, name, make
):
    with django_capture_on_commit_callbacks(execute=True):
        document = DocumentFactory(
            title="Anlage", file__filename=name, file__data=make("Glasfaserhausanschlüsse")
        )
    assert extracted(document).status == ExtractedText.Status.DONE
    result = search(office, "Glasfaserhausanschluss")
    assert [hit.title for g in result.groups for hit in g.hits] == ["Anlage"]
    assert "<mark>Glasfaserhausanschlüsse</mark>" in result.groups[0].hits[0].snippet


def test_extraction_is_not_done_in_the_upload_transaction(db, office):
    DocumentFactory(title="Anlage", file__filename="a.docx", file__data=docx_bytes("Funkmast"))
    # Without the commit no task has run: neither the title nor the contents are indexed.
    assert search(office, "Anlage").total == 0
    assert search(office, "Funkmast").total == 0


def test_broken_and_hostile_files_are_skipped_with_a_note(
    db, settings, django_capture_on_commit_callbacks
):
    settings.SEARCH_EXTRACT_LIMITS = {"max_member_bytes": 1000}
    bomb = _zip("word/document.xml", "<w:document>" + " " * 5000 + "</w:document>")
    entity = _zip("content.xml", '<!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>')
    cases = [("kaputt.pdf", b"%PDF-1.4 kaputt"), ("bombe.docx", bomb), ("e.odt", entity)]
    for name, data in cases:
        with django_capture_on_commit_callbacks(execute=True):
            document = DocumentFactory(file__filename=name, file__data=data)
        text = extracted(document)
        assert text.status in (ExtractedText.Status.SKIPPED, ExtractedText.Status.FAILED), name
        assert text.note, name
        assert text.text == ""


def test_page_and_character_limits_cut_long_documents(db, settings):
    from soest_office.search.extract import Limits, extract_text

    data = pdf_bytes("Seite", pages=5)
    text = extract_text(io.BytesIO(data), "x.pdf", limits=Limits(max_pages=2))
    assert "Seite 1" in text
    assert "Seite 2" not in text
    text = extract_text(io.BytesIO(docx_bytes("x" * 500)), "x.docx", limits=Limits(max_chars=50))
    assert len(text) == 50


def test_too_large_file_is_refused_before_reading():
    from soest_office.search.extract import ExtractionError, Limits, extract_text

    with pytest.raises(ExtractionError, match="zu groß"):
        extract_text(io.BytesIO(b""), "x.pdf", size=10, limits=Limits(max_bytes=5))


@pytest.mark.parametrize(
    ("name", "data"),
    [("x.txt", b"Funkmast"), ("x.docx", docx_bytes("Funkmast"))],
)
def test_expired_time_limit_stops_the_extraction(name, data):
    from soest_office.search.extract import ExtractionError, Limits, extract_text

    # A deadline already passed: the first page/paragraph/row checked stops the work.
    with pytest.raises(ExtractionError, match="Zeitlimit für die Textextraktion überschritten"):
        extract_text(io.BytesIO(data), name, limits=Limits(max_seconds=-1))
    assert extract_text(io.BytesIO(data), name, limits=Limits(max_seconds=30)) == "Funkmast"


def test_soft_time_limit_marks_the_extraction_failed_and_the_worker_goes_on(
    db, office, monkeypatch
):
    from celery.exceptions import SoftTimeLimitExceeded

    from soest_office.search import extract
    from soest_office.search.tasks import extract_file_text

    def hang(*args, **kwargs):
        raise SoftTimeLimitExceeded()

    # Created without running the on-commit hook, so the task runs only when called here.
    slow = DocumentFactory(title="Anlage", file__filename="a.docx", file__data=docx_bytes("Mast"))
    monkeypatch.setattr(extract, "extract_text", hang)
    result = extract_file_text.apply(kwargs={"source": "dokumente", "object_id": slow.pk})
    assert result.successful()  # handled in the task, not raised (eager tasks propagate)
    assert result.get() == ExtractedText.Status.FAILED
    text = extracted(slow)
    assert (text.status, text.note, text.text) == (
        ExtractedText.Status.FAILED,
        "Zeitlimit überschritten.",
        "",
    )
    assert search(office, "Anlage").total == 1  # the document itself stays findable

    monkeypatch.undo()
    other = DocumentFactory(
        title="Plan", file__filename="b.docx", file__data=docx_bytes("Funkmast")
    )
    assert (
        extract_file_text.apply(kwargs={"source": "dokumente", "object_id": other.pk}).get()
        == "done"
    )
    assert [h.title for g in search(office, "Funkmast").groups for h in g.hits] == ["Plan"]


def test_public_press_search_finds_published_releases_only(world):
    from django.contrib.auth.models import AnonymousUser

    result = search(AnonymousUser(), WORD, only=["presse"])
    assert [hit.title for g in result.groups for hit in g.hits] == [f"{WORD} freigegeben"]
    assert result.groups[0].hits[0].url.startswith("/presse/")
