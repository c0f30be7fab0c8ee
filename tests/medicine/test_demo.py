"""The demo catalogue that seed_demo loads."""

import pytest

from demo import medicine as medicine_demo
from demo.kernel import seed_demo_business
from medicine.models import Medicine, Stock

pytestmark = pytest.mark.django_db


def compact(text: str) -> str:
    return "".join(text.split()).casefold()


@pytest.mark.parametrize(
    ("name", "strength", "shown"),
    [
        ("Amlor", "5 mg", "Amlor 5 mg"),
        ("Amlor 5mg", "5 mg", "Amlor 5mg"),
        ("Amlor 5 MG", "5 mg", "Amlor 5 MG"),
        ("Biafine", "", "Biafine"),
    ],
)
def test_a_medicine_shows_its_strength_once(name, strength, shown):
    assert str(Medicine(name=name, strength=strength)) == shown


def test_the_demo_catalogue_is_stocked_and_safe_to_load_twice():
    demo = seed_demo_business()

    summary = medicine_demo.seed(demo)

    medicines = Medicine.objects.filter(business=demo.business)
    assert 30 <= medicines.count() == len(medicine_demo.CATALOGUE)
    assert medicines.filter(name="Doliprane", strength="1 g", prix_br="15.60").exists()
    # The names carry no strength of their own: a line shows it once.
    assert {str(medicine) for medicine in medicines} >= {"Doliprane 1 g", "Amlor 5 mg"}
    for medicine in medicines:
        assert compact(medicine.strength) not in compact(medicine.name), medicine.name
    assert medicines.exclude(wholesale_price=None).exists()
    stocked = Stock.objects.filter(storefront=demo.storefront, quantity__gt=0).count()
    assert stocked >= 30
    assert str(len(medicine_demo.CATALOGUE)) in summary and "\n" not in summary

    # a second run adds nothing and keeps a price the shop changed meanwhile
    medicines.filter(name="Doliprane", strength="1 g").update(prix_br="16.00")
    again = medicine_demo.seed(demo)
    assert medicines.count() == len(medicine_demo.CATALOGUE)
    assert Stock.objects.filter(storefront=demo.storefront, quantity__gt=0).count() == stocked
    assert medicines.get(name="Doliprane", strength="1 g").prix_br == 16
    assert "0 new" in again


def test_demo_barcodes_are_valid_ean13():
    for serial in range(1, len(medicine_demo.CATALOGUE) + 1):
        code = medicine_demo._ean13(serial)
        digits = [int(digit) for digit in code]
        assert len(code) == 13 and code.startswith("611")
        weighted = sum(d * (3 if i % 2 else 1) for i, d in enumerate(digits[:12]))
        assert (weighted + digits[12]) % 10 == 0
