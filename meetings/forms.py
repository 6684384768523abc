from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from projects.models import Project
from soest_office import uploads
from soest_office.models import Municipality

from .models import ActionItem, AgendaItem, Attendance, Decision, Meeting, MeetingSeries, Paper
from .services import series as series_services

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


class SeriesForm(forms.ModelForm):
    """A body's meeting series (the body comes from the page). The rhythm is either every N
    weeks or the weekday of the first meeting, first of its kind in each quarter; bounds and
    the template agenda are checked line by line, with German messages."""

    class Meta:
        model = MeetingSeries
        fields = [
            "title",
            "rule",
            "first_start",
            "every_weeks",
            "until",
            "duration_minutes",
            "place",
            "template_agenda",
        ]
        widgets = {
            "first_start": DATETIME,
            "until": DATE,
            "rule": forms.RadioSelect,
            "template_agenda": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {
            "every_weeks": _("Nur im Rhythmus „alle N Wochen“: 1 bis 52."),
            "until": _("Der letzte mögliche Termin der Reihe."),
        }
        error_messages = {
            "title": {"required": _("Bitte einen Titel angeben.")},
            "rule": {
                "required": _("Bitte den Rhythmus wählen."),
                "invalid_choice": _("Bitte einen der angebotenen Rhythmen wählen."),
            },
            "first_start": {
                "required": _("Bitte Datum und Uhrzeit des ersten Termins angeben."),
                "invalid": _("Bitte Datum und Uhrzeit angeben, z. B. 07.01.2027 16:00."),
            },
            "until": {
                "required": _("Bitte angeben, bis wann die Reihe läuft."),
                "invalid": _("Bitte ein Datum angeben, z. B. 01.04.2027."),
            },
            "duration_minutes": {
                "required": _("Bitte die Dauer in Minuten angeben."),
                "invalid": _("Bitte die Dauer als ganze Zahl von Minuten angeben."),
            },
            "every_weeks": {"invalid": _("Bitte eine ganze Zahl von Wochen angeben.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["every_weeks"].required = False
        # The bounds are checked below, with messages that say what is meant.
        for name in ("every_weeks", "duration_minutes"):
            self.fields[name].validators = []

    def clean_every_weeks(self):
        weeks = self.cleaned_data.get("every_weeks")
        rule = self.data.get(self.add_prefix("rule"))
        if rule != MeetingSeries.Rule.EVERY_WEEKS:
            # Not used by the quarterly rhythm: keep what the series had.
            if weeks is None or not 1 <= weeks <= series_services.MAX_EVERY_WEEKS:
                return self.instance.every_weeks
            return weeks
        if weeks is None:
            raise forms.ValidationError(_("Bitte angeben, alle wie viele Wochen die Reihe tagt."))
        return weeks

    def clean_duration_minutes(self):
        minutes = self.cleaned_data["duration_minutes"]
        if not 5 <= minutes <= 720:
            raise forms.ValidationError(
                _("Die Dauer muss zwischen 5 Minuten und 12 Stunden (720 Minuten) liegen.")
            )
        return minutes

    def clean_template_agenda(self):
        text = self.cleaned_data.get("template_agenda", "")
        series_services.parse_template_agenda(text)
        return text

    def clean(self):
        cleaned = super().clean()
        rule, weeks = cleaned.get("rule"), cleaned.get("every_weeks")
        first, until = cleaned.get("first_start"), cleaned.get("until")
        if (
            rule == MeetingSeries.Rule.EVERY_WEEKS
            and weeks is not None
            and not 1 <= weeks <= series_services.MAX_EVERY_WEEKS
        ):
            self.add_error(
                "every_weeks",
                _("Bitte einen Abstand von 1 bis %(max)d Wochen angeben.")
                % {"max": series_services.MAX_EVERY_WEEKS},
            )
            return cleaned
        if not (rule and first and until) or "every_weeks" in self.errors:
            return cleaned
        first_day = timezone.localtime(first).date()
        if until < first_day:
            self.add_error(
                "until", _("Das Ende der Reihe darf nicht vor dem ersten Termin liegen.")
            )
            return cleaned
        if until.year - first_day.year > series_services.MAX_YEARS or (
            until.year - first_day.year == series_services.MAX_YEARS
            and (until.month, until.day) > (first_day.month, first_day.day)
        ):
            self.add_error(
                "until",
                _("Eine Reihe kann höchstens %(n)d Jahre laufen; bitte ein früheres Ende wählen.")
                % {"n": series_services.MAX_YEARS},
            )
            return cleaned
        probe = MeetingSeries(rule=rule, first_start=first, every_weeks=weeks or 1, until=until)
        count = len(series_services.regular_dates(probe))
        if count == 0:
            self.add_error(
                "until",
                _(
                    "Bis zu diesem Datum hat die Reihe keinen Termin: der erste Termin im "
                    "Quartalsrhythmus liegt später."
                ),
            )
        elif count > series_services.MAX_OCCURRENCES:
            self.add_error(
                "until",
                _(
                    "Die Reihe hätte %(n)d Termine, höchstens %(max)d sind möglich; bitte ein "
                    "früheres Ende oder einen größeren Abstand wählen."
                )
                % {"n": count, "max": series_services.MAX_OCCURRENCES},
            )
        return cleaned
