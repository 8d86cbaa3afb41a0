"""Tests share validation/ (NASA's reference data, the astropy oracle, the
CLI runner) with the scripts; pyproject.toml puts the repository on the path."""
