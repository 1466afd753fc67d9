"""What every API view shares: conditional GET, cache headers, refusal of NUL characters."""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from typing import Any

from django.http import HttpResponseBase
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from rest_framework import viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request

from api.pagination import KeysetPagination

PUBLIC_MAX_AGE = 60


class ApiViewMixin:
    """Mixed into every view of the API.

    ``conditional_actions`` name the actions answered with an ETag (a hash of the body, so it
    changes whenever anything shown changes) and a Last-Modified from ``get_last_modified()``;
    a matching If-None-Match or If-Modified-Since gets a 304.
    """

    conditional_actions: tuple[str, ...] = ("retrieve",)

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        # PostgreSQL refuses NUL in text; caught here it is a 400 instead of a database error.
        for name, values in request.query_params.lists():
            if "\x00" in name or any("\x00" in value for value in values):
                raise ValidationError(
                    {name.replace("\x00", ""): ["NUL characters are not allowed."]}
                )
        super().initial(request, *args, **kwargs)

    def get_last_modified(self) -> dt.datetime | None:
        obj = getattr(self, "_conditional_object", None)
        return getattr(obj, "updated_at", None)

    def get_object(self) -> Any:
        obj = super().get_object()
        self._conditional_object = obj
        return obj

    def finalize_response(
        self, request: Request, response: HttpResponseBase, *args: Any, **kwargs: Any
    ) -> HttpResponseBase:
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        if request.user and request.user.is_authenticated:
            response.setdefault("Cache-Control", "private, no-cache")
        else:
            response.setdefault("Cache-Control", f"public, max-age={PUBLIC_MAX_AGE}")
        patch_vary_headers(response, ["Accept", "Authorization", "Cookie"])
        if getattr(self, "action", None) not in self.conditional_actions:
            return response
        if hasattr(response, "render") and not getattr(response, "is_rendered", True):
            response.render()
        etag = f'"{hashlib.sha256(response.content).hexdigest()[:40]}"'
        response["ETag"] = etag
        last_modified = self.get_last_modified()
        timestamp = None
        if last_modified is not None:
            # Rounded up: HTTP dates have whole seconds and must not claim an older state.
            timestamp = math.ceil(last_modified.timestamp())
            response["Last-Modified"] = http_date(timestamp)
        return get_conditional_response(
            request, etag=etag, last_modified=timestamp, response=response
        )


class ReadOnlyViewSet(ApiViewMixin, viewsets.ReadOnlyModelViewSet):
    pagination_class = KeysetPagination
