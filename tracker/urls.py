from django.contrib import admin
from django.urls import include, path

from tracker.health import healthz

admin.site.site_header = "Negotiation tracker"
admin.site.site_title = "Negotiation tracker"
admin.site.index_title = "Editorial desk"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/", include("api.urls")),
    path("", include("timeline.urls")),
]

handler500 = "tracker.errors.server_error"
