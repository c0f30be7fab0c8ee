"""This app's routes for the auth and isolation walk; see tests/pos_project/walk.py."""


def _sale(business):
    from tests.factories.kernel import StorefrontFactory
    from tests.factories.sales import SaleFactory

    storefront = business.storefronts.first() or StorefrontFactory(business=business)
    return SaleFactory(business=business, storefront=storefront)


def _sale_kwargs(business):
    return {"pk": _sale(business).pk}


def _item_kwargs(business):
    from tests.factories.sales import SaleItemFactory, recompute

    item = SaleItemFactory(sale=_sale(business))
    recompute(item.sale)
    return {"pk": item.sale_id, "item_pk": item.pk}


ROUTES = {
    "sale-detail": _sale_kwargs,
    "sale-items": _sale_kwargs,
    "sale-item-detail": _item_kwargs,
    "sale-update-customer": _sale_kwargs,
    "sale-complete": _sale_kwargs,
    "sale-cancel": _sale_kwargs,
    "sale-receipt": _sale_kwargs,
}

EXEMPT = {}
