"""The back office's "Return items" form: a quantity and a restock tick per line of a
completed sale, the reason and the refund method. It is a `OneTimeForm` (one submission per
rendered page) whose `return_lines` the view in `sales.admin_returns` hands to
`sales.services.sale_return`, the service the API calls.
"""

import json

from django import forms
from django.utils.translation import gettext, gettext_lazy

from pos_project.admin_forms import OneTimeForm
from pos_project.money import format_money
from sales.models import CHOSEN_REFUND_METHODS, Sale
from sales.services.return_amounts import default_refund_method, line_refund


class ReturnItemsForm(OneTimeForm):
    """A quantity and a restock tick per line of the sale, then the reason and the method."""

    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 50}),
        help_text=gettext_lazy("Printed on the return slip and kept in the audit log."),
    )
    refund_method = forms.ChoiceField(
        label=gettext_lazy("Refund"),
        choices=[(method.value, method.label) for method in CHOSEN_REFUND_METHODS],
        help_text=gettext_lazy(
            "What the customer still owes on this sale is reduced first; the rest goes back "
            "this way."
        ),
    )

    def __init__(self, *args, sale: Sale, **kwargs):
        super().__init__(*args, **kwargs)
        self.sale = sale
        self.lines = []
        self.initial.setdefault("refund_method", default_refund_method(sale))
        symbol = sale.business.currency_symbol
        for item in sale.items.all():
            returnable = item.quantity - item.returned_quantity
            quantity, restock = f"quantity_{item.pk}", f"restock_{item.pk}"
            # What the first k more units give back, k = 0..returnable: the page adds up the
            # refund as units are entered, to the cent the return will give.
            worths = [str(line_refund(item, units)) for units in range(returnable + 1)]
            unit = format_money(item.line_total / item.quantity, symbol)
            self.fields[quantity] = forms.IntegerField(
                label=gettext("%(medicine)s: units to return") % {"medicine": item.medicine_name},
                min_value=0,
                max_value=returnable,
                initial=0,
                help_text=gettext(
                    "%(price)s a unit, as paid. Sold %(sold)s, returned %(returned)s."
                )
                % {"price": unit, "sold": item.quantity, "returned": item.returned_quantity},
                disabled=returnable == 0,
                widget=forms.NumberInput(
                    attrs={"class": "return-quantity", "data-worths": json.dumps(worths)}
                ),
            )
            self.fields[restock] = forms.BooleanField(
                label=gettext("%(medicine)s: back on the shelf") % {"medicine": item.medicine_name},
                required=False, initial=True,
                help_text=gettext("Untick for damaged or expired goods."),
            )  # fmt: skip
            self.lines.append((item, quantity, restock))
        # The split shown before confirming; a confirm of another split shows it again.
        self.fields["previewed"] = forms.CharField(widget=forms.HiddenInput, required=False)
        # The reason and refund method read best after the lines.
        self.order_fields(
            [name for _, quantity, restock in self.lines for name in (quantity, restock)]
            + ["reason", "refund_method"]
        )

    def clean(self):
        cleaned = super().clean()
        if not self.return_lines():
            raise forms.ValidationError(
                gettext("Enter how many units of at least one line come back.")
            )
        return cleaned

    def return_lines(self) -> list[dict]:
        return [
            {
                "item": item.pk,
                "quantity": self.cleaned_data.get(quantity) or 0,
                "restock": bool(self.cleaned_data.get(restock)),
            }
            for item, quantity, restock in self.lines
            if self.cleaned_data.get(quantity)
        ]
