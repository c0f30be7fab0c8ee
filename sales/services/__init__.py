"""Every change to a sale, from the first line of a DRAFT to its completion or cancellation.

Each function runs in one transaction and locks before it decides, in the order of
docs/locking.md, so two tills, a back-office payment and a cancellation queue up instead of
deadlocking.

- `checks`: refusals on plain values, on the DRAFT status and on the customer, and the
  locked sale they run on;
- `pricing`: unit prices, line values and the sale's totals;
- `drafting`: create, lines, sale type and note, `update_customer`;
- `checkout`: completion, with the receipt number and the charge on the customer's account
  (`settle_draft`, shared by both ways of ringing a sale up);
- `one_step`: the whole cart rung up and completed in one transaction, through the same
  checks, pricing and completion as the draft flow;
- `cancellation`: a DRAFT dropped, a COMPLETED sale reversed;
- `returns` (with `return_lines`, the lines read and checked against the sale, and
  `return_amounts`): units of a COMPLETED sale brought back and refunded.
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
from sales.services.one_step import CartLine, sale_checkout
from sales.services.return_lines import ReturnLine
from sales.services.returns import sale_return

__all__ = [
    "MAX_QUANTITY",
    "CartLine",
    "ReturnLine",
    "parse_customer_id",
    "sale_cancel",
    "sale_checkout",
    "sale_complete",
    "sale_create",
    "sale_item_add",
    "sale_item_remove",
    "sale_item_update",
    "sale_return",
    "sale_update",
    "sale_update_customer",
]
