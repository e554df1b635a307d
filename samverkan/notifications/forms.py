from django import forms
from django.utils.translation import gettext_lazy as _

from samverkan.forms import ModelForm
from samverkan.notifications.models import Preference


class PreferenceForm(ModelForm):
    class Meta(ModelForm.Meta):
        model = Preference
        fields = ["email"]
        widgets = {"email": forms.RadioSelect}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_email(self):
        choice = self.cleaned_data["email"]
        if choice != Preference.Email.OFF and not self.user.email:
            raise forms.ValidationError(
                _(
                    "Ditt konto har ingen e-postadress, så Samverkan kan inte skicka e-post till "
                    "dig. Välj ”Ingen e-post” eller be systemadministratören lägga till adressen."
                )
            )
        return choice
