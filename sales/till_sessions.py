"""Which till session money belongs to: the one rule every path that takes or gives back
money asks (a completion, the cancellation of a completed sale, a return's refund, a debt
payment), and the one check that a drawer never gives back more cash than it holds.

It sits below the receivables (beside `sales.models` and `sales.locks`) so that recording a
debt payment can ask it too; the session's own transitions are in `sales.services.tills`.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from pos_project.actors import Actor, display_name
from pos_project.bidi import isolate
from pos_project.errors import Conflict, Forbidden
from pos_project.money import ZERO
from sales.errors import ErrorCode
from sales.locks import open_till_session_for_money
from sales.models import TillSession, TillSessionStatus
from sales.till_totals import till_session_totals


def till_session_for_money(
    *,
    actor: Actor,
    business,
    storefront=None,
    moves_cash: bool,
    cash_out: Decimal = ZERO,
    drawer=None,
) -> TillSession | None:
    """The OPEN till session that takes or gives back this money, locked; None if none.

    - `actor`: who takes or gives back the money; their own open session is the one, unless
      `drawer` names another.
    - `business`: the business the money belongs to (its `cash_control` setting decides).
    - `storefront`: where the money changes hands (a sale's storefront); the session's till
      must be there. None for money taken anywhere (a debt payment): any open session.
    - `moves_cash`: whether cash goes into or out of the drawer. With the business's
      `cash_control` on, cash without such a session is refused: `Conflict` with code
      `till_session_required`, naming the storefront, raised before anything changes in the
      caller's transaction. Card, mobile money and on-account money never need a session,
      but are attached to one when it is open, so its report shows every tender.
    - `cash_out`: the cash that leaves the drawer (a refund). More than the session's
      expected cash is refused: `Conflict` with code `not_enough_cash`.
    - `drawer`: the id of an open session chosen in the back office (`drawers_to_choose`),
      for a manager who has none of their own; a cashier may name only their own.

    Call it inside the caller's transaction, after locking the customer and the sale and
    before the sales a payment settles (docs/locking.md): the lock holds the session open
    until the caller commits, so its money is either in the session's stored report or was
    refused.
    """
    session = None
    if drawer:
        session = open_till_session_for_money(
            business_id=business.pk,
            session_id=drawer,
            storefront_id=storefront.pk if storefront is not None else None,
            exclusive=cash_out > 0,
        )
        if session is None:
            raise Conflict(
                "Drawer not open",
                _(
                    "The drawer chosen is no longer open here (it was closed meanwhile). "
                    "Choose another open till, or open one, and try again."
                ),
                code=ErrorCode.DRAWER_NOT_OPEN,
                drawer=str(drawer),
            )
        if session.opened_by_id != getattr(actor.user, "pk", None) and not actor.is_manager:
            raise Forbidden(
                "Not your session",
                _("Only a manager may put money into or take it out of another person's drawer."),
                code=ErrorCode.SESSION_NOT_YOURS,
            )
    elif actor.user is not None:
        session = open_till_session_for_money(
            business_id=business.pk,
            user=actor.user,
            storefront_id=storefront.pk if storefront is not None else None,
            exclusive=cash_out > 0,
        )
    if session is None and moves_cash and business.cash_control:
        details = {"storefront": str(storefront.pk)} if storefront is not None else {}
        if storefront is not None:
            message = _(
                "Cash is taken and given back only through an open till session at "
                "%(storefront)s. Open a till and send this again."
            ) % {"storefront": isolate(storefront.name)}
        else:
            message = _(
                "Cash is taken and given back only through an open till session. Open a till "
                "and send this again."
            )
        raise Conflict(
            "Till session required",
            message,
            code=ErrorCode.TILL_SESSION_REQUIRED,
            storefront_name=storefront.name if storefront is not None else None,
            **details,
        )
    if session is not None and cash_out > 0:
        drawer_cash_check(session, cash_out=cash_out, show_expected=actor.is_manager)
    return session


def drawer_cash_check(
    session: TillSession,
    *,
    cash_out: Decimal,
    show_expected: bool,
    expected: Decimal | None = None,
) -> None:
    """Refuse (`not_enough_cash`) `cash_out` leaving `session`'s drawer when the drawer is
    expected to hold less (`expected`, when the caller has the session's totals already).
    The caller holds the session locked `FOR NO KEY UPDATE`, so no other cash leaves it
    meanwhile. The refusal names the expected cash only to a viewer who may see it
    (`show_expected`): a cashier counts the drawer blind, so theirs does not."""
    if expected is None:
        expected = till_session_totals(session).expected_cash
    if cash_out <= expected:
        return
    advice = _("Put cash in from the safe first (a pay-in), or give the money back another way.")
    till = isolate(session.till.name)
    if not show_expected:
        raise Conflict(
            "Not enough cash",
            _("The drawer of %(till)s does not hold %(amount)s in cash. %(advice)s")
            % {"till": till, "amount": cash_out, "advice": advice},
            code=ErrorCode.NOT_ENOUGH_CASH,
            requested=str(cash_out),
            session=str(session.pk),
        )
    raise Conflict(
        "Not enough cash",
        _(
            "The drawer of %(till)s is expected to hold %(expected)s; %(amount)s cannot come "
            "out of it. %(advice)s"
        )
        % {"till": till, "expected": expected, "amount": cash_out, "advice": advice},
        code=ErrorCode.NOT_ENOUGH_CASH,
        expected_cash=str(expected),
        requested=str(cash_out),
        session=str(session.pk),
    )


def drawer_label(session: TillSession) -> str:
    """A drawer as a manager picks it: the till and who holds it."""
    return f"{session.till.name} ({display_name(session.opened_by)})"


def drawer_audit(session: TillSession | None) -> dict:
    """What an audit entry keeps of the drawer money went into or out of: the session, its
    till and who holds it (who acted is the entry's own actor)."""
    if session is None:
        return {"till_session": None}
    return {
        "till_session": session.pk,
        "till": session.till.name,
        "drawer_holder": display_name(session.opened_by),
    }


def drawer_words(session: TillSession | None, *, into: bool) -> str:
    """ " into the drawer of Till 1 (held by ...)", for an audit description; "" if none."""
    if session is None:
        return ""
    return f" {'into' if into else 'out of'} the drawer of {drawer_label(session)}"


def drawers_to_choose(*, user, business, storefront=None) -> QuerySet[TillSession]:
    """The drawers a back-office cash action may use: the user's own OPEN session (at
    `storefront` when given) if they have one, else every OPEN session there."""
    sessions = (
        TillSession.objects.filter(business=business, status=TillSessionStatus.OPEN)
        .select_related("till", "opened_by")
        .order_by("till__name", "id")
    )
    if storefront is not None:
        sessions = sessions.filter(till__storefront=storefront)
    own = sessions.filter(opened_by=user)
    return own if own.exists() else sessions
