"""Baselines that polytopo's enumeration is measured against (benchmarks only).

- ``naive_exact``: depth-first search over neuron signs, one exact LP (cddlib GMP) per sign
  prefix — the simplest exact method.
- ``float_traversal``: polytopo's layer-wise traversal with floating-point LPs (SciPy HiGHS);
  fast but uncertified: its counts can be wrong on degenerate nets.
"""

import numpy as np
from scipy.optimize import linprog

from polytopo.geometry import lp


def naive_exact(network, domain):
    """Number of regions by DFS over neuron signs, one exact LP per sign prefix.

    Constraints are carried down the search path and each layer's affine maps are
    computed once per prefix that completes a layer, so the cost is the LPs, not overhead:
    a fair simple exact method.
    """
    widths = network.widths
    count = 0
    # stack entries: (prefix, A, b, maps of the current layer, index in layer, layer)
    M, c = network.preactivation_maps("")
    stack = [("", list(domain.A), list(domain.b), M, c, 0, 0)]
    while stack:
        prefix, A, b, M, c, j, layer = stack.pop()
        if j == widths[layer]:
            if layer + 1 == len(widths):
                count += 1
                continue
            M, c = network.preactivation_maps(prefix)
            stack.append((prefix, A, b, M, c, 0, layer + 1))
            continue
        m, c0 = M[j], c[j]
        if not any(m):  # constant neuron: its sign is decided, no LP
            stack.append((prefix + ("+" if c0 >= 0 else "-"), A, b, M, c, j + 1, layer))
            continue
        for s, row, rhs in (("-", m, -c0), ("+", tuple(-x for x in m), c0)):
            A2, b2 = A + [row], b + [rhs]
            if lp.interior_point(A2, b2) is not None:
                stack.append((prefix + s, A2, b2, M, c, j + 1, layer))
    return count


def _float_interior(A, b):
    A = np.asarray(A, dtype=float)
    b = np.asarray(b, dtype=float)
    d = A.shape[1]
    res = linprog(np.r_[np.zeros(d), -1.0], A_ub=np.c_[A, np.ones(len(A))], b_ub=b,
                  bounds=[(None, None)] * d + [(None, 1.0)], method="highs")
    if res.status != 0 or -res.fun <= 1e-9:
        return None
    return res.x[:d]


def float_traversal(network, domain):
    """Number of regions by the layer-wise traversal with float LPs (no certification)."""
    cells = [("", [list(map(float, r)) for r in domain.A], [float(v) for v in domain.b])]
    for _ in network.widths:
        nxt = []
        for prefix, A, b in cells:
            M, c = network.preactivation_maps(prefix)
            sub = [("", A, b)]
            for m, c0 in zip(M, c):
                m, c0 = [float(v) for v in m], float(c0)
                out = []
                for s, sA, sb in sub:
                    if not any(m):
                        out.append((s + ("+" if c0 >= 0 else "-"), sA, sb))
                        continue
                    for side, row, rhs in (("+", [-v for v in m], c0), ("-", m, -c0)):
                        if _float_interior(sA + [row], sb + [rhs]) is not None:
                            out.append((s + side, sA + [row], sb + [rhs]))
                sub = out
            nxt += [(prefix + s, sA, sb) for s, sA, sb in sub]
        cells = nxt
    return len(cells)
