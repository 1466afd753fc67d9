import pytest
from django.test import Client
from django.urls import path

from tracker import urls as project_urls


def _boom(request):
    raise RuntimeError("deliberate failure")


urlpatterns = [
    path("api/v1/boom/", _boom),
    path("boom/", _boom),
    *project_urls.urlpatterns,
]
handler500 = project_urls.handler500


@pytest.fixture
def failing_client(settings):
    settings.ROOT_URLCONF = __name__
    settings.DEBUG = False
    return Client(raise_request_exception=False)


@pytest.mark.django_db
def test_server_error_under_api_is_json(failing_client):
    response = failing_client.get("/api/v1/boom/")

    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "server_error"


@pytest.mark.django_db
def test_server_error_elsewhere_is_the_html_page(failing_client):
    response = failing_client.get("/boom/")

    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")
