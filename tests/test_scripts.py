"""The scripts under scripts/ import: what they use of the package and of
tests/support exists (a script is run by hand, so nothing else would tell)."""

import importlib.util
from pathlib import Path

import pytest

SCRIPTS = sorted((Path(__file__).resolve().parent.parent / "scripts").glob("*.py"))


@pytest.mark.parametrize("script", SCRIPTS, ids=[s.stem for s in SCRIPTS])
def test_script_imports(script):
    source = script.read_text()
    assert 'if __name__ == "__main__":' in source  # importing runs nothing
    spec = importlib.util.spec_from_file_location(f"script_{script.stem}", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert callable(getattr(module, "main", None))
