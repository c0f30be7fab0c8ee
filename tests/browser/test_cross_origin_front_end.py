"""The browser till on its own origin: the seeds' front-end calls, made by Chromium's fetch.

A small page is served from another port (another origin) than the API. Its script calls
the API with a token as the React front end does, preflighted PATCH and Idempotency-Key
included, and opens the printable receipt with window.open. The same page served from an
origin that is not allowed is refused by the browser itself. And the same script with
relative URLs, as the seeds write them, through a dev server that forwards the API's
prefixes (Vite's or Create React App's proxy): no CORS at all.
"""

import threading
import urllib.error
import urllib.request
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from rest_framework.authtoken.models import Token

from pos_project.models import Role
from tests.conftest import staff_with_token
from tests.factories.customers import CustomerFactory
from tests.factories.kernel import BusinessFactory, StorefrontFactory
from tests.factories.medicine import MedicineFactory, StockFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGE = b"""<!doctype html><html><head><meta charset="utf-8"><title>Till</title></head>
<body><h1>Till</h1></body></html>"""

# The seeds' calls, in the order a till makes them; each step returns what the page read.
TILL_SCRIPT = """
async ({api, cashier, manager, storefront, customer, medicine}) => {
  const call = async (token, method, path, body, headers = {}) => {
    const response = await fetch(api + path, {
      method,
      headers: {
        'Authorization': `Token ${token}`,
        ...(body ? {'Content-Type': 'application/json'} : {}),
        ...headers,
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    return {
      status: response.status,
      body: await response.json(),
      replayed: response.headers.get('Idempotent-Replayed'),
      requestId: response.headers.get('X-Request-ID'),
    };
  };
  const me = await call(cashier, 'GET', '/api/me/');
  const sale = await call(cashier, 'POST', '/sales/api/sales/',
    {storefront, type: 'RETAIL', status: 'DRAFT'});
  const id = sale.body.id;
  const assigned = await call(cashier, 'PATCH', `/sales/api/sales/${id}/update_customer/`,
    {customer});
  // The seed's addItemToSale sends `product`, and a path without its trailing slash.
  const item = await call(cashier, 'POST', `/sales/api/sales/${id}/items`,
    {product: medicine, quantity: 2});
  const payment = {payments: [{method: 'CASH', amount: '91.00'}]};
  const key = {'Idempotency-Key': `till-${id}`};
  const completed = await call(cashier, 'POST', `/sales/api/sales/${id}/complete/`, payment, key);
  const retried = await call(cashier, 'POST', `/sales/api/sales/${id}/complete/`, payment, key);
  const history = await call(cashier, 'GET',
    `/sales/api/audit-logs/?sale=${id}&event_type=sale.customer_updated`);
  const credit = await call(manager, 'POST', `/customers/api/customers/${customer}/adjust_credit/`,
    {amount: '10.00', type: 'add'});
  return {me, sale, assigned, item, completed, retried, history, credit};
}
"""

# The status each step of TILL_SCRIPT answers when the whole shift goes through.
EVERY_CALL_ANSWERED = {
    "me": 200,
    "sale": 201,
    "assigned": 200,
    "item": 201,
    "completed": 200,
    "retried": 200,
    "history": 200,
    "credit": 201,
}

REFUSED_SCRIPT = """
async ({api, cashier}) => {
  try {
    await fetch(api + '/api/me/', {headers: {'Authorization': `Token ${cashier}`}});
    return 'answered';
  } catch (error) {
    return 'refused';
  }
}
"""


API_PREFIXES = ("/api/", "/customers/api/", "/medicine/api/", "/sales/api/")


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class FrontEnd:
    """A static page on its own port: a front end's origin. Given the API's address, it
    forwards the API's prefixes there as a dev server's proxy does, keeping the Host header
    (so the links the API answers point back at the front end)."""

    def __init__(self, api: str | None = None):
        opener = urllib.request.build_opener(_NoRedirects)

        class Handler(BaseHTTPRequestHandler):
            def _forward(self):
                length = int(self.headers.get("Content-Length") or 0)
                request = urllib.request.Request(
                    api + self.path,
                    data=self.rfile.read(length) if length else None,
                    method=self.command,
                    headers={k: v for k, v in self.headers.items() if k.lower() != "connection"},
                )
                try:
                    answer = opener.open(request)
                except urllib.error.HTTPError as refused:
                    answer = refused
                body = answer.read()
                self.send_response(answer.status)
                for name, value in answer.headers.items():
                    if name.lower() not in ("connection", "transfer-encoding", "content-length"):
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def _answer(self):
                if api is not None and self.path.startswith(API_PREFIXES):
                    self._forward()
                    return
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.end_headers()
                self.wfile.write(PAGE)

            do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _answer

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def front_ends(settings):
    """Two front ends; the API allows the first one's origin only."""
    allowed, other = FrontEnd(), FrontEnd()
    settings.CORS_ALLOWED_ORIGINS = [allowed.origin]
    yield allowed, other
    allowed.close()
    other.close()


@pytest.fixture
def context(browser):
    context = browser.new_context()
    yield context
    context.close()


@pytest.fixture
def shop():
    business = BusinessFactory(name="Pharmacie Atlas")
    storefront = StorefrontFactory(business=business, name="Main")
    medicine = MedicineFactory(business=business, name="Amlor", prix_br=Decimal("45.50"))
    StockFactory(medicine=medicine, storefront=storefront, quantity=20)
    customer = CustomerFactory(business=business, name="Khadija Berrada", credit_limit=None)
    tokens = {
        role: Token.objects.create(user=staff_with_token(business, role)).key
        for role in (Role.CASHIER, Role.MANAGER)
    }
    return {
        "cashier": tokens[Role.CASHIER],
        "manager": tokens[Role.MANAGER],
        "storefront": str(storefront.pk),
        "customer": str(customer.pk),
        "medicine": str(medicine.pk),
    }


def test_the_till_on_another_origin_makes_every_call(context, live_server, front_ends, shop):
    page = context.new_page()
    page.goto(front_ends[0].origin)

    answers = page.evaluate(TILL_SCRIPT, {"api": live_server.url, **shop})

    statuses = {name: answer["status"] for name, answer in answers.items()}
    assert statuses == EVERY_CALL_ANSWERED, answers
    assert answers["sale"]["body"]["status"] == "DRAFT"
    assert answers["assigned"]["body"]["sale"]["customer_name"] == "Khadija Berrada"
    assert answers["retried"]["replayed"] == "true"
    assert answers["item"]["body"]["items"][0]["quantity"] == 2
    assert answers["completed"]["requestId"]
    assert [entry["event_type"] for entry in answers["history"]["body"]["results"]] == [
        "sale.customer_updated"
    ]
    assert "no reason given" in answers["credit"]["body"]["description"]

    # printReceipt: window.open sends no token; the signed link is the right.
    receipt_url = answers["completed"]["body"]["receipt_url"]
    with context.expect_page() as opening:
        page.evaluate("url => window.open(url, '_blank')", receipt_url)
    receipt = opening.value
    receipt.wait_for_load_state()
    assert answers["completed"]["body"]["receipt_number"] in receipt.content()


def test_the_same_page_from_an_origin_not_allowed_is_refused_by_the_browser(
    context, live_server, front_ends, shop
):
    page = context.new_page()
    page.goto(front_ends[1].origin)

    outcome = page.evaluate(REFUSED_SCRIPT, {"api": live_server.url, "cashier": shop["cashier"]})

    assert outcome == "refused"


def test_the_till_through_its_dev_server_proxy_uses_relative_urls(context, live_server, shop):
    proxy = FrontEnd(api=live_server.url)
    try:
        page = context.new_page()
        page.goto(proxy.origin)

        answers = page.evaluate(TILL_SCRIPT, {"api": "", **shop})

        statuses = {name: answer["status"] for name, answer in answers.items()}
        assert statuses == EVERY_CALL_ANSWERED, answers
        receipt_url = answers["completed"]["body"]["receipt_url"]
        assert receipt_url.startswith(proxy.origin)
        with context.expect_page() as opening:
            page.evaluate("url => window.open(url, '_blank')", receipt_url)
        receipt = opening.value
        receipt.wait_for_load_state()
        assert answers["completed"]["body"]["receipt_number"] in receipt.content()
    finally:
        proxy.close()
