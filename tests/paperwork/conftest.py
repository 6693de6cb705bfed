"""The register tests issue contest documents too: the contest fixtures (three judges) are shared."""

from tests.contests.conftest import judges  # noqa: F401  (a fixture)
