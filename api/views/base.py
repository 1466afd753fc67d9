"""What every API view shares: conditional GET, cache headers, refusal of NUL characters."""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.http import HttpResponse, HttpResponseBase
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from rest_framework import viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from api.permissions import can_review
from tracker.kept_responses import keep_response, kept_response

PUBLIC_MAX_AGE = 60
RESPONSE_CACHE_PREFIX = "api-response:"

if TYPE_CHECKING:
    from rest_framework.generics import GenericAPIView

    _Base = GenericAPIView
else:
    _Base = object


@dataclass(frozen=True)
class Validator:
    """An ETag and a Last-Modified (whole POSIX seconds) for one response."""

    etag: str
    last_modified: int | None


def _seconds(moment: dt.datetime | None) -> int | None:
    # Rounded up: HTTP dates have whole seconds and must not claim an older state.
    return None if moment is None else math.ceil(moment.timestamp())


class ApiViewMixin(_Base):
    """Mixed into every view of the API.

    ``conditional_actions`` name the actions answered with an ETag and a Last-Modified; a
    matching If-None-Match or If-Modified-Since gets a 304. A view that can tell its version
    before building the body calls ``not_modified()`` first, so a 304 costs a query or two;
    otherwise the ETag is a hash of the body (a 304 then only saves the bandwidth).
    """

    conditional_actions: tuple[str, ...] = ("retrieve",)
    _validator: Validator | None = None
    _conditional_object: Any = None
    _response_cache_key: str | None = None

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        # PostgreSQL refuses NUL in text; caught here it is a 400 instead of a database error.
        for name, values in request.query_params.lists():
            if "\x00" in name or any("\x00" in value for value in values):
                raise ValidationError(
                    {name.replace("\x00", ""): ["NUL characters are not allowed."]}
                )
        super().initial(request, *args, **kwargs)

    def get_last_modified(self) -> dt.datetime | None:
        return getattr(self._conditional_object, "updated_at", None)

    def get_object(self) -> Any:
        obj = super().get_object()
        self._conditional_object = obj
        return obj

    def not_modified(
        self, request: Request, fingerprint: str, last_modified: dt.datetime | None
    ) -> Response | None:
        """A 304 if the client holds this version, before any of the body is built.

        The ETag covers the version of the data, the full URL (query, cursor and host, which
        the paging links repeat), the media type and what this user may see.
        """
        renderer = getattr(request, "accepted_renderer", None)
        audience = "editor" if can_review(request.user) else "public"
        key = "\n".join(
            [fingerprint, request.build_absolute_uri(), getattr(renderer, "format", ""), audience]
        )
        self._validator = Validator(
            etag=f'"{hashlib.sha256(key.encode()).hexdigest()[:40]}"',
            last_modified=_seconds(last_modified),
        )
        if request.method not in ("GET", "HEAD"):
            return None
        answer = get_conditional_response(
            request, etag=self._validator.etag, last_modified=self._validator.last_modified
        )
        # A body-less DRF response (304, or 412 for a failed If-Match): finalize_response adds
        # the validator and cache headers to it as to any other.
        return None if answer is None else Response(status=answer.status_code)

    def kept_response(self) -> HttpResponse | None:
        """After ``not_modified()``: the body rendered before for this very ETag, if kept.

        The ETag already names the data's version, the URL, the media type and the audience,
        so a kept body is exactly what this request would build; a miss remembers the key and
        ``finalize_response`` keeps the body it renders. Serialising a page of events is most
        of an API request's cost (docs/benchmarks.md), and most requests repeat a page.
        """
        seconds = settings.API_RESPONSE_CACHE_SECONDS
        if not seconds or self._validator is None or self.request.method not in ("GET", "HEAD"):
            return None
        key = RESPONSE_CACHE_PREFIX + self._validator.etag
        kept = kept_response(key)
        if kept is None:
            self._response_cache_key = key
        return kept

    def _keep_response(self, response: HttpResponseBase) -> None:
        key, self._response_cache_key = self._response_cache_key, None
        if key is None or response.status_code != 200 or not isinstance(response, Response):
            return
        response.render()
        keep_response(key, response, settings.API_RESPONSE_CACHE_SECONDS)

    def _body_validator(self, response: HttpResponseBase) -> Validator:
        if hasattr(response, "render") and not getattr(response, "is_rendered", True):
            response.render()
        content = response.content if isinstance(response, HttpResponse) else b""
        return Validator(
            etag=f'"{hashlib.sha256(content).hexdigest()[:40]}"',
            last_modified=_seconds(self.get_last_modified()),
        )

    # DRF passes any HttpResponseBase through (APIView.finalize_response asserts just that:
    # the exports answer with a plain HttpResponse); the stubs narrow it to Response.
    def finalize_response(  # type: ignore[override]
        self, request: Request, response: HttpResponseBase, *args: Any, **kwargs: Any
    ) -> HttpResponseBase:
        response = super().finalize_response(
            request,
            response,  # type: ignore[arg-type]
            *args,
            **kwargs,
        )
        self._keep_response(response)
        if request.method not in ("GET", "HEAD") or response.status_code not in (200, 304):
            return response
        if request.user and request.user.is_authenticated:
            response.setdefault("Cache-Control", "private, no-cache")
        else:
            response.setdefault("Cache-Control", f"public, max-age={PUBLIC_MAX_AGE}")
        patch_vary_headers(response, ["Accept", "Authorization", "Cookie"])
        if getattr(self, "action", None) not in self.conditional_actions:
            return response
        validator = self._validator or self._body_validator(response)
        response["ETag"] = validator.etag
        if validator.last_modified is not None:
            response["Last-Modified"] = http_date(validator.last_modified)
        if response.status_code == 304 or not isinstance(response, HttpResponse):
            return response
        conditional = get_conditional_response(
            request, etag=validator.etag, last_modified=validator.last_modified, response=response
        )
        return conditional or response


class ReadOnlyViewSet(ApiViewMixin, viewsets.ReadOnlyModelViewSet):
    """Paged by settings.REST_FRAMEWORK's KeysetPagination, like every list of the API."""
