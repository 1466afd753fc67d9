"""The OpenAPI generator, told that every operation can answer with the API's error shape."""

from __future__ import annotations

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    message = serializers.CharField(help_text="What went wrong, in a sentence.")
    code = serializers.CharField(help_text="A stable machine-readable code.")
    # The metaclass moves declared fields into ``_declared_fields``, so this never shadows
    # Serializer.errors at run time; the stubs cannot know that.
    errors = serializers.DictField(  # type: ignore[assignment]
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Messages per field (query parameter or body field); may be empty.",
    )


ERROR_CODES = {
    "400": "The request or its parameters are not valid.",
    "401": "Authentication is required.",
    "403": "Not allowed for this user.",
    "404": "No such object, or not visible to this user.",
    "405": "Method not allowed.",
    "406": "Cannot produce the requested media type.",
    "413": "The request body is too large.",
    "415": "Unsupported media type in the request body.",
    "429": "Too many requests: slow down.",
    "503": "A service the request needs is unavailable.",
}


class AutoSchema(SpectacularAutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for code, description in ERROR_CODES.items():
            if code not in responses:
                responses[code] = self._get_response_for_code(ErrorSerializer, code)
                responses[code]["description"] = description
        return responses
