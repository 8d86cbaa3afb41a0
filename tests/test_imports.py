"""The package's layout: imports run one way, each module stands alone.

As Skyfield's design/test_import_loops.py: every module imports on its own in
a fresh interpreter.  And, reading the source: no import cycle between the
package's modules (imports inside functions counted too), no module imports
a private name from another, imports inside functions only of heavy optional
packages (so that `eclipse find` starts fast), no module over 800 lines and
no function over 120.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "eclipse"
MODULES = sorted(p.stem for p in PACKAGE.glob("*.py") if p.stem != "__main__")
#: Third-party packages that cost time or memory to import, or that only an
#: extra installs (fields: xarray, dask, zarr, h5netcdf, psutil, tqdm),
#: imported only inside the functions that need them.
HEAVY = {"astropy", "cartopy", "cftime", "contourpy", "dask", "distributed", "h5netcdf", "h5py", "jplephem",
         "matplotlib", "netCDF4", "psutil", "rich", "scipy", "selenium", "shapely", "skyfield", "timezonefinder",
         "tqdm", "xarray", "zarr"}
MAX_MODULE_LINES = 800
MAX_FUNCTION_LINES = 120


def _tree(module: str) -> ast.Module:
    return ast.parse((PACKAGE / f"{module}.py").read_text(), filename=f"{module}.py")


def _package_imports(module: str):
    """(imported module, imported names, inside a function) for every import
    of a module of the package, wherever it stands."""
    tree = _tree(module)
    inner = {id(n) for f in ast.walk(tree) if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))
             for n in ast.walk(f)}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level == 1 or (node.module or "").startswith("eclipse"):
                base = (node.module or "").removeprefix("eclipse").lstrip(".")
                if base:
                    found.append((base.split(".")[0], [a.name for a in node.names], id(node) in inner))
                else:  # from . import x, y
                    found += [(a.name, [], id(node) in inner) for a in node.names]
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("eclipse."):
                    found.append((alias.name.split(".")[1], [], id(node) in inner))
    return found


def test_every_module_imports_on_its_own():
    processes = {m: subprocess.Popen([sys.executable, "-c", f"import eclipse.{m}"], stderr=subprocess.PIPE,
                                     text=True) for m in MODULES}
    failures = {m: p.communicate(timeout=120)[1].strip().splitlines()[-1:]
                for m, p in processes.items() if p.wait() != 0}
    assert not failures


def test_no_import_cycle():
    graph = {m: {target for target, _, _ in _package_imports(m) if target in MODULES and target != m}
             for m in MODULES}
    state = {}

    def visit(module, trail):
        if state.get(module) == "done":
            return
        if state.get(module) == "open":
            cycle = trail[trail.index(module):] + [module]
            pytest.fail("import cycle: " + " -> ".join(cycle))
        state[module] = "open"
        for target in sorted(graph[module]):
            visit(target, trail + [module])
        state[module] = "done"

    for module in MODULES:
        visit(module, [])


@pytest.mark.parametrize("module", MODULES)
def test_no_private_names_from_other_modules(module):
    private = [(target, name) for target, names, _ in _package_imports(module) for name in names
               if name.startswith("_") and target != module]
    assert not private


@pytest.mark.parametrize("module", MODULES)
def test_imports_inside_functions_only_of_heavy_packages(module):
    tree = _tree(module)
    bad = []
    for function in (f for f in ast.walk(tree) if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))):
        for node in ast.walk(function):
            if isinstance(node, ast.ImportFrom):
                names = ["." * node.level + (node.module or "")]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            else:
                continue
            bad += [f"{function.name}: {n}" for n in names if n.split(".")[0] not in HEAVY]
    assert not bad


@pytest.mark.parametrize("module", MODULES)
def test_modules_and_functions_stay_short(module):
    source = (PACKAGE / f"{module}.py").read_text()
    assert len(source.splitlines()) <= MAX_MODULE_LINES
    long = [(f.name, f.end_lineno - f.lineno + 1) for f in ast.walk(ast.parse(source))
            if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))
            and f.end_lineno - f.lineno + 1 > MAX_FUNCTION_LINES]
    assert not long
