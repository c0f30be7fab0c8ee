"""The catalogue's refusals in French, Arabic and Uzbek: the message in the reader's
language, the code unchanged, a storefront's name isolated inside the sentence."""

import pytest
from django.utils import translation

from pos_project.bidi import isolate
from tests.contracts import assert_error
from tests.factories.medicine import MedicineFactory, StockFactory
from tests.medicine.helpers import adjust_url

pytestmark = pytest.mark.django_db

SHELF = isolate("Pharmacie Centrale")
TOO_FEW = {
    "en": f"Only 3 on hand at {SHELF}: cannot remove 5.",
    "fr": f"Seulement 3 en stock à {SHELF} : impossible d’en retirer 5.",  # noqa: RUF001
    "ar": f"لا يوجد سوى 3 في المخزون في {SHELF}: لا يمكن سحب 5.",
    "uz": f"{SHELF} da faqat 3 dona bor: 5 ta olib boʻlmaydi.",  # noqa: RUF001 (the Uzbek letter)
}


def _adjust(client, medicine, storefront, delta, reason, language):
    with translation.override(language):
        return client.post(
            adjust_url(medicine),
            {"storefront": str(storefront.pk), "quantity_delta": delta, "reason": reason},
            format="json",
            HTTP_ACCEPT_LANGUAGE=language,
        )


@pytest.mark.parametrize("language", ["en", "fr", "ar", "uz"])
def test_taking_more_than_the_shelf_holds_is_refused_in_the_language(
    manager_client, business, storefront, language
):
    storefront.name = "Pharmacie Centrale"
    storefront.save()
    medicine = MedicineFactory(business=business)
    StockFactory(medicine=medicine, storefront=storefront, quantity=3)

    body = assert_error(_adjust(manager_client, medicine, storefront, -5, "Casse", language), 400)

    assert body["code"] == "insufficient_stock"
    assert body["on_hand"] == 3
    assert body["message"] == TOO_FEW[language]
