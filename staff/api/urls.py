from django.urls import path

from staff.api.views import TokenView

urlpatterns = [
    path("token/", TokenView.as_view(), name="auth-token"),
]
