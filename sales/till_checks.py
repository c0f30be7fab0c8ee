"""`check_ledgers`' proof of the drawer: every closed till session's stored Z report against
the sales, payments, refunds, debt payments and cash movements it came from, and the Z
numbers of each business without a gap.

Below the receivables (beside `sales.models`), so that `check_ledgers` can run it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Max, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from pos_project.models import Business
from sales.models import TillSession, TillSessionStatus, ZNumberSequence
from sales.till_totals import TillTotals, till_session_cash_low_point, till_session_totals


@dataclass(frozen=True)
class TillCheck:
    checked: int
    differences: list[str]


def till_sessions_check(*, businesses: QuerySet[Business]) -> TillCheck:
    """Each closed session of `businesses`: its stored totals equal what its sources add up
    to now, and its variance is counted minus expected; Z numbers run 1..n per business.
    Each session, open or closed: its drawer never held less than nothing.

    Run it inside one snapshot (`pos_project.database.read_snapshot`), as `check_ledgers`
    does, so that a session closing meanwhile is either wholly in the check or not at all.
    """
    differences: list[str] = []
    closed = (
        TillSession.objects.filter(business__in=businesses, status=TillSessionStatus.CLOSED)
        .select_related("till")
        .order_by("business_id", "z_sequence")
    )
    checked = 0
    for session in closed.iterator(chunk_size=200):
        checked += 1
        stored = TillTotals.stored(session).as_dict()
        recomputed = till_session_totals(session).as_dict()
        for name, value in recomputed.items():
            if stored[name] != value:
                differences.append(
                    _(
                        "Till session %(z_number)s (%(till)s): %(figure)s is %(stored)s, its "
                        "sources add up to %(value)s."
                    )
                    % {
                        "z_number": session.z_number,
                        "till": session.till.name,
                        "figure": name,
                        "stored": stored[name],
                        "value": value,
                    }
                )
        if session.variance != session.counted_cash - session.expected_cash:
            differences.append(
                _(
                    "Till session %(z_number)s: variance %(variance)s is not counted "
                    "%(counted)s minus expected %(expected)s."
                )
                % {
                    "z_number": session.z_number,
                    "variance": session.variance,
                    "counted": session.counted_cash,
                    "expected": session.expected_cash,
                }
            )
    differences.extend(_drawers_below_zero(businesses))
    issued = dict(
        ZNumberSequence.objects.filter(business__in=businesses).values_list(
            "business_id", "last_number"
        )
    )
    numbered = (
        TillSession.objects.filter(business__in=businesses, z_sequence__isnull=False)
        .values("business_id")
        .annotate(total=Count("id"), highest=Max("z_sequence"))
        .order_by()
    )
    for row in numbered:
        business_id, total, highest = row["business_id"], row["total"], row["highest"]
        if total != highest or issued.get(business_id) != highest:
            differences.append(
                _(
                    "Business %(business)s: Z numbers are not gap-free (%(total)s closed "
                    "sessions, highest Z-%(highest)06d, sequence at %(issued)s)."
                )
                % {
                    "business": business_id,
                    "total": total,
                    "highest": highest,
                    "issued": issued.get(business_id),
                }
            )
    return TillCheck(checked=checked, differences=differences)


def _drawers_below_zero(businesses: QuerySet[Business]) -> list[str]:
    """A sentence for each session whose expected cash went below zero at some moment."""
    found = []
    sessions = (
        TillSession.objects.filter(business__in=businesses)
        .select_related("till", "business")
        .order_by("business_id", "opened_at", "id")
    )
    for session in sessions.iterator(chunk_size=200):
        lowest, when = till_session_cash_low_point(session)
        if lowest < 0:
            zone = session.business.zone
            words = {
                "session": session.z_number or _("open"),
                "till": session.till.name,
                "opened": date_format(
                    timezone.localtime(session.opened_at, zone), "SHORT_DATETIME_FORMAT"
                ),
                "lowest": lowest,
            }
            if when:
                words["when"] = date_format(timezone.localtime(when, zone), "SHORT_DATETIME_FORMAT")
                sentence = _(
                    "Till session %(session)s (%(till)s, opened %(opened)s): its drawer was "
                    "expected to hold %(lowest)s at %(when)s, less than nothing."
                )
            else:
                sentence = _(
                    "Till session %(session)s (%(till)s, opened %(opened)s): its drawer was "
                    "expected to hold %(lowest)s, less than nothing."
                )
            found.append(sentence % words)
    return found
