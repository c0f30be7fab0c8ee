"""Business scoping: every queryset is the caller's business, never the request body's."""

from pos_project.permissions import staff_of


def business_of(request):
    """The caller's business. Permission classes have already ensured it exists."""
    return staff_of(request.user).business


class BusinessScopedMixin:
    """For views over a model with a `business` foreign key.

    Objects of another business are filtered out before lookup, so they answer 404
    exactly as if they did not exist.
    """

    business_field = "business"

    @property
    def business(self):
        return business_of(self.request)

    def get_queryset(self):
        queryset = super().get_queryset()
        if getattr(self, "swagger_fake_view", False):
            return queryset.none()
        return queryset.filter(**{self.business_field: self.business})
