from axes.apps import AppConfig as AxesConfig
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StaffConfig(AppConfig):
    """The audited actions on the kernel's businesses, storefronts and staff, their back
    office and the lock-outs: above `audit`, so the kernel itself imports no app."""

    name = "staff"
    verbose_name = _("Staff")
    # This module also holds the lock-outs' config: "staff" in INSTALLED_APPS means this one.
    default = True

    def ready(self):
        from axes.signals import user_locked_out

        from staff.lockouts import on_user_locked_out

        user_locked_out.connect(on_user_locked_out, dispatch_uid="pos_project.lockout_audit")


class LoginProtectionConfig(AxesConfig):
    """django-axes, named in the back office for what it does: its lock-outs list shows
    under "Login protection", not the library's name."""

    verbose_name = _("Login protection")
    default = False
