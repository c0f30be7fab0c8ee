"""The back office's till forms: open a till, pay cash in or out, close a session.

Each is a `OneTimeForm` (one submission per rendered page, so a double click acts once)
whose cleaned data the views in `sales.admin_tills` hand to `sales.services.tills`.
"""

from django import forms
from django.utils.translation import gettext, gettext_lazy

from pos_project.admin_forms import OneTimeForm, money_form_field
from pos_project.money import ZERO
from sales.models import CashMovement, CashMovementType


class CloseSessionForm(OneTimeForm):
    counted_cash = money_form_field(
        gettext_lazy("Counted cash"),
        minimum=ZERO,
        help_text=gettext_lazy("The cash counted in the drawer."),
    )
    note = forms.CharField(
        label=gettext_lazy("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 50}),
        help_text=gettext_lazy("Why the manager closed it; kept with the Z report."),
    )


class OpenTillForm(OneTimeForm):
    till = forms.ChoiceField(
        label=gettext_lazy("Till"), help_text=gettext_lazy("A till with no open session yet.")
    )
    opening_float = money_form_field(
        gettext_lazy("Opening float"),
        minimum=ZERO,
        help_text=gettext_lazy(
            "The cash counted into the drawer to start; 0.00 for an empty drawer."
        ),
    )

    def __init__(self, *args, tills, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["till"].choices = [
            (
                str(till.pk),
                (
                    gettext("%(till)s (%(storefront)s), already open")
                    if till.open_sessions
                    else gettext("%(till)s (%(storefront)s)")
                )
                % {"till": till.name, "storefront": till.storefront.name},
            )
            for till in tills
        ]


class CashMovementForm(OneTimeForm):
    type = forms.ChoiceField(
        label=gettext_lazy("Cash"),
        choices=[
            (
                CashMovementType.PAY_IN,
                gettext_lazy("Pay in: cash put into the drawer (from the safe)"),
            ),
            (CashMovementType.PAY_OUT, gettext_lazy("Pay out: cash taken out of the drawer")),
        ],
        initial=CashMovementType.PAY_IN,
        widget=forms.RadioSelect,
    )
    amount = money_form_field(gettext_lazy("Amount"))
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=CashMovement._meta.get_field("reason").max_length,
        help_text=gettext_lazy("Printed on the session's report."),
    )
