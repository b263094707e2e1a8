import pytest


@pytest.fixture(autouse=True)
def _jobs_inline(settings):
    """Scenario runs happen at once, in the test's process, before `job_enqueue` returns."""
    settings.HCT_JOBS_INLINE = True
