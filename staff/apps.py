from django.apps import AppConfig


class StaffConfig(AppConfig):
    """The audited actions on the kernel's businesses, storefronts and staff, their back
    office and the lock-outs: above `audit`, so the kernel itself imports no app."""

    name = "staff"
    verbose_name = "Staff"

    def ready(self):
        from axes.signals import user_locked_out

        from staff.lockouts import on_user_locked_out

        user_locked_out.connect(on_user_locked_out, dispatch_uid="pos_project.lockout_audit")
