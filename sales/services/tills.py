"""Tills and their sessions: a till set up by a manager, a session opened with a float, cash
put in or taken out, and the close that counts the drawer and stores the Z report.

Which session money belongs to (a completion, a cancellation's refund, a debt payment) is
decided by `sales.till_sessions.till_session_for_money`, below the receivables so that a
debt payment can ask it too; a session's totals are computed by `sales.till_totals`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.events import AuditEvent, audit_changes
from audit.services import audit_record
from pos_project.actors import Actor
from pos_project.bidi import isolate
from pos_project.errors import Conflict, Forbidden, invalid_field
from pos_project.languages import in_english
from pos_project.money import amount_within_limit, quantize
from sales.errors import ErrorCode
from sales.locks import sequence_take, till_lock, till_session_lock
from sales.models import (
    CashMovement,
    CashMovementType,
    Till,
    TillSession,
    TillSessionStatus,
    ZNumberSequence,
)
from sales.services.checks import check_amount
from sales.till_sessions import drawer_cash_check
from sales.till_totals import TillTotals, till_session_totals


def _require_manager(actor: Actor, message: str) -> None:
    if not actor.is_manager:
        raise Forbidden(
            "Permission denied",
            message,
            code=ErrorCode.MANAGER_REQUIRED,
        )


def _amount(value: Any, *, field: str, allow_zero: bool = False) -> Decimal:
    """A money amount from a body: two decimals at most, positive (or zero when allowed), up
    to `LARGEST_AMOUNT`."""
    amount = check_amount(value, field=field, code=ErrorCode.INVALID_AMOUNT)
    if amount < 0 or (amount == 0 and not allow_zero):
        raise invalid_field(
            field,
            _("The amount must be zero or more.")
            if allow_zero
            else _("The amount must be positive."),
            code=ErrorCode.INVALID_AMOUNT,
        )
    return amount


def _closed(session: TillSession) -> Conflict:
    return Conflict(
        "Till session is closed",
        _(
            "This session was closed (%(z_number)s); a closed session never changes. Open a "
            "new session on the till."
        )
        % {"z_number": session.z_number},
        code=ErrorCode.TILL_SESSION_CLOSED,
        current_status=session.status,
        z_number=session.z_number,
    )


# --- tills --------------------------------------------------------------------------------


def till_create(*, business, storefront, name: str, actor: Actor) -> Till:
    """A new till at one of the business's storefronts (managers and owners)."""
    _require_manager(actor, _("Only a manager or the owner may set up a till."))
    name = (name or "").strip()
    if not name:
        raise invalid_field("name", _("Give the till a name."), code=ErrorCode.TILL_NAME_REQUIRED)
    taken = invalid_field(
        "name",
        _("%(storefront)s already has a till named %(till)s.")
        % {"storefront": isolate(storefront.name), "till": isolate(name)},
        code=ErrorCode.TILL_NAME_TAKEN,
    )
    with transaction.atomic():
        if Till.objects.filter(storefront=storefront, name__iexact=name).exists():
            raise taken
        try:
            with transaction.atomic():
                till = Till.objects.create(business=business, storefront=storefront, name=name)
        except IntegrityError:
            # The same name created by another request in between.
            raise taken from None
        audit_record(
            business=business,
            actor=actor,
            event_type=AuditEvent.TILL_CREATED,
            description=f"{actor.name} set up till {name} at {storefront.name}.",
            event_data={"till_id": till.pk, "name": name, "storefront": storefront.pk},
        )
    return till


def _name_taken_elsewhere():
    return invalid_field(
        "name", _("Another till there has this name."), code=ErrorCode.TILL_NAME_TAKEN
    )


def till_update(*, till: Till, actor: Actor, name: str | None = None, is_active=None) -> Till:
    """Rename a till or (de)activate it (managers and owners). A till with an open session
    stays active until the session is closed."""
    _require_manager(actor, _("Only a manager or the owner may change a till."))
    with transaction.atomic():
        till = till_lock(till)
        before = {"name": till.name, "is_active": till.is_active}
        if name is not None and name.strip() and name.strip() != till.name:
            name = name.strip()
            taken = Till.objects.filter(storefront_id=till.storefront_id, name__iexact=name)
            if taken.exclude(pk=till.pk).exists():
                raise _name_taken_elsewhere()
            till.name = name
        if is_active is not None and is_active != till.is_active:
            if not is_active and till.sessions.filter(status=TillSessionStatus.OPEN).exists():
                raise Conflict(
                    "Till has an open session",
                    _("Close the till's open session before deactivating it."),
                    code=ErrorCode.TILL_HAS_OPEN_SESSION,
                )
            till.is_active = is_active
        changes = audit_changes(before, {"name": till.name, "is_active": till.is_active})
        if changes:
            try:
                with transaction.atomic():
                    till.save()
            except IntegrityError:
                # The same name given to another till there by another request in between.
                raise _name_taken_elsewhere() from None
            audit_record(
                business=till.business,
                actor=actor,
                event_type=AuditEvent.TILL_UPDATED,
                description=f"{actor.name} changed till {till.name}.",
                event_data={"till_id": till.pk, "changes": changes},
            )
    return till


# --- sessions -----------------------------------------------------------------------------


def _open_conflict(*, till: Till, actor: Actor) -> Conflict | None:
    """Why `actor` may not open `till` now, or None: the till or the user already has an
    OPEN session."""
    held = TillSession.objects.filter(till=till, status=TillSessionStatus.OPEN).first()
    if held is not None:
        return Conflict(
            "Till already open",
            _("%(till)s already has an open session; close it before opening another.")
            % {"till": isolate(till.name)},
            code=ErrorCode.TILL_ALREADY_OPEN,
            session=str(held.pk),
        )
    mine = TillSession.objects.filter(opened_by=actor.user, status=TillSessionStatus.OPEN).first()
    if mine is not None:
        return Conflict(
            "You already have an open session",
            _(
                "Close your open session before opening a till again; one person counts one "
                "drawer at a time."
            ),
            code=ErrorCode.USER_HAS_OPEN_SESSION,
            session=str(mine.pk),
        )
    return None


def till_session_open(*, till: Till, opening_float, actor: Actor) -> TillSession:
    """Open a session on `till` for `actor`, with the cash put in the drawer to start.

    At most one OPEN session per till and per user. The till is locked first, so two opens
    of one till and a deactivation queue up; two tills opened by one person at once are
    decided by the database's partial unique indexes, and the loser is a 409 like any other
    refusal.
    """
    if actor.user is None:
        raise Forbidden(
            "Person required",
            _(
                "A till session belongs to the person who counts its drawer; sign in as that "
                "person to open one."
            ),
            code=ErrorCode.PERSON_REQUIRED,
        )
    # Zero is a drawer that starts empty: a card-only counter, or no float kept overnight.
    opening_float = _amount(opening_float, field="opening_float", allow_zero=True)
    with transaction.atomic():
        # Locked before the checks, as a deactivation locks it: none slips in between the
        # check that the till is active and the new session.
        till = till_lock(till)
        if not till.is_active or not till.storefront.is_active:
            raise Conflict(
                "Till is inactive",
                _("%(till)s (or its storefront) is deactivated; open another till.")
                % {"till": isolate(till.name)},
                code=ErrorCode.TILL_INACTIVE,
            )
        conflict = _open_conflict(till=till, actor=actor)
        if conflict is not None:
            raise conflict
        try:
            with transaction.atomic():
                session = TillSession.objects.create(
                    business_id=till.business_id,
                    till=till,
                    opened_by=actor.user,
                    opening_float=opening_float,
                )
        except IntegrityError:
            # Another request opened the till, or another till for this user, in between.
            conflict = _open_conflict(till=till, actor=actor)
            if conflict is None:
                raise
            raise conflict from None
        audit_record(
            business=till.business,
            actor=actor,
            event_type=AuditEvent.TILL_OPENED,
            description=(
                f"{actor.name} opened {till.name} at {till.storefront.name} with a float of "
                f"{opening_float}."
            ),
            event_data={
                "session_id": session.pk,
                "till_id": till.pk,
                "till": till.name,
                "storefront": till.storefront.name,
                "opening_float": opening_float,
            },
        )
    session.till = till
    return session


def till_cash_move(
    *, session: TillSession, type: str, amount, reason: str, actor: Actor
) -> CashMovement:
    """Put cash into (PAY_IN) or take it out of (PAY_OUT) an open session's drawer, with a
    reason. The session's opener or a manager. A pay-out never takes more than the drawer
    is expected to hold (409 `not_enough_cash`)."""
    if type not in CashMovementType.values:
        raise invalid_field(
            "type",
            _("The type must be one of %(types)s.") % {"types": ", ".join(CashMovementType.values)},
            code=ErrorCode.INVALID_TYPE,
        )
    amount = _amount(amount, field="amount")
    reason = (reason or "").strip()
    if not reason:
        raise invalid_field(
            "reason",
            _("Say why the cash moves; the reason goes on the report."),
            code=ErrorCode.REASON_REQUIRED,
        )
    longest = CashMovement._meta.get_field("reason").max_length
    if len(reason) > longest:
        raise invalid_field(
            "reason",
            _("The reason may have at most %(most)s characters; it has %(count)s.")
            % {"most": longest, "count": len(reason)},
            code=ErrorCode.REASON_TOO_LONG,
        )
    with transaction.atomic():
        session = till_session_lock(pk=session.pk, business_id=session.business_id)
        _require_opener_or_manager(
            session,
            actor,
            _("Only the person who opened this session, or a manager, may move cash in it."),
        )
        if not session.is_open:
            raise _closed(session)
        totals = till_session_totals(session)
        totals.with_cash_movement(type=type, amount=amount).check_within_limit(field="amount")
        if type == CashMovementType.PAY_OUT:
            # The session is locked FOR NO KEY UPDATE, as every cash refund locks it.
            drawer_cash_check(
                session,
                cash_out=amount,
                show_expected=actor.is_manager,
                expected=totals.expected_cash,
            )
        movement = CashMovement.objects.create(
            session=session,
            type=type,
            amount=amount,
            reason=reason,
            created_by=actor.user,
            created_by_name=actor.name,
        )
        label = in_english(CashMovementType(type).label).lower()
        audit_record(
            business=session.business,
            actor=actor,
            event_type=AuditEvent.TILL_CASH_MOVED,
            description=(
                f"{actor.name} recorded a {label} of {amount} on {session.till.name}: {reason}"
            ),
            event_data={
                "session_id": session.pk,
                "movement_id": movement.pk,
                "type": type,
                "amount": amount,
                "reason": movement.reason,
            },
        )
    return movement


def _require_opener_or_manager(session: TillSession, actor: Actor, message: str) -> None:
    if session.opened_by_id != getattr(actor.user, "pk", None) and not actor.is_manager:
        raise Forbidden(
            "Not your session",
            message,
            code=ErrorCode.SESSION_NOT_YOURS,
        )


def till_session_close(
    *, session: TillSession, counted_cash, note: str = "", actor: Actor
) -> TillSession:
    """Count the drawer and close the session: its report's totals are stored at this
    moment (the Z report), it gets its Z number, and it never changes again.

    The opener or a manager. The session is locked first, so every completion, refund or
    debt payment holding it (`till_session_for_money`) has committed and is counted, and
    none can join it afterwards.
    """
    counted = _amount(counted_cash, field="counted_cash", allow_zero=True)
    note = (note or "").strip()
    with transaction.atomic():
        session = till_session_lock(pk=session.pk, business_id=session.business_id)
        _require_opener_or_manager(
            session,
            actor,
            _("Only the person who opened this session, or a manager, may close it."),
        )
        if not session.is_open:
            raise _closed(session)
        totals = till_session_totals(session)
        totals.check_within_limit(field="counted_cash")
        variance = amount_within_limit(
            counted - totals.expected_cash, field="counted_cash", what=_("The variance")
        )
        for name, value in totals.as_dict().items():
            setattr(session, name, value)
        # Taken in the closing transaction: gap-free, like receipt numbers.
        session.z_sequence = sequence_take(ZNumberSequence, business=session.business)
        session.z_number = ZNumberSequence.label(session.z_sequence)
        session.counted_cash = counted
        session.variance = quantize(variance)
        session.status = TillSessionStatus.CLOSED
        session.closed_by = actor.user
        session.closed_at = timezone.now()
        session.closing_note = note
        session.save()
        audit_record(
            business=session.business,
            actor=actor,
            event_type=AuditEvent.TILL_CLOSED,
            description=(
                f"{actor.name} closed {session.till.name} ({session.z_number}): expected "
                f"{totals.expected_cash}, counted {counted}, variance {session.variance}."
            ),
            event_data={
                "session_id": session.pk,
                "z_number": session.z_number,
                "expected_cash": totals.expected_cash,
                "counted_cash": counted,
                "variance": session.variance,
                "note": note,
                "totals": totals.as_dict(),
            },
        )
    return session


def till_session_report_totals(session: TillSession) -> TillTotals:
    """The X report's totals while the session is open, the stored Z report's once closed."""
    if session.is_open:
        return till_session_totals(session)
    return TillTotals.stored(session)
