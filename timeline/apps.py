from django.apps import AppConfig


class TimelineConfig(AppConfig):
    name = "timeline"
    verbose_name = "Negotiation timelines"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from timeline.services import stamp

        stamp.connect()
