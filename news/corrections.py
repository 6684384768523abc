"""Corrections of published releases and the one-person office setting.

A published release is never edited in place. A change is proposed as a correction with a
note; the public page and the feeds keep the approved text until a second person (four
eyes, news.rules) approves it. Then the text changes and a dated correction note appears on
the public page and in the feeds.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from soest_office.audit import audit_record
from soest_office.models import AuditEvent

from .models import NewsSettings, PressRelease
from .rules import PRESS_RELEASE, PUBLISH
from .services import (
    CONTENT_FIELDS,
    WorkflowError,
    _approval_reason,
    _require,
    _require_status,
    _save,
    require_four_eyes,
)

Status = PressRelease.Status

# What a correction may change: the text. Image, rubric, contact and relations of a
# published release stay as approved.
CORRECTABLE_FIELDS = [
    "title",
    "dateline",
    "teaser",
    "body",
    "image_alt",
    "image_credit",
    "press_contact_phone",
    "embargo_note",
]


def _same(release, name, value) -> bool:
    field = release._meta.get_field(name)
    current = getattr(release, name)
    if field.is_relation:
        return getattr(current, "pk", None) == getattr(value, "pk", value)
    if hasattr(current, "name") and not isinstance(current, str):  # files
        return (current.name or "") == (getattr(value, "name", value) or "")
    return current == value


def correction_propose(
    *, release, user, fields: dict, tag_names, municipalities, projects, note: str
) -> PressRelease:
    """Store a proposed correction of a published release (called by release_update inside
    its transaction, with the row locked)."""
    note = (note or "").strip()
    if not note:
        raise WorkflowError(
            _(
                "Eine veröffentlichte Meldung wird nur als Korrektur geändert: bitte geben Sie "
                "einen Korrekturhinweis an (er erscheint mit Datum auf der öffentlichen Seite)."
            )
        )
    fixed = [
        name
        for name in CONTENT_FIELDS
        if name in fields
        and name not in CORRECTABLE_FIELDS
        and not _same(release, name, fields[name])
    ]
    tags_now = sorted(t.name.lower() for t in release.tags.all())
    tags_new = sorted({" ".join(n.split()).lower() for n in tag_names if n.strip()})
    if (
        fixed
        or tags_now != tags_new
        or {m.pk for m in release.municipalities.all()} != {m.pk for m in municipalities}
        or {p.pk for p in release.projects.all()} != {p.pk for p in projects}
    ):
        raise WorkflowError(
            _(
                "Bei einer veröffentlichten Meldung lassen sich nur Texte korrigieren (Titel, "
                "Ortsmarke, Vorspann, Text, Bildangaben, Telefon, Sperrfrist)."
            )
        )
    changed = {
        name: fields[name]
        for name in CORRECTABLE_FIELDS
        if name in fields and fields[name] != getattr(release, name)
    }
    if not changed:
        raise WorkflowError(_("Die Korrektur ändert nichts am Text."))
    release.correction_draft = {
        "fields": changed,
        "note": note[:300],
        "by": user.pk,
        "by_name": str(user),
        "at": timezone.now().isoformat(),
    }
    if user.pk != release.author_id:
        release.revisers.add(user)
    _save(release, user=user, reason=_("Korrektur vorgeschlagen: %s") % note[:60])
    return release


@transaction.atomic
def correction_approve(*, release: PressRelease, user) -> PressRelease:
    """Apply a proposed correction (office, four eyes: not the author, not whoever changed
    the text). Adds the dated correction note shown on the public page and in the feeds."""
    release = PressRelease.objects.select_for_update().get(pk=release.pk)
    _require(PRESS_RELEASE.permits(user, PUBLISH))
    _require_status(release, Status.PUBLISHED, action=_("Korrektur freigeben"))
    if not release.correction_draft:
        raise WorkflowError(_("Es liegt keine Korrektur zur Freigabe vor."))
    require_four_eyes(release, user)
    draft = release.correction_draft
    for name, value in draft["fields"].items():
        if name in CORRECTABLE_FIELDS:
            setattr(release, name, value)
    release.corrections = [
        *release.corrections,
        {"at": timezone.now().isoformat(), "note": draft["note"]},
    ]
    release.correction_draft = {}
    release.approved_by = user
    _save(
        release,
        user=user,
        reason=_approval_reason(release, user, _("Korrektur freigegeben: %s") % draft["note"][:50]),
    )
    return release


@transaction.atomic
def correction_discard(*, release: PressRelease, user) -> PressRelease:
    """Drop a proposed correction (office); the published text stays."""
    release = PressRelease.objects.select_for_update().get(pk=release.pk)
    _require(PRESS_RELEASE.permits(user, PUBLISH))
    if not release.correction_draft:
        raise WorkflowError(_("Es liegt keine Korrektur zur Freigabe vor."))
    release.correction_draft = {}
    _save(release, user=user, reason=_("Korrekturvorschlag verworfen"))
    return release


@transaction.atomic
def set_one_person_office(*, user, enabled: bool, request=None) -> NewsSettings:
    """Turn the one-person office on or off (office only, audited): while on, the office's
    only active member approves their own releases."""
    _require(PRESS_RELEASE.permits(user, PUBLISH))
    current = NewsSettings.current()
    current.one_person_office = enabled
    current.changed_at = timezone.now()
    current.changed_by = user
    current.save()
    audit_record(
        kind=AuditEvent.Kind.SETTING_CHANGE,
        user=user,
        request=request,
        target=_("Pressearbeit: Ein-Personen-Büro"),
        details={"one_person_office": enabled},
        area="presse",
    )
    return current
