import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tests import factories as f
from timeline.models import (
    PLOVER_CATEGORY,
    Actor,
    Article,
    Citation,
    Event,
    EventKind,
    ReviewStatus,
    normalize_name,
)

pytestmark = pytest.mark.django_db


def _violates(make) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


def test_normalize_name_folds_case_accents_and_punctuation():
    assert normalize_name("  Mr. Netanyahu ") == "mr netanyahu"
    assert normalize_name("Hamas\u2019") == "hamas"
    assert normalize_name("São Tomé") == "sao tome"


def test_actor_save_sets_normalized_name_and_alias_matches():
    actor = f.ActorFactory(name="United States")
    f.ActorAliasFactory(actor=actor, name="U.S.")

    assert actor.normalized_name == "united states"
    assert list(Actor.objects.matching_name("u s")) == [actor]
    assert list(Actor.objects.matching_name("UNITED STATES")) == [actor]


def test_actor_alias_unique_per_actor_after_normalising():
    alias = f.ActorAliasFactory(name="Qatari")

    _violates(lambda: f.ActorAliasFactory(actor=alias.actor, name="qatari"))


def test_actor_cannot_be_its_own_affiliation():
    actor = f.ActorFactory()

    actor.affiliation = actor
    _violates(actor.save)


def test_actor_wikidata_id_unique_when_set_and_validated():
    f.ActorFactory(wikidata_id="Q801")
    f.ActorFactory(wikidata_id="")
    f.ActorFactory(wikidata_id="")

    _violates(lambda: f.ActorFactory(wikidata_id="Q801"))
    with pytest.raises(ValidationError, match="Q801"):
        f.ActorFactory.build(wikidata_id="801").full_clean()


def test_slugs_are_unique():
    f.NegotiationFactory(slug="talks")
    f.ActorFactory(slug="israel")
    f.PlaceFactory(slug="cairo")

    _violates(lambda: f.NegotiationFactory(slug="talks"))
    _violates(lambda: f.ActorFactory(slug="israel"))
    _violates(lambda: f.PlaceFactory(slug="cairo"))


def test_issue_slug_unique_per_negotiation_only():
    issue = f.IssueFactory(slug="hostages")
    f.IssueFactory(slug="hostages")  # another negotiation

    _violates(lambda: f.IssueFactory(negotiation=issue.negotiation, slug="hostages"))


def test_article_canonical_url_and_content_hash_unique():
    article = f.ArticleFactory()

    _violates(lambda: f.ArticleFactory(canonical_url=article.canonical_url))
    _violates(lambda: f.ArticleFactory(content_hash=article.content_hash))


def test_article_without_canonical_url_may_repeat():
    f.ArticleFactory(canonical_url=None)
    f.ArticleFactory(canonical_url=None)

    assert Article.objects.filter(canonical_url=None).count() == 2


def test_article_cannot_be_syndication_of_itself():
    article = f.ArticleFactory()

    article.syndication_of = article
    _violates(article.save)


def test_article_originals_and_reported_by():
    original = f.ArticleFactory(published_at=dt.datetime(2024, 5, 19, tzinfo=dt.UTC))
    f.ArticleFactory(syndication_of=original, published_at=dt.datetime(2024, 5, 23, tzinfo=dt.UTC))

    assert list(Article.objects.originals()) == [original]
    cutoff = dt.datetime(2024, 5, 20, tzinfo=dt.UTC)
    assert list(Article.objects.reported_by(cutoff)) == [original]


@pytest.mark.parametrize(
    ("factory", "fields"),
    [
        (
            f.NegotiationFactory,
            {"started_on": dt.date(2024, 5, 2), "ended_on": dt.date(2024, 5, 1)},
        ),
        (
            f.RoundFactory,
            {"planned_start": dt.date(2024, 5, 2), "planned_end": dt.date(2024, 5, 1)},
        ),
        (f.RoundFactory, {"actual_start": dt.date(2024, 5, 2), "actual_end": dt.date(2024, 5, 1)}),
        (
            f.DelegationFactory,
            {"arrived_on": dt.date(2024, 5, 2), "departed_on": dt.date(2024, 5, 1)},
        ),
        (f.EventFactory, {"date": dt.date(2024, 5, 2), "end_date": dt.date(2024, 5, 1)}),
        (f.EventFactory, {"date": None, "end_date": dt.date(2024, 5, 1)}),
    ],
)
def test_end_not_before_start(factory, fields):
    _violates(lambda: factory(**fields))


def test_delegation_never_arrived_has_no_dates():
    f.DelegationFactory(never_arrived=True)

    _violates(lambda: f.DelegationFactory(never_arrived=True, departed_on=dt.date(2024, 5, 19)))


def test_delegation_one_per_actor_and_round():
    delegation = f.DelegationFactory()

    _violates(lambda: f.DelegationFactory(round=delegation.round, actor=delegation.actor))


def test_round_sequence_unique_per_negotiation_and_start_prefers_actual():
    round_ = f.RoundFactory(planned_start=dt.date(2024, 5, 15), actual_start=dt.date(2024, 5, 18))

    assert round_.start == dt.date(2024, 5, 18)
    _violates(lambda: f.RoundFactory(negotiation=round_.negotiation, sequence=round_.sequence))


def test_participation_same_actor_may_have_different_roles():
    participation = f.ParticipationFactory(role="party")
    f.ParticipationFactory(
        negotiation=participation.negotiation, actor=participation.actor, role="guarantor"
    )

    _violates(
        lambda: f.ParticipationFactory(
            negotiation=participation.negotiation, actor=participation.actor, role="party"
        )
    )


def test_event_published_needs_negotiation_and_merged_needs_target():
    _violates(lambda: f.EventFactory(negotiation=None, status=ReviewStatus.PUBLISHED))
    _violates(lambda: f.EventFactory(status=ReviewStatus.MERGED, merged_into=None))


def test_event_confidence_between_zero_and_one():
    _violates(lambda: f.EventFactory(confidence=1.5))


def test_event_extraction_key_unique_per_article():
    article = f.ArticleFactory()
    f.EventFactory(source_article=article, extraction_key="k1")
    f.EventFactory(source_article=article, extraction_key="")
    f.EventFactory(source_article=article, extraction_key="")

    _violates(lambda: f.EventFactory(source_article=article, extraction_key="k1"))


def test_event_clean_end_before_start_is_invalid():
    event = f.EventFactory.build(date=dt.date(2024, 5, 2), end_date=dt.date(2024, 5, 1))

    with pytest.raises(ValidationError, match="end"):
        event.clean()


def test_event_plover_category_for_every_kind():
    assert set(PLOVER_CATEGORY) == set(EventKind.values)
    assert f.EventFactory.build(kind=EventKind.THREAT).plover_category == "THREATEN"
    assert f.EventFactory.build(kind=EventKind.STATEMENT).plover_category is None


def test_event_first_reported_is_earliest_citing_article():
    event = f.EventFactory()
    f.CitationFactory(
        event=event, article=f.ArticleFactory(published_at=dt.datetime(2024, 5, 23, tzinfo=dt.UTC))
    )
    f.CitationFactory(
        event=event, article=f.ArticleFactory(published_at=dt.datetime(2024, 5, 19, tzinfo=dt.UTC))
    )

    annotated = Event.objects.with_first_reported().get()

    assert annotated.first_reported_at == dt.datetime(2024, 5, 19, tzinfo=dt.UTC)


def test_citation_supports_exactly_one_of_event_or_position():
    _violates(lambda: f.CitationFactory(event=None, position=None))
    _violates(lambda: f.CitationFactory(position=f.PositionFactory()))


def test_citation_span_cannot_be_empty():
    _violates(lambda: f.CitationFactory(start=3, end=3, quote=""))


def test_citation_clean_span_beyond_text_is_invalid():
    citation = f.CitationFactory()

    citation.end = len(citation.article.text) + 5
    with pytest.raises(ValidationError):
        citation.full_clean()


def test_citation_speaker_label_prefers_printed_description():
    speaker = f.PersonFactory(name="Musa Abu Marzouk")

    named = f.CitationFactory(speaker=speaker)
    printed = f.CitationFactory(speaker=speaker, speaker_description="Mr. Abu Marzouk")
    anonymous = f.CitationFactory(speaker_description="a senior Hamas official")

    assert [named.speaker_label, printed.speaker_label, anonymous.speaker_label] == [
        "Musa Abu Marzouk",
        "Mr. Abu Marzouk",
        "a senior Hamas official",
    ]
    assert list(Citation.objects.disputing()) == []


def test_history_records_each_change():
    event = f.EventFactory(summary="first")

    event.summary = "second"
    event.save()

    assert [h.summary for h in event.history.all()] == ["second", "first"]
