from django.urls import path

from .views import contacts, dsgvo, imports, lists, organisations

app_name = "stakeholders"

urlpatterns = [
    path("", contacts.ContactListView.as_view(), name="contact_list"),
    path("neu/", contacts.ContactCreateView.as_view(), name="contact_create"),
    path("sammelaktion/", contacts.ContactBulkActionView.as_view(), name="contact_bulk"),
    path("export.csv", contacts.ContactExportView.as_view(fmt="csv"), name="export_csv"),
    path("export.xlsx", contacts.ContactExportView.as_view(fmt="xlsx"), name="export_xlsx"),
    path("export.vcf", contacts.ContactExportView.as_view(fmt="vcf"), name="export_vcard"),
    path("<int:pk>/", contacts.ContactDetailView.as_view(), name="contact_detail"),
    path("<int:pk>/bearbeiten/", contacts.ContactUpdateView.as_view(), name="contact_update"),
    path("<int:pk>/vcard.vcf", contacts.ContactVCardView.as_view(), name="contact_vcard"),
    path(
        "<int:pk>/kontakthistorie/",
        contacts.InteractionListView.as_view(),
        name="interaction_list",
    ),
    path(
        "<int:pk>/kontakthistorie/neu/",
        contacts.InteractionCreateView.as_view(),
        name="interaction_create",
    ),
    path(
        "<int:pk>/rechtsgrundlagen/neu/",
        contacts.LegalBasisCreateView.as_view(),
        name="legal_basis_create",
    ),
    path(
        "<int:pk>/beteiligungen/neu/",
        contacts.InvolvementCreateView.as_view(),
        name="involvement_create",
    ),
    path("<int:pk>/auskunft.json", dsgvo.AuskunftView.as_view(), name="auskunft_json"),
    # GET: the page with the button; POST: the PDF is made in the background.
    path("<int:pk>/auskunft.pdf", dsgvo.AuskunftPdfView.as_view(), name="auskunft_pdf"),
    path("<int:pk>/loeschen/", dsgvo.EraseView.as_view(), name="contact_erase"),
    path("dubletten/", dsgvo.DuplicatesView.as_view(), name="duplicates"),
    path("dubletten/zusammenfuehren/", dsgvo.MergeView.as_view(), name="merge"),
    path(
        "dubletten/zusammenfuehren/<int:keep>/<int:merge>/",
        dsgvo.MergeChooseView.as_view(),
        name="merge_choose",
    ),
    path("aufbewahrung/", dsgvo.RetentionView.as_view(), name="retention"),
    path("protokoll/", dsgvo.AuditLogView.as_view(), name="audit_log"),
    path("organisationen/", organisations.OrganisationListView.as_view(), name="organisation_list"),
    path(
        "organisationen/neu/",
        organisations.OrganisationCreateView.as_view(),
        name="organisation_create",
    ),
    path(
        "organisationen/<int:pk>/",
        organisations.OrganisationDetailView.as_view(),
        name="organisation_detail",
    ),
    path(
        "organisationen/<int:pk>/bearbeiten/",
        organisations.OrganisationUpdateView.as_view(),
        name="organisation_update",
    ),
    path(
        "organisationen/<int:pk>/beteiligungen/neu/",
        organisations.OrganisationInvolvementCreateView.as_view(),
        name="organisation_involvement_create",
    ),
    path("verteiler/", lists.ListListView.as_view(), name="list_list"),
    path("verteiler/neu/", lists.ListCreateView.as_view(), name="list_create"),
    path("verteiler/<int:pk>/", lists.ListDetailView.as_view(), name="list_detail"),
    path("verteiler/<int:pk>/bearbeiten/", lists.ListUpdateView.as_view(), name="list_update"),
    path("verteiler/<int:pk>/vcard.vcf", lists.ListVCardView.as_view(), name="list_vcard"),
    path(
        "verteiler/<int:pk>/mitglieder/<int:contact_pk>/entfernen/",
        lists.ListMemberRemoveView.as_view(),
        name="list_member_remove",
    ),
    path("import/", imports.ImportUploadView.as_view(), name="import_upload"),
    path("import/<str:token>/", imports.ImportStatusView.as_view(), name="import_status"),
    path(
        "import/<str:token>/zuordnung/", imports.ImportMappingView.as_view(), name="import_mapping"
    ),
    path(
        "import/<str:token>/vorschau/", imports.ImportPreviewView.as_view(), name="import_preview"
    ),
    path(
        "import/<str:token>/datei/", imports.ImportReplaceFileView.as_view(), name="import_replace"
    ),
    path(
        "import/<str:token>/zeile/<int:line>/",
        imports.ImportFixRowView.as_view(),
        name="import_fix_row",
    ),
    path(
        "import/<str:token>/ausfuehren/", imports.ImportCommitView.as_view(), name="import_commit"
    ),
]
