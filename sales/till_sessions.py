"""Which till session money belongs to: the one rule every path that takes or gives back
money asks (a completion, the cancellation of a completed sale, a return's refund, a debt
payment).

It sits below the receivables (beside `sales.models` and `sales.locks`) so that recording a
debt payment can ask it too; the session's own transitions are in `sales.services.tills`.
"""

from __future__ import annotations

from pos_project.actors import Actor
from pos_project.errors import Conflict
from sales.errors import ErrorCode
from sales.locks import open_till_session_share
from sales.models import TillSession


def till_session_for_money(
    *, actor: Actor, business, storefront=None, moves_cash: bool
) -> TillSession | None:
    """The caller's OPEN till session that takes this money, share-locked; None if none.

    - `actor`: who takes or gives back the money; their own open session is the one.
    - `business`: the business the money belongs to (its `cash_control` setting decides).
    - `storefront`: where the money changes hands (a sale's storefront); the session's till
      must be there. None for money taken anywhere (a debt payment): any open session of
      the caller.
    - `moves_cash`: whether cash goes into or out of the drawer. With the business's
      `cash_control` on, cash without such a session is refused: `Conflict` with code
      `till_session_required`, naming the storefront, raised before anything changes in the
      caller's transaction. Card, mobile money and on-account money never need a session,
      but are attached to one when it is open, so its report shows every tender.

    Call it inside the caller's transaction, after locking the customer and the sale and
    before the sales a payment settles (docs/locking.md): the share lock holds the session
    open until the caller commits, so its money is either in the session's stored report or
    was refused.
    """
    session = None
    if actor.user is not None:
        session = open_till_session_share(
            user=actor.user,
            business_id=business.pk,
            storefront_id=storefront.pk if storefront is not None else None,
        )
    if session is None and moves_cash and business.cash_control:
        where = f" at {storefront.name}" if storefront is not None else ""
        details = {"storefront": str(storefront.pk)} if storefront is not None else {}
        raise Conflict(
            "Till session required",
            f"Cash is taken and given back only through an open till session. Open a till"
            f"{where} (POST /sales/api/tills/{{id}}/open/) and send this again.",
            code=ErrorCode.TILL_SESSION_REQUIRED,
            storefront_name=storefront.name if storefront is not None else None,
            **details,
        )
    return session
