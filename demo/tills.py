"""The demo pharmacy's till: "Till 1" at Main, and cash control turned on.

Loaded after the sales history, which stays without sessions (it was rung up before the
shop counted its drawer). No session is opened: the cashier opens one with a float, as on a
real morning.
"""

from pos_project.actors import Actor
from sales.models import Till
from sales.services.tills import till_create
from staff.services import business_update

DEMO_TILL = "Till 1"


def seed(demo) -> str:
    """Till 1 at the demo storefront, and cash control on. Safe to run twice."""
    business, storefront = demo.business, demo.storefront
    actor = Actor.system("manage.py seed_demo")
    made = not Till.objects.filter(storefront=storefront, name=DEMO_TILL).exists()
    if made:
        till_create(business=business, storefront=storefront, name=DEMO_TILL, actor=actor)
    if not business.cash_control:
        business.cash_control = True
        business_update(business=business, actor=actor)
    return (
        f"Tills: {DEMO_TILL} at {storefront.name} {'created' if made else 'already there'}; "
        "cash control on (open a session before taking cash)"
    )
