"""The caller's own API token: create (or replace) it, and revoke it.

An admin manages anyone's token in the admin ("Auth Token" > "Tokens", DRF's own admin).
Logs never carry the key: it is in the response body only.
"""

from __future__ import annotations

from typing import Any, cast

from django.contrib.auth.models import User
from django.db import transaction
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from .base import ApiViewMixin

TokenSerializer = inline_serializer("ApiToken", {"token": serializers.CharField()})


class TokenView(ApiViewMixin, GenericAPIView):
    permission_classes = [IsAuthenticated]
    pagination_class = None
    filter_backends: list = []

    @extend_schema(
        operation_id="auth_token_create",
        request=None,
        responses={201: TokenSerializer},
        description="A new API token for the signed-in user; any previous one stops working.",
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        user = cast(User, request.user)  # IsAuthenticated: never the anonymous user
        with transaction.atomic():
            Token.objects.filter(user=user).delete()
            token = Token.objects.create(user=user)
        return Response({"token": token.key}, status=status.HTTP_201_CREATED)

    @extend_schema(
        operation_id="auth_token_revoke",
        request=None,
        responses={204: None},
        description="Revoke the signed-in user's API token.",
    )
    def delete(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        Token.objects.filter(user=cast(User, request.user)).delete()
        return Response(status=status.HTTP_204_NO_CONTENT)
