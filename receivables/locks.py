"""Row locks of the receivables: the one place each is locked for a change.

Where these sit in the order every change takes its locks: docs/locking.md (the business's
receivables summary after the receipt sequence, before the audit chain head). The summary's
key never changes, so it is locked `FOR NO KEY UPDATE`. The customer and the sales a
payment settles are locked through `customers.locks` and `sales.locks`.
"""

from receivables.models import ReceivablesSummary


def receivables_summary_lock(*, business) -> ReceivablesSummary:
    """The business's receivables summary, locked; made on its first change."""
    ReceivablesSummary.objects.get_or_create(business=business)
    return ReceivablesSummary.objects.select_for_update(no_key=True).get(business=business)
