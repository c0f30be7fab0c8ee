"""The kernel's admin. Every change goes through the services, so each leaves its audit entry."""

# Imported for its side effect: DRF's page of API keys is registered before it is undone
# below, whichever app's admin is read first.
import rest_framework.authtoken.admin  # noqa: F401
from django.apps import apps
from django.contrib import admin, messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from rest_framework.authtoken.models import TokenProxy

from pos_project.actors import Actor, display_name
from pos_project.admin_scoping import (
    BusinessScopedAdmin,
    NamedListTitle,
    admin_business,
    adopt_created_row,
    is_back_office_user,
)
from pos_project.bidi import isolate
from pos_project.errors import DomainError
from pos_project.models import Business, Role, StaffMember, Storefront
from pos_project.permissions import staff_of

# The lock-outs page lives in a module of its own; importing it registers it.
from staff import admin_lockouts  # noqa: F401
from staff.accounts import (
    staff_deactivate,
    staff_key_revoke,
    staff_password_reset,
    staff_reactivate,
)
from staff.admin_forms import BusinessForm, StaffAddForm, StaffPasswordForm
from staff.admin_language import language_switch
from staff.rights import may_manage
from staff.services import (
    business_update,
    staff_add,
    staff_change_role,
    staff_remove,
    staff_set_language,
    storefront_create,
    storefront_delete,
    storefront_update,
)


# The back office: managers and owners run their shop here; cashiers work at the till
# through the API and have no admin access (the login refuses accounts without is_staff,
# which staff.services keeps in step with the role).
class BackOfficeLoginForm(AdminAuthenticationForm):
    """The admin's log-in, telling a cashier with the right password where their work is.

    Django would answer "enter the correct username and password for a staff account",
    which sends a cashier to retype a password that was right. A wrong password still gets
    Django's answer (and counts towards django-axes' lock-out); this one only follows a
    password that was correct.
    """

    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "cashier": _(
            "The back office is for managers and owners. As a cashier you sell and take "
            "payments at the till, with the same username and password."
        ),
    }

    def confirm_login_allowed(self, user):
        staff = staff_of(user)
        if staff is not None and not staff.is_manager and not user.is_superuser:
            raise ValidationError(self.error_messages["cashier"], code="cashier")
        super().confirm_login_allowed(user)


admin.site.login_form = BackOfficeLoginForm
admin.site.site_header = _("Pharmacy back office")
admin.site.site_title = _("Pharmacy back office")
admin.site.index_title = _("Back office")
admin.site.index_template = "admin/back_office_index.html"

# DRF's own page of API keys shows every business's keys in clear and deletes them with no
# audit entry and no staff rights: a key is revoked from the staff list instead
# ("Log the selected staff out of every till", `staff_key_revoke`).
admin.site.unregister(TokenProxy)
# No side menu: on a 1366 px laptop it took a quarter of the width and pushed the lists'
# columns out of sight; the home page and the breadcrumbs lead everywhere instead.
admin.site.enable_nav_sidebar = False


class StorefrontInline(admin.TabularInline):
    """Shown for reference; storefronts are added and edited on their own page, audited there."""

    model = Storefront
    extra = 0
    fields = ["name", "address", "is_active"]
    readonly_fields = fields
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def _is_owner(request) -> bool:
    """An owner (or a superuser) in the back office: the business's settings are theirs."""
    if not is_back_office_user(request):
        return False
    staff = staff_of(request.user)
    return request.user.is_superuser or bool(staff and staff.is_owner)


@admin.register(Business)
class BusinessAdmin(NamedListTitle, admin.ModelAdmin):
    """The business's settings: its owner changes them (audited); managers do not see them."""

    form = BusinessForm
    list_display = [
        "name",
        "currency_code",
        "default_region",
        "time_zone",
        "language",
        "cashiers_take_deposits",
        "cash_control",
        "created_at",
    ]
    search_fields = ["name"]
    inlines = [StorefrontInline]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        business = admin_business(request)
        return queryset.filter(pk=business.pk) if business else queryset.none()

    def has_module_permission(self, request):
        return _is_owner(request)

    def has_view_permission(self, request, obj=None):
        return _is_owner(request)

    def has_change_permission(self, request, obj=None):
        return _is_owner(request)

    def has_add_permission(self, request):
        # `manage.py create_business` onboards a business with its owner and first storefront
        # in one transaction; a business made here would have neither.
        return False

    def has_delete_permission(self, request, obj=None):
        # Its audit trail protects a business from deletion, whatever else it holds.
        return False

    def save_model(self, request, obj, form, change):
        business_update(business=obj, actor=Actor.from_request(request))


@admin.register(Storefront)
class StorefrontAdmin(NamedListTitle, admin.ModelAdmin):
    list_display = ["name", "business", "is_active"]
    list_filter = ["is_active"]
    list_select_related = ["business"]
    search_fields = ["name", "business__name"]

    def get_fields(self, request, obj=None):
        # A new storefront opens active; closing it later is an audited change of its own.
        if obj is None:
            return ["business", "name", "address"]
        return ["business", "name", "address", "is_active"]

    def get_readonly_fields(self, request, obj=None):
        return ["business"] if obj is not None else []

    def save_model(self, request, obj, form, change):
        actor = Actor.from_request(request)
        if change:
            storefront_update(storefront=obj, actor=actor)
            return
        created = storefront_create(
            business=obj.business, name=obj.name, address=obj.address, actor=actor
        )
        adopt_created_row(obj, created)

    def delete_model(self, request, obj):
        storefront_delete(storefront=obj, actor=Actor.from_request(request))

    def delete_queryset(self, request, queryset):
        actor = Actor.from_request(request)
        with transaction.atomic():
            for storefront in queryset.select_related("business"):
                storefront_delete(storefront=storefront, actor=actor)


@admin.register(StaffMember)
class StaffMemberAdmin(BusinessScopedAdmin):
    """The business's staff: the owner manages everyone, a manager the cashiers (audited).

    Adding, a new role, a new password and leaving each go through one service of
    staff.services or staff.accounts, which check the same rights again.
    """

    list_display = ["full_name", "user", "role", "active", "open_till", "password_link"]
    list_filter = ["role", "user__is_active"]
    list_select_related = ["user", "business"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    actions = ["deactivate_selected", "reactivate_selected", "revoke_keys_selected"]

    @admin.display(description=_("name"), ordering="user__first_name")
    def full_name(self, staff):
        # The name the shop knows them by; the log-in name is the next column.
        return display_name(staff.user)

    @admin.display(description=_("can log in"), boolean=True, ordering="user__is_active")
    def active(self, staff):
        return staff.user.is_active

    @admin.display(description=_("open till"))
    def open_till(self, staff):
        return staff.open_till_name or ""

    @admin.display(description="")
    def password_link(self, staff):
        url = reverse("admin:pos_project_staffmember_password", args=[staff.pk])
        return format_html('<a href="{}">{}</a>', url, gettext("Reset password"))

    def get_queryset(self, request):
        # The till each person holds open, read with the rows (sales sits above staff).
        till_session = apps.get_model("sales", "TillSession")
        open_sessions = till_session.objects.filter(
            opened_by=OuterRef("user"), status="OPEN"
        ).values("till__name")[:1]
        return super().get_queryset(request).annotate(open_till_name=Subquery(open_sessions))

    def has_change_permission(self, request, obj=None):
        if not is_back_office_user(request):
            return False
        return obj is None or may_manage(actor=Actor.from_request(request), staff=obj)

    def has_delete_permission(self, request, obj=None):
        return self.has_change_permission(request, obj)

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = StaffAddForm
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            business = ["business"] if request.user.is_superuser else []
            return [*business, "username", "full_name", "password", "role"]
        return ["user", "business", "role", "language"]

    def get_readonly_fields(self, request, obj=None):
        # Moving someone to another business is a removal and an addition, each audited in
        # its own business's trail; only the role changes in place.
        return ["user", "business"] if obj is not None else []

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "role" and not Actor.from_request(request).is_owner:
            kwargs["choices"] = [(Role.CASHIER, Role.CASHIER.label)]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        actor = Actor.from_request(request)
        if change:
            staff_change_role(staff=obj, role=obj.role, actor=actor)
            staff_set_language(staff=obj, language=obj.language, actor=actor)
            return
        created = staff_add(
            business=obj.business if request.user.is_superuser else admin_business(request),
            username=form.cleaned_data["username"],
            full_name=form.cleaned_data["full_name"],
            password=form.cleaned_data["password"],
            role=obj.role,
            actor=actor,
        )
        adopt_created_row(obj, created)

    def delete_model(self, request, obj):
        staff_remove(staff=obj, actor=Actor.from_request(request))

    def delete_queryset(self, request, queryset):
        actor = Actor.from_request(request)
        with transaction.atomic():
            for staff in queryset.select_related("user", "business"):
                staff_remove(staff=staff, actor=actor)

    def get_urls(self):
        return [
            path(
                "<uuid:object_id>/password/",
                self.admin_site.admin_view(self.password_view),
                name="pos_project_staffmember_password",
            ),
            # Not behind the admin's log-in: the log-in page has the switcher too.
            path("language/", language_switch, name="pos_project_staffmember_language"),
            *super().get_urls(),
        ]

    def password_view(self, request, object_id):
        """ "Reset password": a new password for someone who lost theirs, audited."""
        staff = self.get_queryset(request).filter(pk=object_id).first()
        if staff is None or not self.has_view_permission(request):
            raise Http404
        change_url = reverse("admin:pos_project_staffmember_change", args=[staff.pk])
        form = StaffPasswordForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                staff_password_reset(
                    staff=staff,
                    password=form.cleaned_data["password1"],
                    actor=Actor.from_request(request),
                )
            except DomainError as error:
                form.add_error(None, error.message)
                messages.error(request, error.message)
            else:
                messages.success(
                    request,
                    gettext("%(name)s has a new password.")
                    % {"name": isolate(display_name(staff.user))},
                )
                return HttpResponseRedirect(change_url)
        return TemplateResponse(
            request,
            "admin/pos_project/staffmember/password.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": gettext("Reset the password of %(name)s")
                % {"name": isolate(display_name(staff.user))},
                "staff": staff,
                "change_url": change_url,
                "form": form,
            },
        )

    @admin.action(description=_("Deactivate the selected staff (they left)"))
    def deactivate_selected(self, request, queryset):
        self._each(
            request,
            queryset,
            staff_deactivate,
            _("%(name)s deactivated: they can no longer log in."),
        )

    @admin.action(description=_("Reactivate the selected staff (they came back)"))
    def reactivate_selected(self, request, queryset):
        self._each(
            request, queryset, staff_reactivate, _("%(name)s reactivated: they can log in again.")
        )

    @admin.action(description=_("Log the selected staff out of every till (a lost till)"))
    def revoke_keys_selected(self, request, queryset):
        self._each(
            request,
            queryset,
            staff_key_revoke,
            _("%(name)s logged out of every till: they log in again with their password."),
        )

    def _each(self, request, queryset, service, done: str) -> None:
        # One by one, each audited on its own: a refusal for one person (the last owner,
        # a manager picking a manager) leaves the others done and is said on the page.
        actor = Actor.from_request(request)
        for staff in queryset.select_related("user", "business"):
            try:
                service(staff=staff, actor=actor)
            except DomainError as error:
                self.message_user(
                    request,
                    gettext("%(name)s: %(message)s")
                    % {"name": isolate(display_name(staff.user)), "message": error.message},
                    level=messages.ERROR,
                )
            else:
                self.message_user(
                    request,
                    done % {"name": isolate(display_name(staff.user))},
                    level=messages.SUCCESS,
                )
