from django.urls import path

from .views import account, children, exports, ledger, projects, public, reports

app_name = "projects"

child = children

urlpatterns = [
    path("", projects.ProjectListView.as_view(), name="list"),
    path("neu/", projects.ProjectCreateView.as_view(), name="create"),
    path("export.csv", exports.list_csv, name="export_csv"),
    path("export.xlsx", exports.list_xlsx, name="export_xlsx"),
    path("sachstandsbericht/", exports.FunderReportView.as_view(), name="funder_report"),
    path("einstellungen/", account.UserSettingsView.as_view(), name="settings"),
    path("einstellungen/kalender/", account.calendar_token, name="calendar_token"),
    path("kalender/<str:token>.ics", account.calendar_feed, name="calendar_feed"),
    path("transparenz/projekte.json", public.transparency_json, name="transparency_json"),
    path("transparenz/projekte.csv", public.transparency_csv, name="transparency_csv"),
    # Before <slug:slug>/: "berichte" is not a project (ProjectForm refuses the slug).
    path("berichte/", reports.ReportListView.as_view(), name="report_list"),
    path("<slug:slug>/", projects.ProjectDetailView.as_view(), name="detail"),
    path("<slug:slug>/bearbeiten/", projects.ProjectUpdateView.as_view(), name="edit"),
    path("<slug:slug>/beschreibung/", projects.ProjectDescriptionView.as_view(), name="describe"),
    path("<slug:slug>/verlauf/", projects.ProjectHistoryView.as_view(), name="history"),
    path("<slug:slug>/archivieren/", projects.project_archive, name="archive"),
    # Progress reports
    path("<slug:slug>/berichte/", reports.ReportListView.as_view(), name="project_reports"),
    path("<slug:slug>/berichte/neu/", reports.ReportFormView.as_view(), name="report_create"),
    path(
        "<slug:slug>/berichte/<int:pk>/", reports.ReportDetailView.as_view(), name="report_detail"
    ),
    path(
        "<slug:slug>/berichte/<int:pk>/bearbeiten/",
        reports.ReportFormView.as_view(),
        name="report_edit",
    ),
    path("<slug:slug>/berichte/<int:pk>/einreichen/", reports.report_submit, name="report_submit"),
    path("<slug:slug>/berichte/<int:pk>/annehmen/", reports.report_accept, name="report_accept"),
    path(
        "<slug:slug>/berichte/<int:pk>/zurueckgeben/", reports.report_return, name="report_return"
    ),
    # Milestones
    path(
        "<slug:slug>/meilensteine/neu/",
        child.MilestoneFormView.as_view(),
        name="milestone_create",
    ),
    path(
        "<slug:slug>/meilensteine/<int:pk>/bearbeiten/",
        child.MilestoneFormView.as_view(),
        name="milestone_edit",
    ),
    path(
        "<slug:slug>/meilensteine/<int:pk>/erledigt/",
        child.milestone_done,
        name="milestone_done",
    ),
    path(
        "<slug:slug>/meilensteine/<int:pk>/loeschen/",
        child.milestone_delete,
        name="milestone_delete",
    ),
    # Documents
    path("<slug:slug>/dokumente/neu/", child.DocumentUploadView.as_view(), name="document_create"),
    path(
        "<slug:slug>/dokumente/<int:pk>/herunterladen/",
        child.document_download,
        name="document_download",
    ),
    path(
        "<slug:slug>/dokumente/<int:pk>/loeschen/",
        child.document_delete,
        name="document_delete",
    ),
    # Funding
    path(
        "<slug:slug>/foerderung/neu/",
        child.FundingDecisionFormView.as_view(),
        name="funding_create",
    ),
    path(
        "<slug:slug>/foerderung/<int:pk>/bearbeiten/",
        child.FundingDecisionFormView.as_view(),
        name="funding_edit",
    ),
    path(
        "<slug:slug>/foerderung/<int:pk>/loeschen/",
        child.funding_delete,
        name="funding_delete",
    ),
    path(
        "<slug:slug>/foerderung/<int:pk>/",
        ledger.FundingDecisionDetailView.as_view(),
        name="funding_detail",
    ),
    path(
        "<slug:slug>/foerderung/<int:pk>/nachweis/<str:kind>/",
        ledger.ProofOfUseView.as_view(),
        name="proof_of_use",
    ),
    path(
        "<slug:slug>/foerderung/<int:pk>/nachweise/<int:record>/eingereicht/",
        ledger.ProofSubmittedView.as_view(),
        name="proof_submitted",
    ),
    # Receipts (the ledger)
    path("<slug:slug>/belege/", ledger.LedgerView.as_view(), name="ledger"),
    path("<slug:slug>/belege/neu/", ledger.ReceiptFormView.as_view(), name="receipt_create"),
    path(
        "<slug:slug>/belege/<int:pk>/bearbeiten/",
        ledger.ReceiptFormView.as_view(),
        name="receipt_edit",
    ),
    path("<slug:slug>/belege/<int:pk>/loeschen/", ledger.receipt_delete, name="receipt_delete"),
    path("<slug:slug>/belege/<int:pk>/scan/", ledger.receipt_download, name="receipt_download"),
    path("<slug:slug>/budget/neu/", child.BudgetLineFormView.as_view(), name="budget_line_create"),
    path(
        "<slug:slug>/budget/<int:pk>/bearbeiten/",
        child.BudgetLineFormView.as_view(),
        name="budget_line_edit",
    ),
    path(
        "<slug:slug>/budget/<int:pk>/loeschen/",
        child.budget_line_delete,
        name="budget_line_delete",
    ),
    path("<slug:slug>/mittelabrufe/neu/", child.DrawdownFormView.as_view(), name="drawdown_create"),
    path(
        "<slug:slug>/mittelabrufe/<int:pk>/bearbeiten/",
        child.DrawdownFormView.as_view(),
        name="drawdown_edit",
    ),
    path(
        "<slug:slug>/mittelabrufe/<int:pk>/loeschen/",
        child.drawdown_delete,
        name="drawdown_delete",
    ),
    # Contact persons
    path(
        "<slug:slug>/ansprechpersonen/neu/",
        child.ContactFormView.as_view(),
        name="contact_create",
    ),
    path(
        "<slug:slug>/ansprechpersonen/<int:pk>/loeschen/",
        child.contact_delete,
        name="contact_delete",
    ),
]
