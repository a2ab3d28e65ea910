"""Settings shared by the test modules: the hypothesis profiles, and a cache folder of the
test session's own (never the user's), which commands started by tests inherit.

HYPOTHESIS_PROFILE selects one: "ci" (the default) keeps the property tests quick enough for
every run; "long" tries a hundred times as many examples, for a run after changing extraction or
before a release (`HYPOTHESIS_PROFILE=long .venv/bin/pytest tests/test_properties.py`).
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, settings

from checker.cache import CACHE_ENV

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


@pytest.fixture(autouse=True, scope="session")
def session_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(CACHE_ENV, str(tmp_path_factory.mktemp("numcheck-cache")))
        yield
