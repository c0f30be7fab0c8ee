"""The statement of account a shop hands its customer: a date range of the ledger, printable.

Opening balance, every charge, payment, reversal and adjustment in the range with the
balance after it, the closing balance, and what is still due by age today. Days are
calendar days of the business's time zone, as on the Debtors report. A fixed number of
queries whatever the range: the statement reads the ledger, which already carries each
entry's running balance.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.core import signing
from django.core.validators import MaxValueValidator, MinValueValidator
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from customers.models import Customer
from customers.phones import display_phone
from pos_project.money import ZERO, format_money
from pos_project.page_links import page_link_claims, signed_page_link
from pos_project.printed_pages import printed_page
from pos_project.spreadsheets import Sheet
from receivables.descriptions import ledger_description
from receivables.models import CustomerLedgerEntry
from receivables.reports import BUCKET_LABELS, BUCKETS, debtors_report, report_clock

# A statement covers the last 90 days unless a range is asked for.
DEFAULT_DAYS = 90
# The days a statement may start or end on, from the API and the back office alike: a day's
# bounds in any time zone (and the day after the last) must stay dates and times Python can
# convert to UTC; a day near year 1 or 9999 cannot.
EARLIEST_DAY, LATEST_DAY = date(1900, 1, 1), date(9000, 12, 31)
STATEMENT_DAY_VALIDATORS = [MinValueValidator(EARLIEST_DAY), MaxValueValidator(LATEST_DAY)]

HOW_TO_PAY = gettext_lazy(
    "Pay at any of our counters in cash, by card or by mobile money, giving your name or "
    "phone number. A payment settles your oldest purchases first."
)


@dataclass(frozen=True)
class StatementOfAccount:
    customer: Customer
    since: date
    until: date
    opening_balance: Decimal
    entries: list[CustomerLedgerEntry]
    closing_balance: Decimal
    # Bucket name -> what is still due today on sales of that age.
    due_by_age: dict[str, Decimal]

    @property
    def business(self):
        return self.customer.business


def local_midnight(day: date, zone) -> datetime:
    """The start of `day` in the business's time zone `zone`."""
    return datetime.combine(day, time.min, tzinfo=zone)


def statement_of_account(
    *, customer: Customer, since: date | None = None, until: date | None = None
) -> StatementOfAccount:
    """`customer`'s statement from `since` to `until` (both included; by default the last
    DEFAULT_DAYS days to today)."""
    business = customer.business
    clock = report_clock(business=business)
    until = until or clock.today
    since = since or until - timedelta(days=DEFAULT_DAYS - 1)
    start = local_midnight(since, business.zone)
    end = local_midnight(until + timedelta(days=1), business.zone)
    before = (
        customer.ledger_entries.filter(created_at__lt=start)
        .order_by("-sequence")
        .values_list("balance_after", flat=True)
        .first()
    )
    opening = before if before is not None else ZERO
    entries = list(
        customer.ledger_entries.filter(created_at__gte=start, created_at__lt=end)
        .select_related("sale")
        .order_by("sequence")
    )
    closing = entries[-1].balance_after if entries else opening
    ageing = debtors_report(business=business, clock=clock).filter(pk=customer.pk).first()
    due_by_age = {name: getattr(ageing, name) if ageing else ZERO for name in BUCKETS}
    return StatementOfAccount(
        customer=customer,
        since=since,
        until=until,
        opening_balance=opening,
        entries=entries,
        closing_balance=closing,
        due_by_age=due_by_age,
    )


# The ledger as a spreadsheet: one row per entry, days and times in the shop's time zone.
BALANCE_AFTER = gettext_lazy("Balance after")
LEDGER_SHEET_HEADER = [
    gettext_lazy("Entry"),
    gettext_lazy("Date"),
    gettext_lazy("Time"),
    gettext_lazy("Type"),
    gettext_lazy("Description"),
    gettext_lazy("Receipt"),
    gettext_lazy("Currency"),
    gettext_lazy("Amount"),
    BALANCE_AFTER,
    gettext_lazy("Recorded by"),
]
_BALANCE_COLUMN = LEDGER_SHEET_HEADER.index(BALANCE_AFTER)


def ledger_sheet(customer: Customer, entries, *, title: str) -> Sheet:
    """`entries` of `customer`'s ledger (their sales selected with them) as a Sheet."""
    business = customer.business
    sheet = Sheet(title=title, rows=[[str(header) for header in LEDGER_SHEET_HEADER]])
    for entry in entries:
        moment = entry.created_at.astimezone(business.zone)
        sheet.rows.append(
            [
                entry.sequence,
                moment.date(),
                moment.strftime("%H:%M"),
                entry.get_entry_type_display(),
                ledger_description(entry, symbol=business.currency_symbol),
                entry.sale.receipt_number if entry.sale_id else "",
                business.currency_code,
                entry.amount,
                entry.balance_after,
                entry.created_by_name,
            ]
        )
    return sheet


def statement_sheet(statement: StatementOfAccount) -> Sheet:
    """The statement as a spreadsheet: the balance it opens with, its entries, and the
    balance it closes with as the totals row."""
    customer = statement.customer
    sheet = ledger_sheet(
        customer,
        statement.entries,
        title=_("Statement %(since)s %(until)s")
        % {"since": statement.since, "until": statement.until},
    )

    def balance_row(words: str, day: date, balance: Decimal) -> list:
        row = ["", day, "", words, "", "", customer.business.currency_code, "", "", ""]
        row[_BALANCE_COLUMN] = balance
        return row

    sheet.rows.insert(
        1, balance_row(_("Opening balance"), statement.since, statement.opening_balance)
    )
    sheet.rows.append(balance_row(_("Closing balance"), statement.until, statement.closing_balance))
    sheet.totals = 1
    return sheet


def _balance_words(balance: Decimal, symbol: str) -> str:
    if balance < 0:
        return _("%(amount)s in your favour") % {"amount": format_money(-balance, symbol)}
    return format_money(balance, symbol)


@dataclass(frozen=True)
class StatementPeriod:
    label: str
    since: date
    until: date

    @property
    def query(self) -> str:
        return f"since={self.since.isoformat()}&until={self.until.isoformat()}"


def statement_periods(today: date) -> list[StatementPeriod]:
    """The periods a manager picks a statement for, in the shop's calendar."""
    month_start = today.replace(day=1)
    last_month_end = month_start - timedelta(days=1)
    return [
        StatementPeriod(_("This month"), month_start, today),
        StatementPeriod(_("Last month"), last_month_end.replace(day=1), last_month_end),
        StatementPeriod(
            _("Last %(days)s days") % {"days": DEFAULT_DAYS},
            today - timedelta(days=DEFAULT_DAYS - 1),
            today,
        ),
        StatementPeriod(_("Last 12 months"), today - timedelta(days=364), today),
    ]


@printed_page
def statement_html(
    statement: StatementOfAccount, *, back_url: str | None = None, choose_period: bool = False
) -> str:
    """The statement as a self-contained A4 page that prints cleanly from a browser. With
    `choose_period` (the back office's page), a bar above it picks another period; the bar
    is not printed."""
    business = statement.business
    symbol = business.currency_symbol
    zone = business.zone
    customer = statement.customer
    rows = [
        {
            "date": date_format(timezone.localtime(entry.created_at, zone), "DATETIME_FORMAT"),
            "type": entry.get_entry_type_display(),
            "description": ledger_description(entry, symbol=symbol),
            "receipt": entry.sale.receipt_number if entry.sale_id else "",
            "charge": format_money(entry.amount, symbol) if entry.amount > 0 else "",
            "credit": format_money(-entry.amount, symbol) if entry.amount < 0 else "",
            "balance": format_money(entry.balance_after, symbol),
        }
        for entry in statement.entries
    ]
    return render_to_string(
        "receivables/statement.html",
        {
            "business": business,
            "storefronts": [s for s in business.storefronts.all() if s.is_active],
            "customer": customer,
            "phone": display_phone(customer.phone, region=business.default_region),
            "since": date_format(statement.since, "DATE_FORMAT"),
            "until": date_format(statement.until, "DATE_FORMAT"),
            "printed": date_format(timezone.localtime(timezone.now(), zone), "DATETIME_FORMAT"),
            "time_zone": business.time_zone,
            "opening": _balance_words(statement.opening_balance, symbol),
            "closing": _balance_words(statement.closing_balance, symbol),
            "owes": statement.closing_balance > 0,
            "rows": rows,
            "ages": [
                (BUCKET_LABELS[name], format_money(amount, symbol))
                for name, amount in statement.due_by_age.items()
            ],
            "how_to_pay": HOW_TO_PAY,
            "back_url": back_url,
            "periods": statement_periods(report_clock(business=business).today)
            if choose_period
            else [],
            "since_value": statement.since.isoformat(),
            "until_value": statement.until.isoformat(),
        },
    )


# --- the signed link: a statement opened without a token, as receipts are ---------------

STATEMENT_LINK_SALT = "receivables.statement-link"


def statement_link_url(statement: StatementOfAccount, request=None) -> str:
    """A link that opens this statement's printable page without a token, for
    `window.open`: tied to the customer, their business and the range, valid as long as a
    receipt link."""
    claims = {
        "customer": str(statement.customer.pk),
        "business": str(statement.customer.business_id),
        "since": statement.since.isoformat(),
        "until": statement.until.isoformat(),
    }
    return signed_page_link("customer-statement-link", STATEMENT_LINK_SALT, claims, request)


def statement_from_link(token: str) -> StatementOfAccount:
    """The statement a link opens. BadSignature if it was tampered with (or names no
    customer), PageLinkExpired once it is too old."""
    signed = page_link_claims(token, STATEMENT_LINK_SALT)
    try:
        customer = Customer.objects.select_related("business").get(
            pk=signed["customer"], business_id=signed["business"]
        )
        since, until = date.fromisoformat(signed["since"]), date.fromisoformat(signed["until"])
    except (Customer.DoesNotExist, KeyError, TypeError, ValueError):
        raise signing.BadSignature("The link names no statement.") from None
    return statement_of_account(customer=customer, since=since, until=until)
