from django.contrib import admin
from django.urls import include, path

from timeline.admin.desk import api_token_view
from tracker.health import healthz

admin.site.site_header = "Negotiation tracker"
admin.site.site_title = "Negotiation tracker"
admin.site.index_title = "Editorial desk"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/token/", api_token_view, name="desk-token"),
    path("admin/", admin.site.urls),
    path("api/", include("api.urls")),
    path("", include("timeline.urls")),
]

handler500 = "tracker.errors.server_error"
