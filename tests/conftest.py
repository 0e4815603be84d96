"""Shared fixtures: one Guard (and so one Sudachi dictionary) per test session."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

from fujisns_guard import Guard

settings.register_profile("ci", derandomize=True, deadline=None, max_examples=150, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", deadline=None, max_examples=100, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("ci" if os.environ.get("CI") else "dev")


@pytest.fixture(scope="session")
def guard() -> Guard:
    return Guard()
