"""A session cookie of a shape Django never issues is no session, never a server error."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

MALFORMED = ["a\x00" * 20, "ÚRýoå*" * 6, "' OR 1=1 --" * 3, "A" * 32, "x" * 500]


@pytest.mark.parametrize("key", MALFORMED, ids=["nul", "accents", "quote", "upper", "long"])
def test_a_malformed_session_cookie_is_no_session(key):
    client = Client()
    client.cookies["sessionid"] = key

    assert client.get("/api/me/").status_code == 401
    page = client.get("/admin/")
    assert page.status_code == 302 and "/admin/login/" in page["Location"]
