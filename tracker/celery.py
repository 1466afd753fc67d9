"""The Celery app, configured from Django settings (every ``CELERY_*`` setting)."""

import os

from celery import Celery
from kombu import Queue

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")

app = Celery("tracker")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.task_queues = (Queue("default"), Queue("ingestion"))
if app.conf.task_always_eager and not app.conf.broker_url:
    # No broker: tasks run in-process, but Celery still builds a connection for the default
    # broker and logs "No hostname was supplied" at the first task. An in-memory transport
    # is what "no broker" means here, and it is silent.
    app.conf.broker_url = "memory://localhost/"
app.autodiscover_tasks()
