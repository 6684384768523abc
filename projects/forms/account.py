"""The form of a user's own settings in the projects app."""

from django import forms

from ..models import ProjectUserSettings


class UserSettingsForm(forms.ModelForm):
    class Meta:
        model = ProjectUserSettings
        fields = ["mail_mode", "review_mail_mode"]
        widgets = {"mail_mode": forms.RadioSelect, "review_mail_mode": forms.RadioSelect}
