"""The package structure (docs/architecture.md): imports only point down the layers, no
import cycle, no module reaches into another package's private names."""

import ast
from pathlib import Path

import networkx as nx
import pytest

ROOT = Path(__file__).resolve().parent.parent / "polytopo"

#: the layers, bottom first; a module may import only from its own layer or below
LAYERS = [
    ("exceptions",),
    ("runtime",),
    ("geometry",),
    ("topology",),
    ("network",),
    ("regions",),
    ("complex",),
    ("analysis",),
    ("figures",),
    ("cli", "testing"),
    ("__init__", "__main__"),
]
RANK = {name: i for i, names in enumerate(LAYERS) for name in names}


def _module_name(path):
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts), path.name == "__init__.py"


def _modules():
    return {(_module_name(p)[0]): p for p in sorted(ROOT.rglob("*.py"))}


MODULES = _modules()


def _layer(module):
    parts = module.split(".")
    if len(parts) == 1:
        return "__init__"
    return parts[1]


def _imports(module, path):
    """(imported module, imported name or None, line) for every polytopo import in the
    file, lazy ones inside functions included."""
    is_pkg = path.name == "__init__.py"
    base = module.split(".") if is_pkg else module.split(".")[:-1]
    out = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            out += [(a.name, None, node.lineno) for a in node.names if a.name.startswith("polytopo")]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                pkg = base[:len(base) - node.level + 1]
                target = ".".join(pkg + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if not target.startswith("polytopo"):
                continue
            for a in node.names:
                sub = f"{target}.{a.name}"
                if sub in MODULES:
                    out.append((sub, None, node.lineno))
                else:
                    out.append((target, a.name, node.lineno))
    return out


def _edges():
    for module, path in MODULES.items():
        for target, name, line in _imports(module, path):
            yield module, target, name, line


def test_every_module_has_a_layer():
    assert {_layer(m) for m in MODULES} <= set(RANK), {_layer(m) for m in MODULES} - set(RANK)


def test_imports_point_down_the_layers():
    bad = [f"{m} (line {line}) imports {t}" for m, t, _, line in _edges()
           if t != "polytopo" and RANK[_layer(t)] > RANK[_layer(m)]]
    bad += [f"{m} (line {line}) imports {n} from the package root" for m, t, n, line in _edges()
            if t == "polytopo" and n != "__version__" and _layer(m) not in ("__init__", "__main__")]
    assert bad == []


def test_no_private_name_crosses_a_package():
    def package(mod):
        parts = mod.split(".")
        return parts[1] if len(parts) > 1 else ""

    bad = []
    for m, t, name, line in _edges():
        if package(t) == package(m):
            continue
        private_module = any(p.startswith("_") and p not in ("__init__", "__main__")
                             for p in t.split(".")[1:])
        if private_module or (name and name.startswith("_") and name != "__version__"):
            bad.append(f"{m} (line {line}) imports {t}{'.' + name if name else ''}")
    assert bad == []


def test_no_import_cycle():
    g = nx.DiGraph()
    for m, t, _, _ in _edges():
        if t in MODULES and t != m and not MODULES[t].name == "__init__.py":
            g.add_edge(m, t)
    cycles = list(nx.simple_cycles(g))
    assert cycles == []


def test_the_folders_tell_the_story():
    packages = {p.name for p in ROOT.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert packages == {n for names in LAYERS for n in names
                        if (ROOT / n / "__init__.py").exists()}
    assert packages >= {"geometry", "network", "regions", "complex", "topology", "analysis",
                        "cli"}


@pytest.mark.parametrize("module", sorted(m for m in MODULES if m.startswith("polytopo.analysis")))
def test_analyses_do_not_parse_print_or_write(module):
    """Analyses are functions: no argparse, no printing, no files written (the command
    line, polytopo.cli, does those)."""
    tree = ast.parse(MODULES[module].read_text())
    bad = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names = [a.name for a in node.names] + [getattr(node, "module", None) or ""]
            if "argparse" in names:
                bad.append(f"line {node.lineno}: imports argparse")
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "print":
            bad.append(f"line {node.lineno}: print")
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and \
                node.func.attr in ("savefig", "write_json", "write_text", "write_bytes",
                                   "atomic_writer"):
            bad.append(f"line {node.lineno}: {node.func.attr}")
    assert bad == []


def _private(name):
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _defined_private_names(tree):
    """The private names a module defines: its private functions, classes and module or
    class attributes, the ``self._x`` / ``cls._x`` attributes it sets, private fields."""
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            out.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for t in targets:
                for sub in ast.walk(t):
                    if isinstance(sub, ast.Name):
                        out.add(sub.id)
                    elif isinstance(sub, ast.Attribute) and isinstance(sub.value, ast.Name) \
                            and sub.value.id in ("self", "cls"):
                        out.add(sub.attr)
    return {n for n in out if _private(n)}


def _private_accesses(tree):
    """``(line, expression)`` of every ``obj._name`` read or written, ``obj`` not ``self``
    or ``cls`` (dunders aside)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and _private(node.attr):
            if isinstance(node.value, ast.Name) and node.value.id in ("self", "cls"):
                continue
            yield node.lineno, node.attr, ast.unparse(node)


TREES = {m: ast.parse(p.read_text()) for m, p in MODULES.items()}
DEFINED = {m: _defined_private_names(t) for m, t in TREES.items()}


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_module_reaches_into_another_modules_private_attributes(module):
    """Modules meet through public seams: no ``obj._name`` on an object (or module) whose
    private name another polytopo module defines, e.g. ``complex._hom`` from an analysis
    or ``cc._checked`` set from outside the chain complex's module. Private names only the
    module itself defines are its own business; private attributes of other libraries
    (argparse, numpy) are not polytopo's seams and not looked at here."""
    others = set().union(*(names for m, names in DEFINED.items() if m != module))
    own = DEFINED[module]
    bad = [f"line {line}: {text}" for line, name, text in _private_accesses(TREES[module])
           if name in others and name not in own]
    assert bad == []


def test_the_private_attribute_test_sees_a_reach():
    """The check above is not vacuous: it flags a reach like the ones it forbids."""
    tree = ast.parse("def f(complex, cc):\n    cc._checked = True\n"
                     "    return complex._hom, self._hom, obj.__dict__\n")
    assert sorted(text for _, _, text in _private_accesses(tree)) == ["cc._checked",
                                                                      "complex._hom"]
    assert "_checked" not in _defined_private_names(tree)  # setting it defines nothing
    assert "_hom" in DEFINED["polytopo.complex.cells"]
    assert "_hom" not in DEFINED["polytopo.analysis.rank"]
