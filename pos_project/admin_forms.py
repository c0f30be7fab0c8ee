"""Back-office action forms that move money or stock run once per rendered form.

Each form carries an idempotency key made when the page is rendered. Submitting it goes
through the API's own `run_once`: a double click, or the browser sending the page again,
gets the first submit's result instead of a second payment, credit or stock movement.
"""

import uuid
from collections.abc import Callable
from decimal import Decimal

from django import forms

from pos_project.idempotency import MAX_KEY_LENGTH, Replay, fingerprint_of, run_once
from pos_project.money import CENT, LARGEST_AMOUNT, MAX_DIGITS


def money_form_field(label, *, minimum: Decimal = CENT, **kwargs) -> forms.DecimalField:
    """An amount typed in the back office: cents, at least `minimum`, at most what a money
    column holds, right-aligned as the pages show figures (the browser's number input gets
    its step, min and max from the field)."""
    return forms.DecimalField(
        label=label,
        max_digits=MAX_DIGITS,
        decimal_places=2,
        min_value=minimum,
        max_value=LARGEST_AMOUNT,
        widget=forms.NumberInput(attrs={"class": "money-input"}),
        **kwargs,
    )


def _new_key() -> str:
    return str(uuid.uuid4())


class OneTimeForm(forms.Form):
    # Callable: a fresh key every time the empty form is rendered; a bound form (an error
    # shown again) keeps the key it was submitted with.
    idempotency_key = forms.CharField(
        widget=forms.HiddenInput, max_length=MAX_KEY_LENGTH, initial=_new_key
    )

    def service_fields(self) -> dict:
        """The form's fields as a service takes them: all but the form's one-time key."""
        return {
            name: value for name, value in self.cleaned_data.items() if name != "idempotency_key"
        }

    def submit_once(self, request, *, business, work: Callable[[], str]) -> str:
        """Run `work` (the service call, returning its success message) once for this form.

        A repeated submit returns the first run's message; a refusal (DomainError) stores
        nothing, so the corrected form can be sent again.
        """
        fields = self.service_fields()
        result = run_once(
            business=business,
            user=request.user,
            key=self.cleaned_data["idempotency_key"],
            fingerprint=fingerprint_of(method=request.method, path=request.path, body=fields),
            work=work,
            outcome=lambda message: Replay(status=200, body={"message": message}),
        )
        return result.body["message"] if isinstance(result, Replay) else result

    def show_refusal(self, error) -> None:
        """A service's refusal (a DomainError) on the form: its fields' problems beside
        them, else its message above the form."""
        fields = error.details.get("fields") or {}
        for name, problems in fields.items():
            for problem in problems:
                self.add_error(name if name in self.fields else None, problem)
        if not fields:
            self.add_error(None, error.message)
