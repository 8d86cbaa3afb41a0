"""The package's layout: subpackages that name the pipeline's stages, imports
that run one way between them, each module standing alone.

As Skyfield's design/test_import_loops.py: every module imports on its own
in a fresh interpreter.  And, reading the source:

- the layers import only downwards: the leaves (constants, errors, dates,
  interrupts), then sources, geometry, search, io, then the optional back
  ends maps, web and fields, which never import one another, then the
  command line;
- no import cycle between modules, no module imports a private name of
  another;
- the core never imports matplotlib, cartopy, xarray or Dask; the back ends
  import their libraries at their top; imports inside functions only of
  heavy optional packages in the core, and of the back ends in the CLI (so
  that ``eclipse find`` starts fast);
- no module over 800 lines, no function over 120.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "eclipse"
#: Every module, dotted below ``eclipse`` ("geometry.local", "cli").
MODULES = sorted(".".join(p.relative_to(PACKAGE).with_suffix("").parts).removesuffix(".__init__")
                 for p in PACKAGE.rglob("*.py") if p.name != "__main__.py" and p != PACKAGE / "__init__.py")
#: The layers, lowest first; a module imports only from its own layer or below.
LAYERS = [
    {"constants", "errors", "dates", "interrupts"},
    {"sources"},
    {"geometry"},
    {"search"},
    {"io"},
    {"maps", "web", "fields"},
    {"cli"},
]
BACK_ENDS = {"maps", "web", "fields"}
#: Third-party packages the core may import inside the functions that need
#: them (they cost start-up time, or memory).
HEAVY = {"contourpy", "jplephem", "scipy", "shapely", "skyfield", "timezonefinder"}
#: What only the back ends import (the core never does).
BACK_END_LIBRARIES = {"cartopy", "matplotlib", "xarray", "dask", "distributed", "zarr", "h5netcdf", "h5py",
                      "tqdm", "cftime", "psutil"}
MAX_MODULE_LINES = 800
MAX_FUNCTION_LINES = 120


def _path(module: str) -> Path:
    candidate = PACKAGE / (module.replace(".", "/") + ".py")
    return candidate if candidate.exists() else PACKAGE / module.replace(".", "/") / "__init__.py"


def _tree(module: str) -> ast.Module:
    return ast.parse(_path(module).read_text(), filename=str(_path(module)))


def _is_package(module: str) -> bool:
    return _path(module).name == "__init__.py"


def _resolve(module: str, node: ast.ImportFrom) -> str:
    """The module (dotted below ``eclipse``) an import from the package names."""
    if node.level == 0:
        return (node.module or "").removeprefix("eclipse").lstrip(".")
    base = module.split(".")
    base = base if _is_package(module) else base[:-1]
    base = base[:len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _imports(module: str):
    """(imported module, names, inside a function) for every import of the
    package's own modules (``from . import x`` counts x when it is a module)."""
    tree = _tree(module)
    inner = {id(n) for f in ast.walk(tree) if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))
             for n in ast.walk(f)}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.level or (node.module or "").startswith("eclipse")):
            target = _resolve(module, node)
            for alias in node.names:
                sub = f"{target}.{alias.name}" if target else alias.name
                if sub in MODULES:
                    found.append((sub, [], id(node) in inner))
                elif target:
                    found.append((target, [alias.name], id(node) in inner))
        elif isinstance(node, ast.Import):
            found += [(a.name.removeprefix("eclipse."), [], id(node) in inner) for a in node.names
                      if a.name.startswith("eclipse.")]
    return found


def _third_party(module: str):
    """(top-level package, inside a function, function name) of every other import."""
    tree = _tree(module)
    found = []
    for function in [None] + [f for f in ast.walk(tree) if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))]:
        nodes = ast.walk(function) if function else ast.iter_child_nodes(tree)
        for node in nodes:
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            else:
                continue
            found += [(n.split(".")[0], function is not None, function.name if function else "") for n in names
                      if not n.startswith("eclipse")]
    return found


def _layer(module: str) -> int:
    top = module.split(".")[0]
    return next(i for i, layer in enumerate(LAYERS) if top in layer)


def test_every_module_imports_on_its_own():
    processes = {m: subprocess.Popen([sys.executable, "-c", f"import eclipse.{m}"], stderr=subprocess.PIPE,
                                     text=True) for m in MODULES}
    failures = {m: p.communicate(timeout=300)[1].strip().splitlines()[-1:]
                for m, p in processes.items() if p.wait() != 0}
    assert not failures


def test_the_layers_import_only_downwards():
    wrong = []
    for module in MODULES:
        for target, _, inside in _imports(module):
            top, own = target.split(".")[0], module.split(".")[0]
            if _layer(target) > _layer(module):
                wrong.append(f"{module} imports {target} (a layer above)")
            elif top in BACK_ENDS and own in BACK_ENDS and top != own:
                wrong.append(f"{module} imports {target} (back ends never import one another)")
            elif top in BACK_ENDS and own == "cli" and not inside:
                wrong.append(f"cli imports {target} at its top (the back ends load when a command needs them)")
    assert not wrong


def test_no_import_cycle():
    graph = {m: {target for target, _, _ in _imports(m) if target in MODULES and target != m} for m in MODULES}
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
    private = [(target, name) for target, names, _ in _imports(module) for name in names
               if name.startswith("_") and target != module and target.split(".")[0] != module.split(".")[0]]
    assert not private


@pytest.mark.parametrize("module", MODULES)
def test_heavy_libraries_where_they_belong(module):
    """The core never imports the back ends' libraries; it imports its heavy
    ones inside functions only; the back ends import theirs at the top; no
    standard library import hides in a function."""
    own = module.split(".")[0]
    bad = []
    for name, inside, function in _third_party(module):
        if name in BACK_END_LIBRARIES and own not in BACK_ENDS:
            bad.append(f"{function or 'top'}: {name} in the core")
        elif inside and own in BACK_ENDS:
            bad.append(f"{function}: {name} inside a function of a back end")
        elif inside and name not in HEAVY:
            bad.append(f"{function}: {name} inside a function")
    assert not bad


@pytest.mark.parametrize("module", MODULES)
def test_modules_and_functions_stay_short(module):
    source = _path(module).read_text()
    assert len(source.splitlines()) <= MAX_MODULE_LINES
    long = [(f.name, f.end_lineno - f.lineno + 1) for f in ast.walk(ast.parse(source))
            if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))
            and f.end_lineno - f.lineno + 1 > MAX_FUNCTION_LINES]
    assert not long


def test_find_starts_without_the_back_ends():
    """``eclipse find`` loads neither matplotlib, cartopy, xarray nor Dask."""
    code = ("import sys; from eclipse.cli import main; main(['find', '--year', '2024', '-o', '/dev/null']); "
            "print(' '.join(sorted(m for m in ('matplotlib', 'cartopy', 'xarray', 'dask', 'shapely') "
            "if m in sys.modules)))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stdout.strip() == "", done.stdout + done.stderr
