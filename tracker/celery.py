"""The Celery app, configured from Django settings (every ``CELERY_*`` setting)."""

import os
from typing import Any

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


def enqueue_on_commit(task_name: str, *args: Any) -> None:
    """Send ``task_name`` once the current transaction commits (at once outside one).

    By name, so the domain below the tasks (services, the ingestion pipeline) never imports
    ``timeline.tasks``: tasks call the domain, the domain hands work back through the queue.
    ``robust``: the row that asked for the work is saved either way; if the broker is down,
    the reconciler sends the message later, which beats turning a saved submission into an
    error page. Without a broker the task runs inline (eager), as ``.delay()`` would.
    """
    from django.db import transaction

    transaction.on_commit(lambda: app.signature(task_name, args=args).delay(), robust=True)
