"""Sample URL arguments for every parameterised URL pattern of the project.

The URL walk (tests/test_url_security.py, tests/test_browser_pages.py) resolves every pattern;
a pattern with parameters needs a sample here, else the walk fails and names the pattern.
Each app adds its samples (tests/url_samples/samples.py) when it adds such a URL:

    @sample("projects:report_create")
    def _report_create(world):
        return {"slug": world.project.slug}

`world` (a SampleWorld) holds the role users and shared sample objects, created lazily once
per test. Sample objects should be visible to the office and belong to Soest (so the partner
of Soest may change them and the partner of Lippstadt may not).

Every pattern also needs its row of expected statuses per role in tests/url_roles/. The
parts: `world` (the sample objects and the registry), `samples` (the URL arguments, app by
app), `public` (the public pages).
"""

from . import meetings, samples  # noqa: F401 - registers the samples
from .public import PUBLIC_URLS
from .world import ADMIN_DEFAULTS, SAMPLES, MissingSample, SampleWorld, sample

__all__ = ["ADMIN_DEFAULTS", "PUBLIC_URLS", "SAMPLES", "MissingSample", "SampleWorld", "sample"]
