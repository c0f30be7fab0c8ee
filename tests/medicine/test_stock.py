"""Stock per storefront: adjustments through the API, and what sales take and give back."""

import uuid
from dataclasses import replace
from datetime import date

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from audit.models import AuditLog
from medicine.models import Lot, SaleItemLot, Stock
from medicine.services import ShelfLine, stock_decrement_for_sale, stock_restore_for_sale
from pos_project.errors import Conflict, DomainError
from tests.contracts import assert_audited, assert_error
from tests.factories.kernel import StorefrontFactory
from tests.factories.medicine import LotFactory, MedicineFactory, StockFactory
from tests.medicine.helpers import adjust_url, sale_lines

pytestmark = pytest.mark.django_db


def quantity(medicine, storefront) -> int | None:
    row = Stock.objects.filter(medicine=medicine, storefront=storefront).first()
    return row.quantity if row else None


def take(storefront, quantities):
    stock_decrement_for_sale(
        storefront=storefront, lines=sale_lines(storefront, quantities), today=date.today()
    )


def adjust(client, medicine, storefront, delta, reason="Delivery"):
    payload = {"storefront": str(storefront.pk), "quantity_delta": delta, "reason": reason}
    return client.post(adjust_url(medicine), payload, format="json")


def test_a_manager_receives_stock_and_gets_the_medicine_back(
    manager_client, manager, business, storefront
):
    # given a medicine with no stock row yet
    medicine = MedicineFactory(business=business)

    # when a manager records a delivery of 12
    response = adjust(manager_client, medicine, storefront, 12, "Delivery from the wholesaler")

    # then the storefront has 12, the body shows it, and the adjustment is audited
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["id"] == str(medicine.pk)
    assert body["stock"] == [
        {
            "storefront": str(storefront.pk),
            "storefront_name": storefront.name,
            "quantity": 12,
            "sellable": 12,
            "nearest_expiry": None,
        }
    ]
    assert body["total_stock"] == 12
    assert quantity(medicine, storefront) == 12
    entry = assert_audited("medicine.stock_adjusted", business=business)
    assert entry.user == manager
    assert entry.event_data == {
        "medicine": str(medicine.pk),
        "name": medicine.name,
        "storefront": str(storefront.pk),
        "storefront_name": storefront.name,
        "changes": {"quantity": {"old": 0, "new": 12}},
        "quantity_delta": 12,
        "reason": "Delivery from the wholesaler",
        # a delivery without lot number goes into the lot without number
        "lots": [
            {"lot": str(Lot.objects.get(medicine=medicine).pk), "lot_number": None, "delta": 12}
        ],
    }


def test_an_owner_removes_stock(owner_client, business, storefront):
    medicine = MedicineFactory(business=business)
    StockFactory(medicine=medicine, storefront=storefront, quantity=5)
    response = adjust(owner_client, medicine, storefront, -5, "Expired")
    assert response.status_code == 200, response.content
    assert quantity(medicine, storefront) == 0


def test_removing_more_than_on_hand_is_a_400_that_says_how_many(
    manager_client, business, storefront
):
    medicine = MedicineFactory(business=business)
    StockFactory(medicine=medicine, storefront=storefront, quantity=3)

    body = assert_error(adjust(manager_client, medicine, storefront, -4, "Breakage"), 400)

    assert body["on_hand"] == 3
    assert body["code"] == "insufficient_stock"
    assert "quantity_delta" in body["fields"]
    assert "3" in body["message"]
    assert quantity(medicine, storefront) == 3
    assert not AuditLog.objects.filter(event_type="medicine.stock_adjusted").exists()


def test_removing_from_a_storefront_with_no_stock_row_says_zero_on_hand(
    manager_client, business, storefront
):
    medicine = MedicineFactory(business=business)
    body = assert_error(adjust(manager_client, medicine, storefront, -1), 400)
    assert body["on_hand"] == 0


def test_stock_is_per_storefront(manager_client, business, storefront):
    annex = StorefrontFactory(business=business, name="Annex")
    medicine = MedicineFactory(business=business)
    StockFactory(medicine=medicine, storefront=annex, quantity=9)

    assert_error(adjust(manager_client, medicine, storefront, -1), 400)
    assert adjust(manager_client, medicine, annex, -1).status_code == 200
    assert quantity(medicine, annex) == 8


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"quantity_delta": 0}, "quantity_delta"),
        ({"quantity_delta": 1.5}, "quantity_delta"),
        ({"quantity_delta": "many"}, "quantity_delta"),
        ({"quantity_delta": None}, "quantity_delta"),
        ({"quantity_delta": 10**12}, "quantity_delta"),
        ({"reason": ""}, "reason"),
        ({"reason": "   "}, "reason"),
        ({"reason": None}, "reason"),
        ({"storefront": "not-a-uuid"}, "storefront"),
        ({"storefront": str(uuid.uuid4())}, "storefront"),
        ({"storefront": None}, "storefront"),
        ({"colour": "blue"}, "colour"),
    ],
)
def test_bad_adjustments_are_a_400_naming_the_field(
    manager_client, business, storefront, payload, field
):
    medicine = MedicineFactory(business=business)
    full = {"storefront": str(storefront.pk), "quantity_delta": 5, "reason": "Delivery"}
    response = manager_client.post(adjust_url(medicine), {**full, **payload}, format="json")
    body = assert_error(response, 400, "Invalid input")
    assert field in body["fields"], body
    assert quantity(medicine, storefront) is None


@pytest.mark.parametrize("missing", ["storefront", "quantity_delta", "reason"])
def test_every_adjustment_field_is_required(manager_client, business, storefront, missing):
    medicine = MedicineFactory(business=business)
    full = {"storefront": str(storefront.pk), "quantity_delta": 5, "reason": "Delivery"}
    del full[missing]
    body = assert_error(manager_client.post(adjust_url(medicine), full, format="json"), 400)
    assert missing in body["fields"]


def test_another_business_storefront_is_a_400_naming_the_field(
    manager_client, business, other_storefront
):
    medicine = MedicineFactory(business=business)
    body = assert_error(adjust(manager_client, medicine, other_storefront, 5), 400)
    assert "storefront" in body["fields"]
    assert not Stock.objects.exists()


def test_a_cashier_may_not_adjust_stock(cashier_client, business, storefront):
    medicine = MedicineFactory(business=business)
    assert_error(adjust(cashier_client, medicine, storefront, 5), 403)
    assert not Stock.objects.exists()


def test_another_business_cannot_adjust_our_stock(other_client, business, other_storefront):
    medicine = MedicineFactory(business=business)
    assert_error(adjust(other_client, medicine, other_storefront, 5), 404)


def test_the_database_refuses_negative_stock_whatever_the_caller(business, storefront):
    row = StockFactory(medicine=MedicineFactory(business=business), storefront=storefront)
    with pytest.raises(IntegrityError), transaction.atomic():
        Stock.objects.filter(pk=row.pk).update(quantity=-1)


# What the sales app calls at completion and cancellation.


def test_a_sale_decrements_every_line(business, storefront):
    doliprane, smecta = MedicineFactory.create_batch(2, business=business)
    StockFactory(medicine=doliprane, storefront=storefront, quantity=10)
    StockFactory(medicine=smecta, storefront=storefront, quantity=4)

    with transaction.atomic():
        take(storefront, {doliprane: 3, smecta: 4})

    assert quantity(doliprane, storefront) == 7
    assert quantity(smecta, storefront) == 0
    # the sale's own audit entry covers it
    assert not AuditLog.objects.filter(event_type__startswith="medicine.").exists()


def test_every_shortage_is_reported_at_once_and_nothing_changes(business, storefront):
    # given three medicines: one plentiful, one short, one never stocked here
    plenty = MedicineFactory(business=business, name="Plenty")
    short = MedicineFactory(business=business, name="Doliprane 1g", strength="1g", form="")
    absent = MedicineFactory(business=business, name="Augmentin", form="Sachet")
    StockFactory(medicine=plenty, storefront=storefront, quantity=50)
    StockFactory(medicine=short, storefront=storefront, quantity=1)

    # when a sale wants more than there is of two of them
    with pytest.raises(Conflict) as raised, transaction.atomic():
        take(storefront, {plenty: 5, short: 3, absent: 2})

    # then one 409 names both shortages, with requested and available, and nothing moved
    error = raised.value
    assert error.code == "insufficient_stock"
    body = error.body()
    assert body["shortages"] == [
        {
            "medicine": str(absent.pk),
            "name": "Augmentin",
            "described": "Augmentin 500 mg, Sachet",
            "requested": 2,
            "available": 0,
            "lots": [],
        },
        {
            "medicine": str(short.pk),
            "name": "Doliprane 1g",
            "described": "Doliprane 1g",
            "requested": 3,
            "available": 1,
            "lots": [],
        },
    ]
    assert f"Augmentin 500 mg, Sachet (id {absent.pk}: requested 2, available 0)" in body["message"]
    assert f"Doliprane 1g (id {short.pk}: requested 3, available 1)" in body["message"]
    assert quantity(plenty, storefront) == 50
    assert quantity(short, storefront) == 1
    assert quantity(absent, storefront) is None


def test_two_packs_of_one_name_are_told_apart_by_strength_form_and_id(business, storefront):
    large = MedicineFactory(business=business, name="Amoxil", strength="1 g", form="Capsule")
    small = MedicineFactory(business=business, name="Amoxil", strength="500 mg", form="Capsule")
    StockFactory(medicine=large, storefront=storefront, quantity=26)
    StockFactory(medicine=small, storefront=storefront, quantity=40)

    with pytest.raises(Conflict) as raised, transaction.atomic():
        take(storefront, {large: 27, small: 2})

    message = raised.value.body()["message"]
    assert f"Amoxil 1 g, Capsule (id {large.pk}: requested 27, available 26)" in message
    assert "500 mg" not in message
    assert quantity(small, storefront) == 40


def test_taking_a_sale_off_the_shelf_is_three_statements(business, storefront):
    first, second = MedicineFactory.create_batch(2, business=business)
    StockFactory(medicine=first, storefront=storefront, quantity=3)
    StockFactory(medicine=second, storefront=storefront, quantity=3)
    taking = sale_lines(storefront, {first: 1, second: 3})

    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        stock_decrement_for_sale(storefront=storefront, lines=taking, today=date.today())

    # the stock rows (locked and taken), the takes (the lots locked and read), the lots
    assert len(queries.captured_queries) == 3
    assert (quantity(first, storefront), quantity(second, storefront)) == (2, 0)
    assert sorted(SaleItemLot.objects.values_list("quantity", flat=True)) == [1, 3]
    assert sorted(Lot.objects.values_list("quantity", flat=True)) == [0, 2]


def test_a_refusal_puts_back_what_it_took_for_a_caller_that_goes_on(business, storefront):
    plenty, short = MedicineFactory.create_batch(2, business=business)
    StockFactory(medicine=plenty, storefront=storefront, quantity=5)
    StockFactory(medicine=short, storefront=storefront, quantity=1)

    with transaction.atomic():
        with pytest.raises(Conflict) as raised:
            take(storefront, {plenty: 5, short: 2})
        # still inside the caller's transaction: the plentiful row moved, then went back
        assert quantity(plenty, storefront) == 5
        assert quantity(short, storefront) == 1

    assert [item["available"] for item in raised.value.body()["shortages"]] == [1]


def test_stock_of_another_storefront_does_not_count(business, storefront):
    annex = StorefrontFactory(business=business, name="Annex")
    medicine = MedicineFactory(business=business)
    StockFactory(medicine=medicine, storefront=annex, quantity=10)
    with pytest.raises(DomainError), transaction.atomic():
        take(storefront, {medicine: 1})
    assert quantity(medicine, annex) == 10


def test_a_cancelled_sale_restores_its_units_even_without_a_stock_row(business, storefront):
    kept, gone = MedicineFactory.create_batch(2, business=business)
    StockFactory(medicine=kept, storefront=storefront, quantity=2)

    with transaction.atomic():
        stock_restore_for_sale(
            storefront=storefront, lines=sale_lines(storefront, {kept: 3, gone: 1})
        )

    # units sold before lots go into the lot without number
    assert quantity(kept, storefront) == 5
    assert quantity(gone, storefront) == 1
    assert sorted(Lot.objects.filter(lot_number=None).values_list("quantity", flat=True)) == [
        1,
        5,
    ]


def test_a_restore_answers_the_lots_each_line_went_back_into(business, storefront):
    boxed, untracked = MedicineFactory.create_batch(2, business=business)
    soon, late = (
        LotFactory(medicine=boxed, storefront=storefront, expiry_date=date(2030, 1, day))
        for day in (1, 2)
    )
    Lot.objects.filter(pk=soon.pk).update(quantity=2)
    Stock.objects.filter(medicine=boxed).update(quantity=12)
    StockFactory(medicine=untracked, storefront=storefront, quantity=4)
    lines = sale_lines(storefront, {boxed: 3, untracked: 2})
    with transaction.atomic():
        stock_decrement_for_sale(storefront=storefront, lines=lines, today=date(2029, 1, 1))
        # the lot without number of the untracked medicine, and one made for the boxed
        SaleItemLot.objects.filter(item_id=lines[1].item).delete()
        restored = stock_restore_for_sale(
            storefront=storefront,
            lines=[replace(lines[0], quantity=2), replace(lines[1], restock=False)],
        )
        untaken = stock_restore_for_sale(storefront=storefront, lines=[lines[1]])

    # the last taken first (the reverse of FEFO); units kept off the shelf with no take
    # went into no lot
    assert restored == {lines[0].item: {late.pk: 1, soon.pk: 1}}
    unnumbered = Lot.objects.get(medicine=untracked, lot_number=None)
    assert untaken == {lines[1].item: {unnumbered.pk: 2}}
    assert unnumbered.quantity == 4


def test_empty_or_zero_quantities_change_nothing(business, storefront):
    medicine = MedicineFactory(business=business)
    with transaction.atomic():
        stock_decrement_for_sale(storefront=storefront, lines=[], today=date.today())
        take(storefront, {medicine: 0})
        stock_restore_for_sale(storefront=storefront, lines=sale_lines(storefront, {medicine: 0}))
    assert not Stock.objects.exists()


def test_the_sale_helpers_refuse_to_run_outside_a_transaction(business, storefront):
    medicine = MedicineFactory(business=business)
    StockFactory(medicine=medicine, storefront=storefront, quantity=5)
    # pytest-django wraps the test in a transaction: leave it to see the guard.
    taking = sale_lines(storefront, {medicine: 1})
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(connection, "in_atomic_block", False)
        with pytest.raises(RuntimeError):
            stock_decrement_for_sale(storefront=storefront, lines=taking, today=date.today())
        with pytest.raises(RuntimeError):
            stock_restore_for_sale(storefront=storefront, lines=taking)
    assert quantity(medicine, storefront) == 5


@pytest.mark.parametrize("bad", [-1, 1.5, "2", True])
def test_the_sale_helpers_refuse_bad_quantities(business, storefront, bad):
    medicine = MedicineFactory(business=business)
    line = ShelfLine(item=uuid.uuid4(), medicine=medicine.pk, quantity=bad)
    with pytest.raises(ValueError), transaction.atomic():
        stock_decrement_for_sale(storefront=storefront, lines=[line], today=date.today())


def test_stock_beyond_what_the_column_holds_is_a_400_not_a_500(
    manager_client, business, storefront
):
    medicine = MedicineFactory(business=business)
    StockFactory(medicine=medicine, storefront=storefront, quantity=2_147_483_000)
    body = assert_error(adjust(manager_client, medicine, storefront, 1000), 400)
    assert "quantity_delta" in body["fields"]
    assert body["on_hand"] == 2_147_483_000
