"""Reader page fixtures: the shared scene of one negotiation (tests/scenes.py)."""

from __future__ import annotations

import pytest

from tests import scenes
from tests.scenes import aware  # noqa: F401  (reader tests import it from here)


@pytest.fixture
def talks(db) -> scenes.Talks:
    return scenes.talks()
