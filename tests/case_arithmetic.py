"""Arithmetic of the reference-case tests, independent of polytopo: a network object of
docs/formats.md evaluated with plain Fractions, and the case files of a ``cases/``
folder."""

import json
import os
from fractions import Fraction

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def evaluate(net_json, x):
    """The network's outputs at ``x`` (a list), with plain Fractions: ReLU between the
    affine layers, none after the last."""
    h = [Fraction(v) for v in x]
    layers = net_json["layers"]
    for i, L in enumerate(layers):
        z = [sum((Fraction(w) * v for w, v in zip(row, h)), Fraction(b))
             for row, b in zip(L["weights"], L["biases"])]
        h = z if i == len(layers) - 1 else [max(v, Fraction(0)) for v in z]
    return h


def load_cases(folder):
    """The case files ``cases/<folder>/*.json``, in name order."""
    where = os.path.join(ROOT, "cases", folder)
    return [json.load(open(os.path.join(where, f))) for f in sorted(os.listdir(where))
            if f.endswith(".json")]


def generator_script(name):
    """The module ``cases/<name>.py`` (a case generator, standard library only)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(name, os.path.join(ROOT, "cases", name + ".py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod
