from rest_framework.routers import SimpleRouter

from customers.api.views import CustomerViewSet
from receivables.api.debtors import DebtorViewSet

router = SimpleRouter()
router.register("customers", CustomerViewSet, basename="customer")
router.register("debtors", DebtorViewSet, basename="debtor")

urlpatterns = router.urls
