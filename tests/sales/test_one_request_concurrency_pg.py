"""Races of the one-request checkout, against itself and against the draft flow, on
PostgreSQL with real threads and connections (run with -s for the figures)."""

import uuid
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.urls import reverse

from customers.models import Customer
from medicine.models import SaleItemLot, Stock
from pos_project.actors import Actor
from receivables.models import CustomerLedgerEntry
from sales.models import Sale, SaleItem, SaleStatus
from sales.services import sale_complete, sale_create, sale_item_add
from sales.services.one_step import CartLine, sale_checkout
from tests.concurrency import race, report
from tests.conftest import client_for, requires_postgres
from tests.factories.customers import CustomerFactory
from tests.factories.kernel import BusinessFactory, StaffMemberFactory, StorefrontFactory
from tests.factories.medicine import LotFactory, MedicineFactory, StockFactory

pytestmark = [requires_postgres, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def shop():
    business = BusinessFactory()
    storefront = StorefrontFactory(business=business, name="Main")
    cashier = StaffMemberFactory(business=business).user
    return business, storefront, Actor.for_user(cashier)


def _one_request(shop, medicine, quantity, payments, customer=None):
    business, storefront, actor = shop
    return lambda: sale_checkout(
        business=business,
        storefront=storefront,
        customer=customer.pk if customer else None,
        lines=[CartLine(medicine=medicine.pk, quantity=quantity)],
        payments=payments,
        actor=actor,
    ).receipt_number


def test_the_last_units_go_once_between_both_flows_and_refusals_leave_nothing(shop):
    business, storefront, actor = shop
    medicine = MedicineFactory(business=business, prix_br=Decimal("10.00"))
    StockFactory(medicine=medicine, storefront=storefront, quantity=5)
    drafts = []
    for _ in range(5):
        draft = sale_create(business=business, storefront=storefront, actor=actor)
        sale_item_add(sale=draft, medicine=medicine, quantity=2)
        drafts.append(draft)
    cash = [{"method": "CASH", "amount": "20.00"}]

    outcomes = race(
        [_one_request(shop, medicine, 2, cash) for _ in range(5)]
        + [
            lambda sale=sale: sale_complete(sale=sale, payments=cash, actor=actor).receipt_number
            for sale in drafts
        ]
    )

    sold = sorted(o[1] for o in outcomes if o[0] == "ok")
    refused = {o[1] for o in outcomes if o[0] == "refused"}
    stock = Stock.objects.get(medicine=medicine).quantity
    report(f"\n10 checkouts (5 one-request, 5 drafts) of 2 against 5: sold {sold}, stock {stock}")
    assert not [o for o in outcomes if o[0] == "error"], outcomes
    assert sold == ["S-000001", "S-000002"]
    assert refused == {"insufficient_stock"}
    assert stock == 1
    completed = Sale.objects.filter(status=SaleStatus.COMPLETED)
    assert completed.count() == 2
    # The refused one-request checkouts left no sale and no line behind; the drafts stay.
    sold_in_one_request = completed.exclude(pk__in=[draft.pk for draft in drafts]).count()
    assert Sale.objects.count() == len(drafts) + sold_in_one_request
    assert SaleItem.objects.count() == len(drafts) + sold_in_one_request


def test_concurrent_on_account_checkouts_never_exceed_the_limit(shop):
    business, storefront, _actor = shop
    customer = CustomerFactory(business=business, credit_limit=Decimal("200.00"))
    medicine = MedicineFactory(business=business, prix_br=Decimal("25.40"))
    StockFactory(medicine=medicine, storefront=storefront, quantity=1000)
    on_account = [{"method": "ON_ACCOUNT", "amount": "25.40"}]

    outcomes = race(
        [_one_request(shop, medicine, 1, on_account, customer=customer) for _ in range(20)]
    )

    succeeded = [o for o in outcomes if o[0] == "ok"]
    refused = {o[1] for o in outcomes if o[0] == "refused"}
    customer = Customer.objects.get(pk=customer.pk)
    ledger = CustomerLedgerEntry.objects.filter(customer=customer).aggregate(s=Sum("amount"))["s"]
    report(
        f"\n20 one-request on-account checkouts at 25.40 against 200.00: {len(succeeded)} "
        f"succeeded; balance {customer.outstanding_balance}, ledger {ledger}"
    )
    assert not [o for o in outcomes if o[0] == "error"], outcomes
    assert len(succeeded) == 7
    assert refused == {"credit_limit_exceeded"}
    assert customer.outstanding_balance == ledger == Decimal("177.80")
    assert customer.sales_count == 7
    assert Sale.objects.count() == 7


def test_the_same_cart_sent_at_once_with_one_key_sells_once(shop):
    business, storefront, actor = shop
    medicine = MedicineFactory(business=business, prix_br=Decimal("10.00"))
    StockFactory(medicine=medicine, storefront=storefront, quantity=100)
    body = {
        "storefront": str(storefront.pk),
        "items": [{"medicine": str(medicine.pk), "quantity": 3}],
        "payments": [{"method": "CASH", "amount": "30.00"}],
    }
    key = str(uuid.uuid4())

    def send(client):
        response = client.post(
            reverse("sale-checkout"), body, format="json", HTTP_IDEMPOTENCY_KEY=key
        )
        return response.status_code, response.json().get("id") or response.json()["code"]

    # Six tills' clients, with the cashier's token made before the race.
    clients = [client_for(actor.user) for _ in range(6)]
    outcomes = race([lambda client=client: send(client) for client in clients])

    answers = [o[1] for o in outcomes if o[0] == "ok"]
    report(f"\n6 identical carts with one key at once: {sorted(a[0] for a in answers)}")
    assert len(answers) == 6, outcomes
    sold = {answer[1] for answer in answers if answer[0] == 201}
    # The first sells; the others replay it or are told it is still running (409).
    assert len(sold) == 1
    assert {answer[0] for answer in answers} <= {201, 409}
    assert {answer[1] for answer in answers if answer[0] == 409} <= {
        "idempotency_request_in_progress"
    }
    assert Sale.objects.count() == 1
    assert Stock.objects.get(medicine=medicine).quantity == 97


def test_two_tills_take_the_last_units_of_one_lot_once_and_the_next_lot_serves(shop):
    # given a lot with 3 units expiring first, a later lot with 2, and an expired one
    business, storefront, actor = shop
    medicine = MedicineFactory(business=business, prix_br=Decimal("10.00"))
    today = date.today()
    first = LotFactory(
        medicine=medicine, storefront=storefront, expiry_date=today + timedelta(days=20), quantity=3
    )
    later = LotFactory(
        medicine=medicine, storefront=storefront, expiry_date=today + timedelta(days=90), quantity=2
    )
    LotFactory(
        medicine=medicine, storefront=storefront, expiry_date=today - timedelta(days=1), quantity=4
    )
    draft = sale_create(business=business, storefront=storefront, actor=actor)
    sale_item_add(sale=draft, medicine=medicine, quantity=3)
    cash = [{"method": "CASH", "amount": "30.00"}]

    # when two tills, one of each flow, take 3 each at once, twice over
    outcomes = race(
        [
            _one_request(shop, medicine, 3, cash),
            lambda: sale_complete(sale=draft, payments=cash, actor=actor).receipt_number,
        ]
    )

    # then one takes the first lot whole; the other finds 2 sellable units (the expired
    # ones never count) and is refused, leaving nothing behind
    report(f"\ntwo tills taking the last 3 units of a lot: {outcomes}")
    assert not [o for o in outcomes if o[0] == "error"], outcomes
    assert [o[0] for o in outcomes].count("ok") == 1
    assert {o[1] for o in outcomes if o[0] == "refused"} == {"stock_expired"}
    first.refresh_from_db()
    later.refresh_from_db()
    assert (first.quantity, later.quantity) == (0, 2)
    assert Stock.objects.get(medicine=medicine).quantity == 6
    assert list(SaleItemLot.objects.values_list("lot_id", "quantity")) == [(first.pk, 3)]

    # and two tills taking 1 each at once share the later lot
    one = [{"method": "CASH", "amount": "10.00"}]
    outcomes = race([_one_request(shop, medicine, 1, one) for _ in range(2)])
    assert [o[0] for o in outcomes] == ["ok", "ok"], outcomes
    later.refresh_from_db()
    assert later.quantity == 0
    assert Stock.objects.get(medicine=medicine).quantity == 4
