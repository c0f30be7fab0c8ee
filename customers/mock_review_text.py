"""How `cleanup_mock_customers` reads in a terminal: the review's table, with columns that
line up whatever the script of a name and each candidate's plan in words, what a dry run
suggests next, and the summary of a run."""

from __future__ import annotations

import unicodedata

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from customers.mock_report import cleanup_plan_counts
from customers.mock_review import DEACTIVATE, DELETE, SKIP, ReviewRow
from pos_project.models import Business
from pos_project.money import format_money

NAME_WIDTH = 40


def display_width(text: str) -> int:
    # Chinese and other wide characters take two columns, combining marks none.
    width = 0
    for char in text:
        if unicodedata.combining(char):
            continue
        width += 2 if unicodedata.east_asian_width(char) in "WF" else 1
    return width


def clip(text: str, width: int) -> str:
    if display_width(text) <= width:
        return text
    clipped = ""
    for char in text:
        if display_width(clipped + char) > width - 1:
            break
        clipped += char
    return clipped + "…"


def pad(text: str, width: int, *, right: bool = False) -> str:
    gap = " " * max(width - display_width(text), 0)
    return gap + text if right else text + gap


def plan_text(row: ReviewRow) -> str:
    if row.action == SKIP:
        return f"skip: {row.why}"
    drafts = row.history.removable_sales if row.history else 0
    extra = f", with {drafts} draft/cancelled sale{'s' if drafts != 1 else ''}" if drafts else ""
    if row.action == DELETE:
        return f"delete{extra}"
    if row.action == DEACTIVATE:
        return f"deactivate ({row.why}){extra}"
    return ""


def review_title(*, business: Business | None, list_all: bool) -> str:
    scope = f"{business.name} ({business.pk})" if business else _("all businesses")
    if list_all:
        return _("All customers in %(scope)s") % {"scope": scope}
    return _("Mock customer candidates in %(scope)s") % {"scope": scope}


def review_lines(
    rows: list[ReviewRow], *, business: Business | None, total: int, list_all: bool
) -> list[str]:
    """The review's table under its title: a header, a rule, a line per row, a blank line."""
    if not rows:
        return [
            ngettext(
                "No mock customers found among %(count)d customer.",
                "No mock customers found among %(count)d customers.",
                total,
            )
            % {"count": total}
        ]
    several_businesses = business is None and len({r.customer.business_id for r in rows}) > 1
    # (title, aligned right)
    headers = []
    if list_all:
        headers.append(("", False))
    headers += [(_("ID"), False)]
    if several_businesses:
        headers.append((_("BUSINESS"), False))
    headers += [
        (_("NAME"), False),
        (_("PHONE"), False),
        (_("REASONS"), False),
        (_("SALES"), True),
        (_("BALANCE"), True),
        (_("PLAN"), False),
    ]
    table = []
    for row in rows:
        customer = row.customer
        cells = []
        if list_all:
            cells.append("*" if row.is_candidate else "")
        cells.append(str(customer.pk))
        if several_businesses:
            cells.append(clip(customer.business.name, 24))
        name = (
            customer.name
            if customer.is_active
            else _("%(name)s (inactive)") % {"name": customer.name}
        )
        cells += [
            clip(name, NAME_WIDTH),
            customer.phone or "-",
            "; ".join(row.reasons) or "-",
            str(row.sales_count),
            format_money(customer.outstanding_balance, customer.business.currency_symbol),
            plan_text(row) or "-",
        ]
        table.append(cells)
    widths = [
        max(display_width(header), *(display_width(cells[i]) for cells in table))
        for i, (header, _right) in enumerate(headers)
    ]
    last = len(headers) - 1

    def line(cells):
        padded = [
            cell if i == last else pad(cell, widths[i], right=headers[i][1])
            for i, cell in enumerate(cells)
        ]
        return "  ".join(padded).rstrip()

    return [
        line([header for header, _right in headers]),
        line(["-" * width for width in widths]),
        *(line(cells) for cells in table),
        "",
    ]


def dry_run_lines(
    candidates: list[ReviewRow], *, business: Business | None, include_with_history: bool
) -> list[str]:
    """What a dry run found, and the command that would remove it."""
    if not candidates:
        return [_("Dry run: nothing was changed.")]
    plan = cleanup_plan_counts(candidates)
    lines = [
        ngettext(
            "Found %(count)d candidate: %(delete)s to delete, %(deactivate)s to "
            "deactivate, %(skip)s to skip.",
            "Found %(count)d candidates: %(delete)s to delete, %(deactivate)s to "
            "deactivate, %(skip)s to skip.",
            plan["found"],
        )
        % {
            "count": plan["found"],
            "delete": plan["to_delete"],
            "deactivate": plan["to_deactivate"],
            "skip": len(plan["to_skip"]),
        },
        _("Dry run: nothing was changed."),
    ]
    if not plan["to_delete"] and not plan["to_deactivate"]:
        if plan["to_skip"] and not include_with_history:
            lines.append(
                _("Add --include-with-history to see what would happen to the skipped ones.")
            )
        return lines
    command = "python manage.py cleanup_mock_customers --delete"
    if business is not None:
        command += f" --business {business.pk}"
    if include_with_history:
        command += " --include-with-history"
    lines.append(
        _("To remove them (a JSON backup is written first): %(command)s") % {"command": command}
    )
    if plan["to_skip"] and not include_with_history:
        lines.append(
            _(
                "Skipped candidates owe money or have completed sales. Add "
                "--include-with-history to deactivate them too: their paid sales move to "
                "walk-in, their on-account sales and ledger stay."
            )
        )
    return lines


def skipped_lines(candidates: list[ReviewRow]) -> list[str]:
    return [
        "  "
        + _("skipped %(name)s (%(id)s): %(why)s")
        % {"name": row.customer.name, "id": row.customer.pk, "why": row.why}
        for row in candidates
    ]


def backup_line(summary: dict) -> str:
    """Where a run's backup is, and how to restore it."""
    return ngettext(
        "Backup: %(path)s (%(count)d row). To put every removed or changed row "
        "back: python manage.py loaddata %(path)s",
        "Backup: %(path)s (%(count)d rows). To put every removed or changed row "
        "back: python manage.py loaddata %(path)s",
        summary["backup_rows"],
    ) % {"path": summary["backup"], "count": summary["backup_rows"]}


def summary_lines(summary: dict) -> list[str]:
    """A run's counts, under its `backup_line`."""
    lines = [
        _("Found:       %(count)s") % {"count": summary["found"]},
        _("Deleted:     %(count)s") % {"count": summary["deleted"]},
        _("Deactivated: %(count)s") % {"count": summary["deactivated"]},
        _("Skipped:     %(count)s") % {"count": len(summary["skipped"])},
    ]
    lines += [f"  - {skip['name']} ({skip['id']}): {skip['why']}" for skip in summary["skipped"]]
    lines.append(
        _(
            "Draft and cancelled sales removed: %(removed)s; completed sales moved to "
            "walk-in: %(moved)s."
        )
        % {"removed": summary["removed_sales"], "moved": summary["reassigned_sales"]}
    )
    if any("owes" in s["why"] or "completed sale" in s["why"] for s in summary["skipped"]):
        lines.append(
            _(
                "Add --include-with-history to process the customers skipped for money "
                "owed or completed sales."
            )
        )
    return lines
