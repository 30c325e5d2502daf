"""The demo, loaded through the services, for tests that need many dossiers in every state."""

from __future__ import annotations

from datetime import date

import pytest

from workflow.usecases import services
from workflow.usecases.demo import load_demo

# A Sunday worked in lieu (调休): the demo's publicities, opened two days before, run across
# National Day 2025.
TODAY = date(2025, 9, 28)


@pytest.fixture
def demo(rt, clock):
    """The demo as of TODAY; its auditor, who sees the whole committee."""
    clock.set_today(TODAY)
    lines = load_demo(uow=rt.uow, env=rt.env)
    token = next(line.split(": ")[1] for line in lines if "token auditor" in line)
    return services.authenticate(uow=rt.uow, token=token)
