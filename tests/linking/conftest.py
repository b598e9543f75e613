"""Fixtures shared by the linking tests."""

from __future__ import annotations

import pytest

from campaigns.linking.engine import LinkingEngine


@pytest.fixture(scope="module")
def linker() -> LinkingEngine:
    """The engine as shipped: the registry and the models fitted on the train split."""
    return LinkingEngine()
