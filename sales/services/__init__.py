"""Every change to a sale, from the first line of a DRAFT to its completion or cancellation.

Each function runs in one transaction and locks before it decides, in the order of
docs/locking.md, so two tills, a back-office payment and a cancellation queue up instead of
deadlocking.

- `checks`: refusals on plain values, on the DRAFT status and on the customer, and the
  locked sale they run on;
- `pricing`: unit prices, line values and the sale's totals;
- `drafting`: create, lines, sale type and note, `update_customer`;
- `checkout`: completion, with the receipt number and the charge on the customer's account;
- `cancellation`: a DRAFT dropped, a COMPLETED sale reversed;
- `tills`: tills, their sessions' opening, cash movements and close (the Z report). Which
  session a sale's or a debt payment's money goes into is `sales.till_sessions`, below the
  receivables.

A new money-moving transition (a till's session, a return) is a module of its own here,
beside `checkout` and `cancellation`, and above the receivables like them.
"""

from sales.services.cancellation import sale_cancel
from sales.services.checkout import sale_complete
from sales.services.checks import MAX_QUANTITY
from sales.services.drafting import (
    parse_customer_id,
    sale_create,
    sale_item_add,
    sale_item_remove,
    sale_item_update,
    sale_update,
    sale_update_customer,
)

__all__ = [
    "MAX_QUANTITY",
    "parse_customer_id",
    "sale_cancel",
    "sale_complete",
    "sale_create",
    "sale_item_add",
    "sale_item_remove",
    "sale_item_update",
    "sale_update",
    "sale_update_customer",
]
