"""A task that exists only for the tests: its effect (a row) is easy to see in the database.

The test worker loads it with ``celery worker --include tests.tracker.probe_tasks``."""

from celery import shared_task
from django.contrib.auth.models import Group


@shared_task(name="tests.record_marker")
def record_marker(name: str) -> str:
    Group.objects.get_or_create(name=name)
    return name
