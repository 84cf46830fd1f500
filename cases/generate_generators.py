"""Generate the homology-generator reference cases in ``cases/generators/`` from mathematics.

Run ``python cases/generate_generators.py``; it rewrites every ``cases/generators/*.json``
and ``cases/generators/README.md`` deterministically. Each case is a decision set whose shape
is known (an annulus, a square with one or four square holes, a diamond, an octahedral shell):
its Betti numbers, one point in each of its holes (each bounded component of the plane minus
the set) and a description of each of its components are derived by hand in ``source``. This
script never imports polytopo; ``tests/test_cases_generators.py`` checks polytopo's
generators against the files with its own arithmetic.

Case file format:

    {"name", "description", "source",
     "network": network object (docs/formats.md), "domain": {"box": [LO, HI]},
     "sets": {"positive" | "negative" | "zero" | "domain":
              {"betti": [b_0, b_1, …],
               "holes": [[x, y], …],          (2-D only: a point in each hole of the set)
               "components": [{"A": [[…]], "b": […]}, …],
               "rest": true | false}}}        (the components: the set's points in each closed
                                               polytope A x <= b, and, if "rest", one more
                                               component: the points in none of them)
"""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "generators")
sys.path.insert(0, HERE)

from generate_decision import disk, ring, squares, write_cases  # noqa: E402  (standard library only)

CASES = []


def diamond(c, r, d=2):
    """The closed L1 ball of radius r around c: every sign vector s gives s.(x - c) <= r."""
    A, b = [], []
    for mask in range(2 ** d):
        s = [1 if mask >> i & 1 else -1 for i in range(d)]
        A.append(s)
        b.append(str(sum(si * ci for si, ci in zip(s, c)) + r) if isinstance(r, int) else
                 _add(sum(si * ci for si, ci in zip(s, c)), r))
    return {"A": A, "b": b}


def _add(v, r):
    from fractions import Fraction
    t = Fraction(v) + Fraction(r)
    return str(t.numerator) if t.denominator == 1 else f"{t.numerator}/{t.denominator}"


def square(lo, hi):
    """The closed square [lo, hi]^2 (bounds as strings)."""
    return {"A": [[-1, 0], [1, 0], [0, -1], [0, 1]],
            "b": [_neg(lo[0]), hi[0], _neg(lo[1]), hi[1]]}


def _neg(v):
    return _add(0, "-" + v if not v.startswith("-") else v[1:])


def sset(betti, holes=(), components=(), rest=False):
    return {"betti": list(betti), "holes": [list(h) for h in holes],
            "components": list(components), "rest": rest}


def case(name, description, source, network, box, sets):
    CASES.append({"name": name, "description": description, "source": source,
                  "network": network, "domain": {"box": list(box)}, "sets": sets})


def build():
    CASES.clear()
    inner = diamond([0, 0], "1/4")
    case("ring_2d", "f = 1/4 - | |x| + |y| - 1/2 | on [-1, 1]^2 (the bundled annulus)",
         "with s = |x| + |y|: {f >= 0} = {1/4 <= s <= 3/4}, an annulus around the origin; "
         "{f <= 0} = {s <= 1/4} and {s >= 3/4}: a diamond and the square minus the open "
         "diamond s < 3/4 (two components, one hole: the open annulus 1/4 < s < 3/4, "
         "containing (1/2, 0)); {f = 0} = the two diamonds s = 1/4 and s = 3/4, whose "
         "holes are the open disk s < 1/4 (containing 0) and the open annulus between them "
         "(containing (1/2, 0))",
         ring(2), ["-1", "1"], {
             "domain": sset([1, 0], rest=True),
             "positive": sset([1, 1], [["0", "0"]], rest=True),
             "negative": sset([2, 1], [["1/2", "0"]], [inner], rest=True),
             "zero": sset([2, 2], [["0", "0"], ["1/2", "0"]], [inner], rest=True)})
    case("disk_2d", "f = 1/2 - |x| - |y| on [-1, 1]^2",
         "{f >= 0} is the diamond s <= 1/2 (contractible); {f <= 0} the square minus the open "
         "diamond, an annulus with the hole s < 1/2 around 0; {f = 0} the diamond's boundary, "
         "a circle around 0",
         disk(2), ["-1", "1"], {
             "positive": sset([1, 0], rest=True),
             "negative": sset([1, 1], [["0", "0"]], rest=True),
             "zero": sset([1, 1], [["0", "0"]], rest=True)})
    case("squares_L1", "f = min(t(x), t(y)) - 1/2 on [0, 1]^2, t the tent map",
         "t(u) >= 1/2 exactly for u in [1/4, 3/4], so {f >= 0} = [1/4, 3/4]^2; {f <= 0} is "
         "the unit square minus the open middle square (one hole, around (1/2, 1/2)); "
         "{f = 0} the middle square's boundary",
         squares(1), ["0", "1"], {
             "positive": sset([1, 0], rest=True),
             "negative": sset([1, 1], [["1/2", "1/2"]], rest=True),
             "zero": sset([1, 1], [["1/2", "1/2"]], rest=True)})
    lows = [("1/8", "3/8"), ("5/8", "7/8")]
    sq = [square((a[0], b[0]), (a[1], b[1])) for a in lows for b in lows]
    centres = [["1/4", "1/4"], ["1/4", "3/4"], ["3/4", "1/4"], ["3/4", "3/4"]]
    case("squares_L2", "f = min(t^2(x), t^2(y)) - 1/2 on [0, 1]^2, t the tent map",
         "t^2(u) >= 1/2 exactly for u in [1/8, 3/8] or [5/8, 7/8], so {f >= 0} is four closed "
         "squares (four components); {f <= 0} is the unit square minus their interiors: "
         "connected, a hole around each centre (1/4 or 3/4, 1/4 or 3/4); {f = 0} the four "
         "squares' boundaries: four circles, one around each centre",
         squares(2), ["0", "1"], {
             "positive": sset([4, 0], [], sq),
             "negative": sset([1, 4], centres, rest=True),
             "zero": sset([4, 4], centres, sq)})
    case("shell_3d", "f = 1/4 - | |x| + |y| + |z| - 1/2 | on [-1, 1]^3",
         "with s = ||x||_1: {f >= 0} = {1/4 <= s <= 3/4}, a shell between two octahedra "
         "(beta = 1, 0, 1); {f <= 0} = {s <= 1/4} and {s >= 3/4}: a solid octahedron and "
         "the cube minus the open octahedron s < 3/4 (a shell: beta = 2, 0, 1); {f = 0} two octahedral spheres (beta = 2, 0, 2)",
         ring(3), ["-1", "1"], {
             "positive": sset([1, 0, 1], rest=True),
             "negative": sset([2, 0, 1], [], [diamond([0, 0, 0], "1/4", 3)], rest=True),
             "zero": sset([2, 0, 2], [], [diamond([0, 0, 0], "1/4", 3)], rest=True)})
    return CASES


README = """# Homology-generator reference cases

Decision sets whose shape is known: their Betti numbers, a point in each hole (2-D) and their
components, derived by hand in each case's `source`. Written by `cases/generate_generators.py`
(never imports polytopo; do not edit by hand), checked by `tests/test_cases_generators.py`,
which runs `analyze(..., generators=True)` and checks, with its own exact arithmetic:

- as many generators in each dimension as the Betti number (no torsion: these are subsets of
  R^d, d <= 3);
- every cell of every generator lies in its set (the network, evaluated with Fractions at the
  cell's vertices, has the set's sign there; it is affine on the cell);
- the `H_0` generators pick one point of each component (the components described here);
- in 2-D, every `H_1` generator is a cycle of oriented edges (`[tail, head]`: the boundary
  `sum c (head - tail)` vanishes), and the matrix of winding numbers of the generators around
  the holes' points is unimodular (determinant ±1): by Alexander duality the winding numbers
  around one point per hole identify `H_1` of a compact planar set with `Z^holes`, so the
  generators are a basis exactly when that matrix is invertible over Z.

| case | d | set | Betti numbers | holes |
| --- | --- | --- | --- | --- |
"""


def main():
    built = build()
    write_cases(OUT, built)
    rows = []
    for c in built:
        d = c["network"]["input_dim"]
        for name, st in c["sets"].items():
            holes = "; ".join("(" + ", ".join(h) + ")" for h in st["holes"]) or "-"
            rows.append(f"| `{c['name']}` | {d} | {name} | {st['betti']} | {holes} |")
    with open(os.path.join(OUT, "README.md"), "w") as fh:
        fh.write(README + "\n".join(rows) + "\n")


if __name__ == "__main__":
    main()
