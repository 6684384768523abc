from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from projects.models import Project
from soest_office.access import Role
from soest_office.locking import VersionedFormMixin
from soest_office.models import Municipality

from .images import validate_and_reencode
from .models import PressRelease


class PressReleaseForm(VersionedFormMixin, forms.ModelForm):
    """The editor. Stichwörter are typed comma-separated; new ones are created on save."""

    tag_names = forms.CharField(
        label=_("Stichwörter"),
        required=False,
        max_length=500,
        help_text=_("Durch Kommas getrennt, z. B. „Soest, Smart City“."),
    )

    class Meta:
        model = PressRelease
        fields = [
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
            "municipalities",
            "projects",
            "press_contact",
            "press_contact_phone",
            "embargo_note",
        ]
        widgets = {
            "teaser": forms.Textarea(attrs={"rows": 3}),
            "body": forms.Textarea(attrs={"rows": 14, "data-news-preview-source": "body"}),
            "image_rights_until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "municipalities": forms.CheckboxSelectMultiple,
            "projects": forms.SelectMultiple(attrs={"size": 6}),
            "image": forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        }
        error_messages = {
            "title": {
                "required": _("Bitte geben Sie einen Titel ein."),
                "max_length": _("Der Titel darf höchstens %(limit_value)d Zeichen lang sein."),
            },
            "teaser": {
                "required": _("Bitte schreiben Sie einen Vorspann."),
                "max_length": _("Der Vorspann darf höchstens %(limit_value)d Zeichen lang sein."),
            },
            "body": {"required": _("Bitte schreiben Sie den Text der Meldung.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipalities"].queryset = Municipality.objects.order_by("name")
        self.fields["projects"].queryset = Project.objects.active().order_by("title")
        self.fields["press_contact"].queryset = (
            get_user_model()
            .objects.filter(is_active=True, groups__name=Role.OFFICE)
            .distinct()
            .order_by("last_name", "first_name")
        )
        self.fields["press_contact"].label_from_instance = lambda u: u.get_full_name() or u.username
        if self.instance.pk:
            self.initial["tag_names"] = ", ".join(t.name for t in self.instance.tags.all())
        self.fields["section"].empty_label = _("keine Rubrik")
        order = [
            "title",
            "section",
            "dateline",
            "teaser",
            "body",
            "tag_names",
            "municipalities",
            "projects",
        ]
        self.order_fields(order)
        if self.instance.pk and self.instance.status == PressRelease.Status.PUBLISHED:
            # A published release changes only as a correction, with a dated note.
            self.fields["correction_note"] = forms.CharField(
                label=_("Korrekturhinweis"),
                max_length=300,
                help_text=_(
                    "Pflicht: erscheint mit Datum unter der Meldung und im Feed, z. B. "
                    "„Korrigiert: Datum der Veranstaltung“. Der neue Text gilt erst nach der "
                    "Freigabe durch eine zweite Person."
                ),
            )

    def clean_body(self):
        body = self.cleaned_data.get("body", "")
        if not body.strip():
            raise forms.ValidationError(_("Bitte schreiben Sie den Text der Meldung."))
        return body

    def clean_image(self):
        image = self.cleaned_data.get("image")
        # A new upload is an UploadedFile; an unchanged one is the stored FieldFile.
        if image and hasattr(image, "content_type"):
            return validate_and_reencode(image)
        return image

    def clean_tag_names(self):
        names = [n.strip() for n in self.cleaned_data.get("tag_names", "").split(",")]
        names = [n for n in names if n]
        if any(len(n) > 60 for n in names):
            raise forms.ValidationError(_("Ein Stichwort darf höchstens 60 Zeichen lang sein."))
        return names

    def clean(self):
        cleaned = super().clean()
        image = cleaned.get("image")
        if image:
            if not cleaned.get("image_alt", "").strip():
                self.add_error(
                    "image_alt",
                    _("Bitte beschreiben Sie das Bild für blinde Leserinnen und Leser."),
                )
            if not cleaned.get("image_credit", "").strip():
                self.add_error("image_credit", _("Bitte geben Sie die Bildquelle an."))
        return cleaned

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        fields = {name: data[name] for name in self.Meta.fields if name in data}
        for m2m in ("municipalities", "projects"):
            fields.pop(m2m, None)
        if fields.get("image") is False:  # "clear" ticked
            fields["image"] = ""
        arguments = {
            "fields": fields,
            "tag_names": data.get("tag_names", []),
            "municipalities": data.get("municipalities", []),
            "projects": data.get("projects", []),
        }
        if "correction_note" in self.fields:
            arguments["correction_note"] = data.get("correction_note", "")
        return arguments


class ScheduleForm(forms.Form):
    publish_at = forms.DateTimeField(
        label=_("Veröffentlichen am"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%d.%m.%Y %H:%M"],
        error_messages={
            "required": _("Bitte wählen Sie Datum und Uhrzeit."),
            "invalid": _("Bitte geben Sie Datum und Uhrzeit an, z. B. 26.11.2026 10:00."),
        },
    )

    def clean_publish_at(self):
        value = self.cleaned_data["publish_at"]
        if value <= timezone.now():
            raise forms.ValidationError(_("Der Zeitpunkt muss in der Zukunft liegen."))
        return value


class ReturnForm(forms.Form):
    note = forms.CharField(
        label=_("Hinweis an die Autorin/den Autor"), required=False, max_length=300
    )
