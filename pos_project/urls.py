from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from pos_project.api.views import MeView, StorefrontListView, healthz
from pos_project.metrics import metrics_view

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("metrics", metrics_view, name="metrics"),
    path("api/auth/", include("staff.api.urls")),
    path("api/me/", MeView.as_view(), name="me"),
    path("api/storefronts/", StorefrontListView.as_view(), name="storefront-list"),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path(
        "api/redoc/",
        SpectacularRedocView.as_view(url_name="schema", template_name="api/redoc.html"),
        name="redoc",
    ),
    path("customers/api/", include("customers.api.urls")),
    path("medicine/api/", include("medicine.api.urls")),
    path("sales/api/", include("sales.api.urls")),
    path("sales/api/", include("audit.api.urls")),
]

# JSON for the API's paths, a page in the back office's look for every other.
handler400 = "pos_project.error_pages.bad_request"
handler403 = "pos_project.error_pages.permission_denied"
handler404 = "pos_project.error_pages.not_found"
handler500 = "pos_project.error_pages.server_error"
