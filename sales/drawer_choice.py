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
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pos_project.errors import DomainError
from pos_project.money import format_money
from sales.till_sessions import drawer_label, drawers_to_choose

DRAWER_FIELD = "drawer"
OPEN_TILL_PAGE = gettext_lazy('Till sessions, "Open a till"')
PAY_IN_PAGE = gettext_lazy('Till sessions, "Pay in or out"')


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
    if own:
        help_text = (
            _("Your open till: the cash goes into it.")
            if into
            else _("Your open till: the cash comes out of it.")
        )
    else:
        help_text = (
            _("You have no till open: choose the open till whose drawer the cash goes into.")
            if into
            else _(
                "You have no till open: choose the open till whose drawer the cash comes out of."
            )
        )
    form.fields[DRAWER_FIELD] = forms.ChoiceField(
        label=_("Cash drawer"),
        required=False,
        choices=[("", _("No drawer (no cash moves)"))]
        + [(str(session.pk), drawer_label(session)) for session in drawers],
        initial=str(drawers[0].pk) if own else "",
        help_text=help_text,
    )


def chosen_drawer(form: forms.Form):
    """The drawer chosen on `form` (a session id as text), or None."""
    return form.cleaned_data.get(DRAWER_FIELD) or None


def drawer_refusal_words(error: DomainError, business) -> str | None:
    """A drawer refusal said with the back office's buttons and pages; None for any other."""
    if error.code == "till_session_required":
        where = error.details.get("storefront_name")
        if where:
            return _(
                "Cash goes through a till's drawer at %(storefront)s. Choose the drawer under "
                '"Cash drawer", or, if no till is open, open one (%(page)s) and come back.'
            ) % {"storefront": where, "page": OPEN_TILL_PAGE}
        return _(
            'Cash goes through a till\'s drawer. Choose the drawer under "Cash drawer", or, if '
            "no till is open, open one (%(page)s) and come back."
        ) % {"page": OPEN_TILL_PAGE}
    if error.code == "not_enough_cash":
        expected = format_money(Decimal(error.details["expected_cash"]), business.currency_symbol)
        asked = format_money(Decimal(error.details["requested"]), business.currency_symbol)
        return _(
            "The drawer is expected to hold %(expected)s; %(amount)s cannot come out of it. Put "
            "cash in from the safe first (%(page)s), or give the money back another way."
        ) % {"expected": expected, "amount": asked, "page": PAY_IN_PAGE}
    if error.code == "drawer_not_open":
        return _("The drawer chosen was closed meanwhile: choose another open till.")
    return None
