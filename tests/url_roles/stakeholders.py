"""Rows of the stakeholders app: the sample contact and organisation belong to Soest."""

from .expect import LOGIN, OFFICE_ONLY_403, E

# Office and partners of a municipality only (steering group, logins without a role and a
# partner account without a municipality, which may see no contact: 403); a partner sees and
# edits the contacts and organisations of their own municipality only, so the other
# municipality gets 404. Lists, import, merge and DSGVO actions: the office only.
STAKEHOLDERS_READ = E(LOGIN, 200, 200, 200, 403, 403, no_municipality=403)
OWN_CONTACT = E(LOGIN, 200, 200, 404, 403, 403, no_municipality=403)
OWN_CONTACT_POST = E(LOGIN, 405, 405, 405, 403, 403, post_other=404, no_municipality=403)
# E(anonym, Büro, eigene Kommune, fremde Kommune, Lenkungskreis, ohne Rolle, post_other=…)
STAKEHOLDERS = {
    "stakeholders:contact_list": STAKEHOLDERS_READ,
    "stakeholders:contact_create": STAKEHOLDERS_READ,
    "stakeholders:contact_bulk": E(
        LOGIN, 405, 405, 405, 403, 403, post_other=302, no_municipality=403
    ),
    "stakeholders:export_csv": STAKEHOLDERS_READ,
    "stakeholders:export_xlsx": STAKEHOLDERS_READ,
    "stakeholders:export_vcard": STAKEHOLDERS_READ,
    "stakeholders:contact_detail": OWN_CONTACT,
    "stakeholders:interaction_list": OWN_CONTACT,
    "stakeholders:contact_update": OWN_CONTACT._replace(post_other=404),
    "stakeholders:contact_vcard": OWN_CONTACT,
    "stakeholders:interaction_create": OWN_CONTACT_POST,
    "stakeholders:legal_basis_create": OWN_CONTACT_POST,
    "stakeholders:involvement_create": OWN_CONTACT_POST,
    # DSGVO: Auskunft and erasure are the office's (403 for every partner, whoever's contact).
    "stakeholders:auskunft_json": OFFICE_ONLY_403,
    # GET shows the request form; the POST starts a background job (soest_office.exports).
    "stakeholders:auskunft_pdf": OFFICE_ONLY_403._replace(post_other=403),
    "stakeholders:contact_erase": OFFICE_ONLY_403._replace(post_other=403),
    "stakeholders:duplicates": OFFICE_ONLY_403,
    "stakeholders:merge": E(LOGIN, 405, 403, 403, 403, 403, post_other=403),
    "stakeholders:merge_choose": E(LOGIN, 200, 403, 403, 403, 403),
    "stakeholders:retention": OFFICE_ONLY_403,
    "stakeholders:audit_log": OFFICE_ONLY_403,
    "stakeholders:organisation_list": STAKEHOLDERS_READ,
    "stakeholders:organisation_create": STAKEHOLDERS_READ,
    "stakeholders:organisation_detail": OWN_CONTACT,
    "stakeholders:organisation_update": OWN_CONTACT._replace(post_other=404),
    "stakeholders:organisation_involvement_create": OWN_CONTACT_POST,
    "stakeholders:list_list": OFFICE_ONLY_403,
    "stakeholders:list_create": OFFICE_ONLY_403,
    "stakeholders:list_detail": OFFICE_ONLY_403,
    "stakeholders:list_update": OFFICE_ONLY_403._replace(post_other=403),
    "stakeholders:list_vcard": OFFICE_ONLY_403,
    "stakeholders:list_member_remove": E(LOGIN, 405, 403, 403, 403, 403, post_other=403),
    "stakeholders:import_upload": OFFICE_ONLY_403,
    "stakeholders:import_status": OFFICE_ONLY_403,
    "stakeholders:import_mapping": OFFICE_ONLY_403._replace(post_other=403),
    "stakeholders:import_preview": OFFICE_ONLY_403,
    "stakeholders:import_replace": E(LOGIN, 405, 403, 403, 403, 403, post_other=403),
    "stakeholders:import_fix_row": E(LOGIN, 405, 403, 403, 403, 403, post_other=403),
    "stakeholders:import_commit": E(LOGIN, 405, 403, 403, 403, 403, post_other=403),
}
