"""The URL arguments of every parameterised pattern, app by app, from the sample world."""

from .world import sample

# --- soest_office ---------------------------------------------------------------------------


@sample("soest_office:password_reset_confirm")
def _password_reset_confirm(world):
    # An invalid link: the page answers 200 with "Link ungültig" for everybody.
    return {"uidb64": "MQ", "token": "abc-ungueltig"}


@sample("soest_office:export_job", "soest_office:export_download")
def _export_job(world):
    return {"token": world.export_job.token}


@sample(
    "soest_office:account_detail",
    "soest_office:account_deactivate",
    "soest_office:account_second_factor_reset",
)
def _account(world):
    return {"pk": world._sample_user.pk}


@sample("soest_office:invitation_resend")
def _invitation(world):
    from soest_office.models import Invitation

    invitation = world.__dict__.get("_invitation")
    if invitation is None:
        invitation = world.__dict__["_invitation"] = Invitation.objects.create(
            email="eingeladen@example.org",
            username="eingeladen",
            first_name="Ina",
            last_name="Eingeladen",
            role="Kommune",
            municipality=world.project.lead_municipality,
        )
    return {"pk": invitation.pk}


@sample("soest_office:invitation_accept")
def _invitation_accept(world):
    # A forged link: the page explains it (200) to everybody; the link is the credential.
    return {"token": "gefaelscht"}


@sample("soest_office:feedback_answered")
def _feedback(world):
    from soest_office.models import AccessibilityFeedback

    feedback = world.__dict__.get("_feedback")
    if feedback is None:
        feedback = world.__dict__["_feedback"] = AccessibilityFeedback.objects.create(
            message="Kontrast zu schwach"
        )
    return {"pk": feedback.pk}


# --- projects -------------------------------------------------------------------------------


@sample(
    "projects:detail",
    "projects:project_reports",
    "projects:history",
    "projects:edit",
    "projects:describe",
    "projects:archive",
    "projects:report_create",
    "projects:milestone_create",
    "projects:document_create",
    "projects:funding_create",
    "projects:budget_line_create",
    "projects:drawdown_create",
    "projects:contact_create",
    "projects:ledger",
    "projects:receipt_create",
)
def _project_detail(world):
    return {"slug": world.project.slug}


def _project_child(attribute):
    def kwargs(world):
        child = getattr(world, attribute)
        return {"slug": world.project.slug, "pk": child.pk}

    return kwargs


for _names, _attribute in [
    (
        (
            "projects:report_detail",
            "projects:report_edit",
            "projects:report_submit",
            "projects:report_accept",
            "projects:report_return",
        ),
        "report",
    ),
    (
        (
            "projects:milestone_edit",
            "projects:milestone_delete",
            "projects:milestone_done",
        ),
        "milestone",
    ),
    (("projects:document_download", "projects:document_delete"), "document"),
    (
        ("projects:funding_edit", "projects:funding_delete", "projects:funding_detail"),
        "funding_decision",
    ),
    (
        ("projects:receipt_edit", "projects:receipt_delete", "projects:receipt_download"),
        "receipt",
    ),
    (("projects:budget_line_edit", "projects:budget_line_delete"), "budget_line"),
    (("projects:drawdown_edit", "projects:drawdown_delete"), "drawdown"),
    (("projects:contact_delete",), "project_contact"),
]:
    sample(*_names)(_project_child(_attribute))


@sample("vorhaben:detail", "api_v1:project")
def _public_project(world):
    return {"slug": world.public_project.slug}


@sample("vorhaben:document")
def _public_document(world):
    project = world.public_project
    return {"slug": project.slug, "pk": world.public_document.pk}


@sample("projects:proof_of_use")
def _proof_of_use(world):
    return {"slug": world.project.slug, "pk": world.funding_decision.pk, "kind": "final"}


@sample("projects:proof_submitted")
def _proof_submitted(world):
    return {
        "slug": world.project.slug,
        "pk": world.funding_decision.pk,
        "record": world.proof_record.pk,
    }


@sample("projects:calendar_feed")
def _calendar_feed(world):
    return {"token": "unbekannter-kalender-schluessel"}


# --- stakeholders ---------------------------------------------------------------------------


@sample(
    "stakeholders:contact_detail",
    "stakeholders:contact_update",
    "stakeholders:contact_vcard",
    "stakeholders:contact_erase",
    "stakeholders:auskunft_pdf",
    "stakeholders:auskunft_json",
    "stakeholders:interaction_list",
    "stakeholders:interaction_create",
    "stakeholders:legal_basis_create",
    "stakeholders:involvement_create",
)
def _contact(world):
    return {"pk": world.contact.pk}


@sample("stakeholders:merge_choose")
def _merge_pair(world):
    return {"keep": world.contact.pk, "merge": world.duplicate_contact.pk}


@sample(
    "stakeholders:organisation_detail",
    "stakeholders:organisation_update",
    "stakeholders:organisation_involvement_create",
)
def _organisation(world):
    return {"pk": world.organisation.pk}


@sample("stakeholders:list_detail", "stakeholders:list_update", "stakeholders:list_vcard")
def _distribution_list(world):
    return {"pk": world.distribution_list.pk}


@sample("stakeholders:list_member_remove")
def _list_member(world):
    return {"pk": world.distribution_list.pk, "contact_pk": world.contact.pk}


@sample(
    "stakeholders:import_status",
    "stakeholders:import_preview",
    "stakeholders:import_mapping",
    "stakeholders:import_replace",
    "stakeholders:import_commit",
)
def _import_job(world):
    return {"token": world.import_job.token}


@sample("stakeholders:import_fix_row")
def _import_row(world):
    return {"token": world.import_job.token, "line": 2}


# --- news -----------------------------------------------------------------------------------


@sample("news:public_detail", "news:public_image", "news:public_pdf")
def _public_release(world):
    return {"slug": world.release.slug}


@sample("news:feed_rss_tag", "news:feed_atom_tag")
def _tag_feed(world):
    return {"tag_slug": world.release.tags.get().slug}


@sample(
    "news:editorial_detail",
    "news:editorial_update",
    "news:editorial_history",
    "news:editorial_image",
    "news:distribution_create",
    "news:distribution_scheduled",
)
def _editorial_release(world):
    return {"pk": world.release.pk}


@sample("news:distribution_progress", "news:distribution_status")
def _distributed_release(world):
    # The progress pages exist once the release went out (404 before): the sample delivery
    # creates the distribution, whatever order the walk takes.
    return {"pk": world.delivery.distribution.release_id}


@sample("news:editorial_action")
def _editorial_action(world):
    return {"pk": world.release.pk, "action": "archivieren"}


@sample("news:delivery_bounce")
def _delivery_bounce(world):
    return {"pk": world.release.pk, "delivery_pk": world.delivery.pk}


@sample("news:unsubscribe")
def _unsubscribe(world):
    from news.mailing import unsubscribe_token

    return {"token": unsubscribe_token(world.delivery.pk)}


@sample("news:feed_rss_section", "news:feed_atom_section")
def _section_feed(world):
    return {"section_slug": world.section.slug}


# --- subscriptions --------------------------------------------------------------------------


@sample("subscriptions:confirm")
def _subscription_confirm(world):
    from subscriptions.tokens import confirm_token

    return {"token": confirm_token(world.subscription_request)}


@sample("subscriptions:manage", "subscriptions:unsubscribe")
def _subscription_manage(world):
    from subscriptions.tokens import manage_token

    return {"token": manage_token(world.subscription)}


@sample("subscriptions:office_subscriber", "subscriptions:office_proof_csv")
def _subscriber(world):
    return {"pk": world.subscription.pk}


# --- participation --------------------------------------------------------------------------


def _participation(world):
    """The participation sample objects, created once per world."""
    cached = world.__dict__.get("participation_sample")
    if cached is None:
        from participation.tests.factories import participation_sample

        cached = world.__dict__["participation_sample"] = participation_sample()
    return cached


@sample(
    "participation:public_list",
    "participation:submitted",
    "participation:office_summary",
    "participation:office_settings",
)
def _participation_project(world):
    return {"slug": _participation(world).project.slug}


@sample("participation:support")
def _participation_support(world):
    sample_objects = _participation(world)
    return {"slug": sample_objects.project.slug, "pk": sample_objects.accepted.pk}


@sample("participation:office_detail")
def _participation_detail(world):
    return {"pk": _participation(world).accepted.pk}


@sample("participation:office_export")
def _participation_export(world):
    return {"fmt": "csv"}


@sample("participation:confirm")
def _participation_confirm(world):
    from participation import tokens

    return {"token": tokens.make(_participation(world).unconfirmed, tokens.CONFIRM_SALT)}


@sample("participation:support_confirm")
def _participation_support_confirm(world):
    from participation import tokens

    return {"token": tokens.make(_participation(world).support, tokens.SUPPORT_SALT)}


@sample("participation:withdraw")
def _participation_withdraw(world):
    from participation import tokens

    return {"token": tokens.make(_participation(world).accepted, tokens.WITHDRAW_SALT)}
