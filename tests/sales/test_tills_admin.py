"""The Tills section of the back office: open sessions with their expected cash, closed
sessions with Z reports and variances (red beyond the tolerance), a manager's one-time
"close session" form, and today's takings on the home page."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditLog
from pos_project.actors import Actor
from sales.models import Sale, Till, TillSession, TillSessionStatus
from sales.services import sale_cancel
from sales.services.returns import sale_return
from sales.services.tills import till_session_close, till_session_open
from sales.till_totals import till_session_totals
from tests.conftest import admin_client_for, messages_of, submit_form_twice
from tests.factories.kernel import StaffMemberFactory
from tests.factories.sales import complete_sale
from tests.factories.tills import TillFactory

pytestmark = pytest.mark.django_db

SESSIONS = reverse("admin:sales_tillsession_changelist")


def close_url(session):
    return reverse("admin:sales_tillsession_close", args=[session.pk])


@pytest.fixture
def open_session(till, cashier, storefront):
    session = till_session_open(till=till, opening_float="200.00", actor=Actor.for_user(cashier))
    complete_sale(
        storefront=storefront,
        actor_user=cashier,
        payments=[{"method": "CASH", "amount": "30.00"}],
    )
    return session


def test_open_sessions_show_who_since_when_and_the_cash_expected(manager_admin, open_session):
    page = manager_admin.get(SESSIONS).content.decode()

    # 200.00 float + 30.00 tendered - 4.60 change on the 25.40 sale.
    assert "225.40 DH" in page
    assert "Till 1" in page
    assert close_url(open_session) in page


@override_settings(TILL_VARIANCE_TOLERANCE=Decimal("5.00"))
def test_a_variance_beyond_the_tolerance_is_red(manager_admin, open_session, cashier, storefront):
    till_session_close(session=open_session, counted_cash="215.00", actor=Actor.for_user(cashier))
    other_till = TillFactory(storefront=storefront)
    small = till_session_open(till=other_till, opening_float="50.00", actor=Actor.for_user(cashier))
    till_session_close(session=small, counted_cash="51.00", actor=Actor.for_user(cashier))

    page = manager_admin.get(SESSIONS).content.decode()

    assert page.count('class="variance-alert"') == 1
    assert "-10.40 DH" in page
    assert "1.00 DH" in page
    assert reverse("admin:sales_tillsession_report", args=[open_session.pk]) in page


def test_a_manager_closes_a_session_a_cashier_left_open_once(manager_admin, open_session):
    first, again = submit_form_twice(
        manager_admin, close_url(open_session), {"counted_cash": "225.40", "note": "left early"}
    )

    assert first.status_code == again.status_code == 302
    assert "Till 1 closed (Z-000001)" in " ".join(messages_of(first))
    closed = TillSession.objects.get()
    assert closed.status == TillSessionStatus.CLOSED
    assert closed.variance == Decimal("0.00")
    assert closed.closing_note == "left early"
    assert AuditLog.objects.filter(event_type="till.closed").count() == 1


def test_a_bad_count_is_shown_again_and_closes_nothing(manager_admin, open_session):
    response = manager_admin.post(close_url(open_session), {"counted_cash": "10.005"})

    assert response.status_code == 200
    assert TillSession.objects.get().status == TillSessionStatus.OPEN


def test_another_business_session_is_not_found(open_session, other_business):
    outsider = admin_client_for(StaffMemberFactory(business=other_business, role="MANAGER").user)

    assert outsider.get(close_url(open_session)).status_code == 404
    assert (
        outsider.get(reverse("admin:sales_tillsession_report", args=[open_session.pk])).status_code
        == 404
    )


def test_the_z_report_prints_from_the_back_office(manager_admin, open_session, cashier):
    till_session_close(session=open_session, counted_cash="225.40", actor=Actor.for_user(cashier))

    page = manager_admin.get(
        reverse("admin:sales_tillsession_report", args=[open_session.pk])
    ).content.decode()

    assert "Z report Z-000001" in page


def test_a_manager_adds_a_till_audited(manager_admin, storefront):
    response = manager_admin.post(
        reverse("admin:sales_till_add"), {"storefront": str(storefront.pk), "name": "Till 9"}
    )

    assert response.status_code == 302, response.content[:500]
    assert Till.objects.get(name="Till 9").business == storefront.business
    assert AuditLog.objects.filter(event_type="till.created").count() == 1


def test_the_home_page_shows_todays_takings_by_tender(manager_admin, storefront, cashier):
    complete_sale(
        storefront=storefront,
        actor_user=cashier,
        payments=[{"method": "CASH", "amount": "30.00"}],
    )
    complete_sale(
        storefront=storefront,
        actor_user=cashier,
        payments=[{"method": "CARD", "amount": "25.40"}],
    )

    page = manager_admin.get(reverse("admin:index")).content.decode()

    assert "Today's takings (2 sales)" in page
    assert "25.40 DH" in page


def _takings(page: str) -> dict[str, str]:
    table = page[page.index('id="todays-takings"') :]
    table = table[: table.index("</table>")]
    rows = re.findall(r'<th scope="row">([^<]+)</th><td>([^<]+)</td>', table)
    return dict(rows)


def test_todays_takings_are_net_of_todays_return_refunds(
    manager_admin, storefront, cashier, manager
):
    cash_sale = complete_sale(
        storefront=storefront,
        actor_user=cashier,
        payments=[{"method": "CASH", "amount": "30.00"}],
    )
    card_sale = complete_sale(
        storefront=storefront,
        actor_user=cashier,
        payments=[{"method": "CARD", "amount": "25.40"}],
    )
    for sale, method in ((cash_sale, "CASH"), (card_sale, "CARD")):
        item = sale.items.get()
        sale_return(
            sale=sale,
            lines=[{"item": item.pk, "quantity": 1}],
            reason="Wrong box",
            refund_method=method,
            actor=Actor.for_user(manager),
        )

    takings = _takings(manager_admin.get(reverse("admin:index")).content.decode())

    assert (takings["Cash"], takings["Card"]) == ("0.00 DH", "0.00 DH")


def test_takings_count_a_cancellation_on_the_day_the_money_went_back(
    manager_admin, storefront, cashier, manager, till
):
    # Two 25.40 cash sales yesterday; today one is cancelled and one returned, both in cash.
    yesterday = timezone.now() - timedelta(days=1)
    sold = [complete_sale(storefront=storefront, actor_user=cashier) for _ in range(2)]
    Sale.objects.filter(pk__in=[sale.pk for sale in sold]).update(
        created_at=yesterday, completed_at=yesterday
    )
    actor = Actor.for_user(manager)
    session = till_session_open(till=till, opening_float="100.00", actor=actor)
    sale_cancel(sale=sold[0], reason="Charged twice", actor=actor)
    sale_return(
        sale=sold[1],
        lines=[{"item": sold[1].items.get().pk, "quantity": 1}],
        reason="Wrong box",
        refund_method="CASH",
        actor=actor,
    )

    page = manager_admin.get(reverse("admin:index")).content.decode()

    assert till_session_totals(session).refunds_cash == Decimal("50.80")
    assert _takings(page)["Cash"] == "-50.80 DH"
    assert 'id="takings-total"' in page


def test_takings_have_a_total_row(manager_admin, storefront, cashier):
    complete_sale(
        storefront=storefront, actor_user=cashier, payments=[{"method": "CASH", "amount": "30.00"}]
    )
    complete_sale(
        storefront=storefront, actor_user=cashier, payments=[{"method": "CARD", "amount": "25.40"}]
    )

    takings = _takings(manager_admin.get(reverse("admin:index")).content.decode())

    assert takings["Total"] == "50.80 DH"
