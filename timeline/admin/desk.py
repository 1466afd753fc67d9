"""The editors' desk: the admin's home shows the queues, and each editor's API token page."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from rest_framework.authtoken.models import Token

admin.site.index_template = "admin/timeline/desk.html"


@staff_member_required
def api_token_view(request: HttpRequest) -> HttpResponse:
    """The signed-in editor's own API token: shown, created on request, or replaced."""
    if request.method == "POST":
        if request.POST.get("reset"):
            Token.objects.filter(user=request.user).delete()
        Token.objects.get_or_create(user=request.user)
        messages.success(request, "Your API token is ready.")
        return HttpResponseRedirect(reverse("desk-token"))
    token = Token.objects.filter(user=request.user).first()
    return TemplateResponse(
        request,
        "admin/timeline/api_token.html",
        {**admin.site.each_context(request), "title": "Your API token", "token": token},
    )
