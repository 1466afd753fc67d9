"""/api/v1/... (URL path versioning), the OpenAPI schema and its two viewers."""

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.urls import Resolver404, URLPattern, URLResolver, include, path, re_path, resolve
from django.views.decorators.csrf import csrf_exempt
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
router.register("review/citations", views.CitationProposalReviewViewSet, basename="review-citation")

v1: list[URLPattern | URLResolver] = [
    re_path(
        r"^negotiations/(?P<slug>[^/]+)/export/(?P<export_format>[^/]+)/$",
        views.ExportView.as_view(),
        name="negotiation-export",
    ),
    path("auth/token/", views.TokenView.as_view(), name="auth-token"),
    path("", include(router.urls)),
]


@csrf_exempt  # it changes nothing; without this a POST got the CSRF failure's HTML page
def no_such_endpoint(request: HttpRequest, *args, **kwargs) -> HttpResponse:
    """Anything else under /api/ answers in the API's error shape, not an HTML page.

    A path that only lacks its trailing slash is redirected for GET and HEAD (as APPEND_SLASH
    did); any other method gets a 404 naming the right address, since a redirect would turn
    the request into a GET and drop its body.
    """
    with_slash = request.path_info + "/"
    if not request.path_info.endswith("/") and _is_endpoint(with_slash):
        if request.method in ("GET", "HEAD"):
            query = request.META.get("QUERY_STRING", "")
            return HttpResponsePermanentRedirect(
                request.path + "/" + (f"?{query}" if query else "")
            )
        return JsonResponse(
            {
                "message": f"API addresses end with a slash: send this {request.method} to "
                f"{request.path}/",
                "code": "not_found",
                "errors": {},
            },
            status=404,
        )
    return JsonResponse(
        {"message": "There is no API endpoint at this address.", "code": "not_found", "errors": {}},
        status=404,
    )


def _is_endpoint(path: str) -> bool:
    try:
        match = resolve(path)
    except Resolver404:
        return False
    return match.func is not no_such_endpoint


urlpatterns = [
    re_path(r"^(?P<version>v1)/", include(v1)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="swagger-ui"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
    # Last: every other path under /api/, with or without its trailing slash.
    re_path(r"^.*$", no_such_endpoint),
]
