"""What `cleanup_mock_customers --json` prints, and what its text is made from: a reviewed
customer, the plan for the candidates, and the summary of a run."""

from __future__ import annotations

from customers.mock_cleanup import CleanupResult
from customers.mock_review import DEACTIVATE, DELETE, SKIP, ReviewRow
from pos_project.models import Business


def review_report(
    rows: list[ReviewRow],
    *,
    business: Business | None,
    scanned: int,
    delete: bool,
    include_with_history: bool,
    list_all: bool,
) -> dict:
    """The report before its summary: what was scanned, and the candidates found."""
    report = {
        "mode": "delete" if delete else "dry-run",
        "business": {"id": str(business.pk), "name": business.name} if business else None,
        "include_with_history": include_with_history,
        "scanned": scanned,
        "candidates": [review_row_data(row) for row in rows if row.is_candidate],
    }
    if list_all:
        report["customers"] = [review_row_data(row) for row in rows]
    return report


def review_row_data(row: ReviewRow) -> dict:
    customer = row.customer
    data = {
        "id": str(customer.pk),
        "business_id": str(customer.business_id),
        "name": customer.name,
        "phone": customer.phone,
        "is_active": customer.is_active,
        "candidate": row.is_candidate,
        "reasons": row.reasons,
        "sales_count": row.sales_count,
        "balance": str(customer.outstanding_balance),
    }
    if row.is_candidate:
        data["draft_sales"] = row.history.removable_sales
        data["plan"] = row.action
        data["why"] = row.why
    return data


def cleanup_plan_counts(candidates: list[ReviewRow]) -> dict:
    return {
        "found": len(candidates),
        "to_delete": sum(1 for row in candidates if row.action == DELETE),
        "to_deactivate": sum(1 for row in candidates if row.action == DEACTIVATE),
        "to_skip": [
            {"id": str(row.customer.pk), "name": row.customer.name, "why": row.why}
            for row in candidates
            if row.action == SKIP
        ],
        "changed": False,
    }


def cleanup_summary(candidates: list[ReviewRow], result: CleanupResult) -> dict:
    seen = {outcome.customer_id for outcome in result.outcomes}
    skipped = [{"id": str(o.customer_id), "name": o.name, "why": o.why} for o in result.skipped] + [
        {"id": str(row.customer.pk), "name": row.customer.name, "why": row.why}
        for row in candidates
        if row.customer.pk not in seen
    ]
    return {
        "found": len(candidates),
        "deleted": result.deleted,
        "deactivated": result.deactivated,
        "skipped": skipped,
        "removed_sales": sum(o.removed_sales for o in result.outcomes),
        "reassigned_sales": sum(o.reassigned_sales for o in result.outcomes),
        "backup": str(result.backup_path) if result.backup_path else None,
        "backup_rows": result.backup_rows,
        "changed": bool(result.deleted or result.deactivated),
        "outcomes": [
            {
                "id": str(o.customer_id),
                "name": o.name,
                "result": o.result,
                "why": o.why,
                "removed_sales": o.removed_sales,
                "reassigned_sales": o.reassigned_sales,
            }
            for o in result.outcomes
        ],
    }
