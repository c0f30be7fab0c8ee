from rest_framework.routers import SimpleRouter

from medicine.api.views import MedicineViewSet

router = SimpleRouter()
router.register("medicines", MedicineViewSet, basename="medicine")

urlpatterns = router.urls
