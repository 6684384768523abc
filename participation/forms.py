"""Forms of participation: the public contribution and support forms (honeypot, signed
start stamp, length limits, text checks) and the office's settings and moderation forms."""

from __future__ import annotations

import time

from django import forms
from django.conf import settings
from django.core import signing
from django.utils.translation import gettext_lazy as _

from soest_office.forms import normalise_email

from .models import Contribution, Participation
from .text import TextProblem, clean_text

STARTED_SALT = "participation.form-started"


class _Protected(forms.Form):
    """Honeypot and minimum fill time, without tracking and without a captcha."""

    website = forms.CharField(label=_("Bitte leer lassen"), required=False)
    started = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["started"] = signing.dumps(time.time(), salt=STARTED_SALT)

    def is_bot(self) -> bool:
        return bool(self.data.get("website"))

    def too_fast(self) -> bool:
        try:
            started = signing.loads(self.data.get("started", ""), salt=STARTED_SALT, max_age=86400)
        except signing.BadSignature:
            return True
        return time.time() - float(started) < settings.PARTICIPATION_MIN_FILL_SECONDS

    def _checked(self, name, *, multiline=False, scripts=True):
        try:
            return clean_text(
                self.cleaned_data.get(name, ""), multiline=multiline, check_scripts=scripts
            )
        except TextProblem as exc:
            raise forms.ValidationError(str(exc)) from None

    def clean_email(self):
        value = self.cleaned_data.get("email", "")
        return normalise_email(value) if value.strip() else ""


def _max(label):
    return {
        "max_length": _("%(label)s darf höchstens %%(limit_value)d Zeichen lang sein.")
        % {"label": label}
    }


class ContributionForm(_Protected):
    kind = forms.ChoiceField(
        label=_("Art des Beitrags"),
        choices=Contribution.Kind.choices,
        initial=Contribution.Kind.IDEA,
        widget=forms.RadioSelect,
        error_messages={"required": _("Bitte wählen Sie: Idee oder Hinweis.")},
    )
    title = forms.CharField(
        label=_("Titel"),
        max_length=120,
        error_messages={"required": _("Bitte geben Sie einen Titel ein."), **_max(_("Der Titel"))},
    )
    text = forms.CharField(
        label=_("Ihr Beitrag"),
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Bitte schreiben Sie Ihren Beitrag.")},
    )
    category = forms.ChoiceField(label=_("Kategorie (freiwillig)"), required=False)
    author_name = forms.CharField(
        label=_("Name (freiwillig)"),
        max_length=80,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages=_max(_("Der Name")),
    )
    show_name = forms.BooleanField(label=_("Meinen Namen beim Beitrag zeigen"), required=False)
    email = forms.CharField(
        label=_("E-Mail-Adresse (freiwillig, nur für Antworten)"),
        max_length=254,
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_(
            "Nur wenn Sie über die Antwort informiert werden möchten. Sie wird nie "
            "veröffentlicht; Sie bestätigen sie über einen Link (Double-Opt-in)."
        ),
        error_messages=_max(_("Die E-Mail-Adresse")),
    )
    contact_consent = forms.BooleanField(
        label=_("Das Projektbüro darf meinen Beitrag meinem Kontakt zuordnen (freiwillig)."),
        required=False,
    )
    consent = forms.BooleanField(
        label=_("Ich habe die Hinweise zum Datenschutz oben gelesen und bin einverstanden."),
        error_messages={
            "required": _("Ohne Ihr Einverständnis können wir den Beitrag nicht annehmen.")
        },
    )

    field_order = [
        "kind", "title", "text", "category", "author_name", "show_name", "email",
        "contact_consent", "consent",
    ]  # fmt: skip

    def __init__(self, *args, participation: Participation, **kwargs):
        super().__init__(*args, **kwargs)
        self.participation = participation
        self.fields["category"].choices = [("", _("– keine –"))] + [
            (c, c) for c in participation.category_list
        ]
        if not participation.category_list:
            del self.fields["category"]
        limit = settings.PARTICIPATION_TEXT_MAX
        self.fields["text"].max_length = limit
        self.fields["text"].validators.append(forms.CharField(max_length=limit).validators[0])
        self.fields["text"].error_messages["max_length"] = _(
            "Der Beitrag darf höchstens %(limit_value)d Zeichen lang sein."
        )
        self.fields["text"].widget.attrs["maxlength"] = str(limit)

    def clean_title(self):
        return self._checked("title")

    def clean_text(self):
        return self._checked("text", multiline=True, scripts=False)

    def clean_author_name(self):
        value = self.cleaned_data.get("author_name", "")
        if any(c in value for c in "\r\n"):
            raise forms.ValidationError(_("Der Name darf keine Zeilenumbrüche enthalten."))
        return self._checked("author_name")

    def clean(self):
        data = super().clean()
        if data.get("show_name") and not data.get("author_name"):
            self.add_error("author_name", _("Bitte geben Sie den Namen ein, der erscheinen soll."))
        if data.get("contact_consent") and not data.get("email"):
            self.add_error(
                "email", _("Für die Zuordnung zu Ihrem Kontakt brauchen wir Ihre E-Mail-Adresse.")
            )
        return data


class SupportForm(_Protected):
    email = forms.CharField(
        label=_("Ihre E-Mail-Adresse"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_(
            "Sie erhalten einen Bestätigungslink. Jede Adresse zählt einmal; gespeichert bleibt "
            "nur eine Prüfsumme, nicht die Adresse."
        ),
        error_messages={
            "required": _("Bitte geben Sie Ihre E-Mail-Adresse ein."),
            **_max(_("Die E-Mail-Adresse")),
        },
    )


class ParticipationForm(forms.ModelForm):
    class Meta:
        model = Participation
        fields = ["enabled", "question", "starts_on", "ends_on", "categories"]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "categories": forms.Textarea(attrs={"rows": 4}),
        }

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("Das Ende liegt vor dem Beginn."))
        return data


class ModerationForm(forms.Form):
    ACTIONS = [
        ("accept", _("annehmen und veröffentlichen")),
        ("reject", _("ablehnen (mit Grund)")),
        ("merge", _("mit einem anderen Beitrag zusammenführen (Dublette)")),
    ]
    action = forms.ChoiceField(label=_("Entscheidung"), choices=ACTIONS, widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Grund (bei Ablehnung; geht an die Verfasserin oder den Verfasser)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )
    merge_into = forms.ModelChoiceField(
        label=_("Zusammenführen mit"), queryset=Contribution.objects.none(), required=False
    )

    def __init__(self, *args, contribution: Contribution, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["merge_into"].queryset = Contribution.objects.filter(
            participation_id=contribution.participation_id,
            status=Contribution.Status.ACCEPTED,
        ).exclude(pk=contribution.pk)

    def clean(self):
        data = super().clean()
        if data.get("action") == "reject" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Bitte nennen Sie einen Grund für die Ablehnung."))
        if data.get("action") == "merge" and not data.get("merge_into"):
            self.add_error("merge_into", _("Bitte wählen Sie den veröffentlichten Beitrag."))
        return data


class AnswerForm(forms.Form):
    answer_status = forms.ChoiceField(
        label=_("Stand"),
        choices=[c for c in Contribution.Answer.choices if c[0]],
        error_messages={"required": _("Bitte wählen Sie den Stand.")},
    )
    answer_text = forms.CharField(
        label=_("Antwort des Projektbüros (mit Grund)"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
        error_messages={"required": _("Bitte schreiben Sie die Antwort mit Grund.")},
    )


class OfficeFilterForm(forms.Form):
    project = forms.ChoiceField(label=_("Projekt"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("alle")), *Contribution.Status.choices],
    )

    def __init__(self, *args, participations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].choices = [
            ("", _("alle")),
            *((p.project.slug, str(p.project)) for p in participations),
        ]
