"""Who may do what. Reads of published data are open; everything else follows model permissions,
so the "Editors" and "Viewers" groups (and the admin) are the one place access is granted."""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request

REVIEW_PERMISSION = "timeline.change_event"
POSITION_REVIEW_PERMISSION = "timeline.change_position"
INGESTION_VIEW_PERMISSION = "timeline.view_ingestion"
INGESTION_ADD_PERMISSION = "timeline.add_ingestion"


def can_review(user: Any) -> bool:
    """Editors: they see candidates and unpublished material, and publish, reject and merge."""
    return bool(user and user.is_authenticated and user.has_perm(REVIEW_PERMISSION))


class ReadOnly(BasePermission):
    message = "This endpoint is read-only."

    def has_permission(self, request: Request, view: Any) -> bool:
        return request.method in SAFE_METHODS


class CanReview(BasePermission):
    message = "Only editors may review candidates."

    def has_permission(self, request: Request, view: Any) -> bool:
        return can_review(request.user)


class CanReviewPositions(BasePermission):
    message = "Only editors who may change positions can review them."

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.has_perm(POSITION_REVIEW_PERMISSION))


class IngestionAccess(BasePermission):
    """Reading job status needs the view permission; submitting a job needs the add permission."""

    message = "You do not have permission to see or submit ingestion jobs."

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        needed = (
            INGESTION_VIEW_PERMISSION
            if request.method in SAFE_METHODS
            else INGESTION_ADD_PERMISSION
        )
        return user.has_perm(needed)
