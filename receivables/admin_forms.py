"""The receivables' back-office forms ("Record payment", "Adjust credit", the statement's
dates, the Debtors filter), and a service's refusal said in the words of the form's own
controls."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pos_project.admin_forms import OneTimeForm, money_form_field
from pos_project.errors import DomainError
from receivables.admin_display import money_text
from receivables.models import AdjustmentType, DebtPaymentMethod
from receivables.reports import (
    BUCKET_LABELS,
)
from receivables.statements import STATEMENT_DAY_VALIDATORS
from sales.drawer_choice import drawer_refusal_words


class RecordPaymentForm(OneTimeForm):
    amount = money_form_field(gettext_lazy("Amount paid"))
    method = forms.ChoiceField(
        label=gettext_lazy("Paid by"),
        choices=DebtPaymentMethod.choices,
        initial=DebtPaymentMethod.CASH,
    )
    reference = forms.CharField(
        label=gettext_lazy("Reference"),
        max_length=100,
        required=False,
        help_text=gettext_lazy("Card slip or transfer id."),
    )
    note = forms.CharField(label=gettext_lazy("Note"), max_length=255, required=False)
    allow_overpayment = forms.BooleanField(
        label=gettext_lazy("Keep any amount above the debt as credit for the customer"),
        required=False,
    )


class AdjustCreditForm(OneTimeForm):
    type = forms.ChoiceField(
        label=gettext_lazy("Adjustment"),
        choices=[
            (AdjustmentType.ADD, gettext_lazy("Give credit (lowers what the customer owes)")),
            (AdjustmentType.DEDUCT, gettext_lazy("Take back credit held for the customer")),
        ],
        initial=AdjustmentType.ADD,
        widget=forms.RadioSelect,
    )
    amount = money_form_field(gettext_lazy("Amount"))
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 50}),
        help_text=gettext_lazy("Kept on the customer's statement and in the audit log."),
    )


class StatementRangeForm(forms.Form):
    since = forms.DateField(
        required=False, input_formats=["%Y-%m-%d"], validators=STATEMENT_DAY_VALIDATORS
    )
    until = forms.DateField(
        required=False, input_formats=["%Y-%m-%d"], validators=STATEMENT_DAY_VALIDATORS
    )

    def refusal(self) -> str:
        """What is wrong with the dates, in one sentence per problem."""
        return " ".join(
            f"{'' if name == '__all__' else name + ': '}{message}"
            for name, messages in self.errors.items()
            for message in messages
        )

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            raise forms.ValidationError(_("The first day comes after the last."))
        return cleaned


class DebtorsFilterForm(forms.Form):
    search = forms.CharField(label=gettext_lazy("Name or phone"), required=False, max_length=100)
    bucket = forms.ChoiceField(
        label=gettext_lazy("Money due"),
        required=False,
        choices=[("", gettext_lazy("Any age")), *BUCKET_LABELS.items()],
    )


OVERPAYMENT_BOX = RecordPaymentForm.base_fields["allow_overpayment"].label


def back_office_words(error: DomainError, business) -> str:
    """A service's refusal in the words of the page's own controls, amounts with currency.

    The services speak to API clients ("send allow_overpayment: true"); a manager on the
    form has a checkbox, not a JSON body.
    """

    def amount(key: str) -> str:
        return money_text(Decimal(error.details[key]), business)

    if error.code == "overpayment_not_allowed":
        return _(
            'The customer owes %(amount)s. Record at most that, or tick "%(box)s" to keep the '
            "extra as credit for them."
        ) % {"amount": amount("outstanding_balance"), "box": OVERPAYMENT_BOX}
    if error.code == "deposit_not_allowed":
        return _(
            "The customer owes %(amount)s. Keeping more than that as credit is a manager's "
            "decision: record at most what is owed, or ask a manager."
        ) % {"amount": amount("outstanding_balance")}
    drawer_words = drawer_refusal_words(error, business)
    if drawer_words is not None:
        return drawer_words
    if error.code == "deduction_exceeds_credit":
        return _(
            "The customer holds %(amount)s of credit; at most that can be taken back. To "
            "charge the customer for goods, sell on account at the till."
        ) % {"amount": amount("credit_held")}
    return error.message


def refusal_to_form(form: forms.Form, error: DomainError, business) -> None:
    """Put a service's refusal, once, on the field it names or on the form as a whole."""
    message = back_office_words(error, business)
    fields = error.details.get("fields") or {}
    placed = [name for name in fields if name in form.fields]
    if placed:
        form.add_error(placed[0], message)
    else:
        form.add_error(None, message)


# --- the chart --------------------------------------------------------------------------
