"""The form of a user's own settings in the projects app."""

from django import forms

from ..models import ProjectUserSettings


class UserSettingsForm(forms.ModelForm):
    class Meta:
        model = ProjectUserSettings
        fields = ["mail_mode", "review_mail_mode"]
        widgets = {"mail_mode": forms.RadioSelect, "review_mail_mode": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Not sent (an older form, a script setting only the mail mode): kept as it is.
        self.fields["review_mail_mode"].required = False

    def clean_review_mail_mode(self):
        return self.cleaned_data.get("review_mail_mode") or self.instance.review_mail_mode
