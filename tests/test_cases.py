"""Reference cases: polytopo against answers known from mathematics (cases/regions/*.json).

Each case file (written by cases/generate.py, described in cases/README.md) gives a network,
a domain and expected values derived from a formula or a hand argument. Here we check
polytopo's regions against them and re-check, with exact arithmetic written in this file,
the hypotheses the arguments rest on ("premises": general position, every minimal flat of
the arrangement meets the open box, ...). Nothing here trusts polytopo to check polytopo:
patterns are re-evaluated and domain membership re-tested with plain Fractions.
"""

import importlib.util
import itertools
import json
import os
from collections import Counter
from fractions import Fraction

import pytest

from polytopo.network.model import Network
from polytopo.geometry.polytope import Polytope
from polytopo.regions.traversal import regions

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CASE_DIR = os.path.join(ROOT, "cases", "regions")


def _load_cases():
    out = []
    for fname in sorted(os.listdir(CASE_DIR)):
        if fname.endswith(".json"):
            with open(os.path.join(CASE_DIR, fname)) as fh:
                out.append(json.load(fh))
    return out


CASES = _load_cases()


def _params():
    return [pytest.param(c, id=c["name"], marks=[pytest.mark.slow] if c.get("slow") else [])
            for c in CASES]


# ---- exact helpers, independent of polytopo ---------------------------------------------
def q(v):
    """A JSON number of the case files (int, 'p/q' or decimal string) as a Fraction."""
    if isinstance(v, bool) or isinstance(v, float):
        raise TypeError(f"case files hold exact numbers only, got {v!r}")
    return Fraction(v)


def layers_of(net_json):
    return [([[q(x) for x in row] for row in L["weights"]], [q(x) for x in L["biases"]])
            for L in net_json["layers"]]


def pattern_at(net_json, x):
    """Signs of every hidden pre-activation at x (layer-major), by direct evaluation."""
    h = [q(v) for v in x]
    signs = []
    for W, b in layers_of(net_json)[:-1]:
        z = [sum((w * v for w, v in zip(row, h)), bi) for row, bi in zip(W, b)]
        signs += ["+" if v > 0 else "-" if v < 0 else "0" for v in z]
        h = [max(v, Fraction(0)) for v in z]
    return "".join(signs)


def domain_of(case, d):
    """(A, b) of the domain as Fractions, plus the box bounds (lo, hi) when it is a box."""
    dom = case["domain"]
    if "box" in dom:
        lo, hi = dom["box"]
        lo = [q(v) for v in lo] if isinstance(lo, list) else [q(lo)] * d
        hi = [q(v) for v in hi] if isinstance(hi, list) else [q(hi)] * d
        A, b = [], []
        for i in range(d):
            e = [Fraction(int(i == j)) for j in range(d)]
            A += [[-x for x in e], e]
            b += [-lo[i], hi[i]]
        return A, b, (lo, hi)
    return [[q(x) for x in row] for row in dom["A"]], [q(x) for x in dom["b"]], None


def rank(rows):
    """Exact rank by Gaussian elimination."""
    rows = [list(r) for r in rows]
    r = 0
    ncols = len(rows[0]) if rows else 0
    for c in range(ncols):
        piv = next((i for i in range(r, len(rows)) if rows[i][c] != 0), None)
        if piv is None:
            continue
        rows[r], rows[piv] = rows[piv], rows[r]
        for i in range(len(rows)):
            if i != r and rows[i][c] != 0:
                f = rows[i][c] / rows[r][c]
                rows[i] = [x - f * y for x, y in zip(rows[i], rows[r])]
        r += 1
    return r


def affine_flat(A, rhs):
    """For independent rows A: a point p and a basis N of {x : A x = rhs} = p + span N."""
    d = len(A[0])
    M = [list(row) + [v] for row, v in zip(A, rhs)]
    pivots, r = [], 0
    for c in range(d):
        piv = next((i for i in range(r, len(M)) if M[i][c] != 0), None)
        if piv is None:
            continue
        M[r], M[piv] = M[piv], M[r]
        M[r] = [x / M[r][c] for x in M[r]]
        for i in range(len(M)):
            if i != r and M[i][c] != 0:
                f = M[i][c]
                M[i] = [x - f * y for x, y in zip(M[i], M[r])]
        pivots.append(c)
        r += 1
    assert r == len(A), "rows are not independent"
    free = [c for c in range(d) if c not in pivots]
    p = [Fraction(0)] * d
    for i, c in enumerate(pivots):
        p[c] = M[i][d]
    N = []
    for f in free:
        v = [Fraction(0)] * d
        v[f] = Fraction(1)
        for i, c in enumerate(pivots):
            v[c] = -M[i][f]
        N.append(v)
    return p, N


def strict_system_feasible(G, beta):
    """Whether {s : G s < beta} (all strict) is non-empty, by Fourier-Motzkin elimination."""
    rows = [(list(g), bt) for g, bt in zip(G, beta)]
    k = len(G[0]) if G else 0
    for j in range(k):
        pos = [(g, bt) for g, bt in rows if g[j] > 0]
        neg = [(g, bt) for g, bt in rows if g[j] < 0]
        rows = [(g, bt) for g, bt in rows if g[j] == 0]
        for (g1, b1), (g2, b2) in itertools.product(pos, neg):
            l1, l2 = -g2[j], g1[j]                # positive multipliers
            rows.append(([l1 * x + l2 * y for x, y in zip(g1, g2)], l1 * b1 + l2 * b2))
    return all(bt > 0 for _, bt in rows)


def hyperplanes(case):
    """The non-constant neurons of the first layer, as (a, c): a.x + c = 0."""
    W, b = layers_of(case["network"])[0]
    return [(a, c) for a, c in zip(W, b) if any(a)]


# ---- premises --------------------------------------------------------------------------
def check_general_position(case, d):
    H = hyperplanes(case)
    n = len(H)
    k = min(n, d)
    for S in itertools.combinations(H, k):
        assert rank([a for a, _ in S]) == k, f"normals {S} are dependent"
    for S in itertools.combinations(H, d + 1):
        assert rank([a + [c] for a, c in S]) == d + 1, f"hyperplanes {S} share a point"


def check_central_generic(case, d):
    H = hyperplanes(case)
    assert all(c == 0 for _, c in H)
    k = min(len(H), d)
    for S in itertools.combinations(H, k):
        assert rank([a for a, _ in S]) == k


def check_minimal_flats_meet_open_box(case, d, bounds):
    """Every minimal flat of the arrangement meets the open box, so every region of R^d
    (whose closure contains a minimal flat) meets the box in a full-dimensional set."""
    assert bounds is not None, "this premise is stated for box domains"
    lo, hi = bounds
    H = hyperplanes(case)
    r = rank([a for a, _ in H])
    n_flats = 0
    for S in itertools.combinations(H, r):
        A = [a for a, _ in S]
        if rank(A) < r:
            continue
        p, N = affine_flat(A, [-c for _, c in S])
        n_flats += 1
        if not N:
            assert all(l < x < h for l, x, h in zip(lo, p, hi)), f"vertex {p} not inside the box"
            continue
        # x = p + N^T s must satisfy lo < x < hi
        G, beta = [], []
        for i in range(d):
            row = [v[i] for v in N]
            G += [row, [-x for x in row]]
            beta += [hi[i] - p[i], p[i] - lo[i]]
        assert strict_system_feasible(G, beta), f"flat through {p} misses the open box"
    assert n_flats > 0


PREMISES = {"general_position": lambda c, d, bounds: check_general_position(c, d),
            "central_generic": lambda c, d, bounds: check_central_generic(c, d),
            "minimal_flats_meet_open_box": check_minimal_flats_meet_open_box}


# ---- the tests ---------------------------------------------------------------------------
def test_cases_exist_and_are_well_formed():
    assert len(CASES) >= 25
    names = [c["name"] for c in CASES]
    assert len(set(names)) == len(names)
    for c in CASES:
        assert {"name", "description", "source", "network", "domain", "expected"} <= set(c)
        assert {"n_regions", "volume_total"} <= set(c["expected"])
        assert set(c.get("premises", [])) <= set(PREMISES)


def test_case_files_match_the_generator():
    """The JSON files are exactly what cases/generate.py writes (no hand edits drift)."""
    spec = importlib.util.spec_from_file_location("cases_generate",
                                                  os.path.join(ROOT, "cases", "generate.py"))
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    gen.CASES.clear()
    gen.build()
    assert [c["name"] for c in sorted(gen.CASES, key=lambda c: c["name"])] == \
        [c["name"] for c in CASES]
    by_name = {c["name"]: c for c in CASES}
    for c in gen.CASES:
        assert json.loads(json.dumps(c)) == by_name[c["name"]], c["name"]


@pytest.mark.parametrize("case", _params())
def test_premises(case):
    d = Network.from_json(case["network"]).input_dim
    _, _, bounds = domain_of(case, d)
    for name in case.get("premises", []):
        PREMISES[name](case, d, bounds)


@pytest.mark.parametrize("case", _params())
def test_reference_case(case):
    net = Network.from_json(case["network"])
    d = net.input_dim
    A, b, bounds = domain_of(case, d)
    exp = case["expected"]
    total = q(exp["volume_total"])
    if bounds is not None:
        lo, hi = bounds
        domain = Polytope.box(lo, hi)
        box_vol = Fraction(1)
        for l, h in zip(lo, hi):
            box_vol *= h - l
        assert total == box_vol
    else:
        domain = Polytope.from_lists(A, b)
        assert domain.volume() == total

    found = regions(net, domain, volumes=True)
    pats = [r.pattern for r in found]

    assert len(found) == exp["n_regions"], f"{len(found)} regions, expected {exp['n_regions']}"
    assert len(set(pats)) == len(pats), "two regions share a pattern"
    assert sum(r.volume for r in found) == total
    for r in found:
        assert r.volume > 0
        x = r.interior_point
        assert all(sum((ai * xi for ai, xi in zip(row, x)), Fraction(0)) < bi
                   for row, bi in zip(A, b)), f"interior point {x} not inside the domain"
        assert pattern_at(case["network"], x) == r.pattern

    if "patterns" in exp:
        assert sorted(pats) == sorted(exp["patterns"])
    if "region_volumes" in exp:
        assert sorted(r.volume for r in found) == sorted(q(v) for v in exp["region_volumes"])
    if "volumes_by_pattern" in exp:
        vol = {r.pattern: r.volume for r in found}
        for p, v in exp["volumes_by_pattern"].items():
            assert p in vol, f"no region with pattern {p}"
            assert vol[p] == q(v), f"region {p}: volume {vol[p]}, expected {v}"
    if "ranks" in exp:
        assert Counter(r.rank for r in found) == Counter(exp["ranks"])
    rel = exp.get("sign_relations", {})
    flip = {"+": "-", "-": "+", "0": "0"}
    for p in pats:
        for i, j in rel.get("equal", []):
            assert p[i] == p[j], (p, i, j)
        for i, j in rel.get("opposite", []):
            assert p[i] == flip[p[j]] and p[i] != "0", (p, i, j)
        for i, s in rel.get("constant", {}).items():
            assert p[int(i)] == s, (p, i, s)
