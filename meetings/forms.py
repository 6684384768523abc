from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from projects.models import Project
from soest_office import uploads
from soest_office.models import Municipality

from .models import ActionItem, AgendaItem, Attendance, Decision, Meeting, Paper

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MeetingForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = [
            "body",
            "title",
            "starts_at",
            "ends_at",
            "place",
            "video_url",
            "confidential",
            "is_public",
        ]
        widgets = {"starts_at": DATETIME, "ends_at": DATETIME}
        field_classes = {"video_url": lambda **kw: forms.URLField(assume_scheme="https", **kw)}

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("starts_at"), cleaned.get("ends_at")
        if start and end and end <= start:
            self.add_error("ends_at", _("Das Ende muss nach dem Beginn liegen."))
        if cleaned.get("confidential") and cleaned.get("is_public"):
            self.add_error("is_public", _("Eine vertrauliche Sitzung kann nicht öffentlich sein."))
        if not cleaned.get("place") and not cleaned.get("video_url"):
            self.add_error("place", _("Bitte einen Ort oder einen Videokonferenz-Link angeben."))
        return cleaned


class AgendaItemForm(forms.ModelForm):
    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Only projects the user may see can be linked (an id of another is "not a choice").
        self.fields["projects"].queryset = Project.objects.visible_to(user).order_by("title")
        self.fields["presenter"].queryset = get_user_model().objects.filter(is_active=True)

    class Meta:
        model = AgendaItem
        fields = ["position", "title", "description", "presenter", "duration_minutes", "projects"]


class MinutesForm(forms.Form):
    minutes = forms.CharField(label=_("Protokoll"), widget=forms.Textarea, required=False)


class CorrectionForm(forms.Form):
    text = forms.CharField(label=_("Berichtigung"), widget=forms.Textarea)


class PaperForm(forms.ModelForm):
    class Meta:
        model = Paper
        fields = ["title", "file", "confidential"]

    def clean_file(self):
        return uploads.validate_upload(self.cleaned_data["file"], uploads.DOCUMENT_TYPES)


class DecisionForm(forms.Form):
    text = forms.CharField(label=_("Beschlusstext"), widget=forms.Textarea)
    agenda_item = forms.ModelChoiceField(
        label=_("Tagesordnungspunkt"), queryset=AgendaItem.objects.none(), required=False
    )
    vote = forms.ChoiceField(label=_("Abstimmung"), choices=Decision.Vote.choices)
    votes_for = forms.IntegerField(label=_("dafür"), min_value=0, initial=0, required=False)
    votes_against = forms.IntegerField(label=_("dagegen"), min_value=0, initial=0, required=False)
    votes_abstain = forms.IntegerField(
        label=_("Enthaltungen"), min_value=0, initial=0, required=False
    )
    projects = forms.ModelMultipleChoiceField(
        label=_("betroffene Projekte"), queryset=Project.objects.none(), required=False
    )
    effect_project = forms.ModelChoiceField(
        label=_("Der Beschluss ändert das Projekt"),
        queryset=Project.objects.none(),
        required=False,
        help_text=_("Optional, z. B. „Projekt wird gestoppt“: der Status wird sofort geändert."),
    )
    effect_status = forms.ChoiceField(
        label=_("auf den Status"),
        choices=[("", "–"), *Project.Status.choices],
        required=False,
    )

    def __init__(self, *args, meeting, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"].queryset = meeting.agenda_items.all()
        visible = Project.objects.visible_to(user).order_by("title")
        self.fields["projects"].queryset = visible
        self.fields["effect_project"].queryset = visible

    def clean(self):
        data = super().clean()
        project, status = data.get("effect_project"), data.get("effect_status")
        if project is not None and not status:
            self.add_error("effect_status", _("Bitte den neuen Status des Projekts wählen."))
        elif status and project is None:
            self.add_error("effect_project", _("Bitte das Projekt wählen, das sich ändert."))
        elif project is not None and project.status == status:
            self.add_error(
                "effect_status",
                _("Das Projekt hat bereits den Status „%(s)s“.")
                % {"s": project.get_status_display()},
            )
        return data

    def votes(self):
        data = self.cleaned_data
        return tuple(data.get(k) or 0 for k in ("votes_for", "votes_against", "votes_abstain"))


class ActionItemForm(forms.Form):
    title = forms.CharField(label=_("Aufgabe"), max_length=250)
    owner_user = forms.ModelChoiceField(
        label=_("zuständige Person"), queryset=get_user_model().objects.none(), required=False
    )
    owner_municipality = forms.ModelChoiceField(
        label=_("oder zuständige Kommune"), queryset=Municipality.objects.all(), required=False
    )
    due = forms.DateField(label=_("fällig am"), widget=DATE)
    project = forms.ModelChoiceField(
        label=_("Projekt"), queryset=Project.objects.none(), required=False
    )
    decision = forms.ModelChoiceField(
        label=_("aus Beschluss"), queryset=Decision.objects.none(), required=False
    )

    def __init__(self, *args, meeting, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_user"].queryset = get_user_model().objects.filter(is_active=True)
        self.fields["project"].queryset = Project.objects.visible_to(user).order_by("title")
        self.fields["decision"].queryset = meeting.decisions.select_related("body")

    def clean(self):
        cleaned = super().clean()
        if bool(cleaned.get("owner_user")) == bool(cleaned.get("owner_municipality")):
            raise forms.ValidationError(
                _("Bitte genau eine zuständige Person oder eine zuständige Kommune wählen.")
            )
        return cleaned


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActionItem.Status.choices)


class RespondForm(forms.Form):
    response = forms.ChoiceField(
        label=_("Ihre Antwort"),
        choices=[c for c in Attendance.Response.choices if c[0]],
        widget=forms.RadioSelect,
    )


class InviteForm(forms.Form):
    """Inviting needs a meeting in the future."""

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting

    def clean(self):
        if self.meeting.starts_at <= timezone.now():
            raise forms.ValidationError(_("Die Sitzung liegt in der Vergangenheit."))
        return super().clean()
