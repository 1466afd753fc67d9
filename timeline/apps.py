from django.apps import AppConfig


class TimelineConfig(AppConfig):
    name = "timeline"
    verbose_name = "Negotiation timelines"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Imported here: the receivers need the models loaded.
        from timeline.services import flags, stamp

        flags.connect()
        stamp.connect()
