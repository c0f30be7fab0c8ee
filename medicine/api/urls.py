from rest_framework.routers import SimpleRouter

from medicine.api.lots import LotViewSet
from medicine.api.views import MedicineViewSet

router = SimpleRouter()
router.register("medicines", MedicineViewSet, basename="medicine")
router.register("lots", LotViewSet, basename="lot")

urlpatterns = router.urls
