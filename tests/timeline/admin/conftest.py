"""Fixtures of the admin tests."""

from __future__ import annotations

import pytest

from tests.timeline.admin.support import _login


@pytest.fixture
def editor(client):
    return _login(client, "Editors")
