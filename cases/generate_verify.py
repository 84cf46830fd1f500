"""Generate the verification reference cases in ``cases/verify/`` from mathematics.

Run ``python cases/generate_verify.py``; it rewrites every ``cases/verify/*.json`` and
``cases/verify/README.md`` deterministically. Each case is a network whose function is known
in closed form (``|x|``, ``‖x‖₁``, the ring ``1/4 − | ‖x‖₁ − 1/2 |``, a sawtooth, duplicated
neurons, a rotation), so its exact output range, its Lipschitz constants and the verdicts of
its VNN-LIB properties follow by hand; each answer's argument is in ``source``. This script
never imports polytopo; ``tests/test_cases_verify.py`` checks polytopo against the files.

Case file format:

    {"name", "description", "source",
     "network": network object (docs/formats.md), "domain": {"box": [LO, HI]},
     "expected": {"output_range": [{"min": "p/q", "max": "p/q"}, …],        one per output
                  "lipschitz": {"linf": "p/q", "l1": "p/q", "l2_squared": "p/q"}},
                  (l2_squared is the true squared spectral constant; where polytopo reports
                   bounds only, the test checks that they contain it)
     "properties": [{"name", "source", "vnnlib": text, "verdict": "sat" | "unsat",
                     "unsafe": [conjunction, …]}]}

A conjunction is a list of constraints ``{"terms": {"X_0" | "Y_1" | …: "p/q"}, "op": "<=" |
">=", "rhs": "p/q"}``, the same condition as the VNN-LIB text (input bounds included), so the
test can check a ``sat`` witness with its own arithmetic.
"""

import os
import sys
from fractions import Fraction

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "verify")
sys.path.insert(0, HERE)

from generate_decision import ring, tent_layers, write_cases  # noqa: E402  (standard library only)

CASES = []


def net(layers, d):
    return {"format": "polytopo.network/1", "input_dim": d, "layers": layers}


def s(v):
    """An exact number as the case files write it."""
    v = Fraction(v)
    return str(v.numerator) if v.denominator == 1 else f"{v.numerator}/{v.denominator}"


def dec(v):
    """An exact number as a VNN-LIB decimal literal (every value here is a finite decimal)."""
    v = Fraction(v)
    sign = "-" if v < 0 else ""
    v = abs(v)
    whole, rest = divmod(v.numerator, v.denominator)
    if rest == 0:
        return f"{sign}{whole}"
    digits = ""
    for _ in range(40):
        rest *= 10
        q, rest = divmod(rest, v.denominator)
        digits += str(q)
        if rest == 0:
            break
    assert rest == 0, f"{v} is not a finite decimal"
    return f"{sign}{whole}.{digits}"


def con(terms, op, rhs):
    return {"terms": {k: s(v) for k, v in terms.items()}, "op": op, "rhs": s(rhs)}


def _term(terms):
    parts = []
    for name, c in terms.items():
        c = Fraction(c)
        parts.append(name if c == 1 else f"(* {dec(c)} {name})")
    return parts[0] if len(parts) == 1 else "(+ " + " ".join(parts) + ")"


def _atom(c):
    return f"({c['op']} {_term({k: Fraction(v) for k, v in c['terms'].items()})} {dec(c['rhs'])})"


def prop(name, source, verdict, box, conjunctions, n_out):
    """A property: the input box ``box = [(lo, hi), …]`` and the unsafe disjunction."""
    d = len(box)
    lines = [f"; {name}: {source}"]
    lines += [f"(declare-const X_{i} Real)" for i in range(d)]
    lines += [f"(declare-const Y_{i} Real)" for i in range(n_out)]
    bounds = []
    for i, (lo, hi) in enumerate(box):
        lines += [f"(assert (>= X_{i} {dec(lo)}))", f"(assert (<= X_{i} {dec(hi)}))"]
        bounds += [con({f"X_{i}": 1}, ">=", lo), con({f"X_{i}": 1}, "<=", hi)]
    if len(conjunctions) == 1:
        lines += [f"(assert {_atom(c)})" for c in conjunctions[0]]
    else:
        alts = " ".join("(and " + " ".join(_atom(c) for c in k) + ")" for k in conjunctions)
        lines.append(f"(assert (or {alts}))")
    return {"name": name, "source": source, "vnnlib": "\n".join(lines) + "\n",
            "verdict": verdict, "unsafe": [bounds + k for k in conjunctions]}


def case(name, description, source, network, box, ranges, lipschitz, properties):
    CASES.append({"name": name, "description": description, "source": source,
                  "network": network, "domain": {"box": [s(box[0]), s(box[1])]},
                  "expected": {"output_range": [{"min": s(a), "max": s(b)} for a, b in ranges],
                               "lipschitz": {k: s(v) for k, v in lipschitz.items()}},
                  "properties": properties})


Y = "Y_0"


def build():
    CASES.clear()
    # |x| = relu(x) + relu(-x) on [-1, 2]
    absn = net([{"weights": [[1], [-1]], "biases": [0, 0]},
                {"weights": [[1, 1]], "biases": [0]}], 1)
    B = [(-1, 2)]
    case("abs_1d", "f(x) = |x| = relu(x) + relu(-x) on [-1, 2]",
         "|x| on [-1, 2] has minimum 0 at x = 0 and maximum 2 at x = 2; its slope is -1 or 1, "
         "so every Lipschitz constant is 1 (and its square 1)",
         absn, (-1, 2), [(0, 2)], {"linf": 1, "l1": 1, "l2_squared": 1}, [
             prop("reaches_zero", "|x| <= 0 only at x = 0, inside the box: sat, with equality",
                  "sat", B, [[con({Y: 1}, "<=", 0)]], 1),
             prop("below_zero", "|x| >= 0 everywhere, so |x| <= -10^-12 never holds: unsat",
                  "unsat", B, [[con({Y: 1}, "<=", Fraction(-1, 10**12))]], 1),
             prop("reaches_max", "|x| >= 2 on [-1, 2] only at x = 2, a corner of the box: sat",
                  "sat", B, [[con({Y: 1}, ">=", 2)]], 1),
             prop("above_max", "|x| <= 2 on [-1, 2]: |x| >= 2 + 10^-12 is unsat",
                  "unsat", B, [[con({Y: 1}, ">=", 2 + Fraction(1, 10**12))]], 1),
             prop("left_branch", "x <= -1/2 and |x| >= 3/2 needs x <= -3/2 < -1: unsat",
                  "unsat", B, [[con({"X_0": 1}, "<=", Fraction(-1, 2)),
                                con({Y: 1}, ">=", Fraction(3, 2))]], 1),
         ])

    # ||x||_1 on [-1, 1]^3
    d = 3
    W1 = [[sg if j == i else 0 for j in range(d)] for i in range(d) for sg in (1, -1)]
    l1n = net([{"weights": W1, "biases": [0] * 6}, {"weights": [[1] * 6], "biases": [0]}], d)
    B = [(-1, 1)] * 3
    case("l1_norm_3d", "f(x) = |x_1| + |x_2| + |x_3| on [-1, 1]^3 (six coordinate halves)",
         "min 0 at the origin, max 3 at the corners; on each orthant the gradient is a sign "
         "vector (±1, ±1, ±1): ||grad||_1 = 3 (linf), ||grad||_inf = 1 (l1), ||grad||_2^2 = 3",
         l1n, (-1, 1), [(0, 3)], {"linf": 3, "l1": 1, "l2_squared": 3}, [
             prop("corner", "||x||_1 >= 3 with x <= 0: the corner (-1, -1, -1): sat", "sat", B,
                  [[con({Y: 1}, ">=", 3)] + [con({f"X_{i}": 1}, "<=", 0) for i in range(3)]], 1),
             prop("small_but_far", "x_1 >= 3/5 forces ||x||_1 >= 3/5 > 1/2: unsat", "unsat", B,
                  [[con({"X_0": 1}, ">=", Fraction(3, 5)), con({Y: 1}, "<=", Fraction(1, 2))]],
                  1),
             prop("plane", "x_1 + x_2 + x_3 >= 3/2 and ||x||_1 <= 3/2: on the plane's "
                  "triangle in the positive orthant (e.g. (1/2, 1/2, 1/2)): sat", "sat", B,
                  [[con({"X_0": 1, "X_1": 1, "X_2": 1}, ">=", Fraction(3, 2)),
                    con({Y: 1}, "<=", Fraction(3, 2))]], 1),
         ])

    # the ring 1/4 - | ||x||_1 - 1/2 | on [-1, 1]^2
    B = [(-1, 1)] * 2
    case("ring_2d", "f(x) = 1/4 - | |x_1| + |x_2| - 1/2 | on [-1, 1]^2 (the bundled annulus)",
         "with s = ||x||_1 in [0, 2]: f = 1/4 - |s - 1/2| is largest, 1/4, on s = 1/2 and "
         "smallest, 1/4 - 3/2 = -5/4, at s = 2 (the corners); on every region the gradient is "
         "±(±1, ±1): linf 2, l1 1, l2^2 2",
         ring(2), (-1, 1), [(Fraction(-5, 4), Fraction(1, 4))],
         {"linf": 2, "l1": 1, "l2_squared": 2}, [
             prop("above_max_or_corner", "f >= 1/4 + 10^-12 never; f <= -5/4 only at the "
                  "corners, where |x_2| = 1 > 9/10: unsat", "unsat", B,
                  [[con({Y: 1}, ">=", Fraction(1, 4) + Fraction(1, 10**12))],
                   [con({Y: 1}, "<=", Fraction(-5, 4)), con({"X_1": 1}, "<=", Fraction(9, 10)),
                    con({"X_1": 1}, ">=", Fraction(-9, 10))]], 1),
             prop("crest_point", "f >= 1/4 means ||x||_1 = 1/2; with x_1 >= 1/2 only "
                  "(1/2, 0): sat", "sat", B,
                  [[con({Y: 1}, ">=", Fraction(1, 4)), con({"X_0": 1}, ">=", Fraction(1, 2))]],
                  1),
             prop("hole_or_corner", "f >= 0 means 1/4 <= ||x||_1 <= 3/4: the first "
                  "conjunction asks it at x_1 >= 4/5 (||x||_1 >= 4/5: impossible), the second "
                  "f <= -5/4 (||x||_1 = 2) at x_1 <= -1: the corners (-1, ±1): sat", "sat", B,
                  [[con({Y: 1}, ">=", 0), con({"X_0": 1}, ">=", Fraction(4, 5))],
                   [con({Y: 1}, "<=", Fraction(-5, 4)), con({"X_0": 1}, "<=", -1)]], 1),
         ])

    # duplicated, scaled-duplicate and opposite neurons: one hyperplane x = y through two
    # corners of the box
    dup = net([{"weights": [[1, -1], [1, -1], [2, -2], [-1, 1]], "biases": [0, 0, 0, 0]},
               {"weights": [[1, 1, 1, -1]], "biases": [0]}], 2)
    case("duplicate_neurons_2d",
         "f = relu(x - y) + relu(x - y) + relu(2x - 2y) - relu(y - x) = 4 relu(x - y) - "
         "relu(y - x) on [-1, 1]^2: four neurons, one hyperplane x = y through the corners "
         "(-1, -1) and (1, 1)",
         "u = x - y ranges over [-2, 2]; f = 4u for u >= 0 (max 8 at (1, -1)), f = u for "
         "u <= 0 (min -2 at (-1, 1)); gradients (4, -4) and (1, -1): linf 8, l1 4, l2^2 32",
         dup, (-1, 1), [(-2, 8)], {"linf": 8, "l1": 4, "l2_squared": 32}, [
             prop("minimum", "f <= -2 only at (-1, 1): sat", "sat", [(-1, 1)] * 2,
                  [[con({Y: 1}, "<=", -2)]], 1),
             prop("on_the_fold", "f = 0 exactly on x = y; with x >= 1/2: sat (e.g. "
                  "(1/2, 1/2))", "sat", [(-1, 1)] * 2,
                  [[con({Y: 1}, ">=", 0), con({Y: 1}, "<=", 0),
                    con({"X_0": 1}, ">=", Fraction(1, 2))]], 1),
             prop("off_the_fold", "f >= 0 means x >= y; with y >= x + 1/10 never: unsat",
                  "unsat", [(-1, 1)] * 2,
                  [[con({Y: 1}, ">=", 0), con({"X_1": 1, "X_0": -1}, ">=", Fraction(1, 10))]],
                  1),
         ])

    # the sawtooth t^3 on [0, 1]
    saw = net(tent_layers(3, 1) + [{"weights": [[2, -4]], "biases": [0]}], 1)
    case("sawtooth_L3", "f = t^3, t(u) = 2 relu(u) - 4 relu(u - 1/2) (the tent map), on [0, 1]",
         "t^3 is a zigzag with 8 pieces of slope ±8 between 0 (at x = k/4) and 1 (at x = "
         "odd/8): range [0, 1], every Lipschitz constant 8, l2^2 64",
         saw, (0, 1), [(0, 1)], {"linf": 8, "l1": 8, "l2_squared": 64}, [
             prop("peak_in_window", "f >= 1 at x = 3/8 in [3/10, 2/5]: sat", "sat",
                  [(Fraction(3, 10), Fraction(2, 5))], [[con({Y: 1}, ">=", 1)]], 1),
             prop("no_peak_in_window", "the peaks are 1/8, 3/8, 5/8, 7/8, none in "
                  "[3/10, 7/20]: f >= 1 there is unsat", "unsat",
                  [(Fraction(3, 10), Fraction(7, 20))], [[con({Y: 1}, ">=", 1)]], 1),
             prop("steep", "on [0, 1/8] f = 8x; f >= 1 - 10^-12 needs x >= 1/8 - 1/(8 10^12), "
                  "inside the window [0, 1/8]: sat", "sat", [(0, Fraction(1, 8))],
                  [[con({Y: 1}, ">=", 1 - Fraction(1, 10**12))]], 1),
         ])

    # a constant output shift from a constant neuron, and a dead neuron
    const = net([{"weights": [[1], [0], [0]], "biases": [0, 2, -1]},
                 {"weights": [[1, 3, 5]], "biases": [0]}], 1)
    case("dead_and_constant_1d",
         "f = relu(x) + 3 relu(0 x + 2) + 5 relu(0 x - 1) = relu(x) + 6 on [-1, 1]: a "
         "constant neuron and a dead one",
         "f = 6 on [-1, 0], 6 + x on [0, 1]: range [6, 7], slopes 0 and 1: every Lipschitz "
         "constant 1",
         const, (-1, 1), [(6, 7)], {"linf": 1, "l1": 1, "l2_squared": 1}, [
             prop("floor", "f <= 6 on all of [-1, 0]: sat", "sat", [(-1, 1)],
                  [[con({Y: 1}, "<=", 6)]], 1),
             prop("below_floor", "f >= 6 everywhere: f <= 6 - 10^-12 is unsat", "unsat",
                  [(-1, 1)], [[con({Y: 1}, "<=", 6 - Fraction(1, 10**12))]], 1),
         ])

    # a rotation: (x + y, x - y) on [-1, 1]^2
    rot = net([{"weights": [[1, 0], [-1, 0], [0, 1], [0, -1]], "biases": [0] * 4},
               {"weights": [[1, -1, 1, -1], [1, -1, -1, 1]], "biases": [0, 0]}], 2)
    B = [(-1, 1)] * 2
    case("rotation_2d",
         "f(x, y) = (x + y, x - y) on [-1, 1]^2 through relu(±x), relu(±y) (four regions, "
         "one affine map)",
         "each output ranges over [-2, 2]; J = [[1, 1], [1, -1]] on every region: row and "
         "column 1-norms 2 (linf = l1 = 2), J^T J = 2 I so the squared spectral norm is 2",
         rot, (-1, 1), [(-2, 2), (-2, 2)], {"linf": 2, "l1": 2, "l2_squared": 2}, [
             prop("both_extreme", "Y_0 = 2 forces x = y = 1, where Y_1 = 0: Y_0 >= 2 and "
                  "Y_1 >= 10^-6 is unsat", "unsat", B,
                  [[con({"Y_0": 1}, ">=", 2), con({"Y_1": 1}, ">=", Fraction(1, 10**6))]], 2),
             prop("corner", "Y_0 + Y_1 = 2x >= 2 and Y_0 - Y_1 = 2y <= -2: the corner "
                  "(1, -1): sat", "sat", B,
                  [[con({"Y_0": 1, "Y_1": 1}, ">=", 2), con({"Y_0": 1, "Y_1": -1}, "<=", -2)]],
                  2),
             prop("order", "Y_1 >= Y_0 + 1/2 means -2y >= 1/2, y <= -1/4: sat", "sat", B,
                  [[con({"Y_1": 1, "Y_0": -1}, ">=", Fraction(1, 2))]], 2),
         ])
    return CASES


README = """# Verification reference cases

Networks whose function is known in closed form, with the exact output range, the exact
Lipschitz constants (∞-, 1- and squared 2-norm, the same norm on inputs and outputs) and the
verdicts of VNN-LIB properties (the file states the unsafe condition, as VNN-COMP does) derived
by hand; each answer's argument is in its `source`. Written by `cases/generate_verify.py`
(never imports polytopo; do not edit by hand), checked by `tests/test_cases_verify.py`: the
ranges and constants must be equal, every `argmin`/`argmax` must be a point of the domain where
the test's own exact evaluation gives the extreme, every verdict must match, and every `sat`
witness must satisfy one conjunction of `unsafe` by the test's own arithmetic. Where polytopo
reports bounds on the squared spectral constant (vector outputs), they must contain the true
value.

| case | outputs | range | linf | l1 | l2² | properties |
| --- | --- | --- | --- | --- | --- | --- |
"""


def main():
    built = build()
    write_cases(OUT, built)
    rows = []
    for c in built:
        e = c["expected"]
        rng = ", ".join(f"[{r['min']}, {r['max']}]" for r in e["output_range"])
        props = ", ".join(f"{p['name']} {p['verdict']}" for p in c["properties"])
        L = e["lipschitz"]
        rows.append(f"| `{c['name']}` | {len(e['output_range'])} | {rng} | {L['linf']} | "
                    f"{L['l1']} | {L['l2_squared']} | {props} |")
    with open(os.path.join(OUT, "README.md"), "w") as fh:
        fh.write(README + "\n".join(rows) + "\n")


if __name__ == "__main__":
    main()
