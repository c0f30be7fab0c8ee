"""The drawer a back-office cash action uses, as a form field, and a drawer refusal in the
words of the back office.

A debt payment, the cancellation of a cash sale and a cash refund in the back office name
the drawer the money goes into or out of: the manager's own open session at that
storefront, or, when the manager has none, one chosen among the open sessions there (the
till's name and who holds it). The services take the choice as `drawer`
(`sales.till_sessions.till_session_for_money`).

Below the receivables, beside `sales.till_sessions`, so that "Record payment" uses it too.
"""

from __future__ import annotations

from decimal import Decimal

from django import forms

from pos_project.errors import DomainError
from pos_project.money import format_money
from sales.till_sessions import drawer_label, drawers_to_choose

DRAWER_FIELD = "drawer"
OPEN_TILL_PAGE = 'Till sessions, "Open a till"'
PAY_IN_PAGE = 'Till sessions, "Pay in or out"'


def add_drawer_field(form: forms.Form, *, user, business, storefront=None, into: bool) -> None:
    """Add the "Cash drawer" choice to `form`, when any drawer is open there.

    The manager's own open session is the only choice, chosen already; otherwise every open
    session at `storefront` (anywhere for a debt payment), none chosen yet. Not required:
    card and mobile money need no drawer; the service refuses cash without one.
    """
    drawers = list(drawers_to_choose(user=user, business=business, storefront=storefront))
    if not drawers:
        return
    own = len(drawers) == 1 and drawers[0].opened_by_id == user.pk
    way = "goes into" if into else "comes out of"
    form.fields[DRAWER_FIELD] = forms.ChoiceField(
        label="Cash drawer",
        required=False,
        choices=[("", "No drawer (no cash moves)")]
        + [(str(session.pk), drawer_label(session)) for session in drawers],
        initial=str(drawers[0].pk) if own else "",
        help_text=(
            f"Your open till: the cash {way} it."
            if own
            else f"You have no till open: choose the open till whose drawer the cash {way}."
        ),
    )


def chosen_drawer(form: forms.Form):
    """The drawer chosen on `form` (a session id as text), or None."""
    return form.cleaned_data.get(DRAWER_FIELD) or None


def drawer_refusal_words(error: DomainError, business) -> str | None:
    """A drawer refusal said with the back office's buttons and pages; None for any other."""
    if error.code == "till_session_required":
        where = error.details.get("storefront_name")
        return (
            f"Cash goes through a till's drawer{f' at {where}' if where else ''}. Choose the "
            f'drawer under "Cash drawer", or, if no till is open, open one ({OPEN_TILL_PAGE}) '
            "and come back."
        )
    if error.code == "not_enough_cash":
        expected = format_money(Decimal(error.details["expected_cash"]), business.currency_symbol)
        asked = format_money(Decimal(error.details["requested"]), business.currency_symbol)
        return (
            f"The drawer is expected to hold {expected}; {asked} cannot come out of it. Put "
            f"cash in from the safe first ({PAY_IN_PAGE}), or give the money back another way."
        )
    if error.code == "drawer_not_open":
        return "The drawer chosen was closed meanwhile: choose another open till."
    return None
