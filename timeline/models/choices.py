"""Vocabularies shared by models, extraction, the API and exports."""

from enum import nonmember

from django.db import models


class NegotiationKind(models.TextChoices):
    CEASEFIRE = "ceasefire", "Ceasefire"
    PEACE = "peace", "Peace"
    TRADE = "trade", "Trade"
    NUCLEAR = "nuclear", "Nuclear"
    LABOUR = "labour", "Labour"
    OTHER = "other", "Other"


class NegotiationStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    STALLED = "stalled", "Stalled"
    SUSPENDED = "suspended", "Suspended"
    AGREEMENT = "agreement", "Agreement reached"
    COLLAPSED = "collapsed", "Collapsed"
    CONCLUDED = "concluded", "Concluded"


class ActorKind(models.TextChoices):
    STATE = "state", "State"
    ORGANISATION = "organisation", "Organisation"
    ARMED_GROUP = "armed_group", "Armed group"
    MEDIA_OUTLET = "media_outlet", "Media outlet"
    PERSON = "person", "Person"


class AliasKind(models.TextChoices):
    NAME = "name", "Other name"
    SHORT = "short", "Short form"
    DEMONYM = "demonym", "Demonym"
    ABBREVIATION = "abbreviation", "Abbreviation"
    TITLE = "title", "Name with title"


class ReviewStatus(models.TextChoices):
    """Lifecycle of anything the extractor proposes or an editor enters."""

    CANDIDATE = "candidate", "Candidate"
    PUBLISHED = "published", "Published"
    REJECTED = "rejected", "Rejected"
    RETRACTED = "retracted", "Retracted"
    MERGED = "merged", "Merged into another"

    # The groups every layer asks about, defined once (as pretalx's SubmissionStates does).
    # nonmember(): plain class attributes, not choices. Values are spelled out because the
    # members do not exist yet while the class body runs.
    #: What the public may see.
    PUBLIC = nonmember(("published",))
    #: Waiting for an editor: the review queues.
    OPEN_FOR_REVIEW = nonmember(("candidate",))
    #: Decided for good: nothing is merged into these and they are not proposed again.
    FINAL = nonmember(("rejected", "retracted", "merged"))
    #: Once public, now gone: kept as tombstones for API consumers who synced them.
    TOMBSTONES = nonmember(("retracted", "merged"))
    #: Thrown out by an editor (the extractor does not propose these again).
    DISMISSED = nonmember(("rejected", "retracted"))
    #: What the change feed reports: public rows and tombstones.
    IN_CHANGE_FEED = nonmember(("published", "retracted", "merged"))


class ParticipationRole(models.TextChoices):
    PARTY = "party", "Party"
    MEDIATOR = "mediator", "Mediator"
    GUARANTOR = "guarantor", "Guarantor"
    OBSERVER = "observer", "Observer"


class RoundFormat(models.TextChoices):
    DIRECT = "direct", "Direct"
    MEDIATED = "mediated", "Mediated"
    PROXIMITY = "proximity", "Proximity"
    VIRTUAL = "virtual", "Virtual"


class RoundStatus(models.TextChoices):
    ANNOUNCED = "announced", "Announced"
    SCHEDULED = "scheduled", "Scheduled"
    IN_PROGRESS = "in_progress", "In progress"
    CONCLUDED = "concluded", "Concluded"
    COLLAPSED = "collapsed", "Collapsed"
    POSTPONED = "postponed", "Postponed"
    CANCELLED = "cancelled", "Cancelled"


class PositionKind(models.TextChoices):
    DEMAND = "demand", "Demand"
    OFFER = "offer", "Offer"
    RED_LINE = "red_line", "Red line"
    CONCESSION = "concession", "Concession"
    STANCE = "stance", "Stance"


class DatePrecision(models.TextChoices):
    DAY = "day", "Day"
    WEEK = "week", "Week"
    MONTH = "month", "Month"
    YEAR = "year", "Year"
    APPROXIMATE = "approximate", "Approximate"
    UNKNOWN = "unknown", "Unknown"


class EventKind(models.TextChoices):
    MEETING = "meeting", "Meeting"
    DELEGATION_ARRIVAL = "delegation_arrival", "Delegation arrives"
    DELEGATION_DEPARTURE = "delegation_departure", "Delegation leaves"
    PROPOSAL = "proposal", "Proposal"
    RESPONSE = "response", "Response"
    AGREEMENT = "agreement", "Agreement"
    BREAKDOWN = "breakdown", "Breakdown"
    STATEMENT = "statement", "Statement"
    DEMAND = "demand", "Demand"
    CONCESSION = "concession", "Concession"
    THREAT = "threat", "Threat"
    ULTIMATUM = "ultimatum", "Ultimatum"
    WALKOUT = "walkout", "Walkout"
    POSTPONEMENT = "postponement", "Postponement"
    MILITARY_ACTION = "military_action", "Military action"
    SCHEDULED = "scheduled", "Scheduled talks"


# PLOVER (Political Language Ontology for Verifiable Event Records) event categories, used in
# exports so consumers can merge our timeline with POLECAT-style event data. PLOVER has no
# category for a plain public statement, so "statement" maps to None rather than a wrong guess.
PLOVER_CATEGORY: dict[str, str | None] = {
    EventKind.MEETING: "CONSULT",
    EventKind.DELEGATION_ARRIVAL: "CONSULT",
    EventKind.DELEGATION_DEPARTURE: "CONSULT",
    EventKind.PROPOSAL: "COOPERATE",
    EventKind.RESPONSE: "CONSULT",
    EventKind.AGREEMENT: "AGREE",
    EventKind.BREAKDOWN: "REJECT",
    EventKind.STATEMENT: None,
    EventKind.DEMAND: "REQUEST",
    EventKind.CONCESSION: "CONCEDE",
    EventKind.THREAT: "THREATEN",
    EventKind.ULTIMATUM: "THREATEN",
    EventKind.WALKOUT: "PROTEST",
    EventKind.POSTPONEMENT: "REJECT",
    EventKind.MILITARY_ACTION: "ASSAULT",
    EventKind.SCHEDULED: "CONSULT",
}


class Modality(models.TextChoices):
    OCCURRED = "occurred", "Occurred"
    PLANNED = "planned", "Planned"
    PROPOSED = "proposed", "Proposed"
    DENIED = "denied", "Denied"


class EventOrigin(models.TextChoices):
    MANUAL = "manual", "By hand"
    EXTRACTOR = "extractor", "By the extractor"
    IMPORT = "import", "Imported"


class ParticipantRole(models.TextChoices):
    ACTOR = "actor", "Actor"
    RECIPIENT = "recipient", "Recipient"
    MEDIATOR = "mediator", "Mediator"


class AttributionType(models.TextChoices):
    NAMED_OFFICIAL = "named_official", "Named official"
    ANONYMOUS_OFFICIAL = "anonymous_official", "Anonymous official"
    SPOKESPERSON = "spokesperson", "Spokesperson"
    OUTLET = "outlet", "Outlet"
    DOCUMENT = "document", "Document"


class CitationStance(models.TextChoices):
    SUPPORTS = "supports", "Supports"
    DISPUTES = "disputes", "Disputes"
