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
from api.throttling import check_and_get
from tracker.kept_responses import (
    GENERATION_KEY,
    KeptPage,
    keep_page,
    keep_response,
    kept_response,
    start_generation,
)
from tracker.request_guards import warn_cache_down

PUBLIC_MAX_AGE = 60
RESPONSE_CACHE_PREFIX = "api-response:"
ADDRESS_CACHE_PREFIX = "api-page:"

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


def _digest(*parts: str) -> str:
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:40]


def _format(request: Request) -> str:
    return getattr(getattr(request, "accepted_renderer", None), "format", "")


def _audience(request: Request) -> str:
    return "editor" if can_review(request.user) else "public"


class ApiViewMixin(_Base):
    """Mixed into every view of the API.

    ``conditional_actions`` name the actions answered with an ETag and a Last-Modified; a
    matching If-None-Match or If-Modified-Since gets a 304. A view that can tell its version
    before building the body calls ``not_modified()`` first, so a 304 costs a query or two;
    otherwise the ETag is a hash of the body (a 304 then only saves the bandwidth).
    """

    conditional_actions: tuple[str, ...] = ("retrieve",)
    # Actions whose pages are also kept under their address (tracker.kept_responses): a
    # repeat then costs one round trip to the cache, throttles included, and no query.
    address_kept_actions: tuple[str, ...] = ()
    _validator: Validator | None = None
    _conditional_object: Any = None
    _response_cache_key: str | None = None
    _address_key: str | None = None
    _generation: str | None = None
    _address_kept: KeptPage | None = None

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        # PostgreSQL refuses NUL in text; caught here it is a 400 instead of a database error.
        for name, values in request.query_params.lists():
            if "\x00" in name or any("\x00" in value for value in values):
                raise ValidationError(
                    {name.replace("\x00", ""): ["NUL characters are not allowed."]}
                )
        super().initial(request, *args, **kwargs)

    def check_throttles(self, request: Request) -> None:
        """DRF's throttles, counted in the same round trip as the page kept under this address
        (after authentication and permissions, as always; a refused request gets its 429)."""
        if not self._keeps_by_address(request):
            return super().check_throttles(request)
        key = ADDRESS_CACHE_PREFIX + _digest(
            request.build_absolute_uri(), _format(request), _audience(request)
        )
        try:
            waits, (generation, page) = check_and_get(
                self.get_throttles(), request, self, (GENERATION_KEY, key)
            )
        except Exception as exc:
            # A cache that does not answer: the throttles' own fallback, and a miss.
            warn_cache_down("API throttles and kept pages", exc)
            return super().check_throttles(request)
        if waits:
            wait = max((w for w in waits if w is not None), default=None)
            # None when no throttle knows (DRF's own check_throttles passes it on too).
            self.throttled(request, wait)  # type: ignore[arg-type]
        if generation is None:
            start_generation()
            return None
        self._generation, self._address_key = generation, key
        if isinstance(page, KeptPage) and page.generation == generation:
            self._address_kept = page
        return None

    def _keeps_by_address(self, request: Request) -> bool:
        return (
            bool(settings.API_RESPONSE_CACHE_SECONDS)
            and request.method == "GET"
            and getattr(self, "action", None) in self.address_kept_actions
        )

    def kept_by_address(self, request: Request) -> HttpResponseBase | None:
        """The page kept under this address in the current generation, or its 304: before
        any query, so the view calls this first (the generation already covers what its
        other checks, a 404 or a refused filter, would read)."""
        page = self._address_kept
        if page is None:
            return None
        self._validator = Validator(etag=page.etag, last_modified=page.last_modified)
        answer = get_conditional_response(request, etag=page.etag, last_modified=page.last_modified)
        if answer is not None:
            return Response(status=answer.status_code)
        return HttpResponse(page.content, content_type=page.content_type)

    def _keep_by_address(self, response: HttpResponseBase) -> None:
        key, generation, validator = self._address_key, self._generation, self._validator
        if (
            key is None
            or generation is None
            or validator is None
            or self._address_kept is not None
            or response.status_code != 200
            or not isinstance(response, HttpResponse)
        ):
            return
        if isinstance(response, Response):
            response.render()
        page = KeptPage(
            generation=generation,
            etag=validator.etag,
            last_modified=validator.last_modified,
            content=response.content,
            content_type=response["Content-Type"],
        )
        keep_page(key, page, settings.API_RESPONSE_CACHE_SECONDS)

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
        digest = _digest(
            fingerprint, request.build_absolute_uri(), _format(request), _audience(request)
        )
        self._validator = Validator(etag=f'"{digest}"', last_modified=_seconds(last_modified))
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
        self._keep_by_address(response)
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
