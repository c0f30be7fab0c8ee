"""Finding and removing test customers (DESIGN section 9) without losing real data.

What happens to each candidate (a customer `mock_detection` recognises):

- Its DRAFT sales, and CANCELLED sales that were never completed, are deleted with their
  lines and payments: they never moved stock or money. A sale cancelled after completion
  keeps its receipt number, so it stays, like a completed one: receipt numbers are
  gap-free and its ledger entries point at it.
- With no completed sales and no ledger entries it is deleted (DESIGN section 4).
- With other history (ledger entries, payments, sales cancelled after completion) it is
  deactivated: kept, hidden from the POS.
- One who owes money (or is owed credit), or has completed sales, is skipped unless
  `include_with_history` is set. Then its completed sales stay: those paid in full at the
  till and never returned move to walk-in; those with an on-account part or a return stay
  with it, because its ledger charges or credits them, payments are allocated to them and
  the debtors report ages what is due on them (`check_ledgers` proves the balance against
  exactly that). Its purchase statistics follow the sales it keeps, its ledger and balance
  stay as they are, and it is deactivated.

Completed sales, ledger entries and audit entries are never destroyed. The cleanup runs in
one transaction: every candidate row and its sales are locked first (customer, then sale,
the order every service uses), the JSON backup of every row to be removed or changed is
written from that locked state, and only then does anything change. Any failure rolls the
whole run back.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.admin.utils import NestedObjects
from django.db import router, transaction
from django.db.models import Count, F, Max, Sum
from django.utils import timezone

from audit.events import AuditEvent, audit_changes
from audit.services import audit_record
from customers.counts import customer_counts_move, customer_counts_of, customer_counts_switch
from customers.locks import customers_lock_for_removal
from customers.mock_backup import MockCleanupError, write_backup
from customers.mock_detection import mock_reasons
from customers.mock_review import (
    DEACTIVATE,
    DELETE,
    SKIP,
    Progress,
    chunks,
    cleanup_plan,
    customer_histories,
    is_removable_sale,
    is_walk_in_movable,
)
from customers.models import Customer
from pos_project.actors import Actor
from pos_project.models import Business
from pos_project.money import ZERO, quantize
from receivables.summary import receivables_purchases_move
from sales.locks import sales_of_customers_lock
from sales.models import Sale, SaleStatus

ACTOR_NAME = "manage.py cleanup_mock_customers"


@dataclass
class CleanupOutcome:
    """What the cleanup did with one candidate."""

    customer_id: object
    business_id: object
    name: str
    phone: str | None
    reasons: list[str]
    # "deleted", "deactivated" or "skipped".
    result: str
    why: str = ""
    removed_sales: int = 0
    reassigned_sales: int = 0


@dataclass
class CleanupResult:
    outcomes: list[CleanupOutcome] = field(default_factory=list)
    backup_path: Path | None = None
    backup_rows: int = 0

    def _count(self, result: str) -> int:
        return sum(1 for outcome in self.outcomes if outcome.result == result)

    @property
    def deleted(self) -> int:
        return self._count("deleted")

    @property
    def deactivated(self) -> int:
        return self._count("deactivated")

    @property
    def skipped(self) -> list[CleanupOutcome]:
        return [outcome for outcome in self.outcomes if outcome.result == "skipped"]


def _collect(collector_rows: dict[type, set], collector: NestedObjects) -> None:
    for model, instances in collector.data.items():
        collector_rows.setdefault(model, set()).update(obj.pk for obj in instances)


@dataclass
class _Work:
    customer: Customer
    reasons: list[str]
    action: str
    why: str
    removable: list[Sale] = field(default_factory=list)
    to_walk_in: list[Sale] = field(default_factory=list)


def _snapshot(customer: Customer) -> dict:
    return {
        "id": customer.pk,
        "name": customer.name,
        "phone": customer.phone,
        "is_active": customer.is_active,
        "outstanding_balance": customer.outstanding_balance,
        "total_purchases": customer.total_purchases,
        "sales_count": customer.sales_count,
        "last_purchase_date": customer.last_purchase_date,
    }


def _statistics(customer: Customer) -> dict:
    return {
        "total_purchases": customer.total_purchases,
        "sales_count": customer.sales_count,
        "last_purchase_date": customer.last_purchase_date,
    }


def _plan_locked(
    customers: list[Customer], *, include_with_history: bool, skipped: list[CleanupOutcome]
) -> list[_Work]:
    """Decide, from the locked rows, what happens to each customer still a candidate."""
    histories = customer_histories(customer.pk for customer in customers)
    sales_by_customer: dict[object, list[Sale]] = {}
    # Locked after the customers and in primary-key order, as the sales services lock them.
    sales = []
    for chunk in chunks([customer.pk for customer in customers]):
        sales.extend(sales_of_customers_lock(chunk))
    for sale in sorted(sales, key=lambda sale: sale.pk):
        sales_by_customer.setdefault(sale.customer_id, []).append(sale)
    work = []
    for customer in customers:
        region = customer.business.default_region
        reasons = mock_reasons(customer.name, customer.phone, region=region)
        if not reasons:
            skipped.append(_outcome(customer, reasons, "skipped", "no longer looks like test data"))
            continue
        action, why = cleanup_plan(
            customer=customer,
            history=histories[customer.pk],
            include_with_history=include_with_history,
        )
        if action == SKIP:
            skipped.append(_outcome(customer, reasons, "skipped", why))
            continue
        sales = sales_by_customer.get(customer.pk, [])
        item = _Work(customer=customer, reasons=reasons, action=action, why=why)
        item.removable = [sale for sale in sales if is_removable_sale(sale)]
        if action == DEACTIVATE and include_with_history:
            item.to_walk_in = [sale for sale in sales if is_walk_in_movable(sale)]
        work.append(item)
    return work


def _backup_rows(work: list[_Work]) -> dict[type, set]:
    """Every row the cleanup removes (with all that cascades from it) or changes."""
    using = router.db_for_write(Customer)
    rows: dict[type, set] = {}
    for item in work:
        customer = item.customer
        removable_pks = {sale.pk for sale in item.removable}
        if item.removable:
            sales = NestedObjects(using=using)
            sales.collect(item.removable)
            if sales.protected:
                raise MockCleanupError(
                    f"Draft sales of {customer.name} ({customer.pk}) are referenced by rows "
                    "that must be kept; nothing was changed."
                )
            _collect(rows, sales)
        if item.action == DELETE:
            collector = NestedObjects(using=using)
            collector.collect([customer])
            # The customer's removable sales go first, so only other references count.
            others = {
                obj
                for obj in collector.protected
                if not (isinstance(obj, Sale) and obj.pk in removable_pks)
            }
            if others:
                item.action = DEACTIVATE
                item.why = f"still referenced by {len(others)} rows that must be kept"
            else:
                _collect(rows, collector)
                continue
        # Deactivated, and maybe with sales moved to walk-in: the rows as they were.
        rows.setdefault(Customer, set()).add(customer.pk)
        rows.setdefault(Sale, set()).update(sale.pk for sale in item.to_walk_in)
    return rows


def _outcome(customer: Customer, reasons: list[str], result: str, why: str = "") -> CleanupOutcome:
    return CleanupOutcome(
        customer_id=customer.pk,
        business_id=customer.business_id,
        name=customer.name,
        phone=customer.phone,
        reasons=reasons,
        result=result,
        why=why,
    )


def _apply(item: _Work, *, actor: Actor, backup_path: Path) -> CleanupOutcome:
    customer = item.customer
    removed = [{"id": sale.pk, "status": sale.status} for sale in item.removable]
    if item.removable:
        # Lines and payments of these sales cascade with them.
        Sale.objects.filter(pk__in=[sale.pk for sale in item.removable]).delete()
    event_data = {
        "reasons": item.reasons,
        "customer": _snapshot(customer),
        "removed_sales": removed,
        "backup": str(backup_path),
    }
    outcome = _outcome(customer, item.reasons, "", item.why)
    outcome.removed_sales = len(removed)
    if item.action == DELETE:
        outcome.result = "deleted"
        event_data["action"] = "deleted"
        customer_counts_move(business_id=customer.business_id, **customer_counts_of(customer, -1))
        receivables_purchases_move(
            customer,
            purchases=-customer.total_purchases,
            sales=-customer.sales_count,
            buyer_moved=(customer.last_purchase_date, None),
        )
        # Recorded before the row goes, while the entry can still name it; the same
        # transaction, so one never exists without the other.
        audit_record(
            business=customer.business,
            actor=actor,
            event_type=AuditEvent.CUSTOMER_MOCK_CLEANUP,
            description=_description(customer, "deleted", item.reasons, removed, []),
            event_data=event_data,
            customer=customer,
        )
        customer.delete()
        return outcome
    outcome.result = "deactivated"
    event_data["action"] = "deactivated"
    update_fields = ["is_active", "updated_at"]
    before = {**_statistics(customer), "is_active": customer.is_active}
    moved = []
    if item.to_walk_in:
        moved = [
            {
                "id": sale.pk,
                "receipt_number": sale.receipt_number,
                "total_amount": sale.total_amount,
            }
            for sale in item.to_walk_in
        ]
        # The sales happened and stay on the books; only who they are attributed to changes.
        Sale.objects.filter(pk__in=[sale.pk for sale in item.to_walk_in]).update(
            customer=None, updated_at=timezone.now()
        )
        # Statistics follow the sales still attached, so `check_ledgers` agrees; the
        # balance is left alone: it is the sum of the ledger, which stays.
        remaining = Sale.objects.filter(customer=customer, status=SaleStatus.COMPLETED).aggregate(
            total=Sum(F("total_amount") - F("returned_total")),
            count=Count("id"),
            last=Max("completed_at"),
        )
        customer.total_purchases = remaining["total"] or ZERO
        customer.sales_count = remaining["count"]
        customer.last_purchase_date = remaining["last"]
        update_fields += ["total_purchases", "sales_count", "last_purchase_date"]
    event_data["reassigned_sales"] = moved
    event_data["why"] = item.why
    was_active = customer.is_active
    customer.is_active = False
    event_data["changes"] = audit_changes(before, {**_statistics(customer), "is_active": False})
    customer.save(update_fields=update_fields)
    if was_active:
        customer_counts_switch(business_id=customer.business_id, is_active=False)
    receivables_purchases_move(
        customer,
        purchases=quantize(customer.total_purchases - before["total_purchases"]),
        sales=customer.sales_count - before["sales_count"],
        buyer_moved=(before["last_purchase_date"], customer.last_purchase_date),
    )
    outcome.reassigned_sales = len(moved)
    audit_record(
        business=customer.business,
        actor=actor,
        event_type=AuditEvent.CUSTOMER_MOCK_CLEANUP,
        description=_description(customer, "deactivated", item.reasons, removed, moved),
        event_data=event_data,
        customer=customer,
    )
    return outcome


def _description(customer, verb, reasons, removed, moved) -> str:
    text = f"Mock customer {customer.name} {verb} ({'; '.join(reasons)})"
    if removed:
        text += f"; {len(removed)} draft or cancelled sales removed"
    if moved:
        text += f"; {len(moved)} completed sales moved to walk-in"
    return text


def mock_customers_cleanup(
    *,
    customer_ids: Iterable,
    include_with_history: bool,
    actor: Actor,
    backup_path: Path,
    progress: Progress | None = None,
) -> CleanupResult:
    """Remove or deactivate the reviewed candidates `customer_ids`, in one transaction.

    Every candidate is checked again under its row lock: one that no longer matches, or
    whose history changed, is treated by what the locked rows say. The backup is written
    before the first change; if writing it, or anything after, fails, nothing changes.
    """
    ids = list(dict.fromkeys(uuid.UUID(str(pk)) for pk in customer_ids))
    result = CleanupResult()
    with transaction.atomic():
        # Locked in primary-key order so two cleanups cannot deadlock on each other. Only
        # the customer rows: the business rows are read without a lock.
        customers = []
        for chunk in chunks(sorted(ids)):
            customers.extend(customers_lock_for_removal(chunk))
        businesses = Business.objects.in_bulk({customer.business_id for customer in customers})
        for customer in customers:
            customer.business = businesses[customer.business_id]
        found = {customer.pk for customer in customers}
        for pk in ids:
            if pk not in found:
                result.outcomes.append(
                    CleanupOutcome(
                        customer_id=pk,
                        business_id=None,
                        name="",
                        phone=None,
                        reasons=[],
                        result="skipped",
                        why="no longer exists",
                    )
                )
        work = _plan_locked(
            customers, include_with_history=include_with_history, skipped=result.outcomes
        )
        if not work:
            return result
        rows = _backup_rows(work)
        result.backup_rows = write_backup(backup_path, rows)
        result.backup_path = backup_path
        for item in work:
            result.outcomes.append(_apply(item, actor=actor, backup_path=backup_path))
            if progress is not None:
                progress(1)
    return result
