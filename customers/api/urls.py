from rest_framework.routers import SimpleRouter

from customers.api.debtors import DebtorViewSet
from customers.api.views import CustomerViewSet

router = SimpleRouter()
router.register("customers", CustomerViewSet, basename="customer")
router.register("debtors", DebtorViewSet, basename="debtor")

urlpatterns = router.urls
