"""/api/v1/... (URL path versioning), the OpenAPI schema and its two viewers."""

from django.http import HttpRequest, JsonResponse
from django.urls import URLPattern, URLResolver, include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from api import views

app_name = "api"

router = DefaultRouter()
router.register("negotiations", views.NegotiationViewSet, basename="negotiation")
router.register(
    r"negotiations/(?P<negotiation_slug>[^/]+)/timeline",
    views.TimelineViewSet,
    basename="timeline",
)
router.register("events", views.EventViewSet, basename="event")
router.register("rounds", views.RoundViewSet, basename="round")
router.register("actors", views.ActorViewSet, basename="actor")
router.register("issues", views.IssueViewSet, basename="issue")
router.register("articles", views.ArticleViewSet, basename="article")
router.register("citations", views.CitationViewSet, basename="citation")
router.register("ingestions", views.IngestionViewSet, basename="ingestion")
router.register("review/events", views.ReviewViewSet, basename="review-event")
router.register("review/positions", views.PositionReviewViewSet, basename="review-position")

v1: list[URLPattern | URLResolver] = [
    re_path(
        r"^negotiations/(?P<slug>[^/]+)/export/(?P<export_format>[^/]+)/$",
        views.ExportView.as_view(),
        name="negotiation-export",
    ),
    path("", include(router.urls)),
]


def no_such_endpoint(request: HttpRequest, *args, **kwargs) -> JsonResponse:
    """Anything else under /api/ answers in the API's error shape, not an HTML page."""
    return JsonResponse(
        {"message": "There is no API endpoint at this address.", "code": "not_found", "errors": {}},
        status=404,
    )


urlpatterns = [
    re_path(r"^(?P<version>v1)/", include(v1)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="swagger-ui"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
    # Last, and only for paths with the trailing slash, so APPEND_SLASH still redirects.
    re_path(r"^.*/$", no_such_endpoint),
]
