from django.apps import AppConfig


class PosProjectConfig(AppConfig):
    name = "pos_project"
    verbose_name = "Businesses and staff"

    def ready(self):
        from axes.signals import user_locked_out

        from pos_project import schema  # noqa: F401  (registers OpenAPI extensions)
        from pos_project.lockouts import on_user_locked_out

        user_locked_out.connect(on_user_locked_out, dispatch_uid="pos_project.lockout_audit")
