import pytest

from timeline.services.candidates import headline_from_sentence


@pytest.mark.parametrize(
    ("sentence", "headline"),
    [
        (
            "DOHA, May 27 (Wire) - Israeli and Hamas negotiators will meet.",
            "Israeli and Hamas negotiators will meet.",
        ),
        ("CAIRO (AP) — talks resumed on Sunday.", "Talks resumed on Sunday."),
        ("GAZA CITY, Gaza Strip, 19 May: Rockets fell.", "Rockets fell."),
        ("NEW YORK, Nov. 3, 2024 (Reuters) -- Envoys met.", "Envoys met."),
        # Not datelines: left alone.
        ("US - China talks resumed.", "US - China talks resumed."),
        ("Israel said it would send a team.", "Israel said it would send a team."),
    ],
)
def test_headline_from_sentence_drops_a_wire_dateline_only(sentence, headline):
    assert headline_from_sentence(sentence) == headline
