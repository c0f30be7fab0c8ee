"""The demo pharmacy's sales history: four months of receipts, some on account, two cancelled.

Built through the same services as the till, so stock, receipt numbers, ledgers, customer
statistics and the audit trail all agree and `check_ledgers` passes. Sales are completed in
date order with their completion time set in the past (`sale_complete_at`'s `completed_at`,
used only here), so "oldest first" settlement and purchase dates read as real history.
"""

import random
from datetime import timedelta
from decimal import ROUND_CEILING, Decimal

from django.db import transaction
from django.utils import timezone

from customers.models import Customer
from medicine.models import Medicine, Stock
from pos_project.actors import Actor
from pos_project.errors import DomainError
from pos_project.models import Role, StaffMember
from pos_project.money import quantize
from sales.models import PaymentMethod, Sale, SaleStatus, SaleType
from sales.services import sale_cancel, sale_create, sale_item_add
from sales.services.checkout import sale_complete_at

SALES = 40
DAYS = 120
CANCELLED = 2


def _staff(business, role):
    staff = StaffMember.objects.filter(business=business, role=role).select_related("user").first()
    return staff.user if staff else None


def _payments(rng, total: Decimal, customer) -> list[dict]:
    """Cash, card, mobile money, on account (for customers with room) or a split of two."""
    choice = rng.random()
    if customer is not None and choice < 0.4:
        room = customer.available_credit
        if room is None or room >= total:
            return [{"method": PaymentMethod.ON_ACCOUNT, "amount": total}]
        if room > 0:
            return [
                {"method": PaymentMethod.ON_ACCOUNT, "amount": quantize(room)},
                {"method": PaymentMethod.CASH, "amount": quantize(total - room)},
            ]
    if choice < 0.55:
        return [{"method": PaymentMethod.CARD, "amount": total}]
    if choice < 0.65:
        return [{"method": PaymentMethod.MOBILE_MONEY, "amount": total}]
    # Cash, rounded up to the next 10 DH note as customers pay, so there is change to give.
    tendered = (total / 10).to_integral_value(rounding=ROUND_CEILING) * 10
    return [{"method": PaymentMethod.CASH, "amount": quantize(tendered)}]


def seed(demo) -> str:
    """A sales history for the demo business. Safe to run twice: skipped if it has one."""
    business, storefront = demo.business, demo.storefront
    if Sale.objects.filter(business=business, status=SaleStatus.COMPLETED).exists():
        return "Sales history: already there"
    cashier = _staff(business, Role.CASHIER) or _staff(business, Role.OWNER)
    manager = _staff(business, Role.MANAGER) or _staff(business, Role.OWNER)
    if cashier is None or manager is None:
        return "Sales history: skipped (no staff to ring sales up)"
    in_stock = list(
        Medicine.objects.filter(
            business=business,
            is_active=True,
            stocks__storefront=storefront,
            stocks__quantity__gt=5,
        ).order_by("name")
    )
    customers = list(Customer.objects.filter(business=business, is_active=True).order_by("name"))
    if not in_stock:
        return "Sales history: skipped (no medicine in stock; seed the catalogue first)"

    rng = random.Random(2026)  # the same history on every machine
    now = timezone.now()
    # Oldest first, a few hours apart within each day, all in the past.
    moments = sorted(
        now - timedelta(days=rng.uniform(1, DAYS), minutes=rng.randint(0, 600))
        for _ in range(SALES)
    )
    till, back_office = Actor.for_user(cashier), Actor.for_user(manager)
    completed, on_account, skipped = [], 0, 0
    with transaction.atomic():
        for moment in moments:
            customer = rng.choice(customers) if customers and rng.random() < 0.7 else None
            if customer is not None:
                customer.refresh_from_db()
            wholesale = customer is not None and customer.customer_type == SaleType.WHOLESALE
            sale = sale_create(
                business=business,
                storefront=storefront,
                type=SaleType.WHOLESALE if wholesale else SaleType.RETAIL,
                customer=customer,
                actor=till,
            )
            for medicine in rng.sample(in_stock, k=min(len(in_stock), rng.randint(1, 3))):
                available = (
                    Stock.objects.filter(medicine=medicine, storefront=storefront)
                    .values_list("quantity", flat=True)
                    .first()
                    or 0
                )
                if available >= 2:
                    sale_item_add(sale=sale, medicine=medicine, quantity=rng.randint(1, 2))
            sale.refresh_from_db()
            if not sale.items.exists():
                sale_cancel(sale=sale, reason="Nothing left on the shelf", actor=till)
                skipped += 1
                continue
            payments = _payments(rng, sale.total_amount, customer)
            try:
                sale_complete_at(
                    sale=sale,
                    payments=payments,
                    override_credit_limit=False,
                    actor=till,
                    completed_at=moment,
                )
            except DomainError:
                sale_cancel(sale=sale, reason="Abandoned at the till", actor=till)
                skipped += 1
                continue
            # Opened a few minutes before it was paid, as at a real till.
            Sale.objects.filter(pk=sale.pk).update(created_at=moment - timedelta(minutes=4))
            completed.append(sale)
            on_account += any(p["method"] == PaymentMethod.ON_ACCOUNT for p in payments)
        for sale in rng.sample(completed, k=min(CANCELLED, len(completed))):
            sale_cancel(sale=sale, reason="Customer returned the items", actor=back_office)
    return (
        f"Sales history: {len(completed)} completed ({on_account} on account), "
        f"{min(CANCELLED, len(completed))} of them cancelled since"
        + (f", {skipped} abandoned drafts" if skipped else "")
    )
