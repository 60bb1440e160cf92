from django.apps import AppConfig
from django.db.models.signals import post_migrate


class LmsConfig(AppConfig):
    name = "lms"
    verbose_name = "Atelier"

    def ready(self):
        from .celery import _ensure_broker_folders
        from .roles import roles_ensure
        from .sites import site_ensure

        _ensure_broker_folders()
        post_migrate.connect(roles_ensure, dispatch_uid="lms.roles_ensure")
        post_migrate.connect(site_ensure, dispatch_uid="lms.site_ensure")
