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
    (("projects:funding_edit", "projects:funding_delete"), "funding_decision"),
    (("projects:budget_line_edit", "projects:budget_line_delete"), "budget_line"),
    (("projects:drawdown_edit", "projects:drawdown_delete"), "drawdown"),
    (("projects:contact_delete",), "project_contact"),
]:
    sample(*_names)(_project_child(_attribute))


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
