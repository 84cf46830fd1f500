import os

from hypothesis import HealthCheck, settings

settings.register_profile("dev", deadline=None, max_examples=40,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("ci", deadline=None, max_examples=40, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _no_output_transaction_left_open():
    """Every command publishes or drops its outputs: no transaction outlives a test."""
    from polytopo.runtime import outputs

    yield
    left = list(outputs._pending)
    outputs._pending.clear()
    assert not left, "an output transaction was left open"
