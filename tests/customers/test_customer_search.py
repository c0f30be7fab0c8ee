"""`?search=`, the filters and the ordering of the customer list, on either database."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from customers.models import Customer
from customers.selectors import customer_search
from customers.services import customer_create
from pos_project.actors import Actor
from pos_project.pagination import SEARCH_MATCH_LIMIT
from tests.contracts import assert_error, assert_flat_queries
from tests.customers.history import give_ledger_entry, give_purchases
from tests.factories.customers import CustomerFactory
from tests.factories.kernel import BusinessFactory

LIST = reverse("customer-list")


def names(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [customer["name"] for customer in response.json()["results"]]


@pytest.fixture
def regulars(business):
    """Customers created as the POS would, so their search names are the services' own."""
    actor = Actor.system("test")
    people = [
        ("Fatima Zahra El Amrani", "06 12 34 56 78"),
        ("Mohamed Benjelloun", "0661 23 45 67"),
        ("Élodie Benaïssa", "+33 6 12 34 56 78"),
        ("Hassan Ait Lahcen", "0522 22 33 44"),
        ("ZOUBIDA ÇHERKAOUI", None),
    ]
    return {
        name: customer_create(business=business, actor=actor, name=name, phone=phone)
        for name, phone in people
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("fatima", ["Fatima Zahra El Amrani"]),
        ("FATIMA", ["Fatima Zahra El Amrani"]),
        ("zahra el", ["Fatima Zahra El Amrani"]),
        ("amrani", ["Fatima Zahra El Amrani"]),
        ("elodie", ["Élodie Benaïssa"]),
        ("ÉLODIE", ["Élodie Benaïssa"]),
        ("benaissa", ["Élodie Benaïssa"]),
        ("benaïssa", ["Élodie Benaïssa"]),
        ("cherkaoui", ["ZOUBIDA ÇHERKAOUI"]),
        ("ben", ["Mohamed Benjelloun", "Élodie Benaïssa"]),
        ("  Mohamed   Benjelloun ", ["Mohamed Benjelloun"]),
        ("nobody", []),
    ],
)
def test_name_search_ignores_case_and_accents_and_matches_any_part(
    cashier_client, regulars, query, expected
):
    assert sorted(names(cashier_client.get(LIST, {"search": query}))) == sorted(expected)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("0612", ["Fatima Zahra El Amrani"]),
        ("06 12 34 56 78", ["Fatima Zahra El Amrani"]),
        ("0612345678", ["Fatima Zahra El Amrani"]),
        ("+212 6 12 34", ["Fatima Zahra El Amrani"]),
        ("+212612345678", ["Fatima Zahra El Amrani"]),
        ("00212 612", ["Fatima Zahra El Amrani"]),
        # Anywhere in the number: +2126|61234|567 holds it too.
        ("612 34", ["Fatima Zahra El Amrani", "Élodie Benaïssa", "Mohamed Benjelloun"]),
        ("345678", ["Fatima Zahra El Amrani", "Élodie Benaïssa"]),
        ("0661-23", ["Mohamed Benjelloun"]),
        ("(0522) 22", ["Hassan Ait Lahcen"]),
        ("+33 6", ["Élodie Benaïssa"]),
        ("0699", []),
    ],
)
def test_phone_search_finds_the_number_however_it_is_typed(
    cashier_client, regulars, query, expected
):
    assert sorted(names(cashier_client.get(LIST, {"search": query}))) == sorted(expected)


@pytest.mark.parametrize("query", ["02235", "0223", "30 22 35", "2235"])
def test_the_last_digits_find_a_number_even_when_they_start_with_0(cashier_client, business, query):
    CustomerFactory(business=business, name="Khadija Berrada", phone="+212612302235")
    CustomerFactory(business=business, name="Omar Tazi", phone="+212661000111")

    assert names(cashier_client.get(LIST, {"search": query})) == ["Khadija Berrada"]


def test_phone_search_reads_a_trunk_prefix_in_the_business_region(db):
    french = BusinessFactory(default_region="FR")
    customer = customer_create(
        business=french, actor=Actor.system("test"), name="Élodie", phone="06 12 34 56 78"
    )
    from tests.conftest import client_for, staff_with_token

    client = client_for(staff_with_token(french, "CASHIER"))

    assert customer.phone == "+33612345678"
    assert names(client.get(LIST, {"search": "06 12"})) == ["Élodie"]


def test_a_name_that_is_all_digits_is_found_as_typed(cashier_client, business):
    CustomerFactory(business=business, name="Pharmacie 24", phone=None)

    assert names(cashier_client.get(LIST, {"search": "24"})) == ["Pharmacie 24"]


@pytest.mark.parametrize("query", ["", "   ", "%", "_", "\\", "'", "x" * 1000, "🙂"])
def test_odd_queries_never_break_the_search(cashier_client, regulars, query):
    response = cashier_client.get(LIST, {"search": query})

    assert response.status_code == 200
    if not query.strip():
        assert response.json()["count"] == len(regulars)


def test_a_nul_character_in_the_query_is_a_400(cashier_client):
    assert "search" in assert_error(cashier_client.get(LIST, {"search": "ab\x00"}), 400)["fields"]


def test_like_wildcards_in_a_query_are_matched_literally(cashier_client, business):
    CustomerFactory(business=business, name="100% Bio")
    CustomerFactory(business=business, name="Other")

    assert names(cashier_client.get(LIST, {"search": "%"})) == ["100% Bio"]
    assert names(cashier_client.get(LIST, {"search": "_"})) == []


def test_search_never_shows_another_business(cashier_client, other_business, regulars):
    CustomerFactory(business=other_business, name="Fatima Rival", phone="+212612345679")

    assert names(cashier_client.get(LIST, {"search": "fatima"})) == ["Fatima Zahra El Amrani"]


# --- inactive customers -----------------------------------------------------------------


@pytest.fixture
def active_and_inactive(business):
    CustomerFactory(business=business, name="Active Amine")
    CustomerFactory(business=business, name="Gone Ghita", is_active=False)


def test_deactivated_customers_are_hidden_from_list_and_search(cashier_client, active_and_inactive):
    assert names(cashier_client.get(LIST)) == ["Active Amine"]
    assert names(cashier_client.get(LIST, {"search": "ghita"})) == []


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("true", ["Active Amine"]),
        ("false", ["Gone Ghita"]),
        ("all", ["Active Amine", "Gone Ghita"]),
    ],
)
def test_the_is_active_filter_lists_them_on_request(
    cashier_client, active_and_inactive, value, expected
):
    assert names(cashier_client.get(LIST, {"is_active": value})) == expected


def test_is_active_and_search_combine(cashier_client, active_and_inactive):
    assert names(cashier_client.get(LIST, {"is_active": "all", "search": "ghita"})) == [
        "Gone Ghita"
    ]


def test_an_unknown_is_active_value_is_a_400(cashier_client):
    assert (
        "is_active" in assert_error(cashier_client.get(LIST, {"is_active": "maybe"}), 400)["fields"]
    )


# --- filters ----------------------------------------------------------------------------


def test_customer_type_filter(cashier_client, business):
    CustomerFactory(business=business, name="Retail Rachid")
    CustomerFactory(business=business, name="Wholesale Clinic", customer_type="WHOLESALE")

    assert names(cashier_client.get(LIST, {"customer_type": "WHOLESALE"})) == ["Wholesale Clinic"]
    assert names(cashier_client.get(LIST, {"customer_type": "RETAIL"})) == ["Retail Rachid"]
    assert_error(cashier_client.get(LIST, {"customer_type": "VIP"}), 400)


def test_has_balance_filter(cashier_client, business):
    owes = CustomerFactory(business=business, name="Owes Omar")
    give_ledger_entry(owes, "80.00")
    held = CustomerFactory(business=business, name="Credit Karima")
    give_ledger_entry(held, "-20.00")
    CustomerFactory(business=business, name="Clear Chaimae")

    assert names(cashier_client.get(LIST, {"has_balance": "true"})) == ["Owes Omar"]
    assert names(cashier_client.get(LIST, {"has_balance": "false"})) == [
        "Clear Chaimae",
        "Credit Karima",
    ]


def test_has_credit_limit_filter(cashier_client, business):
    CustomerFactory(business=business, name="Limit Latifa", credit_limit=Decimal("500.00"))
    CustomerFactory(business=business, name="Zero Zakaria", credit_limit=Decimal("0.00"))
    CustomerFactory(business=business, name="Free Farid")

    assert names(cashier_client.get(LIST, {"has_credit_limit": "true"})) == [
        "Limit Latifa",
        "Zero Zakaria",
    ]
    assert names(cashier_client.get(LIST, {"has_credit_limit": "false"})) == ["Free Farid"]


# --- ordering ---------------------------------------------------------------------------


@pytest.fixture
def shoppers(business):
    now = timezone.now()
    a = give_purchases(
        CustomerFactory(business=business, name="Anas"), total="900.00", count=3, last=now
    )
    b = give_purchases(
        CustomerFactory(business=business, name="Badr"),
        total="50.00",
        count=1,
        last=now - timedelta(days=40),
    )
    c = CustomerFactory(business=business, name="Chama")
    give_ledger_entry(b, "75.00")
    give_ledger_entry(c, "10.00")
    return a, b, c


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        (None, ["Anas", "Badr", "Chama"]),
        ("name", ["Anas", "Badr", "Chama"]),
        ("-name", ["Chama", "Badr", "Anas"]),
        ("created_at", ["Anas", "Badr", "Chama"]),
        ("-created_at", ["Chama", "Badr", "Anas"]),
        ("-outstanding_balance", ["Badr", "Chama", "Anas"]),
        ("outstanding_balance", ["Anas", "Chama", "Badr"]),
        ("-total_purchases", ["Anas", "Badr", "Chama"]),
        # Never-bought customers sort last either way, on every database.
        ("-last_purchase_date", ["Anas", "Badr", "Chama"]),
        ("last_purchase_date", ["Badr", "Anas", "Chama"]),
    ],
)
def test_ordering(cashier_client, shoppers, ordering, expected):
    params = {"ordering": ordering} if ordering else {}
    assert names(cashier_client.get(LIST, params)) == expected


def test_pages_never_repeat_a_customer_when_names_tie(cashier_client, business):
    for _ in range(7):
        CustomerFactory(business=business, name="Same Name")

    seen = []
    for page in (1, 2, 3):
        body = cashier_client.get(LIST, {"page_size": 3, "page": page}).json()
        seen += [customer["id"] for customer in body["results"]]

    assert len(seen) == len(set(seen)) == 7


# --- the PostgreSQL index ---------------------------------------------------------------


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram indexes are PostgreSQL's")
def test_the_indexes_serve_the_search(business):
    CustomerFactory.create_batch(200, business=business)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE customers_customer")
        cursor.execute("SET LOCAL enable_seqscan = off")
        name_plan = Customer.objects.filter(search_name__contains="zahra").explain()
        phone_plan = Customer.objects.filter(
            business=business, phone__startswith="+212612345"
        ).explain()

    assert "customer_search_name_trgm" in name_plan
    assert "customer_phone_prefix" in phone_plan, phone_plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram indexes are PostgreSQL's")
def test_a_fragment_from_the_middle_of_a_number_uses_the_phone_trigrams(business):
    CustomerFactory.create_batch(50, business=business)
    queryset = Customer.objects.filter(phone__contains="345678")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = queryset.explain()

    assert "customer_phone_trgm" in plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram indexes are PostgreSQL's")
def test_last_digits_starting_with_0_are_searched_through_the_indexes(business):
    CustomerFactory.create_batch(200, business=business)
    queryset = customer_search(queryset=Customer.objects.all(), query="02235", region="MA")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE customers_customer")
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = queryset.explain()

    assert "customer_phone_trgm" in plan, plan
    assert "Seq Scan" not in plan, plan


@pytest.fixture
def many_aminas(business):
    actor = Actor.system("test")
    return [
        customer_create(business=business, actor=actor, name=f"Amina {surname}")
        for surname in ("Alaoui", "Bennani", "Chraibi", "Daoudi", "El Fassi", "Filali", "Guessous")
    ] + [customer_create(business=business, actor=actor, name="Youssef Tazi")]


def test_a_search_is_paged_and_counted_like_the_list(cashier_client, many_aminas):
    first = cashier_client.get(LIST, {"search": "amina", "page_size": 3}).json()
    assert (first["count"], first["count_capped"]) == (7, False)
    assert [c["name"] for c in first["results"]] == [
        "Amina Alaoui",
        "Amina Bennani",
        "Amina Chraibi",
    ]
    assert first["previous"] is None
    assert "page=2" in first["next"] and "search=amina" in first["next"]

    last = cashier_client.get(LIST, {"search": "amina", "page_size": 3, "page": 3}).json()
    assert last["count"] == 7
    assert [c["name"] for c in last["results"]] == ["Amina Guessous"]
    assert last["next"] is None and "page=2" in last["previous"]
    assert "matches" not in last["results"][0] and "search_rank" not in last["results"][0]

    named_last = cashier_client.get(LIST, {"search": "amina", "page_size": 3, "page": "last"})
    assert names(named_last) == ["Amina Guessous"]


@pytest.mark.parametrize("page", ["4", "999999999"])
def test_a_search_page_that_does_not_exist_is_a_404(cashier_client, many_aminas, page):
    response = cashier_client.get(LIST, {"search": "amina", "page_size": 3, "page": page})
    assert_error(response, 404)


@pytest.mark.parametrize("page", ["0", "x", "-1", "²", "1²"])
def test_a_malformed_search_page_is_a_400(cashier_client, many_aminas, page):
    response = cashier_client.get(LIST, {"search": "amina", "page_size": 3, "page": page})
    assert "page" in assert_error(response, 400)["fields"]


def test_a_page_number_too_large_for_an_offset_is_a_404(cashier_client, many_aminas):
    # Its offset at the largest page size overflows a 64-bit integer.
    query = {"search": "amina", "page_size": 200, "page": "958545965735929212"}
    assert_error(cashier_client.get(LIST, query), 404)


def test_a_search_with_no_match_is_an_empty_first_page(cashier_client, many_aminas):
    body = cashier_client.get(LIST, {"search": "nobody"}).json()
    assert (body["count"], body["count_capped"], body["results"], body["next"]) == (
        0,
        False,
        [],
        None,
    )


def test_a_search_page_and_its_count_are_one_query(
    cashier_client, many_aminas, django_assert_max_num_queries
):
    # Authentication, then the page with its count; the same for any number of matches.
    with django_assert_max_num_queries(2):
        assert cashier_client.get(LIST, {"search": "amina"}).json()["count"] == 7


# --- the best matches first, counted up to the limit ------------------------------------


def test_names_that_start_with_the_query_come_first(cashier_client, business):
    for name in ("Amina Bennani", "Sara Abennani", "Bennani Youssef", "Zineb Bennaniya"):
        CustomerFactory(business=business, name=name)

    # A name, or its surname, that starts with the query: a cashier types either.
    assert names(cashier_client.get(LIST, {"search": "bennani"})) == [
        "Amina Bennani",
        "Bennani Youssef",
        "Zineb Bennaniya",
        "Sara Abennani",
    ]


def test_a_surname_is_its_second_word(cashier_client, business):
    for name in ("Karim El Amrani", "Amrani Sara", "Youssef Amrani Alaoui", "Zineb Amrani"):
        CustomerFactory(business=business, name=name)

    # "El Amrani" starts with "el": its "Amrani" is found, among the other matches.
    assert names(cashier_client.get(LIST, {"search": "amrani"})) == [
        "Amrani Sara",
        "Youssef Amrani Alaoui",
        "Zineb Amrani",
        "Karim El Amrani",
    ]


def test_numbers_that_start_with_the_typed_digits_come_first(cashier_client, business):
    CustomerFactory(business=business, name="Adam Alami", phone="+212706123499")
    CustomerFactory(business=business, name="Zineb Zaki", phone="+212612345678")

    # 0612 34: the start of +212 612 34..., and 061234 inside +212 70 6123 499.
    assert names(cashier_client.get(LIST, {"search": "0612 34"})) == ["Zineb Zaki", "Adam Alami"]


def test_an_explicit_ordering_still_sorts_a_search(cashier_client, business):
    for name in ("Amina Bennani", "Bennani Youssef", "Karim Bennani"):
        CustomerFactory(business=business, name=name)

    assert names(cashier_client.get(LIST, {"search": "bennani", "ordering": "-name"})) == [
        "Karim Bennani",
        "Bennani Youssef",
        "Amina Bennani",
    ]


@pytest.fixture
def crowd(business):
    """More namesakes than a search counts."""
    return CustomerFactory.create_batch(
        SEARCH_MATCH_LIMIT + 6, business=business, name="Sara Naciri"
    )


def test_a_broad_search_counts_up_to_the_limit_and_says_more_match(cashier_client, crowd):
    body = cashier_client.get(LIST, {"search": "naciri", "page_size": 50}).json()

    assert (body["count"], body["count_capped"]) == (SEARCH_MATCH_LIMIT, True)
    assert len(body["results"]) == 50 and "page=2" in body["next"]
    last = cashier_client.get(LIST, {"search": "naciri", "page_size": 50, "page": "last"}).json()
    assert len(last["results"]) == 50 and last["next"] is None
    assert "page=3" in last["previous"]
    beyond = cashier_client.get(LIST, {"search": "naciri", "page_size": 50, "page": 5})
    assert_error(beyond, 404)


def test_pages_of_a_broad_search_stop_at_the_limit_mid_page(cashier_client, crowd):
    body = cashier_client.get(LIST, {"search": "naciri", "page_size": 60, "page": 4}).json()

    assert len(body["results"]) == SEARCH_MATCH_LIMIT - 3 * 60 and body["next"] is None


def test_the_pages_of_a_broad_search_never_repeat_a_customer(cashier_client, crowd):
    seen = []
    for page in range(1, 5):
        query = {"search": "naciri", "page_size": 50, "page": page}
        seen += [row["id"] for row in cashier_client.get(LIST, query).json()["results"]]

    assert len(seen) == len(set(seen)) == SEARCH_MATCH_LIMIT


def test_a_broad_search_shortlists_the_names_that_start_with_the_query(cashier_client, crowd):
    CustomerFactory(business=crowd[0].business, name="Naciri Adam")
    CustomerFactory(business=crowd[0].business, name="Adam Benaciri")

    listed = set()
    for page in range(1, 5):
        query = {"search": "naciri", "page_size": 50, "page": page}
        body = cashier_client.get(LIST, query).json()
        listed |= {row["name"] for row in body["results"]}

    assert (body["count"], body["count_capped"]) == (SEARCH_MATCH_LIMIT, True)
    # More names or surnames start with "naciri" than a search shows: the match from
    # inside a surname is not among them.
    assert "Adam Benaciri" not in listed and "Sara Naciri" in listed


def test_a_search_that_more_names_start_with_than_it_counts_lists_those(cashier_client, crowd):
    CustomerFactory(business=crowd[0].business, name="Adam Benssara")

    body = cashier_client.get(LIST, {"search": "sara", "page": "last"}).json()

    assert (body["count"], body["count_capped"]) == (SEARCH_MATCH_LIMIT, True)
    assert {row["name"] for row in body["results"]} == {"Sara Naciri"}


def test_a_customer_without_a_number_matches_a_phone_like_query_by_name(cashier_client, business):
    CustomerFactory(business=business, name="Zineb Zaki", phone="+212612345678")
    CustomerFactory(business=business, name="Depot 0612", phone=None)

    # Both are among the best: the number starts with the digits, and so does a word of the
    # name.
    assert names(cashier_client.get(LIST, {"search": "0612"})) == ["Depot 0612", "Zineb Zaki"]


@pytest.mark.parametrize("query", [None, "", "   "])
def test_the_list_without_a_search_keeps_its_exact_count(cashier_client, crowd, query):
    params = {"page_size": 10} if query is None else {"page_size": 10, "search": query}
    body = cashier_client.get(LIST, params).json()

    assert (body["count"], body["count_capped"]) == (SEARCH_MATCH_LIMIT + 6, False)


def test_a_search_costs_the_same_statements_however_many_match(
    cashier_client, business, django_assert_max_num_queries
):
    def grow(n):
        while Customer.objects.filter(business=business).count() < n:
            CustomerFactory(business=business, name="Sara Naciri")

    assert_flat_queries(
        django_assert_max_num_queries,
        lambda: cashier_client.get(LIST, {"search": "naciri"}),
        grow,
        sizes=(3, SEARCH_MATCH_LIMIT + 3),
    )
