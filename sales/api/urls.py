from django.urls import path
from rest_framework.routers import SimpleRouter

from sales.api.checkout import SaleCheckoutView
from sales.api.receipt_links import receipt_by_link, return_slip_by_link, till_report_by_link
from sales.api.returns import ReturnViewSet
from sales.api.tills import TillSessionViewSet, TillViewSet
from sales.api.views import SaleViewSet

router = SimpleRouter()
router.register("sales", SaleViewSet, basename="sale")
router.register("returns", ReturnViewSet, basename="return")
router.register("tills", TillViewSet, basename="till")
router.register("till-sessions", TillSessionViewSet, basename="till-session")

urlpatterns = [
    path("receipts/<str:token>/", receipt_by_link, name="sale-receipt-link"),
    path("return-slips/<str:token>/", return_slip_by_link, name="return-slip-link"),
    path("till-reports/<str:token>/", till_report_by_link, name="till-report-link"),
    # Before the router's routes, whose `sales/<pk>/` would take `checkout` for a sale id.
    path("sales/checkout/", SaleCheckoutView.as_view(), name="sale-checkout"),
    *router.urls,
]
