"""Returns through the service: what each one moves (ledger, allocations, summary, stock,
statistics, audit), the rounding of partial returns, and the refusals."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from customers.services import DeleteOutcome, customer_delete
from medicine.models import Stock
from pos_project.actors import Actor
from pos_project.errors import Conflict, Forbidden, Invalid
from receivables.ledger_checks import ledger_check, receivables_summary_check
from receivables.models import (
    CustomerLedgerEntry,
    LedgerEntryType,
    ReceivableAllocation,
    ReceivablesSummary,
)
from receivables.return_checks import returns_check
from receivables.services import customer_record_payment
from sales.locks import SaleRef
from sales.models import RefundMethod, Return, ReturnRefund, Sale, SaleItem, SaleStatus
from sales.services import (
    sale_cancel,
    sale_complete,
    sale_item_add,
    sale_return,
    sale_update_customer,
)
from sales.services.return_amounts import line_refund
from tests.contracts import assert_audited
from tests.factories.customers import CustomerFactory
from tests.factories.medicine import MedicineFactory
from tests.factories.sales import complete_sale, money


def _books_agree():
    result = ledger_check()
    assert result.differences == []
    assert receivables_summary_check() == []
    assert returns_check() == []


def _line(sale, medicine=None):
    items = sale.items.all()
    if medicine is not None:
        items = items.filter(medicine=medicine)
    return items.get()


def _shelf(medicine, storefront):
    return Stock.objects.get(medicine=medicine, storefront=storefront).quantity


@pytest.fixture
def box(business):
    return MedicineFactory(business=business, prix_br=Decimal("30.00"), name="Doliprane 1g")


@pytest.fixture
def on_account_sale(storefront, cashier, customer, box):
    # 3 x 30.00 = 90.00, all on account.
    return complete_sale(
        storefront=storefront,
        actor_user=cashier,
        lines=[(box, 3)],
        customer=customer,
        on_account=True,
    )


def _return(sale, actor, quantity=1, item=None, **kwargs):
    item = item or _line(sale)
    kwargs.setdefault("reason", "Customer changed their mind")
    return sale_return(
        sale=sale,
        lines=[{"item": item.pk, "quantity": quantity, **kwargs.pop("line", {})}],
        actor=actor,
        **kwargs,
    )


def test_a_partial_return_of_an_on_account_sale_lowers_what_is_due(
    on_account_sale, customer, manager_actor, box, storefront
):
    shelf_before = _shelf(box, storefront)

    returned = _return(on_account_sale, manager_actor, quantity=1)

    assert returned.number == "R-000001"
    assert returned.total == money("30.00")
    assert returned.refund_method == RefundMethod.ACCOUNT
    assert {r.method: r.amount for r in returned.refunds.all()} == {
        RefundMethod.AMOUNT_DUE: money("30.00")
    }
    on_account_sale.refresh_from_db()
    assert on_account_sale.status == SaleStatus.COMPLETED
    assert on_account_sale.returned_total == money("30.00")
    assert on_account_sale.amount_due == money("60.00")
    assert _line(on_account_sale).returned_quantity == 1
    customer.refresh_from_db()
    assert customer.outstanding_balance == money("60.00")
    assert customer.total_purchases == money("60.00")
    assert customer.sales_count == 1
    entry = CustomerLedgerEntry.objects.get(entry_type=LedgerEntryType.SALE_RETURN)
    assert entry.amount == money("-30.00")
    assert entry.sale == on_account_sale
    assert "R-000001" in entry.description
    assert entry.balance_after == money("60.00")
    assert ReceivableAllocation.objects.get(credit_entry=entry).sale == on_account_sale
    summary = ReceivablesSummary.objects.get(business=customer.business)
    assert (summary.amount_owed, summary.amount_due) == (money("60.00"), money("60.00"))
    assert _shelf(box, storefront) == shelf_before + 1
    audit = assert_audited("sale.returned", sale_id=on_account_sale.pk)
    assert audit.event_data["return_number"] == "R-000001"
    assert audit.event_data["lines"][0]["quantity"] == 1
    assert audit.event_data["refunds"] == [{"method": "AMOUNT_DUE", "amount": "30.00"}]
    assert audit.event_data["reason"] == "Customer changed their mind"
    _books_agree()


def test_the_rest_of_a_paid_down_sale_is_held_as_credit(
    on_account_sale, customer, manager_actor, cashier_actor
):
    customer_record_payment(
        customer=customer, amount=Decimal("70.00"), method="CASH", actor=cashier_actor
    )

    returned = _return(on_account_sale, manager_actor, quantity=2)

    # 60.00 back: 20.00 was still due on the sale, 40.00 is held for the customer.
    assert {r.method: r.amount for r in returned.refunds.all()} == {
        RefundMethod.AMOUNT_DUE: money("20.00"),
        RefundMethod.ACCOUNT: money("40.00"),
    }
    on_account_sale.refresh_from_db()
    assert on_account_sale.amount_due == 0
    customer.refresh_from_db()
    assert customer.outstanding_balance == money("-40.00")
    _books_agree()


def test_credit_on_account_settles_the_customers_other_debts_first(
    storefront, cashier, customer, manager_actor, box, cashier_actor
):
    older = complete_sale(
        storefront=storefront,
        actor_user=cashier,
        lines=[(box, 1)],
        customer=customer,
        on_account=True,
    )
    paid_in_cash = complete_sale(
        storefront=storefront, actor_user=cashier, lines=[(box, 2)], customer=customer
    )

    _return(paid_in_cash, manager_actor, quantity=1, refund_method=RefundMethod.ACCOUNT)

    older.refresh_from_db()
    assert older.amount_due == 0
    customer.refresh_from_db()
    assert customer.outstanding_balance == 0
    _books_agree()


def test_a_cash_sale_is_refunded_in_cash_by_default(
    storefront, cashier, customer, manager_actor, box
):
    sale = complete_sale(
        storefront=storefront, actor_user=cashier, lines=[(box, 2)], customer=customer
    )

    returned = _return(sale, manager_actor, quantity=1)

    assert returned.refund_method == RefundMethod.CASH
    assert [(r.method, r.amount) for r in returned.refunds.all()] == [("CASH", money("30.00"))]
    assert not CustomerLedgerEntry.objects.filter(customer=customer).exists()
    customer.refresh_from_db()
    assert customer.total_purchases == money("30.00")
    assert customer.outstanding_balance == 0
    _books_agree()


@pytest.mark.parametrize("method", ["CARD", "MOBILE_MONEY"])
def test_other_ways_back(storefront, cashier, manager_actor, box, method):
    sale = complete_sale(storefront=storefront, actor_user=cashier, lines=[(box, 1)])

    returned = _return(sale, manager_actor, refund_method=method)

    assert [(r.method, r.amount) for r in returned.refunds.all()] == [(method, money("30.00"))]


def test_returning_the_rest_and_numbers_run_on(on_account_sale, manager_actor, customer):
    first = _return(on_account_sale, manager_actor, quantity=1)
    second = _return(on_account_sale, manager_actor, quantity=2)

    assert (first.number, second.number) == ("R-000001", "R-000002")
    on_account_sale.refresh_from_db()
    assert on_account_sale.returned_total == on_account_sale.total_amount
    assert on_account_sale.amount_due == 0
    customer.refresh_from_db()
    assert customer.outstanding_balance == 0
    assert customer.total_purchases == 0
    with pytest.raises(Conflict) as refused:
        _return(on_account_sale, manager_actor, quantity=1)
    assert refused.value.code == "return_exceeds_sold"
    assert refused.value.details["lines"][0]["returnable"] == 0
    _books_agree()


def test_a_discounted_line_gives_back_exactly_its_total_unit_by_unit(
    storefront, cashier, manager_actor, business
):
    medicine = MedicineFactory(business=business, prix_br=Decimal("10.00"))
    sale = complete_sale(storefront=storefront, actor_user=cashier, lines=[(medicine, 3)])
    item = _line(sale)
    # A line of 29.99 (3 x 10.00 less 0.01): the units are worth 10.00, 9.99 and 10.00.
    item.discount, item.line_total = Decimal("0.01"), Decimal("29.99")

    assert line_refund(item, 1) == money("10.00")
    item.returned_quantity = 1
    assert line_refund(item, 1) == money("9.99")
    item.returned_quantity = 2
    assert line_refund(item, 1) == money("10.00")  # the last unit takes the rest
    item.returned_quantity = 0
    assert line_refund(item, 3) == money("29.99")


def test_partial_returns_of_a_discounted_line_never_exceed_it(
    manager_actor, cashier_actor, draft, stocked, customer
):
    medicine = stocked("10.00")
    sale_update_customer(sale=draft, customer_id=customer.pk, actor=cashier_actor)
    sale_item_add(sale=draft, medicine=medicine, quantity=3, discount=Decimal("0.01"))
    draft.refresh_from_db()
    sale = sale_complete(
        sale=draft, payments=[{"method": "CASH", "amount": "29.99"}], actor=cashier_actor
    )

    amounts = [_return(sale, manager_actor, quantity=1).total for _ in range(3)]

    assert amounts == [money("10.00"), money("9.99"), money("10.00")]
    sale.refresh_from_db()
    assert sale.returned_total == sale.total_amount == money("29.99")
    customer.refresh_from_db()
    assert customer.total_purchases == 0
    _books_agree()


def test_damaged_goods_are_not_restocked(on_account_sale, manager_actor, box, storefront):
    before = _shelf(box, storefront)

    returned = _return(on_account_sale, manager_actor, quantity=2, line={"restock": False})

    assert _shelf(box, storefront) == before
    assert returned.items.get().restocked is False


def test_a_sale_with_a_return_cannot_be_cancelled(on_account_sale, manager_actor):
    _return(on_account_sale, manager_actor)

    with pytest.raises(Conflict) as refused:
        sale_cancel(sale=on_account_sale, reason="mistake", actor=manager_actor)

    assert refused.value.code == "sale_has_returns"
    on_account_sale.refresh_from_db()
    assert on_account_sale.status == SaleStatus.COMPLETED


def test_refusals_change_nothing(
    on_account_sale, manager_actor, cashier_actor, storefront, cashier, box, draft
):
    walk_in = complete_sale(storefront=storefront, actor_user=cashier, lines=[(box, 1)])
    other_sale = complete_sale(storefront=storefront, actor_user=cashier, lines=[(box, 1)])
    item = _line(on_account_sale)
    cases = [
        (Forbidden, "manager_required", dict(sale=on_account_sale, actor=cashier_actor)),
        (Invalid, "reason_required", dict(sale=on_account_sale, reason="  ")),
        (Invalid, "invalid_quantity", dict(sale=on_account_sale, quantity=0)),
        (Invalid, "invalid_quantity", dict(sale=on_account_sale, quantity=-1)),
        (Invalid, "invalid_quantity", dict(sale=on_account_sale, quantity=1.5)),
        (Conflict, "return_exceeds_sold", dict(sale=on_account_sale, quantity=4)),
        (Invalid, "unknown_sale_item", dict(sale=on_account_sale, item=_line(other_sale))),
        (Invalid, "account_refund_requires_customer", dict(sale=walk_in, refund_method="ACCOUNT")),
        (Invalid, "invalid_refund_method", dict(sale=on_account_sale, refund_method="ON_ACCOUNT")),
        (Invalid, "invalid_refund_method", dict(sale=on_account_sale, refund_method="AMOUNT_DUE")),
    ]
    for kind, code, arguments in cases:
        sale = arguments.pop("sale")
        actor = arguments.pop("actor", manager_actor)
        item = arguments.pop("item", None) or _line(sale)
        with pytest.raises(kind) as refused:
            _return(sale, actor, item=item, **arguments)
        assert refused.value.code == code, (code, refused.value.body())
    with pytest.raises(Invalid) as refused:
        sale_return(sale=on_account_sale, lines=[], reason="x", actor=manager_actor)
    assert refused.value.code == "empty_return"
    with pytest.raises(Invalid) as refused:
        sale_return(
            sale=on_account_sale,
            lines=[{"item": item.pk, "quantity": 1}, {"item": item.pk, "quantity": 1}],
            reason="x",
            actor=manager_actor,
        )
    assert refused.value.code == "invalid_return_line"
    assert not Return.objects.exists()
    on_account_sale.refresh_from_db()
    assert on_account_sale.returned_total == 0
    _books_agree()


@pytest.mark.parametrize("status", [SaleStatus.DRAFT, SaleStatus.CANCELLED])
def test_only_a_completed_sale_takes_returns(draft_with_items, manager_actor, status):
    if status == SaleStatus.CANCELLED:
        sale_cancel(sale=draft_with_items, actor=manager_actor)
    with pytest.raises(Conflict) as refused:
        _return(draft_with_items, manager_actor, item=draft_with_items.items.first())
    assert refused.value.code == "invalid_sale_status"
    assert refused.value.details["current_status"] == status


def test_another_business_cannot_return_my_sale(on_account_sale, other_manager):
    stranger = Actor.for_user(other_manager)
    ref = SaleRef(pk=on_account_sale.pk, business_id=stranger.staff.business_id)
    with pytest.raises(Sale.DoesNotExist):
        _return(ref, stranger, item=_line(on_account_sale))
    assert not Return.objects.exists()


def test_a_walk_in_sale_takes_returns_without_a_ledger(storefront, cashier, manager_actor, box):
    sale = complete_sale(storefront=storefront, actor_user=cashier, lines=[(box, 2)])

    returned = _return(sale, manager_actor, quantity=2)

    assert returned.total == money("60.00")
    assert not CustomerLedgerEntry.objects.exists()
    _books_agree()


def test_customer_with_other_customers_unaffected(
    storefront, cashier, manager_actor, box, business
):
    other = CustomerFactory(business=business)
    complete_sale(
        storefront=storefront, actor_user=cashier, lines=[(box, 1)], customer=other, on_account=True
    )
    sale = complete_sale(storefront=storefront, actor_user=cashier, lines=[(box, 1)])
    _return(sale, manager_actor)
    other.refresh_from_db()
    assert other.outstanding_balance == money("30.00")
    _books_agree()


def test_check_ledgers_names_a_return_that_disagrees_with_its_sources(
    on_account_sale, manager_actor
):
    returned = _return(on_account_sale, manager_actor, quantity=1)
    assert returns_check() == []
    # Break each source the check compares, one at a time, behind the services' back.
    Sale.objects.filter(pk=on_account_sale.pk).update(returned_total=Decimal("10.00"))
    SaleItem.objects.filter(sale=on_account_sale).update(returned_quantity=2)
    ReturnRefund.objects.filter(sale_return=returned).update(amount=Decimal("29.00"))

    found = returns_check()

    assert any("returned_total 10.00 but its returns total 30.00" in d for d in found), found
    assert any("returned_quantity 2 but returns took 1" in d for d in found), found
    assert any("its refunds add up to 29.00" in d for d in found), found
    assert any("SALE_RETURN entries credit 30.00" in d for d in found), found
    with pytest.raises(CommandError):
        call_command("check_ledgers", stdout=StringIO())


def test_a_customer_whose_sale_was_returned_whole_is_kept_when_deleted(
    on_account_sale, customer, manager_actor
):
    _return(on_account_sale, manager_actor, quantity=3)
    customer.refresh_from_db()
    assert customer.outstanding_balance == 0

    outcome = customer_delete(customer=customer, actor=manager_actor)

    assert outcome == DeleteOutcome.DEACTIVATED
    customer.refresh_from_db()
    assert not customer.is_active
    _books_agree()
