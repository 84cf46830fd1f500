"""polytopo's exact property verdicts against Marabou's (docs/verify.md).

Runs ``polytopo.analysis.verify.check_property`` and Marabou (``maraboupy``, optional:
``pip install maraboupy``) on the same small VNN-LIB properties — generic and degenerate
ReLU networks, properties that hold with equality on the boundary, disjunctions, a margin
of ``10^-12`` — and prints, per property, both verdicts, both times and, where they
differ, why. Marabou works in double precision with tolerances, so a property that is
met only with equality, or missed by less than its tolerance, may get the other answer;
polytopo's verdict comes with an exact witness that is checked, or is decided by exact
LPs.

    python bench/bench_verifiers.py            # a table on stdout
    python bench/bench_verifiers.py --json R.json

Without maraboupy (or when it cannot run here) the table says so, with the error, and
still gives polytopo's verdicts.
"""

import argparse
import json
import sys
import time
import warnings
from fractions import Fraction
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from polytopo.analysis.verify import check_property  # noqa: E402
from polytopo.network.model import Network  # noqa: E402
from polytopo.network.vnnlib import parse_vnnlib  # noqa: E402

ABS = Network.from_lists([([[1], [-1]], [0, 0]), ([[1, 1]], [0])])           # |x|
IDENT = Network.from_lists([([[1], [-1]], [0, 0]), ([[1, -1]], [0])])        # x
# duplicate, scaled duplicate, dead and zero neurons; hyperplanes through the corners
DEGENERATE = Network.from_lists([([[1, -1], [1, -1], [2, -2], [0, 0], [1, 1], [0, 1]],
                                  [0, 0, 0, -1, 0, -5]),
                                 ([[1, 1, "1/2", 3, -1, 7]], ["1/4"])])
# the bundled annulus 1/4 - | |x| + |y| - 1/2 |, deep (2-4-2-1)
RING = Network.from_lists([
    ([[1, 0], [-1, 0], [0, 1], [0, -1]], [0, 0, 0, 0]),
    ([[1, 1, 1, 1], [-1, -1, -1, -1]], ["-1/2", "1/2"]),
    ([[-1, -1]], ["1/4"])])
# cancellation: 10^6 (relu(x + 10^-6) - relu(x)) is exactly 1 for x >= 0
TINY = Network.from_lists([([[1], [1]], ["1/1000000", 0]), ([[1000000, -1000000]], [0])])


def vnnlib(n, m, box, body):
    head = "".join(f"(declare-const X_{i} Real)\n" for i in range(n))
    head += "".join(f"(declare-const Y_{j} Real)\n" for j in range(m))
    head += "".join(f"(assert (>= X_{i} {lo}))\n(assert (<= X_{i} {hi}))\n"
                    for i, (lo, hi) in enumerate(box))
    return head + body


SQUARE = [("-1", "1"), ("-1", "1")]
CASES = [
    ("abs >= 1 (equality at the boundary)", ABS, vnnlib(1, 1, [("-1", "1")], "(assert (>= Y_0 1))")),
    ("abs >= 1 + 1e-12", ABS, vnnlib(1, 1, [("-1", "1")], "(assert (>= Y_0 1.000000000001))")),
    ("abs <= 0 (only x = 0)", ABS, vnnlib(1, 1, [("-1", "1")], "(assert (<= Y_0 0))")),
    ("abs <= -1e-12", ABS, vnnlib(1, 1, [("-1", "1")], "(assert (<= Y_0 -0.000000000001))")),
    ("x = relu(x)-relu(-x) >= 0.1 on [0, 0.1]", IDENT,
     vnnlib(1, 1, [("0", "0.1")], "(assert (>= Y_0 0.1))")),
    ("x >= 0.1 + 1e-12 on [0, 0.1]", IDENT,
     vnnlib(1, 1, [("0", "0.1")], "(assert (>= Y_0 0.100000000001))")),
    ("degenerate: f >= max f", DEGENERATE, None),
    ("degenerate: f >= max f + 1e-9", DEGENERATE, None),
    ("ring: f >= 1/4 (on the diamond |x|+|y| = 1/2)", RING,
     vnnlib(2, 1, SQUARE, "(assert (>= Y_0 0.25))")),
    ("ring: f >= 1/4 + 1e-12", RING, vnnlib(2, 1, SQUARE, "(assert (>= Y_0 0.250000000001))")),
    ("ring: disjunction of two corners", RING,
     vnnlib(2, 1, SQUARE, "(assert (or (and (<= Y_0 -1.25) (>= X_0 0.5)) "
                          "(and (>= Y_0 0.25) (>= X_0 0.25) (>= X_1 0.25))))")),
    ("cancellation: 10^6 (relu(x+1e-6) - relu(x)) <= 0.999999 on [0, 1]", TINY,
     vnnlib(1, 1, [("0", "1")], "(assert (<= Y_0 0.999999))")),
]


def _fill_degenerate():
    from polytopo.analysis.verify import output_range
    from polytopo.geometry.polytope import Polytope

    (r,) = output_range(DEGENERATE, Polytope.cube(2))
    top = f"{float(r.max)!r}"
    assert Fraction(top) == r.max
    for i, (name, net, text) in enumerate(CASES):
        if net is DEGENERATE and text is None:
            bound = f"(+ {top} 0.000000001)" if "1e-9" in name else top
            CASES[i] = (name, net, vnnlib(2, 1, SQUARE, f"(assert (>= Y_0 {bound}))"))


def polytopo_verdict(net, prop):
    t = time.perf_counter()
    v = check_property(net, prop)
    return v, time.perf_counter() - t


def marabou_available():
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from maraboupy import Marabou, MarabouCore  # noqa: F401
        return None
    except Exception as e:  # noqa: BLE001 - report whatever stops it
        return f"{type(e).__name__}: {e}"


def marabou_verdict(net, prop, timeout=60):
    """Marabou's answer on the same query, built directly (floats: Marabou's arithmetic)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from maraboupy import Marabou, MarabouCore
    q = MarabouCore.InputQuery()
    n_vars = [0]

    def new():
        n_vars[0] += 1
        return n_vars[0] - 1

    xs = [new() for _ in range(net.input_dim)]
    layers, h = [], xs
    for li, (W, b) in enumerate(zip(net.weights, net.biases)):
        last = li == len(net.weights) - 1
        pre = [new() for _ in W]
        post = pre if last else [new() for _ in W]
        layers.append((W, b, h, pre, post))
        h = post
    ys = h
    q.setNumberOfVariables(n_vars[0])
    for i, v in enumerate(xs):
        q.setLowerBound(v, float(prop.lower[i]))
        q.setUpperBound(v, float(prop.upper[i]))
    for W, b, inputs, pre, post in layers:
        for row, bi, p, f in zip(W, b, pre, post):
            e = MarabouCore.Equation()
            for w, v in zip(row, inputs):
                if w:
                    e.addAddend(float(w), v)
            e.addAddend(-1.0, p)
            e.setScalar(-float(bi))
            q.addEquation(e)
            if f != p:
                MarabouCore.addReluConstraint(q, p, f)
                q.setLowerBound(f, 0.0)

    def equation(c):
        e = MarabouCore.Equation(MarabouCore.Equation.LE)
        for a, v in list(zip(c.x, xs)) + list(zip(c.y, ys)):
            if a:
                e.addAddend(float(a), v)
        e.setScalar(float(c.bound))
        return e

    for c in prop.input_constraints:
        q.addEquation(equation(c))
    if len(prop.disjuncts) == 1:
        for c in prop.disjuncts[0]:
            q.addEquation(equation(c))
    else:
        MarabouCore.addDisjunctionConstraint(q, [[equation(c) for c in conj]
                                                 for conj in prop.disjuncts])
    options = Marabou.createOptions(verbosity=0, timeoutInSeconds=timeout)
    t = time.perf_counter()
    code, vals, _ = MarabouCore.solve(q, options, "")
    dt = time.perf_counter() - t
    x = [vals[v] for v in xs] if code == "sat" else None
    return code, x, dt


def why(exact, code, x, net, prop):
    if code not in ("sat", "unsat"):
        return f"Marabou gave {code}"
    if exact.verdict == code:
        return ""
    if code == "sat":
        xq = tuple(Fraction(v) for v in x)
        y = net.forward(xq) if all(lo <= v <= hi for lo, v, hi in
                                   zip(prop.lower, xq, prop.upper)) else None
        worst = None if y is None else min(
            max((c.value(xq, y) for c in conj), default=Fraction(0)) for conj in prop.disjuncts)
        return ("Marabou's point, evaluated exactly, violates the unsafe condition by "
                f"{float(worst):.3g} (a float tolerance)" if worst is not None else
                "Marabou's point lies outside the input box (by a float tolerance: "
                + ", ".join(f"{float(v - hi) if v > hi else float(v - lo):.3g}"
                            for lo, v, hi in zip(prop.lower, xq, prop.upper)
                            if not lo <= v <= hi) + ")")
    return ("Marabou missed a point that exists exactly (met with equality, or within its "
            "tolerance): polytopo's witness " + str([str(v) for v in exact.witness]))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--json", help="write the rows here")
    ap.add_argument("--timeout", type=int, default=60, help="Marabou's timeout per property (s)")
    args = ap.parse_args(argv)
    _fill_degenerate()
    missing = marabou_available()
    if missing:
        print(f"Marabou not run: maraboupy cannot be imported ({missing}); "
              f"pip install maraboupy")
    rows = []
    print(f"{'property':<60} {'polytopo':>8} {'time':>8} {'Marabou':>8} {'time':>8}  differs")
    for name, net, text in CASES:
        prop = parse_vnnlib(text, source=name)
        v, t = polytopo_verdict(net, prop)
        row = {"property": name, "polytopo": v.verdict, "polytopo_seconds": round(t, 4),
               "witness": None if v.witness is None else [str(a) for a in v.witness]}
        if missing:
            row.update({"marabou": None, "marabou_error": missing})
        else:
            try:
                code, x, mt = marabou_verdict(net, prop, args.timeout)
                row.update({"marabou": code, "marabou_seconds": round(mt, 4),
                            "marabou_point": x, "why": why(v, code, x, net, prop)})
            except Exception as e:  # noqa: BLE001 - a failure of the other tool is a result
                row.update({"marabou": "error", "marabou_error": f"{type(e).__name__}: {e}",
                            "why": "Marabou failed"})
        rows.append(row)
        m = row.get("marabou") or "-"
        mt = f"{row['marabou_seconds']:.3f}" if "marabou_seconds" in row else "-"
        print(f"{name[:60]:<60} {v.verdict:>8} {t:8.3f} {m:>8} {mt:>8}  {row.get('why', '')}")
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
