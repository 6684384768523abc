"""Writes of the news app: the editorial workflow and scheduled publishing.

Entwurf → zur Freigabe → freigegeben → (geplant →) veröffentlicht → archiviert. Each service
checks the role rules of soest_office.access itself (a crafted POST meets the same rules as
the button), runs in one transaction and leaves a history entry with a reason.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from soest_office import locking
from soest_office.access import CHANGE, CREATE

from .models import RESERVED_SLUGS, PressRelease, Tag
from .rules import APPROVE, PRESS_RELEASE, PUBLISH

logger = logging.getLogger(__name__)
Status = PressRelease.Status


class WorkflowError(ValidationError):
    """A transition that the release's current state does not allow (shown to the user)."""


class FourEyesViolation(PermissionDenied):
    """An approval by someone who wrote or changed the text (a forged POST): 403."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def require_four_eyes(release: PressRelease, user) -> None:
    if not PRESS_RELEASE.allows(user, release, APPROVE):
        raise FourEyesViolation(
            _(
                "Vier-Augen-Prinzip: Wer eine Meldung verfasst oder nach dem Einreichen "
                "geändert hat, kann sie nicht freigeben. Bitten Sie eine Kollegin oder einen "
                "Kollegen im Projektbüro. Es wurde nichts geändert."
            )
        )


def _approval_reason(release: PressRelease, user, reason: str) -> str:
    """Self-approval in the one-person office is marked in the history."""
    if user.pk == release.author_id or release.revisers.filter(pk=user.pk).exists():
        return f"{reason} ({_('Ein-Personen-Büro, ohne zweite Person')})"
    return reason


def _unique_slug(title: str, *, exclude_pk: int | None = None) -> str:
    base = slugify(title)[:200].strip("-") or "meldung"
    if base in RESERVED_SLUGS:
        base = f"{base}-meldung"
    slug, n = base, 2
    qs = PressRelease.objects.all()
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    while qs.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def tags_from_names(names: list[str]) -> list[Tag]:
    """Existing Stichwörter by name (case-insensitive), new ones created."""
    tags = []
    for raw in names:
        name = " ".join(raw.split())[:60]
        if not name:
            continue
        tag = Tag.objects.filter(name__iexact=name).first()
        if tag is None:
            slug = slugify(name)[:60] or "stichwort"
            candidate, n = slug, 2
            while Tag.objects.filter(slug=candidate).exists():
                candidate, n = f"{slug}-{n}", n + 1
            tag = Tag.objects.create(name=name, slug=candidate)
        if tag not in tags:
            tags.append(tag)
    return tags


def _save(release: PressRelease, *, user, reason: str, update_fields=None) -> None:
    release._change_reason = reason
    if user is not None and user.is_authenticated:
        release._history_user = user
    release.save(update_fields=update_fields)


def _set_relations(release, tag_names, municipalities, projects) -> None:
    """Set the many-to-many fields without one history entry per field: the next save
    records them together with the other changes, as one entry."""
    release.skip_history_when_saving = True
    try:
        release.tags.set(tags_from_names(list(tag_names)))
        release.municipalities.set(municipalities)
        release.projects.set(projects)
    finally:
        del release.skip_history_when_saving


def _require(condition: bool) -> None:
    if not condition:
        raise PermissionDenied


def _require_status(release: PressRelease, *allowed: str, action: str) -> None:
    if release.status not in allowed:
        raise WorkflowError(
            _("„%(action)s“ ist im Status „%(status)s“ nicht möglich.")
            % {"action": action, "status": release.get_status_display()}
        )


CONTENT_FIELDS = [
    "title",
    "section",
    "dateline",
    "teaser",
    "body",
    "image",
    "image_alt",
    "image_credit",
    "image_license",
    "image_rights_until",
    "press_contact",
    "press_contact_phone",
    "embargo_note",
]


@transaction.atomic
def release_create(
    *, author, fields: dict, tag_names=(), municipalities=(), projects=()
) -> PressRelease:
    """Create a draft written by `author` (office or partner)."""
    _require(PRESS_RELEASE.permits(author, CREATE))
    release = PressRelease(author=author, status=Status.DRAFT)
    for name in CONTENT_FIELDS:
        if name in fields:
            setattr(release, name, fields[name])
    release.slug = _unique_slug(release.title)
    release.save_without_historical_record()
    _set_relations(release, tag_names, municipalities, projects)
    _save(release, user=author, reason=_("Entwurf angelegt"))
    return release


@transaction.atomic
def release_update(
    *,
    release: PressRelease,
    user,
    fields: dict,
    tag_names=(),
    municipalities=(),
    projects=(),
    expected_version: int | None = None,
    correction_note: str = "",
) -> PressRelease:
    """Change the content. A change to an approved or scheduled release sends it back for
    approval (four eyes see what goes out); a published release changes only as a
    correction (news.corrections: proposed here, applied on a second person's approval).
    Whoever changes someone else's text may not approve it (`revisers`).
    A change based on a stale `expected_version` raises locking.StaleVersion."""
    submitted = {**fields, "municipalities": list(municipalities), "projects": list(projects)}
    release = locking.check_version(PressRelease, release.pk, expected_version, submitted)
    _require(PRESS_RELEASE.allows(user, release, CHANGE))
    _require_status(
        release, *[s for s in Status.values if s != Status.ARCHIVED], action=_("Bearbeiten")
    )
    if release.status == Status.PUBLISHED:
        from .corrections import correction_propose

        return correction_propose(
            release=release,
            user=user,
            fields=fields,
            tag_names=tag_names,
            municipalities=municipalities,
            projects=projects,
            note=correction_note,
        )
    if user.pk != release.author_id:
        release.revisers.add(user)
    for name in CONTENT_FIELDS:
        if name in fields:
            setattr(release, name, fields[name])
    reason = _("Inhalt geändert")
    if release.status in (Status.APPROVED, Status.SCHEDULED):
        release.status = Status.SUBMITTED
        release.approved_by = None
        release.publish_at = None
        reason = _("Inhalt geändert – erneute Freigabe nötig")
    _set_relations(release, tag_names, municipalities, projects)
    _save(release, user=user, reason=reason)
    return release


@transaction.atomic
def release_submit(*, release: PressRelease, user) -> PressRelease:
    """Entwurf → zur Freigabe (the author, or the office)."""
    release = PressRelease.objects.select_for_update().get(pk=release.pk)
    _require(PRESS_RELEASE.allows(user, release, CHANGE))
    _require_status(release, Status.DRAFT, action=_("Zur Freigabe einreichen"))
    release.status = Status.SUBMITTED
    _save(release, user=user, reason=_("Zur Freigabe eingereicht"))
    return release


@transaction.atomic
def release_return(*, release: PressRelease, user, note: str = "") -> PressRelease:
    """Back to Entwurf (office), e.g. with a note for the author."""
    release = PressRelease.objects.select_for_update().get(pk=release.pk)
    _require(PRESS_RELEASE.permits(user, PUBLISH))
    _require_status(
        release, Status.SUBMITTED, Status.APPROVED, Status.SCHEDULED, action=_("Zurückgeben")
    )
    release.status = Status.DRAFT
    release.approved_by = None
    release.publish_at = None
    reason = _("Zur Überarbeitung zurückgegeben")
    if note:
        reason = f"{reason}: {note[:80]}"
    _save(release, user=user, reason=reason)
    return release


@transaction.atomic
def release_approve(*, release: PressRelease, user) -> PressRelease:
    """zur Freigabe → freigegeben (office; four-eyes rule)."""
    release = PressRelease.objects.select_for_update().get(pk=release.pk)
    _require(PRESS_RELEASE.permits(user, PUBLISH))
    _require_status(release, Status.SUBMITTED, action=_("Freigeben"))
    require_four_eyes(release, user)
    release.status = Status.APPROVED
    release.approved_by = user
    _save(release, user=user, reason=_approval_reason(release, user, _("Freigegeben")))
    return release


def publish_warnings(release: PressRelease) -> list[str]:
    """Things the office should know before publishing (not blocking)."""
    warnings = []
    if release.image and release.image_rights_until:
        if release.image_rights_until < timezone.localdate():
            warnings.append(
                _("Die Bildrechte sind abgelaufen: das Bild wird öffentlich nicht gezeigt.")
            )
        elif release.image_rights_expire_soon:
            warnings.append(
                _("Die Bildrechte enden am %(date)s; danach wird das Bild nicht mehr gezeigt.")
                % {"date": release.image_rights_until.strftime("%d.%m.%Y")}
            )
    return warnings


@transaction.atomic
def release_schedule(*, release: PressRelease, user, publish_at: datetime) -> PressRelease:
    """freigegeben (or geplant) → geplant at `publish_at` (office); beat publishes it."""
    release = PressRelease.objects.select_for_update().get(pk=release.pk)
    _require(PRESS_RELEASE.permits(user, PUBLISH))
    _require_status(release, Status.APPROVED, Status.SCHEDULED, action=_("Planen"))
    if publish_at <= timezone.now():
        raise WorkflowError(_("Der geplante Zeitpunkt muss in der Zukunft liegen."))
    release.status = Status.SCHEDULED
    release.publish_at = publish_at
    _save(
        release,
        user=user,
        reason=_("Veröffentlichung geplant für %(at)s")
        % {"at": timezone.localtime(publish_at).strftime("%d.%m.%Y %H:%M")},
    )
    return release


@transaction.atomic
def release_unschedule(*, release: PressRelease, user) -> PressRelease:
    """geplant → freigegeben (office)."""
    release = PressRelease.objects.select_for_update().get(pk=release.pk)
    _require(PRESS_RELEASE.permits(user, PUBLISH))
    _require_status(release, Status.SCHEDULED, action=_("Planung aufheben"))
    release.status = Status.APPROVED
    release.publish_at = None
    _save(release, user=user, reason=_("Planung aufgehoben"))
    return release


@transaction.atomic
def release_publish(*, release: PressRelease, user) -> PressRelease:
    """freigegeben or geplant → veröffentlicht now (office)."""
    release = PressRelease.objects.select_for_update().get(pk=release.pk)
    _require(PRESS_RELEASE.permits(user, PUBLISH))
    _require_status(release, Status.APPROVED, Status.SCHEDULED, action=_("Veröffentlichen"))
    release.status = Status.PUBLISHED
    release.published_at = timezone.now()
    release.publish_at = None
    _save(release, user=user, reason=_("Veröffentlicht"))
    _send_at_publication_on_commit(release.pk)
    return release


def _send_at_publication_on_commit(release_id: int) -> None:
    from .tasks import send_at_publication

    transaction.on_commit(lambda: send_at_publication.delay(release_id))


@transaction.atomic
def release_archive(*, release: PressRelease, user) -> PressRelease:
    """veröffentlicht → archiviert (office): gone from the public pages and feeds."""
    release = PressRelease.objects.select_for_update().get(pk=release.pk)
    _require(PRESS_RELEASE.permits(user, PUBLISH))
    _require_status(release, Status.PUBLISHED, action=_("Archivieren"))
    release.status = Status.ARCHIVED
    _save(release, user=user, reason=_("Archiviert"))
    return release


def release_publish_scheduled(*, release_id: int, now: datetime | None = None) -> bool:
    """Publish one due scheduled release. Exactly once: the conditional UPDATE (status still
    'scheduled') lets only one of several concurrent workers win; the others change nothing.
    Returns True for the winner."""
    now = now or timezone.now()
    with transaction.atomic():
        won = PressRelease.objects.filter(
            pk=release_id, status=Status.SCHEDULED, publish_at__lte=now
        ).update(status=Status.PUBLISHED, published_at=now, updated_at=now)
        if not won:
            return False
        # The UPDATE bypassed the history signals; one save records the transition.
        release = PressRelease.objects.get(pk=release_id)
        release.publish_at = None
        _save(release, user=None, reason=_("Zum geplanten Zeitpunkt veröffentlicht"))
        _send_at_publication_on_commit(release_id)
    logger.info("press release %s published on schedule", release_id)
    return True


def publish_due_releases(*, now: datetime | None = None) -> list[int]:
    """Publish every scheduled release whose time has come; idempotent, safe to run on
    several workers at once. Returns the ids this call published."""
    now = now or timezone.now()
    due = PressRelease.objects.filter(status=Status.SCHEDULED, publish_at__lte=now).values_list(
        "pk", flat=True
    )
    return [pk for pk in list(due) if release_publish_scheduled(release_id=pk, now=now)]
