"""What every page of one negotiation needs: the row, its sides in order, its issues."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Prefetch
from django.http import Http404

from timeline.models import (
    Actor,
    Issue,
    Negotiation,
    Participation,
    ParticipationRole,
    visible_actor_q,
)

ROLE_ORDER: dict[str, int] = {
    ParticipationRole.PARTY: 0,
    ParticipationRole.MEDIATOR: 1,
    ParticipationRole.GUARANTOR: 2,
    ParticipationRole.OBSERVER: 3,
}


def participations_prefetch() -> Prefetch:
    return Prefetch(
        "participations",
        queryset=Participation.objects.filter(visible_actor_q("actor"))
        .select_related("actor")
        .order_by("role", "actor__name"),
    )


@dataclass
class NegotiationContext:
    """What every page of a negotiation needs: the row, its sides, its issues."""

    negotiation: Negotiation
    participations: list[Participation]
    issues: list[Issue]

    @property
    def actors_in_order(self) -> list[Actor]:
        ordered = sorted(
            self.participations, key=lambda p: (ROLE_ORDER.get(p.role, 9), p.actor.name)
        )
        return [p.actor for p in ordered]

    @property
    def sides(self) -> list[tuple[str, list[Actor]]]:
        """Participants by role, parties first: [("Parties", [...]), ("Mediators", [...])]."""
        labels: dict[str, tuple[str, str]] = {
            ParticipationRole.PARTY: ("Party", "Parties"),
            ParticipationRole.MEDIATOR: ("Mediator", "Mediators"),
            ParticipationRole.GUARANTOR: ("Guarantor", "Guarantors"),
            ParticipationRole.OBSERVER: ("Observer", "Observers"),
        }
        by_role: dict[str, list[Actor]] = defaultdict(list)
        for participation in self.participations:
            by_role[participation.role].append(participation.actor)
        return [
            (labels[role][0 if len(by_role[role]) == 1 else 1], by_role[role])
            for role in sorted(by_role, key=lambda r: ROLE_ORDER.get(r, 9))
            if role in labels
        ]

    @property
    def parties(self) -> list[Actor]:
        return [p.actor for p in self.participations if p.role == ParticipationRole.PARTY]


def negotiation_context(slug: str) -> NegotiationContext:
    """The negotiation with its participations and issues (2 queries), or 404."""
    negotiation = (
        Negotiation.objects.filter(slug=slug)
        .prefetch_related(
            participations_prefetch(), Prefetch("issues", queryset=Issue.objects.published())
        )
        .first()
    )
    if negotiation is None:
        raise Http404("No negotiation with that address.")
    return NegotiationContext(
        negotiation=negotiation,
        participations=list(negotiation.participations.all()),
        issues=list(negotiation.issues.all()),
    )


def negotiation_stamp(slug: str) -> str | None:
    """The negotiation's id and change stamp by its slug (one indexed read), None if there is
    none: what a kept page is looked up by before anything else is read."""
    negotiation = (
        Negotiation.objects.filter(slug=slug).only("pk", "content_version", "updated_at").first()
    )
    return f"{negotiation.pk}.{negotiation.timeline_stamp}" if negotiation is not None else None


def first_report_day(negotiation: Negotiation) -> dt.date | None:
    """The day the first report behind any published event of ``negotiation`` came out: what
    an empty "as known on" view names, so an earlier day explains itself."""
    from django.db.models import Min

    from timeline.models import Citation, ReviewStatus

    first = Citation.objects.filter(
        event__negotiation=negotiation, event__status=ReviewStatus.PUBLISHED
    ).aggregate(at=Min("article__published_at"))["at"]
    return first.date() if first is not None else None
