"""The timeline's filter form: GET parameters, so a filtered view is a shareable URL.

The form only renders the controls (bound to the query, so choices stay ticked);
``TimelineFilters.parse`` reads and validates the values, for this page, the API and the
exports alike, and says what it could not use."""

from __future__ import annotations

from django import forms

from timeline.models import Actor, EventKind, Issue
from timeline.selectors.search import RANKING_BOUND, SEARCH_LIMIT


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class TimelineFilterForm(forms.Form):
    q = forms.CharField(
        required=False,
        max_length=200,
        label="Search",
        widget=forms.TextInput(attrs={"type": "search"}),
        help_text="Words in the summary or description. Best matches first; only the "
        f"{SEARCH_LIMIT:,} best are listed (among the {RANKING_BOUND:,} added last when more "
        "match).",
    )
    party = forms.MultipleChoiceField(
        required=False, widget=forms.CheckboxSelectMultiple, label="Parties"
    )
    kind = forms.MultipleChoiceField(
        required=False,
        choices=EventKind.choices,
        widget=forms.CheckboxSelectMultiple,
        label="Kinds of event",
    )
    issue = forms.ChoiceField(required=False, label="Issue")
    disputed = forms.BooleanField(
        required=False,
        label="Disputed only",
        widget=forms.CheckboxInput(check_test=lambda value: value == "true"),
    )
    min_sources = forms.IntegerField(
        required=False,
        min_value=1,
        label="Reported by at least",
        help_text="Independent outlets (a republished copy counts as its original).",
    )
    date_from = forms.DateField(required=False, label="From", widget=DateInput())
    date_to = forms.DateField(required=False, label="To", widget=DateInput())
    as_of = forms.DateField(
        required=False,
        label="As known on",
        widget=DateInput(),
        help_text="What the reports published by the end of that day said, as curated now.",
    )

    def __init__(self, data, *, actors: list[Actor], issues: list[Issue]) -> None:
        super().__init__(data)
        self.fields["party"].choices = [(a.slug, a.name) for a in actors]
        self.fields["issue"].choices = [("", "Any issue")] + [(i.slug, i.title) for i in issues]
