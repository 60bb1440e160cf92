"""The Atelier project: settings, URLs, Celery, accounts, dashboards and the demo."""

from .celery import app as celery_app

__all__ = ["celery_app"]
