"""`manage.py cleanup_mock_customers`: detection, review, and a cleanup that loses nothing real."""

import json
import threading
import time
import uuid
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.models import Sum

from audit.models import AuditLog
from customers import mock_backup, mock_cleanup
from customers.mock_detection import mock_reasons, mock_words_in, placeholder_phone
from customers.models import Customer
from pos_project.actors import Actor
from receivables.ledger_checks import ledger_check
from receivables.models import CustomerLedgerEntry
from receivables.return_checks import returns_check
from sales.models import Payment, Sale, SaleItem, SaleStatus
from sales.services import sale_cancel, sale_return
from tests.conftest import requires_postgres
from tests.factories.customers import CustomerFactory
from tests.factories.sales import SaleFactory, SaleItemFactory, complete_sale, recompute

EVENT = "customer.mock_cleanup"

# Real names from many places. Several contain a mock word's letters, never as a word.
REAL_NAMES = [
    "Celeste",
    "Céleste Dubois",
    "Contessa",
    "Testard",
    "Jean-Luc Testard",
    "Demosthene",
    "Démosthène Karagiannis",
    "Samplewicz",
    "Mockingbird",
    "Amina Testaoui",
    "Youssef Demnati",
    "Mokhtar Benmokhtar",
    "Fatima-Zahra El Amrani",
    "Tassadit Ait Mokrane",
    "Idir Amokrane",
    "ⵜⴰⵙⴰⴷⵉⵜ ⴰⵢⵜ ⵎⵓⴽⵔⴰⵏ",
    "محمد الإدريسي",
    "عبد الرحمن التازي",
    "José Muñoz Testa",
    "María Demóstenes",
    "Sampaio Gonçalves",
    "Michael Dummett",
    "Protestant Mbeki",
    "Attestia Nkemelu",
    "王伟",
    "李娜Wang",
    "प्रिया शर्मा",
    "Rajesh Kumar",
    "Lakshmi Demodaran",
    "Nguyễn Thị Mai",
    "O'Connor-Samples",
    "Tessa Mockler",
    "Examplar Diallo",
]
REAL_PHONES = ["+212612345678", "+212522123456", "+33612345678", "0661234567", None, ""]


@pytest.mark.parametrize("name", REAL_NAMES)
def test_real_names_from_many_cultures_are_not_candidates(name):
    # given a real name with a real number, then nothing flags it
    for phone in REAL_PHONES:
        assert mock_reasons(name, phone, region="MA") == []


@pytest.mark.parametrize(
    ("name", "word"),
    [
        ("Test Customer", "test"),
        ("test", "test"),
        ("TEST", "test"),
        ("client_test", "test"),
        ("Client-Test", "test"),
        ("Customer (test)", "test"),
        ("Test1", "test"),
        ("Mock User", "mock"),
        ("mock_user_7", "mock"),
        ("DEMO", "demo"),
        ("Demo Pharmacy", "demo"),
        ("demo2", "demo"),
        ("Example Client", "example"),
        ("client.example", "example"),
        ("Sample", "sample"),
        ("SAMPLE_CLIENT", "sample"),
        ("Dummy", "dummy"),
        ("dummy.customer@shop", "dummy"),
        ("\uff34\uff45\uff53\uff54", "test"),  # typed in full-width letters
        ("王伟Test", "test"),
        ("محمد test", "test"),
    ],
)
def test_names_with_a_mock_word_are_candidates(name, word):
    assert mock_words_in(name) == [word]
    assert f'name contains "{word}"' in mock_reasons(name, "+212612345678", region="MA")


PLACEHOLDER_FORMATS = [
    "{p}",
    "{a} {b} {c}",
    "{a}-{b}-{c}",
    "{a}.{b}.{c}",
    "({a}) {b}-{c}",
    "0{p}",
    "0{a} {b} {c}",
    "+212{p}",
    "+212 {a} {b} {c}",
    "+212 0{p}",
    "00212{p}",
    "00 212 {a} {b} {c}",
    "212{p}",
    "+33 {p}",
]


@pytest.mark.parametrize("placeholder", ["123456789", "000000000", "111111111"])
@pytest.mark.parametrize("pattern", PLACEHOLDER_FORMATS)
def test_placeholder_phones_in_any_format(placeholder, pattern):
    phone = pattern.format(p=placeholder, a=placeholder[:3], b=placeholder[3:6], c=placeholder[6:])
    assert placeholder_phone(phone, region="MA") == placeholder
    assert f"placeholder phone {placeholder}" in mock_reasons("Karim Alaoui", phone, region="MA")


@pytest.mark.parametrize(
    "phone",
    ["+212612345678", "0612345678", "+212 6 00 00 00 00", "+212 611 111 111", "12345678", "0"],
)
def test_real_or_short_numbers_are_not_placeholders(phone):
    assert placeholder_phone(phone, region="MA") is None


@pytest.mark.parametrize(
    ("name", "phone"),
    [
        ("+212612345678", "+212612345678"),
        ("0612345678", "+212612345678"),
        ("06 12 34 56 78", "+212612345678"),
        ("06-12-34-56-78", "+212612345678"),
        ("612345678", "+212612345678"),
        ("00212 612 345 678", "+212612345678"),
        ("0522123456", "0522123456"),
    ],
)
def test_name_equal_to_the_phone_is_a_candidate(name, phone):
    assert "name equals phone" in mock_reasons(name, phone, region="MA")


@pytest.mark.parametrize(
    ("name", "phone"),
    [("0612345679", "+212612345678"), ("Karim 0612345678", "+212612345678"), ("06", None)],
)
def test_name_unlike_the_phone_is_not_a_candidate(name, phone):
    assert "name equals phone" not in mock_reasons(name, phone, region="MA")


def test_every_reason_is_listed():
    reasons = mock_reasons("123456789", "123 456 789", region="MA")
    assert reasons == ["placeholder phone 123456789", "name equals phone"]
    assert mock_reasons("Demo test", "000000000", region="MA") == [
        'name contains "demo"',
        'name contains "test"',
        "placeholder phone 000000000",
    ]


# The command


def run(*args, answer=None, monkeypatch=None, **options):
    out, err = StringIO(), StringIO()
    if answer is not None:
        prompts = []

        def fake_input(prompt=""):
            prompts.append(prompt)
            return answer

        monkeypatch.setattr("builtins.input", fake_input)
    call_command("cleanup_mock_customers", *args, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def snapshot():
    """Every row the cleanup could touch, as plain values."""
    return {
        model.__name__: list(model.objects.order_by("pk").values())
        for model in (Customer, Sale, SaleItem, Payment, CustomerLedgerEntry)
    } | {"audit": AuditLog.objects.count()}


@pytest.fixture
def shop(business, storefront, manager):
    """A shop with real customers, test customers, and the history real data carries."""
    real = CustomerFactory(business=business, name="Amina Testaoui", phone="+212612000001")
    real_sale = complete_sale(storefront=storefront, actor_user=manager, customer=real)
    plain = CustomerFactory(business=business, name="Test Customer", phone="+212612000002")
    with_draft = CustomerFactory(business=business, name="client_test", phone="0123456789")
    draft = SaleFactory(business=business, storefront=storefront, customer=with_draft)
    SaleItemFactory(sale=draft, quantity=2)
    recompute(draft)
    cancelled = SaleFactory(
        business=business, storefront=storefront, customer=with_draft, status=SaleStatus.CANCELLED
    )
    SaleItemFactory(sale=cancelled)
    placeholder = CustomerFactory(business=business, name="Karim Alaoui", phone="+212123456789")
    debtor = CustomerFactory(business=business, name="Demo Debtor", phone="+212612000003")
    debt_sale = complete_sale(
        storefront=storefront, actor_user=manager, customer=debtor, on_account=True
    )
    return {
        "real": real,
        "real_sale": real_sale,
        "plain": plain,
        "with_draft": with_draft,
        "draft": draft,
        "cancelled": cancelled,
        "placeholder": placeholder,
        "debtor": debtor,
        "debt_sale": debt_sale,
    }


def test_dry_run_lists_candidates_and_changes_nothing(shop, business):
    # given a shop with three removable test customers and one who owes money
    before = snapshot()

    # when the command runs without options
    out, _ = run()

    # then the table lists each candidate with its reasons, history and plan
    assert snapshot() == before
    assert not AuditLog.objects.filter(event_type=EVENT).exists()
    lines = out.splitlines()
    header = next(line for line in lines if line.startswith("ID"))
    for column in ("NAME", "PHONE", "REASONS", "SALES", "BALANCE", "PLAN"):
        assert column in header
    rows = {line.split("  ")[0]: line for line in lines if line[:8].count("-") == 0}
    assert str(shop["real"].pk) not in out
    plain = rows[str(shop["plain"].pk)]
    assert 'name contains "test"' in plain and plain.rstrip().endswith("delete")
    # the columns line up under their headers
    assert plain.index("Test Customer") == header.index("NAME")
    assert rows[str(shop["placeholder"].pk)].count("placeholder phone 123456789") == 1
    debtor = rows[str(shop["debtor"].pk)]
    assert "skip: owes 25.40 DH; has 1 completed sale" in debtor
    assert "Dry run: nothing was changed." in out
    assert "--delete" in out and "--include-with-history" in out


def test_list_all_marks_candidates_among_every_customer(shop):
    out, _ = run("--list-all")
    real_line = next(line for line in out.splitlines() if str(shop["real"].pk) in line)
    plain_line = next(line for line in out.splitlines() if str(shop["plain"].pk) in line)
    assert not real_line.startswith("*")
    assert plain_line.startswith("*")

    report = json.loads(run("--list-all", "--format", "json")[0])
    marked = {row["name"]: row["candidate"] for row in report["customers"]}
    assert marked["Amina Testaoui"] is False and marked["Test Customer"] is True
    assert len(report["customers"]) == Customer.objects.count()


def test_delete_asks_and_goes_on_after_yes(shop, monkeypatch, tmp_path):
    backup = tmp_path / "backup.json"
    out, _ = run("--delete", "--backup", str(backup), answer="yes", monkeypatch=monkeypatch)

    # the three without history are gone, with their draft and cancelled sales
    for key in ("plain", "with_draft", "placeholder"):
        assert not Customer.objects.filter(pk=shop[key].pk).exists()
    assert not Sale.objects.filter(pk__in=[shop["draft"].pk, shop["cancelled"].pk]).exists()
    assert not SaleItem.objects.filter(sale_id=shop["draft"].pk).exists()
    # the debtor is skipped and said why; the real customer is untouched
    debtor = Customer.objects.get(pk=shop["debtor"].pk)
    assert debtor.is_active and debtor.outstanding_balance == Decimal("25.40")
    assert Customer.objects.get(pk=shop["real"].pk).is_active
    assert backup.exists()
    assert f"Backup: {backup}" in out
    assert "Found:       4" in out and "Deleted:     3" in out
    assert "Deactivated: 0" in out and "Skipped:     1" in out
    assert "Demo Debtor" in out and "owes 25.40 DH" in out
    entries = AuditLog.objects.filter(event_type=EVENT)
    assert entries.count() == 3
    entry = entries.get(customer_id=shop["with_draft"].pk)
    assert entry.event_data["action"] == "deleted"
    assert entry.event_data["reasons"] == [
        'name contains "test"',
        "placeholder phone 123456789",
    ]
    assert {sale["status"] for sale in entry.event_data["removed_sales"]} == {
        "DRAFT",
        "CANCELLED",
    }
    assert entry.user is None and entry.user_name == "manage.py cleanup_mock_customers"
    assert ledger_check().differences == []


@pytest.mark.parametrize("answer", ["no", "", "n", "YES please"])
def test_anything_but_yes_at_the_prompt_changes_nothing(shop, monkeypatch, tmp_path, answer):
    before = snapshot()
    backup = tmp_path / "backup.json"
    with pytest.raises(CommandError, match="Cancelled"):
        run("--delete", "--backup", str(backup), answer=answer, monkeypatch=monkeypatch)
    assert snapshot() == before
    assert not backup.exists()


def test_end_of_input_at_the_prompt_is_a_no(shop, monkeypatch, tmp_path):
    def closed(prompt=""):
        raise EOFError

    monkeypatch.setattr("builtins.input", closed)
    before = snapshot()
    with pytest.raises(CommandError, match="Cancelled"):
        run("--delete", "--backup", str(tmp_path / "b.json"))
    assert snapshot() == before


def test_yes_skips_the_prompt(shop, monkeypatch, tmp_path):
    def no_prompt(prompt=""):
        raise AssertionError("--yes must not prompt")

    monkeypatch.setattr("builtins.input", no_prompt)
    run("--delete", "--no-input", "--backup", str(tmp_path / "a.json"))
    assert not Customer.objects.filter(pk=shop["plain"].pk).exists()


def test_default_backup_goes_to_a_timestamped_file(shop, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    out, _ = run("--delete", "--yes")
    files = list((tmp_path / "mock-cleanup-backups").glob("mock-customers-*.json"))
    assert len(files) == 1
    assert f"Backup: {files[0]}" in out


@pytest.mark.parametrize("args", [("--yes",), ("--no-input",), ("--backup", "x.json")])
def test_confirming_options_without_delete_are_refused(shop, args):
    before = snapshot()
    with pytest.raises(CommandError, match="--delete"):
        run(*args)
    assert snapshot() == before


@pytest.mark.parametrize(
    "value",
    ["7a5b606d-a8f5-403e-93a0-aebe20ced61a", "not-a-uuid", "42"],
    ids=["unknown", "malformed", "number"],
)
def test_unknown_or_malformed_business_is_refused(shop, value):
    before = snapshot()
    with pytest.raises(CommandError, match="business"):
        run("--business", value, "--delete", "--yes")
    assert snapshot() == before


def test_business_limits_the_run(shop, business, other_business, tmp_path):
    elsewhere = CustomerFactory(business=other_business, name="Test Rival", phone=None)
    out, _ = run("--business", str(other_business.pk))
    assert "Test Rival" in out and "Test Customer" not in out
    run("--business", str(business.pk), "--delete", "--yes", "--backup", str(tmp_path / "b.json"))
    assert Customer.objects.filter(pk=elsewhere.pk).exists()
    assert not Customer.objects.filter(pk=shop["plain"].pk).exists()


def test_unwritable_backup_path_changes_nothing(shop, tmp_path):
    before = snapshot()
    a_file = tmp_path / "a-file"
    a_file.write_text("")
    existing = tmp_path / "existing.json"
    existing.write_text("keep me")
    for path in (tmp_path / "missing" / "b.json", a_file / "b.json", existing):
        with pytest.raises(CommandError, match=r"Nothing was changed|already exists"):
            run("--delete", "--yes", "--backup", str(path))
    assert snapshot() == before
    assert existing.read_text() == "keep me"


def test_backup_failing_while_written_changes_nothing(shop, monkeypatch, tmp_path):
    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(mock_backup.os, "fsync", full_disk)
    before = snapshot()
    with pytest.raises(CommandError, match="No space left"):
        run("--delete", "--yes", "--backup", str(tmp_path / "b.json"))
    assert snapshot() == before
    assert list(tmp_path.iterdir()) == []


def test_the_backup_restores_what_was_removed(shop, tmp_path):
    # given the rows the cleanup is about to remove
    before = snapshot()
    backup = tmp_path / "backup.json"

    # when they are removed, then loaded back from the backup
    run("--delete", "--yes", "--backup", str(backup))
    assert snapshot() != before
    dumped = json.loads(backup.read_text())
    assert {row["model"] for row in dumped} == {
        "customers.customer",
        "sales.sale",
        "sales.saleitem",
    }
    call_command("loaddata", str(backup), verbosity=0)

    # then every customer, sale and line is back as it was; the audit trail keeps its entries
    after = snapshot()
    assert after.pop("audit") == before.pop("audit") + 3
    assert after == before


def test_completed_sales_and_ledger_survive(shop, storefront, manager, tmp_path):
    # given a test customer with a completed sale later cancelled, and a test debtor
    refunded = CustomerFactory(business=storefront.business, name="Sample Refund", phone=None)
    sale = complete_sale(storefront=storefront, actor_user=manager, customer=refunded)
    sale_cancel(sale=sale, reason="typo", actor=Actor.for_user(manager))
    ledger = list(CustomerLedgerEntry.objects.values_list("pk", "amount").order_by("pk"))
    completed = set(Sale.objects.filter(status=SaleStatus.COMPLETED).values_list("pk", flat=True))

    run("--delete", "--yes", "--backup", str(tmp_path / "b.json"))

    # the cancelled receipt keeps the customer, deactivated, and its sale with it
    refunded.refresh_from_db()
    assert not refunded.is_active
    assert Sale.objects.get(pk=sale.pk).customer_id == refunded.pk
    entry = AuditLog.objects.get(event_type=EVENT, customer_id=refunded.pk)
    assert entry.event_data["action"] == "deactivated"
    assert entry.event_data["changes"]["is_active"] == {"old": True, "new": False}
    # nothing completed, and no ledger entry, is gone
    assert set(Sale.objects.filter(status=SaleStatus.COMPLETED).values_list("pk", flat=True)) == (
        completed
    )
    assert list(CustomerLedgerEntry.objects.values_list("pk", "amount").order_by("pk")) == ledger
    assert Customer.objects.get(pk=shop["debtor"].pk).is_active
    assert ledger_check().differences == []


def test_include_with_history_moves_paid_sales_to_walk_in_and_keeps_the_debt(
    shop, storefront, manager, tmp_path
):
    # given a test debtor with an on-account sale and a later sale paid in cash
    debtor = shop["debtor"]
    debt_sale = shop["debt_sale"]
    cash_sale = complete_sale(storefront=storefront, actor_user=manager, customer=debtor)
    ledger = list(debtor.ledger_entries.values_list("pk", "amount", "balance_after"))

    # when the cleanup includes customers with history
    out, _ = run(
        "--delete", "--yes", "--include-with-history", "--backup", str(tmp_path / "b.json")
    )

    # then the cash sale is walk-in's; the on-account sale stays with the ledger that
    # charges it, so the debt and its ageing still point at the right sale
    debtor.refresh_from_db()
    cash_sale.refresh_from_db()
    debt_sale.refresh_from_db()
    assert cash_sale.status == SaleStatus.COMPLETED and cash_sale.customer_id is None
    assert debt_sale.status == SaleStatus.COMPLETED and debt_sale.customer_id == debtor.pk
    assert not debtor.is_active
    assert list(debtor.ledger_entries.values_list("pk", "amount", "balance_after")) == ledger
    assert debtor.outstanding_balance == Decimal("25.40")
    assert debtor.outstanding_balance == debtor.ledger_entries.aggregate(s=Sum("amount"))["s"]
    # the statistics follow the sales the customer keeps
    assert (debtor.total_purchases, debtor.sales_count, debtor.last_purchase_date) == (
        debt_sale.total_amount,
        1,
        debt_sale.completed_at,
    )
    assert ledger_check().differences == []
    entry = AuditLog.objects.get(event_type=EVENT, customer_id=debtor.pk)
    assert [sale["receipt_number"] for sale in entry.event_data["reassigned_sales"]] == [
        cash_sale.receipt_number
    ]
    assert entry.event_data["changes"]["sales_count"] == {"old": 2, "new": 1}
    assert "Deactivated: 1" in out and "completed sales moved to walk-in: 1" in out
    # the real customer's sale is untouched
    assert Sale.objects.get(pk=shop["real_sale"].pk).customer_id == shop["real"].pk


def test_include_with_history_moves_every_sale_of_a_customer_who_never_bought_on_account(
    business, storefront, manager, tmp_path
):
    customer = CustomerFactory(business=business, name="Sample Buyer", phone=None)
    sales = [
        complete_sale(storefront=storefront, actor_user=manager, customer=customer)
        for _ in range(2)
    ]
    out, _ = run("--include-with-history")
    assert "2 paid sales move to walk-in, ledger kept" in out

    run("--delete", "--yes", "--include-with-history", "--backup", str(tmp_path / "b.json"))

    customer.refresh_from_db()
    assert not Sale.objects.filter(pk__in=[sale.pk for sale in sales], customer__isnull=False)
    assert (customer.total_purchases, customer.sales_count, customer.last_purchase_date) == (
        Decimal("0.00"),
        0,
        None,
    )
    assert not customer.is_active
    assert ledger_check().differences == []


def test_a_failure_midway_rolls_everything_back(shop, monkeypatch, tmp_path):
    # given the audit trail refuses the second candidate's entry
    before = snapshot()
    real_record = mock_cleanup.audit_record
    calls = []

    def failing_record(**kwargs):
        calls.append(kwargs["customer"].pk)
        if len(calls) == 2:
            raise RuntimeError("disk gone")
        return real_record(**kwargs)

    monkeypatch.setattr(mock_cleanup, "audit_record", failing_record)

    # when the cleanup runs
    with pytest.raises(RuntimeError, match="disk gone"):
        run("--delete", "--yes", "--backup", str(tmp_path / "b.json"))

    # then the first candidate's removal is undone too: nothing is half-done
    assert len(calls) == 2
    assert snapshot() == before
    assert not AuditLog.objects.filter(event_type=EVENT).exists()


def test_candidates_are_checked_again_under_the_lock(shop, business, storefront, manager):
    # given a candidate that completed a sale after the review
    plain = shop["plain"]
    complete_sale(storefront=storefront, actor_user=manager, customer=plain)
    renamed = shop["placeholder"]
    Customer.objects.filter(pk=renamed.pk).update(phone="+212612000009")

    result = mock_cleanup.mock_customers_cleanup(
        customer_ids=[plain.pk, renamed.pk, uuid.uuid4()],
        include_with_history=False,
        actor=Actor.system("test"),
        backup_path=Path("/nonexistent/never-written.json"),
    )
    whys = sorted(outcome.why for outcome in result.skipped)
    assert whys == ["has 1 completed sale", "no longer exists", "no longer looks like test data"]
    assert result.backup_path is None
    assert Customer.objects.filter(pk__in=[plain.pk, renamed.pk]).count() == 2


def test_json_output_parses(shop, tmp_path):
    out, _ = run("--format", "json", "--include-with-history")
    report = json.loads(out)
    assert report["mode"] == "dry-run"
    plans = {row["name"]: row["plan"] for row in report["candidates"]}
    assert plans == {
        "Test Customer": "delete",
        "client_test": "delete",
        "Karim Alaoui": "delete",
        "Demo Debtor": "deactivate",
    }
    assert report["summary"]["found"] == 4 and report["summary"]["changed"] is False

    out, _ = run("--format", "json", "--delete", "--yes", "--backup", str(tmp_path / "b.json"))
    report = json.loads(out)
    summary = report["summary"]
    assert (summary["found"], summary["deleted"], summary["deactivated"]) == (4, 3, 0)
    assert summary["skipped"] == [
        {
            "id": str(shop["debtor"].pk),
            "name": "Demo Debtor",
            "why": "owes 25.40 DH; has 1 completed sale",
        }
    ]
    assert summary["backup"] == str(tmp_path / "b.json")
    assert summary["removed_sales"] == 2


def test_json_prompt_goes_to_stderr(shop, monkeypatch, tmp_path):
    out, err = run(
        "--format",
        "json",
        "--delete",
        "--backup",
        str(tmp_path / "b.json"),
        answer="yes",
        monkeypatch=monkeypatch,
    )
    assert json.loads(out)["summary"]["deleted"] == 3
    assert "Type 'yes'" in err


def test_nothing_to_remove_writes_no_backup(business, monkeypatch, tmp_path):
    CustomerFactory(business=business, name="Rachid Bennani")
    monkeypatch.chdir(tmp_path)
    out, _ = run("--delete", "--yes")
    assert "No mock customers found among 1 customer." in out
    assert not (tmp_path / "mock-cleanup-backups").exists()


def test_progress_bar_when_there_are_many_customers(business):
    Customer.objects.bulk_create(
        Customer(business=business, name=f"Client {n}", search_name=f"client {n}", phone=None)
        for n in range(201)
    )
    CustomerFactory(business=business, name="Dummy", phone=None)
    out, err = run()
    assert "Scanning customers" in err
    assert "Dummy" in out and "Scanning" not in out

    _, quiet = run("--business", str(business.pk), "--format", "json")
    assert "Scanning customers" in quiet


@requires_postgres
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_cleanup_waits_for_a_till_and_decides_on_what_it_committed(
    business, storefront, manager, tmp_path
):
    # given a till that holds a test customer's row while it completes a sale for them
    customer = CustomerFactory(business=business, name="Test Walk", phone=None)
    locked, errors = threading.Event(), []

    def till():
        try:
            with transaction.atomic():
                Customer.objects.select_for_update().get(pk=customer.pk)
                locked.set()
                # Long enough for the cleanup to reach the lock and queue behind it.
                time.sleep(0.5)
                complete_sale(storefront=storefront, actor_user=manager, customer=customer)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    thread = threading.Thread(target=till)
    thread.start()
    assert locked.wait(timeout=10)

    # when the cleanup runs meanwhile
    result = mock_cleanup.mock_customers_cleanup(
        customer_ids=[customer.pk],
        include_with_history=False,
        actor=Actor.system("test"),
        backup_path=tmp_path / "b.json",
    )
    thread.join(timeout=10)

    # then it waited, saw the completed sale, and kept the customer
    assert errors == []
    assert [outcome.why for outcome in result.skipped] == ["has 1 completed sale"]
    assert Customer.objects.get(pk=customer.pk).sales_count == 1


def test_include_with_history_keeps_a_returned_sale_with_its_customer(
    business, storefront, manager, tmp_path
):
    # given a test customer whose cash sale was partly returned as credit on the account
    customer = CustomerFactory(business=business, name="Demo Buyer", phone=None)
    returned = complete_sale(storefront=storefront, actor_user=manager, customer=customer)
    paid = complete_sale(storefront=storefront, actor_user=manager, customer=customer)
    sale_return(
        sale=returned,
        lines=[{"item": returned.items.get().pk, "quantity": 1}],
        reason="Damaged box",
        refund_method="ACCOUNT",
        actor=Actor.for_user(manager),
    )

    # when the cleanup includes customers with history
    run("--delete", "--yes", "--include-with-history", "--backup", str(tmp_path / "b.json"))

    # then the returned sale stays with the account its return credited; the other moves
    returned.refresh_from_db()
    paid.refresh_from_db()
    customer.refresh_from_db()
    assert returned.customer_id == customer.pk and paid.customer_id is None
    assert not customer.is_active
    assert customer.total_purchases == returned.total_amount - returned.returned_total == 0
    assert ledger_check().differences == []
    assert returns_check() == []
