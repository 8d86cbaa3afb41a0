"""Tests share tests/support (NASA's reference data in data/reference, the
astropy oracle, the CLI runner) with the scripts; pyproject.toml puts the
repository and tests/ on the path."""

from support.atlas import processes, reference, tls_files  # noqa: F401 (the atlas tests' fixtures)
