"""Proves every return against its sale, its lines, its refunds and the customer's ledger.

`check_ledgers` runs this beside `ledger_checks`. Each check is one grouped query over the
businesses checked, whatever the number of returns; each difference is a sentence naming
the sale or return and both figures.
"""

from collections import defaultdict

from django.db.models import F, Q, QuerySet, Sum

from pos_project.models import Business
from pos_project.money import ZERO, quantize
from receivables.models import CustomerLedgerEntry, LedgerEntryType, ReceivableAllocation
from sales.models import RefundMethod, Return, ReturnItem, ReturnRefund, Sale, SaleItem

# The refunds that stay on the customer's account: the SALE_RETURN entry carries them.
ON_ACCOUNT_REFUNDS = (RefundMethod.AMOUNT_DUE, RefundMethod.ACCOUNT)


def _money(value):
    # Sums are quantized: SQLite adds decimals as floats ("6.60000000000001").
    return quantize(value) if value is not None else ZERO


def _sums(queryset, key: str, value: str) -> dict:
    return {
        row[key]: _money(row["total"])
        for row in queryset.order_by().values(key).annotate(total=Sum(value))
    }


def returns_check(*, businesses: QuerySet[Business] | None = None) -> list[str]:
    """Differences between the returns of `businesses` (default: all) and their sources."""
    if businesses is None:
        businesses = Business.objects.all()
    ids = businesses.values("id")
    out: list[str] = []
    returns = Return.objects.filter(business__in=ids)

    # Each return: its lines and its refunds both add up to its total.
    items = ReturnItem.objects.filter(sale_return__in=returns)
    lines = _sums(items, "sale_return_id", "amount")
    refunds = _sums(
        ReturnRefund.objects.filter(sale_return__in=returns), "sale_return_id", "amount"
    )
    for pk, number, total in returns.values_list("pk", "number", "total").iterator(chunk_size=5000):
        for what, found in (("lines", lines.get(pk, ZERO)), ("refunds", refunds.get(pk, ZERO))):
            if found != total:
                out.append(f"Return {number}: total {total} but its {what} add up to {found}.")

    # Each walk-in return is refunded out of the shop: there is no account to credit.
    for number in (
        ReturnRefund.objects.filter(
            sale_return__in=returns,
            sale_return__sale__customer__isnull=True,
            method__in=ON_ACCOUNT_REFUNDS,
        )
        .values_list("sale_return__number", flat=True)
        .distinct()
    ):
        out.append(f"Return {number} of a walk-in sale is refunded on an account.")

    # Each sale: returned_total is the sum of its returns; each line's returned_quantity the
    # units its returns took, and their amounts never more than the line.
    returned = _sums(returns, "sale_id", "total")
    sales = Sale.objects.filter(business__in=ids).filter(
        Q(returned_total__gt=0) | Q(pk__in=returns.values("sale_id"))
    )
    for pk, receipt, returned_total in sales.values_list("pk", "receipt_number", "returned_total"):
        if returned.get(pk, ZERO) != returned_total:
            out.append(
                f"Sale {receipt}: returned_total {returned_total} but its returns total "
                f"{returned.get(pk, ZERO)}."
            )
    taken = defaultdict(lambda: (0, ZERO))
    for row in (
        ReturnItem.objects.filter(sale_return__in=returns)
        .order_by()
        .values("sale_item_id")
        .annotate(units=Sum("quantity"), amount=Sum("amount"))
    ):
        taken[row["sale_item_id"]] = (row["units"], _money(row["amount"]))
    for pk, receipt, name, quantity, returned_quantity, line_total in (
        SaleItem.objects.filter(sale__business__in=ids)
        .filter(Q(returned_quantity__gt=0) | Q(pk__in=taken.keys()))
        .values_list(
            "pk", "sale__receipt_number", "medicine_name", "quantity", "returned_quantity",
            "line_total",
        )
    ):  # fmt: skip
        units, amount = taken[pk]
        label = f"Sale {receipt}, line {name!r}"
        if units != returned_quantity:
            out.append(f"{label}: returned_quantity {returned_quantity} but returns took {units}.")
        if units > quantity:
            out.append(f"{label}: {units} units returned, more than the {quantity} sold.")
        if amount > line_total:
            out.append(f"{label}: {amount} given back, more than its line total {line_total}.")
        if units == quantity and amount != line_total:
            out.append(f"{label}: returned whole for {amount}, not its line total {line_total}.")

    # On the ledger: each sale's SALE_RETURN entries credit exactly its refunds kept on the
    # account, and what they allocate to the sale itself is exactly what came off its due.
    on_account = _sums(
        ReturnRefund.objects.filter(sale_return__in=returns, method__in=ON_ACCOUNT_REFUNDS),
        "sale_return__sale_id",
        "amount",
    )
    off_due = _sums(
        ReturnRefund.objects.filter(sale_return__in=returns, method=RefundMethod.AMOUNT_DUE),
        "sale_return__sale_id",
        "amount",
    )
    credited = _sums(
        CustomerLedgerEntry.objects.filter(
            business__in=ids, entry_type=LedgerEntryType.SALE_RETURN
        ),
        "sale_id",
        "amount",
    )
    allocated_to_own_sale = _sums(
        ReceivableAllocation.objects.filter(
            business__in=ids,
            credit_entry__entry_type=LedgerEntryType.SALE_RETURN,
            credit_entry__sale_id=F("sale_id"),
        ),
        "sale_id",
        "amount",
    )
    receipts = dict(
        Sale.objects.filter(
            pk__in=set(on_account) | set(credited) | set(allocated_to_own_sale)
        ).values_list("pk", "receipt_number")
    )
    for sale_id in sorted(set(on_account) | set(credited), key=str):
        kept, entries = on_account.get(sale_id, ZERO), -credited.get(sale_id, ZERO)
        if kept != entries:
            out.append(
                f"Sale {receipts.get(sale_id)}: its returns kept {kept} on the account but its "
                f"SALE_RETURN entries credit {entries}."
            )
    for sale_id in sorted(set(off_due) | set(allocated_to_own_sale), key=str):
        due, allocated = off_due.get(sale_id, ZERO), allocated_to_own_sale.get(sale_id, ZERO)
        if due != allocated:
            out.append(
                f"Sale {receipts.get(sale_id)}: its returns took {due} off the amount due but "
                f"their ledger credits settle {allocated} of it."
            )
    return out
