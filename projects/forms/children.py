"""Forms of a project's other parts (views/children.py): milestones, documents and the
contact person of each municipality."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from soest_office import uploads
from soest_office.locking import VersionedFormMixin
from soest_office.models import Municipality

from ..models import Document, Milestone, Project, ProjectContact
from .common import DateInput


class MilestoneForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ["title", "due_date", "done_date", "note", "is_public"]
        widgets = {
            "due_date": DateInput,
            "done_date": DateInput,
            "note": forms.Textarea(attrs={"rows": 3}),
        }

    def clean_done_date(self):
        done = self.cleaned_data.get("done_date")
        if done and done > timezone.localdate():
            raise forms.ValidationError(_("Das Erledigt-Datum darf nicht in der Zukunft liegen."))
        return done


class DocumentForm(forms.ModelForm):
    class Meta:
        model = Document
        fields = ["title", "kind", "file", "is_public"]
        help_texts = {
            "file": _("Erlaubt: %(types)s")
            % {"types": ", ".join(uploads.allowed_extensions(uploads.DOCUMENT_TYPES))},
        }

    def clean_file(self):
        return uploads.validate_upload(self.cleaned_data.get("file"), uploads.DOCUMENT_TYPES)

    def _post_clean(self):
        pass  # stored through services.document_upload


class ProjectContactForm(forms.ModelForm):
    class Meta:
        model = ProjectContact
        fields = ["municipality", "user"]

    def __init__(self, *args, project: Project, **kwargs):
        self.project = project
        super().__init__(*args, **kwargs)
        self.instance.project = project
        self.fields["municipality"].queryset = Municipality.objects.all()
        self.fields["user"].queryset = (
            get_user_model()
            .objects.filter(is_active=True, municipality__isnull=False)
            .select_related("municipality")
            .order_by("last_name", "first_name")
        )
        self.fields["user"].label_from_instance = lambda u: f"{u} ({u.municipality})"

    def clean(self):
        data = super().clean()
        user, municipality = data.get("user"), data.get("municipality")
        if user and municipality and user.municipality_id != municipality.pk:
            self.add_error("user", _("Diese Person gehört nicht zur gewählten Kommune."))
        # The unique constraint spans `project`, which is not a form field, so Django's
        # constraint validation skips it: check here instead of failing in the database.
        if (
            municipality
            and ProjectContact.objects.filter(project=self.project, municipality=municipality)
            .exclude(pk=self.instance.pk)
            .exists()
        ):
            self.add_error(
                "municipality",
                _("Für diese Kommune gibt es schon eine Ansprechperson im Projekt."),
            )
        return data
