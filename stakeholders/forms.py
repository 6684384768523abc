import re

from django import forms
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from soest_office import access
from soest_office.access import CHANGE
from soest_office.locking import VersionedFormMixin
from soest_office.models import Municipality

from .lookups import DISTRIBUTION_LISTS, PROJECTS, TAGS, LookupField
from .models import (
    Contact,
    DistributionList,
    Interaction,
    Involvement,
    LegalBasisRecord,
    Organisation,
    Purpose,
    Tag,
)
from .rules import DISTRIBUTION_LIST
from .widgets import CompactSelect

PHONE_RE = re.compile(r"^\+?[0-9][0-9 ()/.\-]{3,29}$")


def validate_phone(value: str) -> str:
    value = (value or "").strip()
    if value and not PHONE_RE.match(value):
        raise forms.ValidationError(
            _(
                "»%(value)s« ist keine gültige Telefonnummer. Erlaubt sind Ziffern, "
                "Leerzeichen, +, /, - und Klammern, z. B. 02921 103-1234 oder +49 2921 1030."
            ),
            params={"value": value},
        )
    return value


GERMANY = {"", "de", "deu", "deutschland", "germany", "bundesrepublik deutschland"}
FOREIGN_POSTAL_CODE_RE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z \-]{1,9}$")


def postal_code_problem(code: str, country: str) -> str:
    """The German message for a postal code that cannot be right, or "" when it is fine:
    five digits in Germany (an empty country), letters, digits, blanks and dashes abroad."""
    code = (code or "").strip()
    if not code:
        return ""
    if (country or "").strip().lower() in GERMANY:
        if not re.fullmatch(r"\d{5}", code):
            return str(_("Eine deutsche Postleitzahl hat fünf Ziffern, nicht »%s«.") % code)
    elif not FOREIGN_POSTAL_CODE_RE.match(code):
        return str(_("Postleitzahl »%s« ist ungültig.") % code)
    return ""


class PostalAddressMixin:
    """Checks the postal code against the country (contacts and organisations)."""

    def clean(self):
        cleaned = super().clean()
        problem = postal_code_problem(cleaned.get("postal_code", ""), cleaned.get("country", ""))
        if problem and "postal_code" not in self.errors:
            self.add_error("postal_code", problem)
        return cleaned


def find_duplicates(*, email: str, first_name: str, last_name: str, organisation, exclude_pk=None):
    """Contacts that are probably the same person: same e-mail (any case), or the same name
    in the same organisation."""
    q = Q(pk__in=[])
    if email:
        q |= Q(email__iexact=email) | Q(email_secondary__iexact=email)
    if last_name and organisation is not None:
        q |= Q(
            first_name__iexact=first_name, last_name__iexact=last_name, organisation=organisation
        )
    qs = Contact.objects.filter(q)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs.select_related("organisation").order_by("pk")


def tags_named(names) -> list:
    """The tags of these names, creating the missing ones: one query, two when some are
    new, for any number of names."""
    names = sorted(set(names))
    if not names:
        return []
    tags = list(Tag.objects.filter(name__in=names))
    known = {tag.name for tag in tags}
    missing = [Tag(name=name) for name in names if name not in known]
    if missing:
        try:
            with transaction.atomic():
                tags += Tag.objects.bulk_create(missing)
        except IntegrityError:  # another request created one of them meanwhile (rare)
            tags = [Tag.objects.get_or_create(name=name)[0] for name in names]
    return tags


class ContactForm(VersionedFormMixin, PostalAddressMixin, forms.ModelForm):
    tag_names = forms.CharField(
        label=_("Schlagwörter"),
        required=False,
        help_text=_("Mehrere durch Komma trennen."),
    )
    confirm_duplicate = forms.BooleanField(
        label=_("Ich habe die möglichen Doppeleinträge geprüft und möchte trotzdem speichern."),
        required=False,
    )

    class Meta:
        model = Contact
        fields = [
            "salutation",
            "title",
            "first_name",
            "last_name",
            "organisation",
            "function",
            "email",
            "email_secondary",
            "phone",
            "mobile",
            "street",
            "postal_code",
            "city",
            "country",
            "municipality",
            "category",
            "preferred_language",
            "preferred_channel",
            "do_not_contact",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.duplicates = []
        organisations = Organisation.objects.visible_to(user)
        if self.instance.organisation_id:
            # Keep an organisation the office assigned even if the partner cannot see it.
            organisations = Organisation.objects.filter(
                Q(pk__in=organisations.values("pk")) | Q(pk=self.instance.organisation_id)
            )
        self.fields["organisation"].queryset = organisations
        if not access.is_office(user):
            # Partners keep contacts of their own municipality only.
            self.fields["municipality"].queryset = Municipality.objects.filter(
                pk=access.municipality_id_of(user)
            )
            self.fields["municipality"].required = True
            self.fields["municipality"].empty_label = None
        self.current_tags = list(self.instance.tags.all()) if self.instance.pk else []
        self.fields["tag_names"].initial = ", ".join(t.name for t in self.current_tags)

    def clean_phone(self):
        return validate_phone(self.cleaned_data.get("phone"))

    def clean_mobile(self):
        return validate_phone(self.cleaned_data.get("mobile"))

    def clean_last_name(self):
        value = self.cleaned_data["last_name"].strip()
        if not value:
            raise forms.ValidationError(_("Bitte geben Sie einen Nachnamen an."))
        return value

    def clean_tag_names(self):
        names = [n.strip()[:60] for n in self.cleaned_data.get("tag_names", "").split(",")]
        return sorted({n for n in names if n})

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        self.duplicates = list(
            find_duplicates(
                email=cleaned.get("email", ""),
                first_name=cleaned.get("first_name", ""),
                last_name=cleaned.get("last_name", ""),
                organisation=cleaned.get("organisation"),
                exclude_pk=self.instance.pk,
            )[:5]
        )
        if self.duplicates and not cleaned.get("confirm_duplicate"):
            raise forms.ValidationError(
                _(
                    "Möglicher Doppeleintrag: Es gibt bereits einen Kontakt mit derselben "
                    "E-Mail-Adresse oder demselben Namen in derselben Organisation. Bitte "
                    "prüfen Sie die Treffer unten und bestätigen Sie, wenn Sie trotzdem "
                    "speichern möchten."
                ),
                code="duplicate",
            )
        return cleaned

    def save(self, commit=True):
        contact = super().save(commit=False)
        if not contact.pk:
            contact.created_by = self.user
        if commit:
            contact.save()
            # Untouched tags stay (a new contact's empty field is untouched, too); a change
            # removes and adds against the tags read for the form, without reading them again.
            if "tag_names" in self.changed_data:
                wanted = {tag.pk: tag for tag in tags_named(self.cleaned_data["tag_names"])}
                current = {tag.pk for tag in self.current_tags}
                gone = current - set(wanted)
                if gone:
                    contact.tags.remove(*gone)
                new = [tag for pk, tag in wanted.items() if pk not in current]
                if new:
                    contact.tags.add(*new)
        return contact


class OrganisationForm(VersionedFormMixin, PostalAddressMixin, forms.ModelForm):
    class Meta:
        model = Organisation
        fields = [
            "name",
            "kind",
            "municipality",
            "street",
            "postal_code",
            "city",
            "country",
            "website",
            "phone",
            "email",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}
        field_classes = {"website": lambda **kw: forms.URLField(assume_scheme="https", **kw)}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if not access.is_office(user):
            self.fields["municipality"].queryset = Municipality.objects.filter(
                pk=access.municipality_id_of(user)
            )
            self.fields["municipality"].required = True
            self.fields["municipality"].empty_label = None

    def clean_phone(self):
        return validate_phone(self.cleaned_data.get("phone"))


class InteractionForm(forms.ModelForm):
    project = LookupField(lookup=PROJECTS, label=_("Projekt"), required=False)

    class Meta:
        model = Interaction
        fields = ["occurred_at", "channel", "project", "summary"]
        widgets = {
            "occurred_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
            "channel": CompactSelect,
            "summary": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].user = user
        self.fields["occurred_at"].initial = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
        self.fields["channel"].choices = [
            c for c in Interaction.Channel.choices if c[0] != Interaction.Channel.MAILING
        ]

    def clean_occurred_at(self):
        value = self.cleaned_data["occurred_at"]
        if value > timezone.now() + timezone.timedelta(days=1):
            raise forms.ValidationError(_("Ein Kontakt-Eintrag kann nicht in der Zukunft liegen."))
        return value


class LegalBasisForm(forms.Form):
    purpose = forms.ChoiceField(label=_("Zweck"), choices=Purpose.choices, widget=CompactSelect)
    status = forms.ChoiceField(
        label=_("Rechtsgrundlage"), choices=LegalBasisRecord.Status.choices, widget=CompactSelect
    )
    method = forms.ChoiceField(
        label=_("Art der Erteilung"),
        choices=[
            c
            for c in LegalBasisRecord.Method.choices
            if c[0] not in (LegalBasisRecord.Method.IMPORT, LegalBasisRecord.Method.MERGE)
        ],
        widget=CompactSelect,
    )
    effective_at = forms.DateTimeField(
        label=_("wirksam ab"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    source = forms.CharField(label=_("Vermerk"), max_length=255, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["effective_at"].initial = timezone.localtime().strftime("%Y-%m-%dT%H:%M")

    def clean_effective_at(self):
        value = self.cleaned_data["effective_at"]
        if value > timezone.now() + timezone.timedelta(minutes=5):
            raise forms.ValidationError(_("Das Datum darf nicht in der Zukunft liegen."))
        return value


class InvolvementForm(forms.ModelForm):
    project = LookupField(lookup=PROJECTS, label=_("Projekt"))

    class Meta:
        model = Involvement
        fields = ["project", "role", "note"]
        widgets = {"role": CompactSelect}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].user = user


class DistributionListForm(forms.ModelForm):
    class Meta:
        model = DistributionList
        fields = ["name", "purpose", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class BulkActionForm(forms.Form):
    ACTIONS = [("add_to_list", _("Zu Verteiler hinzufügen")), ("tag", _("Schlagwort vergeben"))]

    action = forms.ChoiceField(label=_("Aktion"), choices=ACTIONS, widget=CompactSelect)
    distribution_list = LookupField(lookup=DISTRIBUTION_LISTS, label=_("Verteiler"), required=False)
    tag = forms.CharField(
        label=_("Schlagwort"),
        max_length=60,
        required=False,
        widget=forms.TextInput(attrs={"list": TAGS.datalist_id}),
    )
    contacts = forms.ModelMultipleChoiceField(queryset=Contact.objects.none())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contacts"].queryset = Contact.objects.visible_to(user)
        self.fields["contacts"].error_messages["required"] = _(
            "Bitte wählen Sie mindestens einen Kontakt aus."
        )
        self.fields["distribution_list"].user = user
        if not DISTRIBUTION_LIST.permits(user, CHANGE):
            # Distribution lists belong to the office.
            self.fields["action"].choices = [("tag", _("Schlagwort vergeben"))]
            del self.fields["distribution_list"]

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("action") == "add_to_list"
            and not cleaned.get("distribution_list")
            and "distribution_list" not in self.errors
        ):
            self.add_error("distribution_list", _("Bitte wählen Sie einen Verteiler."))
        if cleaned.get("action") == "tag" and not (cleaned.get("tag") or "").strip():
            self.add_error("tag", _("Bitte geben Sie ein Schlagwort an."))
        return cleaned


class EraseConfirmForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Ich weiß, dass die Löschung nicht rückgängig gemacht werden kann."),
        error_messages={"required": _("Bitte bestätigen Sie, dass Sie löschen möchten.")},
    )


class EraseFinalForm(forms.Form):
    typed_name = forms.CharField(
        label=_("Zur zweiten Bestätigung den Nachnamen eingeben"), max_length=100
    )

    def __init__(self, *args, contact, **kwargs):
        super().__init__(*args, **kwargs)
        self.contact = contact

    def clean_typed_name(self):
        value = self.cleaned_data["typed_name"].strip()
        if value.casefold() != self.contact.last_name.strip().casefold():
            raise forms.ValidationError(
                _("Der eingegebene Name stimmt nicht mit dem Nachnamen des Kontakts überein.")
            )
        return value


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Datei (CSV oder XLSX)"),
        help_text=_("CSV mit Semikolon oder Komma, UTF-8 oder Windows-1252; oder Excel (.xlsx)."),
    )
