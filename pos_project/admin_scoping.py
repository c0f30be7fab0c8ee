"""The back office's tenancy and roles, shared by every app's admin.

Managers and owners run their shop from the admin; they see and pick only their own
business's rows, everywhere: lists, search, foreign-key pickers and exports. Cashiers have
no admin access (their work is the till, through the API), so the admin never has to
second-guess what a cashier may do. Superusers are platform administrators and see every
business.

Rights come from the staff role, not from Django's per-model permission table, so that a
business's roles mean the same thing in the admin as in the API.
"""

from django.contrib import admin, messages
from django.http import HttpResponseRedirect

from pos_project.errors import DomainError
from pos_project.permissions import staff_of


def admin_business(request):
    """The business the admin user works for, or None for a superuser (all businesses)."""
    if request.user.is_superuser:
        return None
    staff = staff_of(request.user)
    return staff.business if staff else None


def is_back_office_user(request) -> bool:
    user = request.user
    if not (user.is_active and user.is_staff):
        return False
    if user.is_superuser:
        return True
    staff = staff_of(user)
    return bool(staff and staff.is_manager)


def scope_foreign_key(db_field, request, kwargs: dict) -> dict:
    """Limit a foreign-key picker to the user's business when the target has one."""
    business = admin_business(request)
    related = db_field.related_model
    if business is not None and any(f.name == "business" for f in related._meta.fields):
        kwargs["queryset"] = related._default_manager.filter(business=business)
    return kwargs


class BackOfficeRights:
    """Every right follows the role: managers, owners and superusers; never cashiers."""

    def has_module_permission(self, request):
        return is_back_office_user(request)

    def has_view_permission(self, request, obj=None):
        return is_back_office_user(request)

    def has_add_permission(self, request, *args):
        return is_back_office_user(request)

    def has_change_permission(self, request, obj=None):
        return is_back_office_user(request)

    def has_delete_permission(self, request, obj=None):
        return is_back_office_user(request)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return super().formfield_for_foreignkey(
            db_field, request, **scope_foreign_key(db_field, request, kwargs)
        )


class NamedListTitle:
    """A list titled by what it lists: "Customers", not Django's "Select customer to
    change". Most lists are read to find something, and some (sales, the audit log) cannot
    be changed at all."""

    def changelist_view(self, request, extra_context=None):
        title = self.opts.verbose_name_plural[:1].upper() + self.opts.verbose_name_plural[1:]
        return super().changelist_view(request, {"title": title, **(extra_context or {})})


class BusinessScopedAdmin(NamedListTitle, BackOfficeRights, admin.ModelAdmin):
    """A ModelAdmin whose rows, pickers and rights follow the user's business and role.

    `business_path` is the lookup from this model to its business.
    """

    business_path = "business"

    def changeform_view(self, request, *args, **kwargs):
        try:
            return super().changeform_view(request, *args, **kwargs)
        except DomainError as error:
            return self._refused(request, error)

    def delete_view(self, request, *args, **kwargs):
        try:
            return super().delete_view(request, *args, **kwargs)
        except DomainError as error:
            return self._refused(request, error)

    def _refused(self, request, error: DomainError):
        # A business rule said no (the change was rolled back): say why on the same page.
        self.message_user(request, error.message, level=messages.ERROR)
        return HttpResponseRedirect(request.get_full_path())

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        business = admin_business(request)
        if business is None:
            return queryset.none()
        return queryset.filter(**{self.business_path: business})


def adopt_created_row(obj, created) -> None:
    """Make the admin's unsaved `obj` the row a create service wrote.

    Admin add views go on to log the change and redirect to `obj`; when a service did the
    saving, `obj` must take the saved row's identity and state.
    """
    obj.pk = created.pk
    obj.refresh_from_db()
    obj._state.adding = False
