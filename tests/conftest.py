"""Settings shared by the test modules: the hypothesis profiles.

HYPOTHESIS_PROFILE selects one: "ci" (the default) keeps the property tests quick enough for
every run; "long" tries a hundred times as many examples, for a run after changing extraction or
before a release (`HYPOTHESIS_PROFILE=long .venv/bin/pytest tests/test_properties.py`).
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

PROFILE_ENV = "HYPOTHESIS_PROFILE"

# No deadline: the first example pays for loading the unit registry and the lexicon.
settings.register_profile("ci", max_examples=50, deadline=None, print_blob=True)
settings.register_profile(
    "long",
    max_examples=5_000,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get(PROFILE_ENV, "ci"))
