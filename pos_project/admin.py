from django.contrib import admin

from pos_project.models import Business, StaffMember, Storefront


class StorefrontInline(admin.TabularInline):
    model = Storefront
    extra = 0
    fields = ["name", "address", "is_active"]


@admin.register(Business)
class BusinessAdmin(admin.ModelAdmin):
    list_display = ["name", "currency_code", "default_region", "time_zone", "created_at"]
    search_fields = ["name"]
    inlines = [StorefrontInline]


@admin.register(Storefront)
class StorefrontAdmin(admin.ModelAdmin):
    list_display = ["name", "business", "is_active"]
    list_filter = ["is_active"]
    list_select_related = ["business"]
    search_fields = ["name", "business__name"]


@admin.register(StaffMember)
class StaffMemberAdmin(admin.ModelAdmin):
    list_display = ["user", "business", "role", "created_at"]
    list_filter = ["role"]
    list_select_related = ["user", "business"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "business__name"]
    autocomplete_fields = ["user"]
