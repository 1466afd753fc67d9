from django.apps import AppConfig


class TimelineConfig(AppConfig):
    name = "timeline"
    verbose_name = "Negotiation timelines"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registers the tasks with the Celery app in every process, so the domain can enqueue
        # them by name (tracker.celery.enqueue_on_commit) and eager mode finds them.
        from django.db.models.signals import post_migrate

        from timeline import tasks  # noqa: F401

        # Imported here: the receivers need the models loaded.
        from timeline.services import corroboration, flags, stamp
        from timeline.sqlite_triggers import restore_sqlite_triggers

        post_migrate.connect(restore_sqlite_triggers, sender=self)

        corroboration.connect()
        flags.connect()
        stamp.connect()
