"""The ledger and the proofs of use: receipts (book, change, delete, the scan), a funding
decision's page, and the Verwendungs-/Zwischennachweis started in the background
(soest_office.exports). Access: the rules of projects/rules.py (receipts and decisions are
read by the intranet and kept by the office)."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe
from django.views.generic import FormView, TemplateView

from soest_office import exports as jobs
from soest_office import uploads
from soest_office.access import CHANGE, VIEW

from ..forms import ProofOfUseForm, ProofSubmittedForm, ReceiptForm
from ..models import Drawdown, FundingDecision, ProofRecord, Receipt
from ..rules import FUNDING_DECISION, PROOF_RECORD, RECEIPT
from ..services import ledger, money
from ..services import proof as proofs
from .base import MANAGE, READ, ProjectScopedMixin, get_project

# Receipts per page of the ledger (the busiest projects book thousands).
LEDGER_PAGE = 100


class LedgerView(LoginRequiredMixin, ProjectScopedMixin, TemplateView):
    """All receipts of the project, newest first, with spent per budget line as of today."""

    template_name = "projects/ledger.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.project = get_project(request.user, kwargs["slug"], need=READ)
            if not RECEIPT.permits(request.user, VIEW):
                raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        receipts = (
            Receipt.objects.visible_to(user)
            .filter(project=self.project)
            .select_related("budget_line")
            .order_by("-receipt_date", "-pk")
        )
        try:
            page = max(1, int(self.request.GET.get("seite", "1")))
        except ValueError:
            page = 1
        rows = list(receipts[(page - 1) * LEDGER_PAGE : page * LEDGER_PAGE + 1])
        for receipt in rows:
            receipt.project = self.project
        context.update(
            {
                "receipts": rows[:LEDGER_PAGE],
                "page": page,
                "has_next": len(rows) > LEDGER_PAGE,
                "figures": money.money_as_of(self.project, user=user),
                "can_manage": RECEIPT.permits(user, CHANGE),
            }
        )
        return context


class ReceiptFormView(LoginRequiredMixin, ProjectScopedMixin, FormView):
    """Book (no pk) or change (pk) a receipt: the office."""

    form_class = ReceiptForm
    template_name = "projects/child_form.html"

    def dispatch(self, request, *args, **kwargs):
        self.object = None
        if request.user.is_authenticated:
            self.project = get_project(request.user, kwargs["slug"], need=MANAGE)
            if "pk" in kwargs:
                self.object = RECEIPT.get_object(
                    request.user,
                    Receipt.objects.filter(project=self.project),
                    CHANGE,
                    pk=kwargs["pk"],
                )
            elif not RECEIPT.permits(request.user, CHANGE):
                raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.object
        kwargs["project"] = self.project
        return kwargs

    def get_initial(self):
        return {} if self.object else {"receipt_date": timezone.localdate()}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("Beleg bearbeiten") if self.object else _("Beleg erfassen")
        context["cancel_url"] = self.success_url()
        context["multipart"] = True
        return context

    def success_url(self):
        return f"{self.project.get_absolute_url()}belege/"

    def form_valid(self, form):
        data = form.cleaned_data
        upload = self.request.FILES.get("file")
        try:
            result = ledger.receipt_save(
                actor=self.request.user,
                project=self.project,
                receipt=self.object,
                data=ledger.ReceiptInput(
                    budget_line=data["budget_line"],
                    receipt_date=data["receipt_date"],
                    payee=data["payee"],
                    purpose=data["purpose"],
                    net_amount=data["net_amount"],
                    gross_amount=data["gross_amount"],
                    payment_date=data.get("payment_date"),
                    number=data.get("number", ""),
                    upload=upload,
                ),
            )
        except ValidationError as error:
            for name, errors in error.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
            return self.form_invalid(form)
        messages.success(self.request, _("Der Beleg ist gebucht."))
        for warning in result.warnings:
            messages.warning(self.request, warning)
        return redirect(self.success_url())


@require_POST
def receipt_delete(request, slug, pk):
    project = get_project(request.user, slug, need=MANAGE)
    receipt = RECEIPT.get_object(
        request.user, Receipt.objects.filter(project=project), CHANGE, pk=pk
    )
    ledger.receipt_delete(actor=request.user, receipt=receipt)
    messages.success(request, _("„%s“ wurde gelöscht.") % receipt)
    return redirect(f"{project.get_absolute_url()}belege/")


@require_safe
def receipt_download(request, slug, pk):
    """The scan of a receipt, to whoever the receipt rule lets see it."""
    project = get_project(request.user, slug, need=READ)
    receipt = RECEIPT.get_object(request.user, Receipt.objects.filter(project=project), pk=pk)
    if not receipt.file:
        raise Http404
    return uploads.serve_stored_file(
        receipt.file.name, download_name=receipt.original_name or "beleg"
    )


def _decision(request, slug, pk, verb=VIEW):
    project = get_project(request.user, slug, need=READ)
    decision = FUNDING_DECISION.get_object(
        request.user,
        FundingDecision.objects.filter(project=project).prefetch_related(
            Prefetch("drawdowns", queryset=Drawdown.objects.visible_to(request.user))
        ),
        verb,
        pk=pk,
    )
    decision.project = project
    return project, decision


class FundingDecisionDetailView(LoginRequiredMixin, TemplateView):
    """A funding decision: its figures as of today, its cost plan against the receipts, the
    proofs it asks for and, for the office, the one-click proofs."""

    template_name = "projects/funding_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        project, decision = _decision(self.request, kwargs["slug"], kwargs["pk"])
        today = timezone.localdate()
        proof = proofs.proof_of_use(
            decision,
            kind=proofs.FINAL,
            date_from=decision.period_start,
            date_to=today,
            with_receipts=False,
        )
        records = list(
            ProofRecord.objects.visible_to(self.request.user)
            .filter(funding_decision=decision)
            .select_related("created_by", "submitted_by", "export_job")
        )
        history: dict[int, list] = {}
        for row in (
            ProofRecord.history.filter(id__in=[r.pk for r in records])
            .select_related("history_user")
            .order_by("history_date", "history_id")
        ):
            history.setdefault(row.id, []).append(row)
        for record in records:
            record.history_rows = history.get(record.pk, [])
        # The due proofs read the submitted records from here (no query of their own).
        setattr(
            decision,
            proofs.SUBMITTED_ATTR,
            sorted((r for r in records if r.is_submitted), key=lambda r: (r.submitted_on, r.pk)),
        )
        context.update(
            {
                "project": project,
                "decision": decision,
                "proof": proof,
                "dues": proofs.attach_submitted(proofs.due_dates(decision)),
                "records": records,
                "can_mark_submitted": PROOF_RECORD.permits(self.request.user, CHANGE),
                "today": today,
                "can_manage": FUNDING_DECISION.allows(self.request.user, decision, CHANGE),
                "periods": {
                    kind: proofs.default_period(decision, kind, today=today)
                    for kind in (proofs.FINAL, proofs.INTERIM)
                },
            }
        )
        return context


class ProofOfUseView(LoginRequiredMixin, FormView):
    """GET: the Verwendungs- or Zwischennachweis form, period and Sachbericht filled in.
    POST (from here or the one-click button of the decision's page): start the export."""

    form_class = ProofOfUseForm
    template_name = "projects/proof_of_use_form.html"

    def dispatch(self, request, *args, **kwargs):
        if kwargs["kind"] not in proofs.KIND_LABELS:
            raise Http404
        if request.user.is_authenticated:
            self.project, self.decision = _decision(request, kwargs["slug"], kwargs["pk"], CHANGE)
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        start, end = proofs.default_period(self.decision, self.kwargs["kind"])
        for key, default in (("date_from", start), ("date_to", end)):
            value = self.request.GET.get(key)
            try:
                if value:
                    default = timezone.datetime.fromisoformat(value).date()
            except ValueError:
                pass
            if key == "date_from":
                start = default
            else:
                end = default
        return {
            "date_from": start,
            "date_to": end,
            "output": "pdf",
            "narrative": proofs.narrative_draft(self.decision, date_from=start, date_to=end),
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            {
                "project": self.project,
                "decision": self.decision,
                "title": proofs.KIND_LABELS[self.kwargs["kind"]],
            }
        )
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        kind = self.kwargs["kind"]
        # The one-click button sends no Sachbericht: the draft of the period is used.
        narrative = data["narrative"] if "narrative" in self.request.POST else None
        if narrative is None:
            narrative = proofs.narrative_draft(
                self.decision, date_from=data["date_from"], date_to=data["date_to"]
            )
        job = jobs.export_job_start(
            user=self.request.user,
            kind="proof_of_use",
            title=proofs.proof_title(
                kind, self.decision, data["date_from"], data["date_to"], data["output"]
            ),
            params={
                "decision": self.decision.pk,
                "slug": self.project.slug,
                "kind": kind,
                "date_from": data["date_from"].isoformat(),
                "date_to": data["date_to"].isoformat(),
                "narrative": narrative,
                "output": data["output"],
            },
        )
        proofs.record_created(
            self.decision,
            kind=kind,
            date_from=data["date_from"],
            date_to=data["date_to"],
            output=data["output"],
            job=job,
            user=self.request.user,
        )
        return redirect(job)


class ProofSubmittedView(LoginRequiredMixin, FormView):
    """Mark a created proof as submitted to the funder ("eingereicht", with the date): its
    reminders stop. Kept by whoever the proof record rule lets change it (the office)."""

    form_class = ProofSubmittedForm
    template_name = "projects/proof_submitted_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.project, self.decision = _decision(request, kwargs["slug"], kwargs["pk"])
            self.record = PROOF_RECORD.get_object(
                request.user,
                ProofRecord.objects.filter(funding_decision=self.decision),
                CHANGE,
                pk=kwargs["record"],
            )
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {"submitted_on": self.record.submitted_on or timezone.localdate()}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update({"project": self.project, "decision": self.decision, "record": self.record})
        return context

    def form_valid(self, form):
        proofs.mark_submitted(
            self.record, submitted_on=form.cleaned_data["submitted_on"], user=self.request.user
        )
        messages.success(
            self.request,
            _("%(record)s ist als eingereicht vermerkt; die Erinnerung dafür endet.")
            % {"record": self.record},
        )
        return redirect("projects:funding_detail", self.project.slug, self.decision.pk)
