"""How the receivables read on the back office's pages: amounts with the currency, a balance
in words, the position's cards and the ageing chart."""

from decimal import Decimal

from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from pos_project.models import Business
from pos_project.money import format_money
from receivables.reports import (
    BUCKET_LABELS,
    BUCKETS,
    POSITION_HINTS,
    POSITION_WORDS,
    ReceivablesPosition,
)


def money_text(amount, business) -> str:
    return "-" if amount is None else format_money(amount, business.currency_symbol)


def balance_words(balance: Decimal, business) -> str:
    """A balance as a shopkeeper says it: "owes 12.00 DH", "holds 38.50 DH of credit"."""
    if balance > 0:
        return _("owes %(amount)s") % {"amount": money_text(balance, business)}
    if balance < 0:
        return _("holds %(amount)s of credit") % {"amount": money_text(-balance, business)}
    return _("owes nothing")


def position_cards(position: ReceivablesPosition, business) -> list[tuple[str, str, str, str]]:
    """(html id, label, figure, hint) of owed / credit held / net, for every page that shows
    them, in the same words."""
    return [
        (
            f"receivables-{key}",
            POSITION_WORDS[key],
            money_text(getattr(position, key), business),
            POSITION_HINTS[key],
        )
        for key in POSITION_WORDS
    ]


# --- forms ------------------------------------------------------------------------------


CHART_WIDTH, CHART_HEIGHT, BAR_AREA = 460, 190, 130
BAR_COLOURS = {
    "owed_0_30": "#5b9bd5",
    "owed_31_60": "#f0ad4e",
    "owed_61_90": "#e8743b",
    "owed_over_90": "#c9302c",
}


def ageing_chart_svg(totals: dict, business: Business) -> str:
    """The ageing buckets as a bar chart: plain SVG drawn here, no script, no library."""
    largest = max((totals[name] for name in BUCKETS), default=Decimal(0))
    slot = CHART_WIDTH // len(BUCKETS)
    bars = []
    for index, name in enumerate(BUCKETS):
        value = totals[name]
        height = int(BAR_AREA * value / largest) if largest > 0 else 0
        x = index * slot + 20
        y = 20 + BAR_AREA - height
        bars.append(
            format_html(
                "<g><title>{label}: {amount}</title>"
                '<rect x="{x}" y="{y}" width="{w}" height="{h}" fill="{colour}" rx="2"></rect>'
                '<text x="{cx}" y="{ty}" text-anchor="middle" class="chart-amount">{amount}</text>'
                '<text x="{cx}" y="{ly}" text-anchor="middle" class="chart-label">{label}</text>'
                "</g>",
                label=BUCKET_LABELS[name],
                amount=money_text(value, business),
                x=x,
                y=y,
                w=slot - 40,
                h=max(height, 1),
                colour=BAR_COLOURS[name],
                cx=x + (slot - 40) // 2,
                ty=y - 5,
                ly=20 + BAR_AREA + 18,
            )
        )
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="ageing-chart" role="img" '
        'aria-label="{title}" width="{w}" height="{h}" '
        'viewBox="0 0 {w} {h}">'
        '<line x1="10" y1="{base}" x2="{end}" y2="{base}" stroke="#999"></line>{bars}</svg>',
        title=_("Amount due by age of the unpaid sales"),
        w=CHART_WIDTH,
        h=CHART_HEIGHT,
        base=20 + BAR_AREA,
        end=CHART_WIDTH - 10,
        # Each bar was escaped by format_html above.
        bars=mark_safe("".join(bars)),
    )


# --- the views --------------------------------------------------------------------------
