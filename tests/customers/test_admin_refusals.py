"""The customer change form when a service has the last word."""

from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.test import Client

from tests.factories.customers import CustomerFactory


def _change_form_data(client, url, **changes):
    form = client.get(url).context["adminform"].form
    data = {name: "" if value is None else value for name, value in form.initial.items()}
    data = {name: value for name, value in data.items() if name in form.fields}
    data["is_active"] = "on"
    data.update(changes)
    return data


def test_a_superuser_may_set_a_credit_limit(business):
    # given a platform administrator, who works for no business
    customer = CustomerFactory(business=business, name="Amal Tazi")
    root = get_user_model().objects.create_superuser("root", "root@example.com", "pw")
    client = Client()
    client.force_login(root)
    url = f"/admin/customers/customer/{customer.pk}/change/"

    # when they set a credit limit
    response = client.post(url, _change_form_data(client, url, credit_limit="500.00"))

    # then it is saved like a manager's change
    assert response.status_code == 302
    customer.refresh_from_db()
    assert str(customer.credit_limit) == "500.00"


def test_a_refused_change_is_explained_not_a_server_error(business, manager):
    # given two customers, and a manager in the back office
    taken = CustomerFactory(business=business, name="Driss Alaoui", phone="+212612345678")
    customer = CustomerFactory(business=business, name="Hafsa Naciri", phone="+212698765432")
    manager.is_staff = True
    manager.save()
    client = Client()
    client.force_login(manager)
    url = f"/admin/customers/customer/{customer.pk}/change/"

    # when they give the second customer the first one's number, typed the local way
    response = client.post(url, _change_form_data(client, url, phone="06 12 34 56 78"))

    # then the page says why, and nothing changed
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        texts = [str(message) for message in get_messages(response.wsgi_request)]
    else:
        texts = [response.content.decode()]
    assert any(taken.name in text or "already" in text.lower() for text in texts), texts
    customer.refresh_from_db()
    assert customer.phone == "+212698765432"
