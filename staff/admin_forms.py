"""The forms of the kernel's back-office pages: the business's settings, a new staff member,
a new password."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from pos_project.business_choices import currency_choices, region_choices, time_zone_choices
from pos_project.models import Business, StaffMember
from staff.services import BUSINESS_EDITABLE_FIELDS


class BusinessForm(forms.ModelForm):
    """The business's settings, each code picked by a readable name in the page's language.

    The codes stored are those the API and `create_business` take (`MAD`, `MA`,
    `Africa/Casablanca`); the model's validators still check them when the service saves.
    """

    currency_code = forms.ChoiceField(choices=currency_choices, label=_("Currency"))
    default_region = forms.ChoiceField(
        choices=region_choices,
        label=_("Default region"),
        help_text=_("Phone numbers typed without a country code are read in this region."),
    )
    time_zone = forms.ChoiceField(choices=time_zone_choices, label=_("Time zone"))

    class Meta:
        model = Business
        fields = BUSINESS_EDITABLE_FIELDS


class StaffAddForm(forms.ModelForm):
    """A new person: their log-in and the role they start with, made by `staff_add`."""

    username = forms.CharField(max_length=150, label=_("Username"))
    full_name = forms.CharField(max_length=150, required=False, label=_("Full name"))
    password = forms.CharField(
        widget=forms.PasswordInput(render_value=False),
        label=_("Initial password"),
        help_text=_("Tell it to them; they log in at the till and here with it."),
    )

    class Meta:
        model = StaffMember
        fields = ["role"]


class StaffPasswordForm(forms.Form):
    password1 = forms.CharField(widget=forms.PasswordInput, label=_("New password"))
    password2 = forms.CharField(widget=forms.PasswordInput, label=_("New password again"))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password1") != cleaned.get("password2"):
            raise ValidationError(_("The two passwords differ; type the same one twice."))
        return cleaned
