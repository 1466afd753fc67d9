"""The timeline's filter form: GET parameters, so a filtered view is a shareable URL."""

from __future__ import annotations

from django import forms

from timeline.models import Actor, EventKind, Issue
from timeline.selectors import TimelineFilters


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class TimelineFilterForm(forms.Form):
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

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "The end date must not be before the start date.")
            cleaned.pop("date_to", None)
        return cleaned

    def valid_data(self) -> dict:
        """The values that passed validation; a bad field is reported and ignored, not fatal."""
        self.is_valid()
        return getattr(self, "cleaned_data", {})

    def filters(self) -> TimelineFilters:
        data = self.valid_data()
        return TimelineFilters(
            parties=list(data.get("party") or []),
            kinds=list(data.get("kind") or []),
            issue=data.get("issue") or None,
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )

    @property
    def active(self) -> bool:
        data = self.valid_data()
        return any(data.get(name) for name in ("party", "kind", "issue", "date_from", "date_to"))
