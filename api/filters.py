"""Query filters. A value the filter cannot parse is a 400 with the field named, never a 500
and never silently ignored (django-filter's own BooleanFilter ignores junk, hence StrictBoolean)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django_filters import rest_framework as filters
from django_filters.fields import IsoDateTimeField
from rest_framework.exceptions import ValidationError

from timeline.models import (
    ActorKind,
    Article,
    AttributionType,
    Citation,
    CitationStance,
    Event,
    EventKind,
    EventOrigin,
    Ingestion,
    Issue,
    Modality,
    Negotiation,
    NegotiationKind,
    NegotiationStatus,
    PositionKind,
    ReviewStatus,
    RoundStatus,
)
from timeline.selectors.catalog import article_search, event_search
from timeline.selectors.search import RANKING_BOUND, SEARCH_LIMIT
from timeline.selectors.timeline import TimelineFilters, query_list

SEARCH_HELP = (
    f'Full-text search over summaries and descriptions (web-search syntax: "a phrase", '
    f"-word, or). Results come best match first (a match in the summary outranks one in the "
    f"description only), and only the {SEARCH_LIMIT:,} best matches are ranked and paged: "
    f"the response's `search.truncated` says when more events matched. When more than "
    f"{RANKING_BOUND:,} events match, only the {RANKING_BOUND:,} added last are ranked "
    f"(`search.bounded`); `sort=date` lists every match in time order."
)
BOOLEAN_CHOICES = [("true", "true"), ("false", "false")]
MAX_SEARCH_CHARS = 200


class UtcDateTimeField(IsoDateTimeField):
    """ISO 8601 with any offset Python accepts, stored as UTC: PostgreSQL refuses offsets
    beyond 15:59, and an offset can push a date past year 9999."""

    def to_python(self, value):
        parsed = super().to_python(value)
        if parsed is None:
            return None
        try:
            return parsed.astimezone(dt.UTC)
        except OverflowError:
            raise forms.ValidationError("This date-time is out of range.") from None


class DateTimeFilter(filters.IsoDateTimeFilter):
    field_class = UtcDateTimeField


class IdField(forms.IntegerField):
    # A database id: beyond 64 bits SQLite raises OverflowError instead of matching nothing.
    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 2**63 - 1)
        super().__init__(*args, **kwargs)


class IntegerFilter(filters.NumberFilter):
    field_class = IdField


LIST_HELP = "Comma-separated (a,b) or repeated (?name=a&name=b)."


class ListWidget(forms.SelectMultiple):
    """A list parameter, repeated or comma-separated: the one convention of every list the API
    and the reader take (parsed by the timeline's own ``query_list``)."""

    def value_from_datadict(self, data, files, name):
        return query_list(data, name)


class ChoiceListField(forms.MultipleChoiceField):
    widget = ListWidget


class SlugListField(forms.Field):
    widget = ListWidget

    def to_python(self, value) -> list[str]:
        return list(value or [])


class ChoiceListFilter(filters.MultipleChoiceFilter):
    """Choices, e.g. ``?kind=meeting,statement`` or ``?kind=meeting&kind=statement``.

    A MultipleChoiceFilter for the schema: an array, each value one of the choices."""

    field_class: type[forms.Field] = ChoiceListField

    def __init__(self, *args, **kwargs) -> None:
        kwargs["help_text"] = " ".join(filter(None, [kwargs.get("help_text"), LIST_HELP]))
        super().__init__(*args, **kwargs)


class SlugListFilter(ChoiceListFilter):
    """Slugs, e.g. ``?party=israel,hamas``: any of them matches."""

    field_class = SlugListField


class StrictBooleanFilter(filters.ChoiceFilter):
    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("choices", BOOLEAN_CHOICES)
        kwargs.setdefault("method", "filter_boolean")
        super().__init__(*args, **kwargs)


class UpdatedSinceFilterSet(filters.FilterSet):
    updated_since = DateTimeFilter(
        field_name="updated_at",
        lookup_expr="gte",
        help_text="Only rows changed at or after this ISO 8601 date-time.",
    )

    def filter_boolean(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value in ("", None):
            return queryset
        return queryset.filter(**{name: value == "true"})


class NegotiationFilter(UpdatedSinceFilterSet):
    kind = filters.ChoiceFilter(choices=NegotiationKind.choices)
    status = filters.ChoiceFilter(choices=NegotiationStatus.choices)
    actor = filters.CharFilter(
        method="filter_actor", help_text="Slug of an actor taking part in any role."
    )

    def filter_actor(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        # Published actors only: a candidate's slug must not reveal where it was linked.
        return queryset.filter(
            participations__actor__slug=value,
            participations__actor__status=ReviewStatus.PUBLISHED,
        ).distinct()


def _in_negotiation(queryset: QuerySet, name: str, value: str) -> QuerySet:
    """``negotiation_id = (SELECT id … WHERE slug = %s)`` rather than a join on the slug: the
    planner then knows the one negotiation before it reads events and walks the
    (negotiation_id, id) index in page order, instead of choosing between that and a scan of
    every event by its guess of how many events a negotiation has (a plan that flipped to a
    Seq Scan in the plan test when other data were present)."""
    return queryset.filter(
        negotiation_id=Subquery(Negotiation.objects.filter(slug=value).order_by().values("id")[:1])
    )


class EventFilter(UpdatedSinceFilterSet):
    negotiation = filters.CharFilter(method=_in_negotiation, help_text="Negotiation slug.")
    party = SlugListFilter(
        method="filter_party", help_text="Actor slugs: events they took part in."
    )
    kind = ChoiceListFilter(choices=EventKind.choices, help_text="Kinds of event.")
    modality = filters.ChoiceFilter(choices=Modality.choices)
    issue = SlugListFilter(
        method="filter_issue",
        help_text="Issue slugs (unique within a negotiation: combine with negotiation).",
    )
    round = IntegerFilter(field_name="round_id", help_text="Round id.")
    date_from = filters.DateFilter(
        method="filter_date_from", help_text="Events on or after this day (or still running)."
    )
    date_to = filters.DateFilter(field_name="date", lookup_expr="lte")
    disputed = StrictBooleanFilter(field_name="is_disputed")
    q = filters.CharFilter(
        method="filter_search",
        max_length=MAX_SEARCH_CHARS,
        help_text=SEARCH_HELP,
    )

    def filter_party(self, queryset: QuerySet, name: str, value: list[str]) -> QuerySet:
        if not value:
            return queryset
        # The timeline's one party rule and the same message for an unknown party.
        query = TimelineFilters.parse({"party": ",".join(value)})
        if query.errors:
            raise ValidationError(query.errors)
        return query.filters.apply(queryset)

    def filter_issue(self, queryset: QuerySet, name: str, value: list[str]) -> QuerySet:
        if not value:
            return queryset
        # As with parties: an unknown slug is a 400, and an unpublished issue is unknown.
        known = set(
            Issue.objects.filter(slug__in=value, status__in=ReviewStatus.PUBLIC).values_list(
                "slug", flat=True
            )
        )
        unknown = [slug for slug in value if slug not in known]
        if unknown:
            raise ValidationError({"issue": [f"There is no issue {slug!r}." for slug in unknown]})
        return queryset.filter(issue__slug__in=value, issue__status__in=ReviewStatus.PUBLIC)

    def filter_date_from(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset.filter(Q(date__gte=value) | Q(end_date__gte=value))

    def filter_search(self, queryset: QuerySet[Event], name: str, value: str) -> QuerySet:
        return event_search(queryset, value) if value.strip() else queryset


class EventChangeFilter(UpdatedSinceFilterSet):
    negotiation = filters.CharFilter(field_name="negotiation__slug", help_text="Negotiation slug.")


class RoundFilter(UpdatedSinceFilterSet):
    negotiation = filters.CharFilter(field_name="negotiation__slug", help_text="Negotiation slug.")
    status = filters.ChoiceFilter(choices=RoundStatus.choices)


class ActorFilter(UpdatedSinceFilterSet):
    kind = filters.ChoiceFilter(choices=ActorKind.choices)
    negotiation = filters.CharFilter(
        method="filter_negotiation", help_text="Slug of a negotiation the actor takes part in."
    )
    q = filters.CharFilter(
        method="filter_name", max_length=MAX_SEARCH_CHARS, help_text="Name or alias contains."
    )

    def filter_negotiation(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(participations__negotiation__slug=value).distinct()

    def filter_name(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if not value.strip():
            return queryset
        return queryset.filter(
            Q(name__icontains=value) | Q(aliases__name__icontains=value)
        ).distinct()


class IssueFilter(UpdatedSinceFilterSet):
    negotiation = filters.CharFilter(field_name="negotiation__slug", help_text="Negotiation slug.")


class ArticleFilter(UpdatedSinceFilterSet):
    outlet = filters.CharFilter(field_name="outlet__slug", help_text="Outlet slug.")
    negotiation = filters.CharFilter(
        method="filter_negotiation", help_text="Slug of a negotiation whose events cite it."
    )
    published_after = DateTimeFilter(field_name="published_at", lookup_expr="gte")
    published_before = DateTimeFilter(field_name="published_at", lookup_expr="lte")
    q = filters.CharFilter(
        method="filter_search",
        max_length=MAX_SEARCH_CHARS,
        help_text="Full-text search over titles and texts.",
    )

    def filter_negotiation(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(
            Exists(
                Citation.objects.filter(
                    article=OuterRef("pk"),
                    event__negotiation__slug=value,
                    event__status=ReviewStatus.PUBLISHED,
                )
            )
        )

    def filter_search(self, queryset: QuerySet[Article], name: str, value: str) -> QuerySet:
        return article_search(queryset, value) if value.strip() else queryset


class CitationFilter(UpdatedSinceFilterSet):
    negotiation = filters.CharFilter(
        field_name="event__negotiation__slug", help_text="Negotiation slug."
    )
    event = IntegerFilter(field_name="event_id")
    article = IntegerFilter(field_name="article_id")
    stance = filters.ChoiceFilter(choices=CitationStance.choices)
    attribution = filters.ChoiceFilter(choices=AttributionType.choices)


class IngestionFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=Ingestion.Status.choices)
    source = filters.ChoiceFilter(choices=Ingestion.Source.choices)


class ReviewFilter(UpdatedSinceFilterSet):
    negotiation = filters.CharFilter(field_name="negotiation__slug", help_text="Negotiation slug.")
    origin = filters.ChoiceFilter(choices=EventOrigin.choices)
    kind = ChoiceListFilter(choices=EventKind.choices, help_text="Kinds of event.")


class PositionReviewFilter(UpdatedSinceFilterSet):
    negotiation = filters.CharFilter(
        field_name="issue__negotiation__slug", help_text="Negotiation slug."
    )
    issue = SlugListFilter(field_name="issue__slug", help_text="Issue slugs.")
    party = SlugListFilter(field_name="party__slug", help_text="Actor slugs of the parties.")
    kind = ChoiceListFilter(choices=PositionKind.choices, help_text="Kinds of position.")
