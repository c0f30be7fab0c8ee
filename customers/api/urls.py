from django.urls import path
from rest_framework.routers import SimpleRouter

from customers.api.views import CustomerViewSet
from receivables.api.debtors import DebtorViewSet
from receivables.api.statements import statement_by_link

router = SimpleRouter()
router.register("customers", CustomerViewSet, basename="customer")
router.register("debtors", DebtorViewSet, basename="debtor")

urlpatterns = [
    path("statements/<str:token>/", statement_by_link, name="customer-statement-link"),
    *router.urls,
]
