"""Forms of the ledger and the proof of use: receipts (Belege) and the Verwendungs- or
Zwischennachweis (period and Sachbericht, editable before the export)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from soest_office import uploads

from ..models import Project, Receipt
from .common import DateInput, money_field

RECEIPT_TYPES = (uploads.PDF, uploads.PNG, uploads.JPEG)


class ReceiptForm(forms.ModelForm):
    """Field checks only; the service (services.ledger.receipt_errors) refuses implausible
    receipts and its German messages land on the fields."""

    class Meta:
        model = Receipt
        fields = [
            "budget_line",
            "number",
            "receipt_date",
            "payee",
            "purpose",
            "net_amount",
            "gross_amount",
            "payment_date",
            "file",
        ]
        widgets = {"receipt_date": DateInput, "payment_date": DateInput}
        help_texts = {
            "file": _("Optional; erlaubt: %(types)s")
            % {"types": ", ".join(uploads.allowed_extensions(RECEIPT_TYPES))},
            "payment_date": _("Leer, solange der Beleg nicht bezahlt ist."),
        }

    def __init__(self, *args, project: Project, **kwargs):
        self.project = project
        super().__init__(*args, **kwargs)
        self.fields["budget_line"].queryset = project.budget_lines.select_related(
            "funding_decision"
        )
        self.fields["budget_line"].error_messages["invalid_choice"] = _(
            "Bitte eine Budgetposition dieses Projekts wählen."
        )
        money_field(self.fields["net_amount"])
        money_field(self.fields["gross_amount"])

    def clean(self):
        from ..services.ledger import ReceiptInput, receipt_errors

        data = super().clean()
        names = ("budget_line", "receipt_date", "net_amount", "gross_amount")
        if all(data.get(name) is not None for name in names):
            proposed = ReceiptInput(
                **{name: data[name] for name in names},
                payee=data.get("payee", ""),
                purpose=data.get("purpose", ""),
                payment_date=data.get("payment_date"),
            )
            for name, message in receipt_errors(self.project, proposed).items():
                self.add_error(name, message)
        return data

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and hasattr(upload, "content_type"):  # a new upload, not the stored file
            return uploads.validate_upload(upload, RECEIPT_TYPES)
        return upload


class ProofOfUseForm(forms.Form):
    """The period and the Sachbericht of a Verwendungs- or Zwischennachweis."""

    FORMAT_CHOICES = [("pdf", _("PDF (Druckfassung)")), ("xlsx", _("Excel (XLSX)"))]

    date_from = forms.DateField(label=_("Zeitraum von"), widget=DateInput)
    date_to = forms.DateField(label=_("Zeitraum bis"), widget=DateInput)
    narrative = forms.CharField(
        label=_("I. Sachbericht"),
        required=False,
        max_length=100_000,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("Entworfen aus den angenommenen Sachstandsberichten des Zeitraums."),
    )
    output = forms.ChoiceField(
        label=_("Format"), choices=FORMAT_CHOICES, initial="pdf", widget=forms.RadioSelect
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("Das Ende des Zeitraums liegt vor seinem Beginn."))
        return data


class ProofSubmittedForm(forms.Form):
    """The day a created proof went to the funder."""

    submitted_on = forms.DateField(label=_("eingereicht am"), widget=DateInput)

    def clean_submitted_on(self):
        value = self.cleaned_data["submitted_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(
                _(
                    "Das Einreichungsdatum liegt in der Zukunft; tragen Sie den Tag ein, an dem "
                    "der Nachweis eingereicht wurde."
                )
            )
        return value
