import pytest

from tests import factories as f


@pytest.mark.django_db
def test_citation_factory_span_matches_article_text():
    citation = f.CitationFactory()

    assert citation.article.text[citation.start : citation.end] == citation.quote
