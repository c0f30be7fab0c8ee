"""An audit entry's description as a reader sees it, in the reader's language.

The stored `description` is English and never rewritten: it is hashed into the chain. What
the back office and the API show is rendered from the entry's event type and data instead,
in the active language, with every name isolated (`pos_project.bidi`), so an Arabic name
in a French sentence, or a Latin one in Arabic, keeps its place. In English the stored text
is shown as written, its names isolated. An entry whose data says too little for its
sentence (one written before its event recorded that data) reads as its event's label.
"""

from collections.abc import Callable
from decimal import Decimal, InvalidOperation

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from audit.events import AuditEvent
from audit.models import AuditLog
from pos_project.bidi import isolate
from pos_project.money import format_money

# A name inside a rendered sentence: `isolate` for text; `<bdi>` in a page.
Isolate = Callable[[object], str]


def _html_isolate(text: object) -> str:
    return f"<bdi>{escape(text)}</bdi>"


def _money(entry: AuditLog, value) -> str:
    return format_money(Decimal(str(value)), entry.business.currency_symbol)


def _sale_completed(entry: AuditLog, data: dict, name: Isolate) -> str:
    values = {
        "receipt": name(data["receipt_number"]),
        "total": _money(entry, data["total_amount"]),
        "customer": name(data["customer_name"]),
    }
    on_account = Decimal(str(data.get("on_account_amount") or 0))
    if on_account > 0:
        return _(
            "Sale %(receipt)s completed: %(total)s to %(customer)s, %(on_account)s on account"
        ) % {
            **values,
            "on_account": _money(entry, on_account),
        }
    return _("Sale %(receipt)s completed: %(total)s to %(customer)s") % values


def _sale_cancelled(entry: AuditLog, data: dict, name: Isolate) -> str:
    receipt = data.get("receipt_number")
    if not receipt:
        return _("Draft sale cancelled")
    return _("Sale %(receipt)s cancelled (%(total)s)") % {
        "receipt": name(receipt),
        "total": _money(entry, data["total_amount"]),
    }


def _payment_recorded(entry: AuditLog, data: dict, name: Isolate) -> str:
    return _("%(who)s recorded a payment of %(amount)s from %(customer)s") % {
        "who": name(entry.user_name),
        "amount": _money(entry, data["amount"]),
        "customer": name(_customer_name(entry)),
    }


def _credit_adjusted(entry: AuditLog, data: dict, name: Isolate) -> str:
    values = {
        "who": name(entry.user_name),
        "amount": _money(entry, data["amount"]),
        "customer": name(_customer_name(entry)),
        "reason": name(data.get("reason") or "-"),
    }
    if data["type"] == "add":
        return _("%(who)s gave %(amount)s of credit to %(customer)s: %(reason)s") % values
    return _("%(who)s took back %(amount)s of credit from %(customer)s: %(reason)s") % values


def _customer_created(entry: AuditLog, data: dict, name: Isolate) -> str:
    return _("Customer %(customer)s added") % {"customer": name(_customer_name(entry))}


def _staff_added(entry: AuditLog, data: dict, name: Isolate) -> str:
    return _("%(username)s added to the staff") % {"username": name(data["username"])}


def _staff_role_changed(entry: AuditLog, data: dict, name: Isolate) -> str:
    return _("%(username)s's role changed") % {"username": name(data["username"])}


def _staff_key_revoked(entry: AuditLog, data: dict, name: Isolate) -> str:
    return _("%(username)s logged out of every till (key revoked)") % {
        "username": name(data["username"])
    }


def _business_updated(entry: AuditLog, data: dict, name: Isolate) -> str:
    return _("Business settings changed: %(fields)s") % {
        "fields": ", ".join(name(field) for field in data["changes"])
    }


def _stock_adjusted(entry: AuditLog, data: dict, name: Isolate) -> str:
    quantity = data["changes"]["quantity"]
    return _(
        "Stock of %(medicine)s at %(storefront)s: %(old)s -> %(new)s (%(delta)+d, %(reason)s)"
    ) % {
        "medicine": name(data["name"]),
        "storefront": name(data["storefront_name"]),
        "old": quantity["old"],
        "new": quantity["new"],
        "delta": int(data["quantity_delta"]),
        "reason": name(data.get("reason") or "-"),
    }


def _till_opened(entry: AuditLog, data: dict, name: Isolate) -> str:
    return _("%(who)s opened %(till)s at %(storefront)s with a float of %(float)s") % {
        "who": name(entry.user_name),
        "till": name(data["till"]),
        "storefront": name(data["storefront"]),
        "float": _money(entry, data["opening_float"]),
    }


DESCRIBED: dict[str, Callable[[AuditLog, dict, Isolate], str]] = {
    AuditEvent.MEDICINE_STOCK_ADJUSTED: _stock_adjusted,
    AuditEvent.TILL_OPENED: _till_opened,
    AuditEvent.SALE_COMPLETED: _sale_completed,
    AuditEvent.SALE_CANCELLED: _sale_cancelled,
    AuditEvent.CUSTOMER_PAYMENT_RECORDED: _payment_recorded,
    AuditEvent.CUSTOMER_CREDIT_ADJUSTED: _credit_adjusted,
    AuditEvent.CUSTOMER_CREATED: _customer_created,
    AuditEvent.STAFF_ADDED: _staff_added,
    AuditEvent.STAFF_ROLE_CHANGED: _staff_role_changed,
    AuditEvent.STAFF_KEY_REVOKED: _staff_key_revoked,
    AuditEvent.BUSINESS_UPDATED: _business_updated,
}


def _customer_name(entry: AuditLog) -> str:
    data = entry.event_data or {}
    if data.get("customer_name"):
        return data["customer_name"]
    return entry.customer.name if entry.customer_id and entry.customer else "-"


def _names_in(entry: AuditLog) -> list[str]:
    """The names the stored English text may hold, longest first (one may contain another)."""
    data = entry.event_data or {}
    names = {entry.user_name, data.get("customer_name"), data.get("username"), data.get("name")}
    if entry.customer_id and entry.customer:
        names.add(entry.customer.name)
    return sorted((name for name in names if isinstance(name, str) and name), key=len, reverse=True)


def _isolated_in(text: str, names: list[str], name: Isolate, escaped: Callable[[str], str]) -> str:
    """`text` with each of `names` isolated, the rest passed through `escaped`."""
    if not names:
        return escaped(text)
    first, *others = names
    pieces = text.split(first)
    return name(first).join(_isolated_in(piece, others, name, escaped) for piece in pieces)


def _rendered(entry: AuditLog, name: Isolate, escaped: Callable[[str], str]) -> str:
    if (get_language() or "en").startswith("en"):
        return _isolated_in(entry.description, _names_in(entry), name, escaped)
    describe = DESCRIBED.get(entry.event_type)
    if describe is not None:
        try:
            return describe(entry, entry.event_data or {}, name)
        except (KeyError, TypeError, ValueError, InvalidOperation):
            pass
    try:
        return escaped(str(AuditEvent(entry.event_type).label))
    except ValueError:
        return escaped(entry.description)


def description_text(entry: AuditLog) -> str:
    """The description in the active language, as text (the API): names between Unicode
    isolates. In English, the stored description exactly as written."""
    if (get_language() or "en").startswith("en"):
        return entry.description
    return _rendered(entry, isolate, str)


def description_html(entry: AuditLog) -> SafeString:
    """The description in the active language, for a page: names in `<bdi>`."""
    return mark_safe(_rendered(entry, _html_isolate, escape))
