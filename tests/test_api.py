"""The public API is written down: ``eclipse.__all__`` and each subpackage's
list it, every name listed exists, has a docstring and, for a function or a
method of a class listed, annotations on every parameter and its return;
``py.typed`` ships, and mypy's configuration lives in pyproject.toml (CI runs
mypy on eclipse/ and ruff on the repository)."""

from __future__ import annotations

import importlib
import inspect
from pathlib import Path

import pytest

SUBPACKAGES = ["eclipse", "eclipse.sources", "eclipse.geometry", "eclipse.search", "eclipse.io", "eclipse.maps",
               "eclipse.web", "eclipse.fields"]


def public_names():
    for package in SUBPACKAGES:
        module = importlib.import_module(package)
        for name in module.__all__:
            yield package, name, getattr(module, name)


def _untyped(function) -> list[str]:
    """The parameters of a function (and its return) without annotations."""
    try:
        signature = inspect.signature(function)
    except (TypeError, ValueError):
        return []
    missing = [p.name for p in signature.parameters.values()
               if p.annotation is inspect.Parameter.empty and p.name not in ("self", "cls")
               and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]
    if signature.return_annotation is inspect.Signature.empty and function.__name__ != "__init__":
        missing.append("return")
    return missing


@pytest.mark.parametrize("package", SUBPACKAGES)
def test_every_subpackage_lists_its_api(package):
    module = importlib.import_module(package)
    assert module.__doc__ and module.__all__
    assert len(set(module.__all__)) == len(module.__all__)
    assert all(hasattr(module, name) for name in module.__all__)


def test_every_public_name_has_a_docstring_and_types():
    bad = []
    for package, name, value in public_names():
        if (inspect.isfunction(value) or inspect.isclass(value)) and not inspect.getdoc(value):
            bad.append(f"{package}.{name}: no docstring")
        if inspect.isfunction(value) and _untyped(value):
            bad.append(f"{package}.{name}: untyped {', '.join(_untyped(value))}")
        if inspect.isclass(value):
            for attribute, member in vars(value).items():
                if attribute.startswith("_") or not inspect.isfunction(member):
                    continue
                if not inspect.getdoc(member):
                    bad.append(f"{package}.{name}.{attribute}: no docstring")
                if _untyped(member):
                    bad.append(f"{package}.{name}.{attribute}: untyped {', '.join(_untyped(member))}")
    assert not bad, "\n".join(bad)


def test_typed_package():
    root = Path(__file__).resolve().parent.parent
    assert (root / "eclipse" / "py.typed").exists()
    text = (root / "pyproject.toml").read_text()
    assert "[tool.mypy]" in text and "[tool.ruff" in text and '"py.typed"' in text
