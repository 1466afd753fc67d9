# ruff: noqa: RUF001 - typographic quotation marks are what these patterns read.
"""What the extractor knows about negotiation language, as tables the matchers read.

Each table row is one cue (a regular-expression fragment for a verb, noun or construction);
the matchers in ``events.py``, ``positions.py`` and ``venues.py`` are small and generic, so
that improving recall means adding a row here and a test, not a new branch in code. Rows are
tried in the order given inside one kind; kinds are tried in the order of their table.

Sources: the rows were written for this project from negotiation reporting. The event kinds
follow the families of the CAMEO verb codebook (Schrodt, Event Data Project; the codebook is
distributed freely for research use) and of PLOVER (Open Event Data Alliance, MIT licence):
"meet/negotiate" (CAMEO 04), "express intent to cooperate" (03, our proposal/offer),
"demand" (10), "reject" (12), "threaten" (13), "yield" (08, our concession) and "agree" (057,
"sign formal agreement"). No dictionary file of either project is copied here.
"""

from __future__ import annotations

# Past verbs of talks that sat: "the talks opened on Monday", "the talks recessed last week".
SITTING_OPENED: list[str] = [
    r"began",
    r"started",
    r"opened",
    r"resumed",
]
# Of these, the ones that close or report a whole sitting. A sentence that also plans the next
# one ("recessed last week and are to resume in January") reports both; one that tells how the
# process began ("talks started in March and the next round is due tomorrow") plans one only.
SITTING_CLOSED: list[str] = [
    r"ended",
    r"concluded",
    r"went\s+on",
    r"took\s+place",
    r"were\s+held",
    r"recessed",
    r"adjourned",
]

# -- Event kinds --------------------------------------------------------------------------
# (kind, rows, tail, ignore_case). A kind's pattern is \b(?:row|row|...) + tail.

EVENT_TRIGGERS: list[tuple[str, list[str], str, bool]] = [
    (
        "threat",
        [
            r"threat(?:en(?:ed|s|ing)?)?",
            r"ultimatum",
            r"warn(?:ed|s|ing)?\s+(?:that|of|it|the)",
            r"vow(?:ed|s)?\s+to",
            r"pledg(?:ed|es)\s+(?:again\s+)?(?:that|to)",
            r"would\s+(?:invade|attack|strike)",
            r"will\s+(?:invade|attack|walk away)",
            r"walk\s+away",
            r"strike\s+if",
            r"call\s+a\s+strike",
            r"would\s+be\s+met\s+with",
            r"not\s+back\s+down",
        ],
        r"\b",
        True,
    ),
    (
        "military_action",
        [
            r"fired",
            r"firing",
            r"rockets?",
            r"air\s?strikes?",
            r"airstrikes",
            r"shell(?:ed|ing)",
            r"bomb(?:ed|ing|ings)",
            r"killed",
            r"killing",
            r"launched\s+(?:a|an|its)\s+(?:full-scale\s+)?(?:invasion|offensive|attack|campaign|war|assault)",
            r"invaded",
            r"pounded",
            r"drone\s+and\s+missile",
            r"missile\s+attacks?",
            r"explosions?",
            r"raids?",
            r"shot\s+down",
            r"warplanes",
            r"troops\s+(?:entered|withdrew|advanced)",
            r"war\s+began",
            r"began\s+the\s+war",
            r"attack\s+on",
            r"attacks\s+on",
            r"offensive",
            r"mines?",
        ],
        r"\b",
        True,
    ),
    (
        "breakdown",
        [
            r"impasse",
            r"dead\s?end",
            r"deadlock(?:ed)?",
            r"collaps(?:e|ed|es)",
            r"broke\s+down",
            r"break\s+down",
            r"breakdown",
            r"stall(?:ed|s)",
            r"faltered",
            r"walk(?:ed)?\s?out",
            r"walkout",
            r"on\s+strike",
            r"struck\s+[A-Z]",
            r"postpon(?:ed|es|ement)(?!\s+(?:\w+\s+){0,3}?(?:until|till)\b)",
            r"suspend(?:ed|s)\s+(?:the\s+)?talks",
            r"called\s+off",
            r"setback",
            r"on\s+the\s+brink\s+of\s+collapse",
        ],
        r"\b",
        True,
    ),
    (
        "delegation_departure",
        [
            r"left\s+(?:the\s+)?(?:talks|[A-Z]\w+|Egyptian|capital|for)",
            r"depart(?:ed|s|ing|ure)?\b",
            r"flew\s+(?:home|back|out)",
            r"leaves\s+(?:for|[A-Z])",
            r"pulled\s+out\s+(?:of\s+)?(?:the\s+)?talks",
        ],
        r"",
        False,
    ),
    (
        "delegation_arrival",
        [
            r"arriv(?:ed|es|ing|al)\s+(?:in|at|for|dressed)",
            r"landed\s+in",
            r"touched\s+down",
            r"arrived\b",
            r"is\s+arriving",
        ],
        r"",
        True,
    ),
    (
        "scheduled",
        [
            # A future auxiliary or an infinitive, at most one word, a verb of sitting: "will
            # meet", "are set to resume", "to hold talks on Monday" (see UNREALISED for the
            # infinitives that plan nothing: "efforts to resume talks").
            r"(?:will|would|'ll|’ll|shall|(?:is|are|was|were)\s+(?:due|expected|scheduled|set|slated|going)\s+to|(?:is|are|was|were)\s+to|plans?\s+to|planned\s+to|intends?\s+to|to)\s+(?:\w+\s+)?(?:meet|hold|begin|start|resume|continue|join|attend|visit|host|travel|return|sit\s+down|get\s+underway|take\s+place|brief|convene|be\s+held|be\s+tabled|expire)",
            r"expect(?:s|ed)?\s+(?:the\s+)?[\w-]+\s+to\s+(?:be\s+)?(?:held|meet|begin|start|resume|take\s+place)",
            # Put off to a new date: the sitting is planned again ("postponed until June 3").
            r"(?:postponed|delayed|pushed\s+back|put\s+off)\s+(?:\w+\s+){0,3}?(?:until|till)",
            r"meets\s+on",
            r"begins\s+on",
            r"expire[sd]?",
            r"deadline",
            r"next\s+round",
            r"is\s+due",
            r"are\s+due",
            r"due\s+to\s+(?:hold|meet|get)",
            r"later\s+this\s+(?:month|week)",
            r"upcoming\s+talks",
            r"sending\s+(?:a\s+)?(?:team|delegation)",
        ],
        r"\b",
        True,
    ),
    (
        "agreement",
        [
            r"agreed\s+(?:on|to\s+(?:a|the)\s+(?:deal|swap|exchange|truce))",
            # What both sides agreed is an agreement, not one side's reply to the other.
            r"(?:both|two)\s+(?:sides|parties)\s+(?:\w+\s+)?agreed",
            r"deal\s+(?:was\s+)?(?:reached|struck|signed)",
            # A verb of concluding, up to two modifiers, a noun of agreement: "reached a
            # tentative agreement", "to reach a six-year contract", "signed the peace accord".
            r"(?:reach(?:ed|es|ing)?|struck|strikes?|sign(?:ed|s)?|clinch(?:ed|es)?|seal(?:ed|s)?|conclud(?:ed|es))\s+(?:an?\s+|the\s+|another\s+|their\s+)?(?:[\w-]+\s+){0,2}?(?:deal|agreement|accord|truce|ceasefire|cease-fire|pact|treaty|contract|settlement)",
            r"agreement\s+(?:was|has\s+been|had\s+been)\s+(?:reached|struck|signed|concluded)",
            r"announcement\s+of\s+(?:an?|the)\s+(?:[\w-]+\s+){0,2}?(?:deal|agreement|accord|contract)",
            r"truce\s+(?:was\s+)?established",
            r"ceasefire\s+(?:that\s+)?began",
            r"came\s+into\s+effect",
            r"prisoner(?:s)?\s+(?:of\s+war\s+)?swap",
            r"swap",
            r"endorsed",
            r"approved?\s+the",
            r"ratif(?:ied|y)",
            r"signed",
        ],
        r"\b",
        True,
    ),
    (
        "meeting",
        [
            r"met",
            r"meeting",
            r"meetings",
            rf"talks(?:\s+\w+){{0,6}}?\s+(?:{'|'.join(SITTING_OPENED + SITTING_CLOSED)})",
            # A gathering held: "workshops on power-sharing were held in Washington".
            r"(?:workshops?|seminars?|consultations|meetings|talks|negotiations)(?:\s+[\w,-]+){0,6}?\s+(?:was|were)\s+held",
            r"began\s+(?:debating|discussing|negotiating)",
            r"held\s+(?:talks|a\s+meeting|discussions)",
            r"round\s+of\s+(?:\w+\s+)?(?:talks|negotiations|discussions)",
            # A gathering and its day, with at most its place between: "workshops in
            # Washington December 18-19", "talks in Geneva on Monday".
            r"(?:talks|negotiations|workshops?|seminars?|summit|consultations)(?=\s+(?-i:"
            r"(?:(?:in|at)\s+(?:the\s+)?(?:[A-Z][\w’'-]+\s+){1,3})?(?:on\s+)?(?:Monday|Tuesday|"
            r"Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|May|June|July|"
            r"August|September|October|November|December)\b))",
            r"phone\s+call",
            r"spoke\s+by\s+(?:tele)?phone",
            r"sat\s+down",
            r"press\s+conference",
            r"negotiations\s+(?:began|ended|concluded)",
            r"session",
            r"discussed",
            r"talks\s+(?:with|between)",
            r"dialogue",
        ],
        r"\b",
        True,
    ),
    (
        "proposal",
        [
            r"offer(?:ed|s)?",
            r"propos(?:al|als|ed|es)",
            r"presented",
            r"put\s+forward",
            r"submitted",
            r"sent\s+its\s+(?:own\s+)?(?:proposals?|plan|vision)",
            r"plan\s+for",
            r"subject\s+to",
        ],
        r"\b",
        True,
    ),
    (
        "response",
        [
            r"respond(?:ed|s)",
            r"response\s+to",
            r"accepted",
            r"agreed\s+to",
            r"rejected",
            # A refusal of what the other side or the mediator put forward: "the government's
            # refusal to accept a compromise", "refused to sign the draft".
            r"refus(?:al|ed|es)\s+to\s+(?:accept|sign|endorse|approve)",
            r"replied",
            r"counter-?proposal",
            r"welcomed",
        ],
        r"\b",
        True,
    ),
    (
        "concession",
        [
            r"backed\s+down",
            # "both sides concede a deal appears unlikely": an admission, not a yielding.
            r"conced(?:e|ed|es)(?!\s+(?:that\b|(?:an?|the|it|this)\s+(?:[\w-]+\s+)?(?:appears|"
            r"seems|looks|is|was|would|could|will|may|might)\b))",
            r"concession",
            r"releas(?:ed|e)\s+(?:of\s+)?(?:the\s+)?(?:hostages|prisoners|frozen|detainees|assets)",
            r"eased",
            r"lifted",
            r"dropped\s+(?:its|their)?\s*demand",
        ],
        r"\b",
        True,
    ),
    (
        "demand",
        [
            r"demand(?:s|ed|ing)?",
            r"insist(?:s|ed|ing)?",
            r"call(?:s|ed)\s+for",
            r"urg(?:ed|es)",
            r"must",
            r"preconditions?",
            r"non-negotiable",
            # A condition put on the talks: "the negotiations cannot begin unless Israel halts".
            r"(?:cannot|can't|will\s+not|won't|would\s+not)\s+(?:\w+\s+){0,2}?unless",
            r"needs?\s+\w+\s+guarantees",
            r"wants?\s+(?:the|a|an|to)",
            r"seek(?:s|ing)?(?!\s+(?:refuge|shelter|asylum|safety|treatment|medical))",
        ],
        r"\b",
        True,
    ),
    (
        # Public statements that no verb of saying introduces: "issued the following statement",
        # "made a joint statement". Last: any other kind in the sentence wins.
        "statement",
        [
            r"(?:issued|released|made|published)\s+(?:a|an|the|the\s+following|their|its)\s+"
            r"(?:[\w-]+\s+){0,2}?statement",
            # Public appraisal of the talks or the parties: "praised the parties and the mediator".
            r"(?:praised|hailed|commended|applauded)",
            # A public apology or regret over the talks: "apologized to the Syrian people".
            r"apologi[sz]ed",
            r"expressed\s+(?:his|her|their|its|deep\s+)?regret",
            # A formal notice to a legislature: "notified Congress of his intent to sign".
            r"notified\s+(?:the\s+)?(?:Congress|parliament|the\s+parties)",
        ],
        r"\b",
        True,
    ),
]

# -- Position cues ------------------------------------------------------------------------
# (kind, rows, tail): a verb or construction whose complement is a party's stance.
POSITION_CUES: list[tuple[str, list[str], str]] = [
    (
        "demand",
        [
            # Readouts and statements: "underscored the need to", "emphasized that ... must".
            r"(?:underscored|underlined|emphasi[sz]ed|stressed|highlighted|reiterated)\s+the\s+"
            r"(?:need|necessity)\s+(?:to|for)",
            r"(?:underscored|underlined|emphasi[sz]ed|stressed)\s+that",
            r"(?:is|are|was|were|remains?)\s+keen\s+to",
            r"demand(?:s|ed|ing)?",
            r"insist(?:s|ed|ing)?(?:\s+on)?",
            r"call(?:s|ed|ing)?\s+for",
            r"call(?:s|ed|ing)?\s+on\s+(?:[\w.’'-]+\s+){1,3}?to",
            r"urg(?:es|ed|ing)\s+(?:[\w.’'-]+\s+){1,3}?to",
            r"wants?",
            r"wanted",
            r"seek(?:s|ing)?(?!\s+(?:refuge|shelter|asylum|safety|treatment|medical))",
            r"seeking(?!\s+(?:refuge|shelter|asylum|safety|treatment|medical))",
            r"needs?",
            r"needed",
            r"urg(?:es|ed)",
            r"press(?:es|ed|ing)\s+(?:[\w.’'-]+\s+){1,3}?to",
            r"pressur(?:es|ed|ing)\s+(?:[\w.’'-]+\s+){1,3}?to",
            r"must",
            r"should",
            r"would\s+have\s+to",
            r"(?:is|are|was|were)\s+pushing\s+for",
            # Pressure towards an outcome: "is pressing for a deal", "holding out for guarantees".
            r"(?:press(?:es|ed|ing)|push(?:es|ed)|lobb(?:ies|ied|ying))\s+for",
            r"hold(?:s|ing)?\s+out\s+for",
            r"conditions?\s+(?:include|are)",
            r"preconditions?",
        ],
        r"\b(?:\s+that)?",
    ),
    (
        "red_line",
        [
            r"non-negotiable",
            r"rejection\s+of",
            r"would\s+not\s+agree\s+to",
            r"will\s+not\s+agree\s+to",
            r"refus(?:es|ed|ing)\s+to",
            r"pledged\s+(?:again\s+)?(?:that|to)",
            r"vow(?:ed|s)\s+(?:that|to)",
            r"threatened\s+to",
            # A threat to leave the table is a stance on it: "will walk away unless the EU ...".
            r"(?:will|would|could|may|might|is\s+ready\s+to|prepared\s+to)\s+walk\s+away",
            r"warn(?:s|ed)\s+that",
            r"rejects?",
            r"rejected",
            r"ruled\s+out",
            r"rules\s+out",
            r"red\s+line",
            r"cannot\s+and\s+will\s+not",
            r"(?:will|would|cannot|can't|won't)\s+not\s+(?:\w+\s+)?(?:agree|accept|allow|compromise|sign|negotiate|back\s+down|tolerate|withdraw|recogni[sz]e|give\s+up)",
            r"(?:will|would)\s+never",
            r"(?:won't|will\s+not|cannot|can't)\s+(?:accept|allow|agree|tolerate|sign|compromise)",
            r"not\s+on\s+the\s+table",
            r"opposes?",
            r"opposed",
        ],
        r"\b",
    ),
    (
        "offer",
        [
            r"offer(?:s|ed|ing)?\s+to",
            r"offered",
            r"would\s+agree\s+to",
            r"ready\s+to",
            r"willing\s+to",
            r"prepared\s+to",
            r"stands?\s+ready\s+to",
            r"stood\s+ready\s+to",
            r"proposed",
            r"propose[sd]?",
            r"openness\s+to",
            r"open\s+to",
            r"readiness\s+(?:for|to)",
            r"willingness\s+to",
        ],
        r"\b",
    ),
    (
        "concession",
        [
            r"backed\s+down\s+from",
            r"back(?:s|ed)?\s+away\s+from",
            r"conceded",
            r"agreed\s+to",
            r"accepted",
            r"accepts",
            r"softened\s+(?:its|their)\s+(?:stance|position|demands?)\s+on",
            r"dropped\s+(?:its|their|a|the)\s+demand",
        ],
        r"\b",
    ),
    (
        "stance",
        [
            r"(?:underscored|underlined|emphasi[sz]ed|stressed|highlighted)\s+the\s+importance\s+of",
            r"(?:is|are|was|were|remains?|remained)\s+committed\s+to",
            r"committed\s+to\s+(?:continue|continuing|work|working|pursue|pursuing)",
            r"hopes?\s+to",
            r"is\s+hoping\s+to",
            r"believes",
            r"supports",
            r"supported",
            r"backs",
            r"(?:would|will)\s+(?:continue|keep\s+up)",
            r"(?:is|was|are|were)\s+not\s+looking\s+to",
            r"not\s+against",
            r"(?:is|was|are|were|be|it's)\s+up\s+to(?!\s+\d)",
            r"was\s+hoping\s+to",
            r"(?:would|will)\s+only",
            r"the\s+only\s+way",
        ],
        r"\b",
    ),
]

# Verbs of courtesy after a verb of wanting: "I want to applaud all involved" states no stance.
COURTESY_VERBS: list[str] = [
    r"applaud",
    r"thank",
    r"congratulate",
    r"commend",
    r"praise",
    r"express\s+(?:my|our|his|her|their)\s+(?:gratitude|appreciation|thanks)",
    r"recogni[sz]e\s+the\s+(?:work|efforts)",
]

# -- Parties named as bodies ----------------------------------------------------------------
# A capitalised name ending in one of these is a negotiating body even when no table knows it:
# "the High Negotiations Committee said", "the Democratic Unity Roundtable demands".
BODY_HEADS: list[str] = [
    "Committee",
    "Council",
    "Front",
    "Movement",
    "Forces",
    "Army",
    "Coalition",
    "Union",
    "Alliance",
    "Party",
    "Association",
    "Federation",
    "Confederation",
    "Commission",
    "Authority",
    "Bloc",
    "Organization",
    "Organisation",
    "Group",
    "Brotherhood",
    "Guild",
    "League",
    "Roundtable",
]

# Adversaries inside one state. Where a report names any of them, the talks are between a
# government and its own opponents, so "the Syrian government" is a party of its own
# ("Syrian government"), not the state ("Syria") the other side also belongs to.
INTERNAL_ADVERSARIES: list[str] = [
    r"opposition",
    r"rebels?",
    r"rebel\s+groups?",
    r"insurgents?",
    r"insurgency",
    r"militias?",
    r"separatists?",
    r"Taliban",
    r"Houthis?",
    r"junta",
]

# What talks are about, named before them: "The peace talks in Machakos recessed", "The trade
# negotiations resumed". Such talks are the subject of their sentence like "The talks" are.
TALK_QUALIFIERS: list[str] = [
    r"peace",
    r"trade",
    r"nuclear",
    r"ceasefire",
    r"cease-fire",
    r"truce",
    r"hostage",
    r"contract",
    r"labou?r",
    r"border",
    r"security",
    r"arms(?:\s+control)?",
    r"direct",
    r"indirect",
    r"proximity",
    r"bilateral",
    r"multilateral",
    r"six-party",
    r"three-way",
]

# Obligations in reported speech are the speaker's demand: "the committee said Assad must go".
OBLIGATION_MODALS: list[str] = [
    r"must",
    r"should",
    r"would\s+have\s+to",
    r"needs?",
]

# -- Modality ---------------------------------------------------------------------------------
# Words right before an infinitive trigger that make it an aim, not an event: "efforts to
# resume negotiations", "needed to conclude an agreement", "hopes to reach a deal".
UNREALISED: list[str] = [
    r"allowed",
    r"able",
    r"closer",
    r"close",
    r"intent(?:ion)?",
    r"plans?",
    r"efforts?",
    r"bids?",
    r"attempts?",
    r"push",
    r"pushing",
    r"hopes?",
    r"hoping",
    r"hoped",
    r"aim(?:s|ed|ing)?",
    r"seek(?:s|ing)?",
    r"sought",
    r"try(?:ing)?",
    r"tried",
    r"needed",
    r"need(?:s)?",
    r"want(?:s|ed)?",
    r"fail(?:s|ed)?",
    r"unable",
    r"urg(?:e|es|ed|ing)\s+\S+(?:\s+\S+)?",
    r"call(?:s|ed)?\s+on\s+\S+(?:\s+\S+)?",
]

# -- Venues ------------------------------------------------------------------------------------
# The word right before "in <place>" that makes the place what the talks are about, not where
# they sit: "a ceasefire in Gaza", "the conflict in Sudan", "the war in Ukraine".
VENUE_SUBJECT_NOUNS: list[str] = [
    r"ceasefire",
    r"cease-fire",
    r"truce",
    r"war",
    r"conflict",
    r"fighting",
    r"crisis",
    r"violence",
    r"hostilities",
    r"situation",
    r"security",
    r"stability",
    r"peace",
    r"offensive",
    r"operations?",
    r"invasion",
    r"attacks?",
    r"strikes",
    r"occupation",
    r"presence",
    r"troops",
    r"forces",
    r"hostages?",
    r"civilians",
    r"people",
    r"elections?",
    r"reconstruction",
    r"governance",
    r"aid",
    r"assistance",
    r"suffering",
    r"famine",
    r"displacement",
    r"settlements?",
    r"interests",
    r"investment",
]
# Nouns for a gathering whose place is a venue ("a workshop held here in Washington").
VENUE_GATHERINGS: list[str] = [
    r"workshops?",
    r"seminars?",
    r"symposium",
    r"retreat",
    r"conclave",
    r"plenary",
    r"headquarters",
]
# "in the Kenyan town of Machakos", "the Swiss resort of Crans-Montana": the place after "of".
VENUE_PLACE_OF = r"(?:town|city|village|capital|resort|port|spa\s+town|island)\s+of"
# Verbs that bring people to a place for talks ("inviting officials to Washington").
VENUE_TRAVEL_VERBS: list[str] = [
    r"invit(?:e|es|ed|ing|ation)",
    r"summon(?:s|ed|ing)?",
    r"host(?:s|ed|ing)?",
]

# -- Sides of titles ------------------------------------------------------------------------
# Titles that name their state without saying it: "Secretary of State Antony Blinken" is
# American in English-language reporting, where other states' holders carry a country
# ("Britain's Foreign Secretary"). Matched right before a person's first mention.
ROLE_SIDES: list[tuple[str, str]] = [
    (r"Secretary\s+of\s+State", "United States"),
    (r"(?:Secretary\s+of\s+the\s+Treasury|Treasury\s+Secretary)", "United States"),
    (r"(?:U\.?S\.?\s+)?Trade\s+Representative", "United States"),
    (r"(?:Secretary\s+of\s+Labor|Labor\s+Secretary)", "United States"),
    (r"State\s+Department\s+(?:spokes(?:man|woman|person)|official)", "United States"),
    (r"White\s+House\s+(?:spokes(?:man|woman|person)|press\s+secretary|official)", "United States"),
]
