import pytest


@pytest.fixture(autouse=True)
def _jobs_inline(settings):
    """Reports run at once in these tests; one test runs the queue itself."""
    settings.HCT_JOBS_INLINE = True
