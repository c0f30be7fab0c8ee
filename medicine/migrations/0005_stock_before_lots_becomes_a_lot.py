# Stock from before lots becomes one lot without number or expiry per medicine and storefront,
# so that every storefront's stock is the sum of its lots from the start. Going back, each
# stock row takes the sum of its lots (the units sold, returned or adjusted since), then the
# lots go.

from django.db import migrations
from django.db.models import OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce


def stock_into_lots(apps, schema_editor):
    Stock = apps.get_model("medicine", "Stock")
    Lot = apps.get_model("medicine", "Lot")
    rows = Stock.objects.filter(quantity__gt=0).values_list("medicine_id", "storefront_id", "quantity")
    Lot.objects.bulk_create(
        (
            Lot(medicine_id=medicine_id, storefront_id=storefront_id, quantity=quantity)
            for medicine_id, storefront_id, quantity in rows.iterator(chunk_size=2000)
        ),
        batch_size=2000,
    )


def lots_into_stock(apps, schema_editor):
    Stock = apps.get_model("medicine", "Stock")
    Lot = apps.get_model("medicine", "Lot")
    SaleItemLot = apps.get_model("medicine", "SaleItemLot")
    held = (
        Lot.objects.filter(medicine_id=OuterRef("medicine_id"), storefront_id=OuterRef("storefront_id"))
        .values("medicine_id")
        .annotate(total=Sum("quantity"))
        .values("total")
    )
    Stock.objects.update(quantity=Coalesce(Subquery(held), 0))
    SaleItemLot.objects.all().delete()
    Lot.objects.all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ("medicine", "0004_lots"),
    ]

    operations = [
        migrations.RunPython(stock_into_lots, lots_into_stock),
    ]
