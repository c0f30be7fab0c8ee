"""Row locks on sales, till sessions and the receipt, return and Z sequences: the one place
each is locked for a change.

Where these sit in the order every change takes its locks: docs/locking.md (the sale after
its customer, then the till session its money goes to, then the sales a payment settles,
oldest first; the receipt, return or Z sequence after the stock). Keys never change, so
every lock here is `FOR NO KEY UPDATE`, except the share lock money takes on its till
session.
"""

import uuid
from dataclasses import dataclass

from django.db import connections, router

from sales.models import (
    Sale,
    SaleStatus,
    Till,
    TillSession,
    TillSessionStatus,
)
from sales.models.sequences import BusinessSequence


@dataclass(frozen=True)
class SaleRef:
    """A sale named by its id within the caller's business, for a service that locks it.

    Not a row: it has no status or totals that could pass for the sale's own, and
    `sale_lock` finds nothing (`Sale.DoesNotExist`) for another business's sale.
    """

    pk: uuid.UUID
    business_id: uuid.UUID


def sale_lock(sale: Sale | SaleRef) -> Sale:
    """`sale` again, locked: found by its id within its business.

    A `SaleRef` made of an id and the caller's business finds nothing for another
    business's sale (`Sale.DoesNotExist`), so callers need no lookup of their own.
    """
    # FOR UPDATE OF the sale alone: over the join it would also lock the business row and
    # queue every till of the shop behind this one sale. The joined rows are what the
    # services and the sale's API answer read, so neither reads them again.
    return (
        Sale.objects.select_for_update(of=("self",), no_key=True)
        .select_related("business", "storefront", "customer", "created_by")
        .get(pk=sale.pk, business_id=sale.business_id)
    )


def unpaid_sales_lock(*, customer) -> list[Sale]:
    """The customer's completed sales with money still due, locked, oldest first: the order
    credits settle them in."""
    return list(
        Sale.objects.filter(customer=customer, status=SaleStatus.COMPLETED, amount_due__gt=0)
        .order_by("completed_at", "id")
        .select_for_update(no_key=True)
    )


def sales_of_customers_lock(customer_ids: list) -> list[Sale]:
    """Every sale of the customers `customer_ids`, locked `FOR UPDATE` (a cleanup may delete
    them) in primary-key order, after those customers."""
    return list(
        Sale.objects.select_for_update().filter(customer_id__in=customer_ids).order_by("pk")
    )


def sequence_take(model: type[BusinessSequence], *, business, count: int = 1) -> int:
    """Take the business's next `count` numbers of `model` (a `BusinessSequence`): its
    row incremented and locked (`FOR NO KEY UPDATE`, as any UPDATE that keeps the key)
    until the caller's transaction ends; answers the last number taken.

    One statement, `UPDATE ... SET last_number = last_number + n ... RETURNING`, where
    reading the row locked and saving it took two. Django's `QuerySet.update` cannot
    return the new value, hence the SQL, built from the model's table and columns.
    """
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    last_number = quote(model._meta.get_field("last_number").column)
    key = model._meta.get_field("business")
    statement = (
        f"UPDATE {quote(model._meta.db_table)} SET {last_number} = {last_number} + %s "
        f"WHERE {quote(key.column)} = %s RETURNING {last_number}"
    )
    params = [count, key.get_db_prep_value(business.pk, connection)]
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        row = cursor.fetchone()
        if row is None:
            # The business's first number: the row is made once (a concurrent first
            # number finds it made), then taken like any other time.
            model.objects.get_or_create(business_id=business.pk)
            cursor.execute(statement, params)
            row = cursor.fetchone()
    return row[0]


def till_lock(till: Till) -> Till:
    """`till` again, locked to rename or (de)activate it, or to open a session on it."""
    # OF the till alone: over the join it would also lock the business and the storefront.
    return (
        Till.objects.select_for_update(of=("self",), no_key=True)
        .select_related("business", "storefront")
        .get(pk=till.pk)
    )


def till_session_lock(*, pk, business_id) -> TillSession:
    """The till session `pk` of the business, locked to change it (a cash movement, the
    close); `TillSession.DoesNotExist` for another business's session."""
    return (
        TillSession.objects.select_for_update(of=("self",), no_key=True)
        .select_related("till", "till__storefront", "opened_by", "business")
        .get(pk=pk, business_id=business_id)
    )


def _open_sessions_locked(sessions, *, exclusive: bool) -> TillSession | None:
    """The first of `sessions` (OPEN till sessions), locked: `FOR NO KEY UPDATE` when
    `exclusive`, else `FOR SHARE`. Django has no share lock, hence the clause added to the
    query's SQL."""
    connection = connections[router.db_for_write(TillSession)]
    if connection.vendor != "postgresql":
        # No row locks there: one writer at a time already keeps a close out.
        return sessions.first()
    if exclusive:
        return (
            sessions.select_for_update(of=("self",), no_key=True)
            .select_related("till", "opened_by")
            .first()
        )
    sql, params = sessions.query.sql_with_params()
    table = TillSession._meta.db_table
    found = list(TillSession.objects.raw(f'{sql} FOR SHARE OF "{table}"', params))
    return found[0] if found else None


def open_till_session_for_money(
    *, business_id, user=None, session_id=None, storefront_id=None, exclusive: bool = False
) -> TillSession | None:
    """An OPEN till session money goes into or out of, locked; None if there is none.

    The session `session_id` (a drawer chosen in the back office) when given, else `user`'s
    own; at `storefront_id` when given.

    Money taken in locks it `FOR SHARE`: the completions, refunds and debt payments of one
    session do not queue behind each other, but the close (`till_session_lock`, FOR NO KEY
    UPDATE) waits for every one of them to commit, and each of them waits for the close and
    then finds the session no longer open. So money is either in the session's stored
    report or not in the session at all. Cash given back (`exclusive`) locks it `FOR NO KEY
    UPDATE`, as a pay-out does, so that two refunds from one drawer queue up and each sees
    the cash the other left.
    """
    sessions = TillSession.objects.filter(business_id=business_id, status=TillSessionStatus.OPEN)
    if session_id is not None:
        sessions = sessions.filter(pk=session_id)
    else:
        sessions = sessions.filter(opened_by=user)
    if storefront_id is not None:
        sessions = sessions.filter(till__storefront_id=storefront_id)
    return _open_sessions_locked(sessions, exclusive=exclusive)
