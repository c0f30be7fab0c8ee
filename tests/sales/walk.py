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


def _return_kwargs(business):
    from sales.models import Return

    sale = _sale(business)
    sequence = Return.objects.filter(business=business).count() + 1
    sale_return = Return.objects.create(
        business=business,
        sale=sale,
        sequence=sequence,
        number=f"R-{sequence:06d}",
        reason="walk",
        refund_method="CASH",
        total=0,
        created_by=sale.created_by,
    )
    return {"pk": sale_return.pk}


def _till_kwargs(business):
    from tests.factories.kernel import StorefrontFactory
    from tests.factories.tills import TillFactory

    storefront = business.storefronts.first() or StorefrontFactory(business=business)
    return {"pk": TillFactory(storefront=storefront).pk}


def _till_session_kwargs(business):
    from pos_project.actors import Actor
    from sales.models import Till
    from sales.services.tills import till_session_open
    from tests.factories.kernel import StaffMemberFactory

    till = Till.objects.get(pk=_till_kwargs(business)["pk"])
    opener = Actor.for_user(StaffMemberFactory(business=business).user)
    return {"pk": till_session_open(till=till, opening_float="100.00", actor=opener).pk}


ROUTES = {
    "sale-detail": _sale_kwargs,
    "sale-items": _sale_kwargs,
    "sale-item-detail": _item_kwargs,
    "sale-update-customer": _sale_kwargs,
    "sale-complete": _sale_kwargs,
    "sale-cancel": _sale_kwargs,
    "sale-receipt": _sale_kwargs,
    "sale-receipt-page": _sale_kwargs,
    "sale-returns": _sale_kwargs,
    "return-detail": _return_kwargs,
    "return-receipt": _return_kwargs,
    "return-receipt-page": _return_kwargs,
    "till-detail": _till_kwargs,
    "till-open": _till_kwargs,
    "till-session-detail": _till_session_kwargs,
    "till-session-cash-movement": _till_session_kwargs,
    "till-session-close": _till_session_kwargs,
    "till-session-report": _till_session_kwargs,
    "till-session-report-page": _till_session_kwargs,
}

EXEMPT = {}
