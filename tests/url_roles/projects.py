"""Rows of the projects app: the sample project is led by Soest."""

from .expect import LOGIN, OFFICE_ONLY_403, POST_ONLY, PUBLIC, READ, E, same

# Partners read every project (DESIGN.md), so the other municipality gets 403 on changes, not
# 404. Reports, milestones, documents: the own municipality's partner may log reports, tick
# milestones and upload documents; creating and editing milestones is the office's
# (docs/projekte.md narrows DESIGN.md's "reports, milestones: create/edit" there).
PROJECT_FORM_OFFICE = E(LOGIN, 200, 403, 403, 403, 404)
PROJECT_FORM_OWN = E(LOGIN, 200, 200, 403, 403, 404)
PROJECT_READ = E(LOGIN, 200, 200, 200, 200, 404)
# E(anonym, Büro, eigene Kommune, fremde Kommune, Lenkungskreis, ohne Rolle, post_other=…)
PROJECTS = {
    "projects:list": READ,
    # All reports each role may see (drafts only of projects it may edit): projects.views.
    "projects:report_list": READ,
    "projects:create": OFFICE_ONLY_403,
    "projects:export_csv": READ,
    "projects:export_xlsx": READ,
    "projects:funder_report": READ,
    "projects:settings": READ,
    "projects:calendar_token": POST_ONLY,
    # The secret token is the credential; the sample token is unknown.
    "projects:calendar_feed": same(404, anonymous=404),
    "projects:transparency_json": PUBLIC,
    "projects:transparency_csv": PUBLIC,
    # The public project pages (issue 18): the same for everyone, as the public sees them.
    "vorhaben:list": PUBLIC,
    "vorhaben:detail": PUBLIC,
    "vorhaben:document": PUBLIC,
    "projects:detail": PROJECT_READ,
    "projects:history": PROJECT_READ,
    "projects:project_reports": READ,
    "projects:edit": PROJECT_FORM_OFFICE._replace(post_other=403),
    # Partners keep description, next steps and contact person of their own projects.
    "projects:describe": PROJECT_FORM_OWN._replace(post_other=403),
    "projects:archive": POST_ONLY._replace(post_other=403),
    "projects:report_create": PROJECT_FORM_OWN._replace(post_other=403),
    "projects:report_detail": PROJECT_READ,
    # The sample report is submitted: nobody edits it any more (drafts: VARIANTS).
    "projects:report_edit": E(LOGIN, 403, 403, 403, 403, 404, post_other=403),
    "projects:report_submit": POST_ONLY._replace(post_other=403),
    "projects:report_accept": POST_ONLY._replace(post_other=403),
    "projects:report_return": POST_ONLY._replace(post_other=403),
    "projects:milestone_create": PROJECT_FORM_OFFICE._replace(post_other=403),
    "projects:milestone_edit": PROJECT_FORM_OFFICE._replace(post_other=403),
    "projects:milestone_done": POST_ONLY._replace(post_other=403),
    "projects:milestone_delete": POST_ONLY._replace(post_other=403),
    "projects:document_create": PROJECT_FORM_OWN._replace(post_other=403),
    "projects:document_download": PROJECT_READ,
    "projects:document_delete": POST_ONLY._replace(post_other=403),
    "projects:funding_create": PROJECT_FORM_OFFICE._replace(post_other=403),
    "projects:funding_edit": PROJECT_FORM_OFFICE._replace(post_other=403),
    "projects:funding_delete": POST_ONLY._replace(post_other=403),
    "projects:budget_line_create": PROJECT_FORM_OFFICE._replace(post_other=403),
    "projects:budget_line_edit": PROJECT_FORM_OFFICE._replace(post_other=403),
    "projects:budget_line_delete": POST_ONLY._replace(post_other=403),
    "projects:drawdown_create": PROJECT_FORM_OFFICE._replace(post_other=403),
    "projects:drawdown_edit": PROJECT_FORM_OFFICE._replace(post_other=403),
    "projects:drawdown_delete": POST_ONLY._replace(post_other=403),
    # The funding decision's page reads like the project; its proofs of use are the office's.
    "projects:funding_detail": PROJECT_READ,
    "projects:proof_of_use": PROJECT_FORM_OFFICE._replace(post_other=403),
    # Marking a created proof as submitted: the proof record rule (the office).
    "projects:proof_submitted": PROJECT_FORM_OFFICE._replace(post_other=403),
    # Receipts: every intranet role reads the ledger and the scans; the office books.
    "projects:ledger": PROJECT_READ,
    "projects:receipt_create": PROJECT_FORM_OFFICE._replace(post_other=403),
    "projects:receipt_edit": PROJECT_FORM_OFFICE._replace(post_other=403),
    "projects:receipt_delete": POST_ONLY._replace(post_other=403),
    "projects:receipt_download": PROJECT_READ,
    "projects:contact_create": PROJECT_FORM_OFFICE._replace(post_other=403),
    "projects:contact_delete": POST_ONLY._replace(post_other=403),
}
