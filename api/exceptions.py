"""One error shape for every endpoint: ``{"message": ..., "code": ..., "errors": {field: [...]}}``."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from timeline.services import DomainError


def _flatten(detail: Any) -> Any:
    """ErrorDetail trees to plain lists and dicts of strings."""
    if isinstance(detail, dict):
        return {str(key): _flatten(value) for key, value in detail.items()}
    if isinstance(detail, list):
        return [_flatten(item) for item in detail]
    return str(detail)


def _first_message(errors: Any) -> str:
    if isinstance(errors, dict):
        for field, value in errors.items():
            inner = _first_message(value)
            if inner:
                return inner if field == "non_field_errors" else f"{field}: {inner}"
        return ""
    if isinstance(errors, list):
        return next((m for m in (_first_message(e) for e in errors) if m), "")
    return str(errors)


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "too_large"


def exception_handler(exc: Exception, context: dict) -> Response | None:
    if isinstance(exc, RequestDataTooBig):
        exc = PayloadTooLarge(
            f"The request body is larger than {settings.DATA_UPLOAD_MAX_MEMORY_SIZE:,} bytes."
        )
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, DomainError):
        exc = exceptions.ValidationError({"non_field_errors": [str(exc)]}, code="refused")
    elif isinstance(exc, DjangoValidationError):
        detail = (
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
        exc = exceptions.ValidationError(detail)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten(exc.detail)
        if not isinstance(errors, dict):
            errors = {"non_field_errors": errors if isinstance(errors, list) else [errors]}
        summary = _first_message(errors) or "The request is not valid."
        response.data = {"message": summary, "code": "invalid", "errors": errors}
        response.status_code = status.HTTP_400_BAD_REQUEST
        return response
    exc_detail = getattr(exc, "detail", None)
    code = getattr(exc_detail, "code", None) or getattr(exc, "default_code", "error")
    message = _flatten(exc_detail) if exc_detail is not None else str(response.data)
    if not isinstance(message, str):
        message = _first_message(message)
    response.data = {"message": message, "code": str(code), "errors": {}}
    return response
