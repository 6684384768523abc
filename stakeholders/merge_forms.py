"""The forms of a merge of two contacts: the pair, and the choice per field."""

from django import forms
from django.utils.translation import gettext_lazy as _


class MergeForm(forms.Form):
    """The two contacts of a merge, by number; the view loads them through the contact rule
    (404/403) and MergeChoiceForm takes the choices."""

    keep = forms.IntegerField(label=_("behalten"), min_value=1, max_value=2**63 - 1)
    merge = forms.IntegerField(label=_("zusammenführen"), min_value=1, max_value=2**63 - 1)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("keep") and cleaned.get("keep") == cleaned.get("merge"):
            raise forms.ValidationError(
                _("Ein Kontakt kann nicht mit sich selbst zusammengeführt werden.")
            )
        return cleaned


class MergeChoiceForm(forms.Form):
    """Per field where both contacts have a different value: which one stays (a radio whose
    value is the pk of the contact the value comes from). A value naming any other contact
    is refused, and so is a choice posted for a field that is not in conflict."""

    PREFIX = "choice_"

    def __init__(self, data=None, *, keep, merge, conflicts):
        super().__init__(data)
        self.keep, self.merge = keep, merge
        self.conflicts = conflicts
        for conflict in conflicts:
            self.fields[self.PREFIX + conflict.field] = forms.TypedChoiceField(
                label=conflict.label,
                coerce=int,
                widget=forms.RadioSelect,
                choices=[
                    (keep.pk, conflict.keep_value),
                    (merge.pk, conflict.merge_value),
                ],
                error_messages={
                    "required": _("Bitte wählen Sie, welcher Wert für »%(label)s« bleibt.")
                    % {"label": conflict.label},
                    "invalid_choice": self._third_contact_message(conflict.label),
                },
            )

    def _third_contact_message(self, label):
        return _(
            "Die Auswahl für »%(label)s« gehört zu keinem der beiden Kontakte (Nr. %(keep)s "
            "und Nr. %(merge)s). Es wurde nichts geändert."
        ) % {"label": label, "keep": self.keep.pk, "merge": self.merge.pk}

    def clean(self):
        cleaned = super().clean()
        conflicting = {self.PREFIX + c.field for c in self.conflicts}
        for key in self.data:
            if key.startswith(self.PREFIX) and key not in conflicting:
                value = self.data.get(key)
                if value not in (str(self.keep.pk), str(self.merge.pk)):
                    raise forms.ValidationError(
                        self._third_contact_message(key.removeprefix(self.PREFIX))
                    )
        return cleaned

    def choices(self) -> dict[str, int]:
        return {
            name.removeprefix(self.PREFIX): value
            for name, value in self.cleaned_data.items()
            if name.startswith(self.PREFIX)
        }

    def rows(self):
        """(conflict, bound field) for the template."""
        return [(c, self[self.PREFIX + c.field]) for c in self.conflicts]
