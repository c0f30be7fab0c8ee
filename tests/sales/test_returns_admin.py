"""'Return items' in the back office, the returns on the sale's page, the Returns list and
the printable slip: the same service as the API, once per rendered form."""

from decimal import Decimal

import pytest
from django.urls import reverse

from sales.models import Return
from tests.conftest import admin_client_for, messages_of, submit_form_twice
from tests.factories.customers import CustomerFactory
from tests.factories.medicine import MedicineFactory
from tests.factories.sales import complete_sale

pytestmark = pytest.mark.django_db


def return_url(sale):
    return reverse("admin:sales_sale_return", args=[sale.pk])


def change_url(sale):
    return reverse("admin:sales_sale_change", args=[sale.pk])


@pytest.fixture
def on_account(business, storefront, manager):
    """A completed sale of 3 units at 25.40, 76.20 on Khadija's account."""
    customer = CustomerFactory(business=business, name="Khadija Berrada")
    medicine = MedicineFactory(business=business, prix_br=Decimal("25.40"))
    return complete_sale(
        storefront=storefront,
        actor_user=manager,
        customer=customer,
        lines=[(medicine, 3)],
        on_account=True,
        stock=10,
    )


def _form(sale, quantity, restock=True, **extra):
    item = sale.items.get()
    data = {
        f"quantity_{item.pk}": quantity,
        "reason": "Wrong strength",
        "refund_method": "ACCOUNT",
        "_confirm": "Confirm return",
    }
    if restock:
        data[f"restock_{item.pk}"] = "on"
    return {**data, **extra}


def test_the_sale_page_offers_return_items_and_lists_returns(manager_admin, on_account):
    page = manager_admin.get(change_url(on_account)).content.decode()
    assert return_url(on_account) in page

    response = manager_admin.post(return_url(on_account), _form(on_account, 1))

    assert response.status_code == 302 and response.url == change_url(on_account)
    assert (
        "Return R-000001 of sale S-000001: 25.40 DH off what is owed on S-000001, 0.00 DH held "
        "as credit on the account."
    ) in messages_of(response)
    page = manager_admin.get(change_url(on_account)).content.decode()
    assert "R-000001" in page
    assert reverse("admin:sales_return_slip", args=[Return.objects.get().pk]) in page
    # A sale with a return is no longer offered for cancelling.
    assert reverse("admin:sales_sale_cancel", args=[on_account.pk]) not in page
    on_account.refresh_from_db()
    assert on_account.returned_total == Decimal("25.40")
    assert on_account.amount_due == Decimal("50.80")


def test_a_double_submit_returns_once(manager_admin, on_account):
    first, second = submit_form_twice(manager_admin, return_url(on_account), _form(on_account, 1))

    assert first.status_code == second.status_code == 302
    assert Return.objects.count() == 1


def test_too_many_units_or_none_are_refused_on_the_form(manager_admin, on_account):
    too_many = manager_admin.post(return_url(on_account), _form(on_account, 4))
    none = manager_admin.post(return_url(on_account), _form(on_account, 0))
    no_reason = manager_admin.post(return_url(on_account), _form(on_account, 1, reason=""))

    for response in (too_many, none, no_reason):
        assert response.status_code == 200
        assert "errornote" in response.content.decode()
    assert not Return.objects.exists()


def test_account_refund_of_a_walk_in_sale_is_refused_with_the_reason(
    manager_admin, storefront, manager
):
    sale = complete_sale(storefront=storefront, actor_user=manager, stock=10)

    response = manager_admin.post(return_url(sale), _form(sale, 1))

    assert response.status_code == 200
    assert "no account to hold credit" in response.content.decode()
    assert not Return.objects.exists()


def test_another_business_sees_no_such_sale_or_return(on_account, other_manager, manager_admin):
    manager_admin.post(return_url(on_account), _form(on_account, 1))
    stranger = admin_client_for(other_manager)
    sale_return = Return.objects.get()

    assert stranger.get(return_url(on_account)).status_code == 404
    assert (
        stranger.get(reverse("admin:sales_return_slip", args=[sale_return.pk])).status_code == 404
    )
    assert "R-000001" not in stranger.get(reverse("admin:sales_return_changelist")).content.decode()


def test_the_returns_list_and_the_slip(manager_admin, on_account):
    manager_admin.post(return_url(on_account), _form(on_account, 2, restock=False))
    sale_return = Return.objects.get()

    listing = manager_admin.get(reverse("admin:sales_return_changelist")).content.decode()
    detail = manager_admin.get(
        reverse("admin:sales_return_change", args=[sale_return.pk])
    ).content.decode()
    slip = manager_admin.get(reverse("admin:sales_return_slip", args=[sale_return.pk]))

    assert "R-000001" in listing and "S-000001" in listing and "50.80 DH" in listing
    assert "not restocked" in detail and "50.80 DH off what is owed on S-000001" in detail
    assert slip.status_code == 200
    assert "Original receipt" in slip.content.decode() and "S-000001" in slip.content.decode()
    # The slip says what the message and the audit entry say.
    assert "Off what is owed on S-000001" in slip.content.decode()
    assert (
        "50.80 DH off what is owed on S-000001, 0.00 DH held as credit on the account"
        in slip.content.decode()
    )


def test_the_customer_profile_lists_returns_and_the_statement_shows_them(manager_admin, on_account):
    manager_admin.post(return_url(on_account), _form(on_account, 1))
    customer = on_account.customer

    page = manager_admin.get(
        reverse("admin:customers_customer_change", args=[customer.pk])
    ).content.decode()

    assert 'id="returns"' in page and "R-000001" in page
    assert reverse("admin:sales_return_slip", args=[Return.objects.get().pk]) in page
    assert "Sale return" in page and "Return R-000001 of sale S-000001" in page
    assert "25.40 DH off what is owed on S-000001" in page


def test_the_form_shows_unit_prices_and_what_the_return_will_do_before_confirming(
    manager_admin, on_account
):
    page = manager_admin.get(return_url(on_account)).content.decode()
    assert "25.40 DH a unit, as paid" in page
    item = on_account.items.get()
    worths = "[&quot;0.00&quot;, &quot;25.40&quot;, &quot;50.80&quot;, &quot;76.20&quot;]"
    assert worths in page

    data = _form(on_account, 1)
    del data["_confirm"]
    shown = manager_admin.post(return_url(on_account), data)

    page = shown.content.decode()
    assert shown.status_code == 200
    assert (
        "This return gives back 25.40 DH: 25.40 DH off what is owed on S-000001, 0.00 DH held "
        "as credit on the account."
    ) in page
    assert "Confirm return" in page
    assert not Return.objects.exists()
    assert item.returned_quantity == 0


def test_a_confirm_of_another_split_than_shown_shows_it_again(manager_admin, on_account):
    data = {**_form(on_account, 2), "previewed": "25.40 DH off what is owed on S-000001"}

    shown = manager_admin.post(return_url(on_account), data)

    assert shown.status_code == 200
    assert "This return gives back 50.80 DH" in shown.content.decode()
    assert not Return.objects.exists()


def test_the_returns_list_says_what_really_happened(manager_admin, on_account):
    manager_admin.post(return_url(on_account), _form(on_account, 1))

    page = manager_admin.get(reverse("admin:sales_return_changelist")).content.decode()
    results = page[page.index('id="result_list"') :]
    results = results[: results.index("</table>")]

    assert "25.40 DH off what is owed on S-000001" in results
    assert "Credit on account" not in results
