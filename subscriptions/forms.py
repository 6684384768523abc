import time

from django import forms
from django.conf import settings
from django.core import signing
from django.utils.translation import gettext_lazy as _

from news.models import Section
from soest_office.forms import normalise_email
from soest_office.models import Municipality

from .models import Frequency

STARTED_SALT = "subscriptions.form-started"


class TopicsForm(forms.Form):
    sections = forms.ModelMultipleChoiceField(
        label=_("Rubriken"),
        queryset=Section.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Keine Auswahl: alle Rubriken."),
    )
    municipalities = forms.ModelMultipleChoiceField(
        label=_("Kommunen"),
        queryset=Municipality.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Keine Auswahl: Meldungen aus der ganzen Region."),
    )
    frequency = forms.ChoiceField(
        label=_("Wie oft?"),
        choices=Frequency.choices,
        initial=Frequency.IMMEDIATE,
        widget=forms.RadioSelect,
        error_messages={"required": _("Bitte wählen Sie, wie oft Sie Post erhalten möchten.")},
    )


class SubscribeForm(TopicsForm):
    email = forms.CharField(
        label=_("E-Mail-Adresse"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": _("Bitte geben Sie Ihre E-Mail-Adresse ein."),
            "max_length": _("Die E-Mail-Adresse darf höchstens %(limit_value)d Zeichen lang sein."),
        },
    )
    name = forms.CharField(
        label=_("Name (freiwillig)"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={
            "max_length": _("Der Name darf höchstens %(limit_value)d Zeichen lang sein.")
        },
    )
    consent = forms.BooleanField(
        label=_(
            "Ich willige ein, dass das Projektbüro mir die gewählten Meldungen per E-Mail "
            "schickt (Einwilligungstext oben)."
        ),
        error_messages={"required": _("Ohne Ihre Einwilligung können wir Ihnen nichts schicken.")},
    )
    # Honeypot: hidden from people (CSS and aria-hidden), bots fill it in.
    website = forms.CharField(label=_("Bitte leer lassen"), required=False)
    started = forms.CharField(widget=forms.HiddenInput, required=False)

    field_order = ["email", "name", "sections", "municipalities", "frequency", "consent"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["started"] = signing.dumps(time.time(), salt=STARTED_SALT)
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})

    def clean_email(self):
        return normalise_email(self.cleaned_data["email"])

    def clean_name(self):
        name = self.cleaned_data.get("name", "")
        if any(c in name for c in "\r\n\0"):
            raise forms.ValidationError(_("Der Name darf keine Zeilenumbrüche enthalten."))
        return " ".join(name.split())

    def is_bot(self) -> bool:
        return bool(self.data.get("website"))

    def too_fast(self) -> bool:
        """True when the form came back faster than a person fills it in, or without a valid
        start stamp (tampered or from a bot)."""
        try:
            started = signing.loads(self.data.get("started", ""), salt=STARTED_SALT, max_age=86400)
        except signing.BadSignature:
            return True
        return time.time() - float(started) < settings.SUBSCRIPTIONS_MIN_FILL_SECONDS
