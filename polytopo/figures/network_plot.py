"""Pictures of the regions of a network (matplotlib, the optional ``plot`` extra).

Geometry is computed exactly (region polygons, the decision boundary, the positive set
clipped exactly); only the final drawing converts coordinates to floats.
"""

__all__ = ["plot_network", "clip_polygon", "convex_polygon_order", "chain_polylines"]

import hashlib
from fractions import Fraction

from ..exceptions import InputError, LimitExceeded
from ..runtime.outputs import save_figure
from .common import pyplot


def convex_polygon_order(points):
    """Order the vertices of a convex polygon counter-clockwise (exactly, no angles).

    Examples
    --------
    >>> convex_polygon_order([(0, 0), (1, 1), (1, 0), (0, 1)])
    [(0, 0), (1, 0), (1, 1), (0, 1)]
    """
    pts = sorted(set(tuple(Fraction(x) for x in p) for p in points))
    if len(pts) < 3:
        return [tuple(p) for p in pts]

    def cross(o, a, b):
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower, upper = [], []
    for p in pts:  # Andrew's monotone chain: exact for rational points
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    for p in reversed(pts):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    hull = lower[:-1] + upper[:-1]
    return [tuple(int(x) if x.denominator == 1 else x for x in p) for p in hull]


def clip_polygon(polygon, m, c):
    """The part of a convex polygon (ordered vertices) where ``m·x + c ≥ 0``, exactly.

    Examples
    --------
    >>> clip_polygon([(0, 0), (2, 0), (2, 2), (0, 2)], (1, 0), -1)
    [(Fraction(1, 1), Fraction(0, 1)), (2, 0), (2, 2), (Fraction(1, 1), Fraction(2, 1))]
    """
    out = []
    n = len(polygon)
    for i in range(n):
        p, q = polygon[i], polygon[(i + 1) % n]
        gp = sum(Fraction(a) * x for a, x in zip(m, p)) + c
        gq = sum(Fraction(a) * x for a, x in zip(m, q)) + c
        if gp >= 0:
            out.append(p)
        if (gp > 0 > gq) or (gp < 0 < gq):
            t = gp / (gp - gq)
            out.append(tuple(Fraction(a) + t * (Fraction(b) - Fraction(a)) for a, b in zip(p, q)))
    return out


def chain_polylines(chain):
    """The edge walks of a 1-chain of the report (``report["generators"][set][1][i]["chain"]``).

    Each edge ``{"coefficient": c, "vertices": [tail, head]}`` is walked ``|c|`` times, from
    tail to head when ``c > 0``; a cycle gives closed walks (first point repeated at the
    end), a relative cycle walks that start and end in ``A``. Coordinates stay exact.

    Examples
    --------
    >>> sq = [{"coefficient": 1, "vertices": [[0, 0], [1, 0]]},
    ...       {"coefficient": 1, "vertices": [[1, 0], [1, 1]]},
    ...       {"coefficient": -1, "vertices": [[0, 1], [1, 1]]},
    ...       {"coefficient": -1, "vertices": [[0, 0], [0, 1]]}]
    >>> [[tuple(map(str, p)) for p in w] for w in chain_polylines(sq)]
    [[('0', '0'), ('1', '0'), ('1', '1'), ('0', '1'), ('0', '0')]]
    """
    from ..topology.generators import walks_of_arcs

    return walks_of_arcs([(*(tuple(Fraction(x) for x in p) for p in entry["vertices"]),
                           entry["coefficient"]) for entry in chain])


def _draw_generators(ax, network, domain, which, max_regions):
    """Draw the 1-cycles generating ``H_1`` of a set (``which``; ``"auto"``: the positive
    set, or every class region), one colour per generator, over the picture."""
    from ..analysis.summary import analyze

    rep = analyze(network, domain, generators=True, max_regions=max_regions)
    gens = rep["generators"]
    if which == "auto":
        names = ["positive"] if "positive" in gens else \
            [w for w in gens if w.startswith("class_") and w != "class_boundary"]
    elif which in gens:
        names = [which]
    else:
        raise InputError(f"no set {which!r} with generators; the sets are "
                         f"{', '.join(gens)}", field="generators")
    cmap = __import__("matplotlib").colormaps["tab10"]
    i = 0
    each = sum(len(gens[w][1]) for w in names) <= 4  # a legend entry per generator
    for w in names:
        for j, g in enumerate(gens[w][1]):
            for n, walk in enumerate(chain_polylines(g["chain"])):
                label = None
                if n == 0 and (each or j == 0):
                    label = (f"{w}: H_1 generator {j + 1}" if each else
                             f"{w}: {len(gens[w][1])} generators of H_1")
                ax.plot([float(p[0]) for p in walk], [float(p[1]) for p in walk],
                        color=cmap(i % cmap.N), linewidth=2.6, solid_capstyle="round",
                        zorder=4, label=label)
            i += 1
    if i:
        ax.legend(loc="best", fontsize="small", framealpha=0.85)
    return i


def _colour(pattern):
    h = hashlib.sha256(pattern.encode()).digest()
    return (0.35 + 0.6 * h[0] / 255, 0.35 + 0.6 * h[1] / 255, 0.35 + 0.6 * h[2] / 255)


def plot_network(network, domain, path=None, *, regions=None, ax=None, title=None,
                 max_regions=None, generators=None):
    """Draw the regions of a 2-input network, or the graph of a 1-input network.

    2-D: regions coloured by activation pattern, region boundaries, the decision
    boundary ``f = 0`` (scalar output) in black, the positive set ``f ≥ 0`` hatched; for
    several outputs, the decision regions of the classes coloured by class over the
    outlined regions, and the decision boundary between classes in black.
    1-D: the graph of ``f`` with its breakpoints (region boundaries) marked.

    Parameters
    ----------
    network, domain : Network, Polytope
    path : str, optional
        Save the picture here (PNG, SVG, PDF by the suffix), written atomically by
        :func:`polytopo.runtime.outputs.save_figure` (150 dpi), which closes the figure.
    regions : list of Region, optional
        Already computed regions; computed if omitted.
    ax : matplotlib.axes.Axes, optional
        Draw into these axes (default a new figure).
    title : str, optional
        Default the network and its number of regions.
    max_regions : int, optional
        Stop with :class:`~polytopo.exceptions.LimitExceeded` (nothing drawn or written)
        when there are more regions than this.
    generators : str, optional
        2-input networks: also draw the 1-cycles generating ``H_1`` of this set of the
        report's ``"generators"`` (``"positive"``, ``"negative"``, ``"zero"``,
        ``"class_0"``, …, ``"low_rank"``, ``"pair"``; ``"auto"``: the positive set, or
        every class region), each as a coloured closed polyline (docs/generators.md).

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    InputError
        A network with other than 1 or 2 inputs, a bad ``path`` or picture format.
    LimitExceeded
        More than ``max_regions`` regions.

    Examples
    --------
    >>> from polytopo.network import Network
    >>> from polytopo.geometry.polytope import Polytope
    >>> net = Network.from_lists([([[1, 0], [0, 1]], [0, 0]), ([[1, 1]], ["-1/2"])])
    >>> plot_network(net, Polytope.cube(2)).axes[0].get_title()
    'Network(2-2-1): 4 regions'
    >>> plot_network(net, Polytope.cube(2), max_regions=3)
    Traceback (most recent call last):
    ...
    polytopo.exceptions.LimitExceeded: more than 3 regions ...
    """
    from ..runtime import checks

    plt = pyplot(own_figure=ax is None)
    if network.input_dim not in (1, 2):
        raise InputError(f"pictures are for 1- or 2-input networks (this one has "
                         f"{network.input_dim} inputs)")
    checks.check_positive_int("max_regions", max_regions)
    if regions is None:
        from ..regions.traversal import regions as enumerate_regions

        regions = enumerate_regions(network, domain, volumes=False, max_regions=max_regions)
    elif max_regions is not None and len(regions) > max_regions:
        raise LimitExceeded(f"more than {max_regions} regions")
    fig = None
    if ax is None:
        fig, ax = plt.subplots(figsize=(6, 6) if network.input_dim == 2 else (7, 4))
    else:
        fig = ax.figure
    scalar = network.output_dim == 1
    if network.input_dim == 2 and not scalar:
        _draw_classes(ax, network, domain, regions, max_regions)
    elif network.input_dim == 2:
        _draw_2d(ax, regions, scalar)
    else:
        _draw_1d(ax, network, regions)
    n_cycles = None
    if generators is not None:
        if network.input_dim != 2:
            raise InputError("generators are drawn on pictures of 2-input networks")
        n_cycles = _draw_generators(ax, network, domain, generators, max_regions)
    ax.set_title(title or f"{network!r}: {len(regions)} regions"
                 + ("" if scalar else f", {network.output_dim} classes")
                 + ("" if n_cycles is None else f", {n_cycles} generators of H_1"))
    if path is not None:
        save_figure(fig, path, dpi=150)
    return fig


def _draw_2d(ax, regions, scalar):
    from matplotlib.patches import Polygon as Patch

    for r in regions:
        poly = convex_polygon_order(r.polytope.vertices())
        fl = [(float(x), float(y)) for x, y in poly]
        ax.add_patch(Patch(fl, closed=True, facecolor=_colour(r.pattern), edgecolor="0.3",
                           linewidth=0.6))
        if not scalar:
            continue
        (m,), (c,) = r.maps[-1]
        pos = clip_polygon(poly, m, c)
        if len(pos) >= 3:
            ax.add_patch(Patch([(float(x), float(y)) for x, y in pos], closed=True,
                               fill=False, hatch="///", edgecolor="0.15", linewidth=0))
        zero = [p for p in pos if sum(a * x for a, x in zip(m, p)) + c == 0]
        if len(zero) >= 2 and any(m):
            zs = sorted(set(zero))
            ax.plot([float(zs[0][0]), float(zs[-1][0])], [float(zs[0][1]), float(zs[-1][1])],
                    color="black", linewidth=2)
    ax.autoscale_view()
    ax.set_aspect("equal")
    ax.set_xlabel("x1")
    ax.set_ylabel("x2")


def _draw_classes(ax, network, domain, regions, max_regions):
    """Regions outlined, the pieces of the complex refined by the class comparisons
    coloured by their maximal class (the first, where several tie on a whole piece), and
    the decision boundary (cells with two or more maximal classes) in black."""
    import numpy as np
    from matplotlib.patches import Patch as Key, Polygon as Patch

    from ..analysis.classes import class_complex, class_signs

    m = network.output_dim
    K = class_complex(network, domain, max_regions=None if max_regions is None
                      else 4 * max_regions)
    pts = K.vertices()
    top = class_signs(K, m, 2)
    ptr, idx = K.cell_vertices(2)
    cmap = __import__("matplotlib").colormaps["tab10" if m <= 10 else "tab20"]
    for i in range(K.n_regions):
        poly = convex_polygon_order([pts[v] for v in idx[ptr[i]:ptr[i + 1]]])
        cls = int(np.flatnonzero(top[i] >= 0)[0])
        ax.add_patch(Patch([(float(x), float(y)) for x, y in poly], closed=True,
                           facecolor=cmap(cls % cmap.N), alpha=0.55, linewidth=0))
    for r in regions:
        poly = convex_polygon_order(r.polytope.vertices())
        ax.add_patch(Patch([(float(x), float(y)) for x, y in poly], closed=True, fill=False,
                           edgecolor="0.3", linewidth=0.5))
    edges = class_signs(K, m, 1)
    ptr, idx = K.cell_vertices(1)
    on_edges = set()
    for e in np.flatnonzero((edges >= 0).sum(axis=1) >= 2):
        ends = idx[ptr[e]:ptr[e + 1]].tolist()
        on_edges.update(ends)
        a, b = (pts[v] for v in ends)
        ax.plot([float(a[0]), float(b[0])], [float(a[1]), float(b[1])], color="black",
                linewidth=2)
    ties = class_signs(K, m, 0)
    lone = [pts[v] for v in np.flatnonzero((ties >= 0).sum(axis=1) >= 2)
            if v not in on_edges]      # a tie at a single point
    if lone:
        ax.scatter([float(p[0]) for p in lone], [float(p[1]) for p in lone], color="black",
                   s=6, zorder=3)
    ax.legend(handles=[Key(facecolor=cmap(i % cmap.N), alpha=0.55, label=f"class {i}")
                       for i in range(m)], loc="upper right", fontsize="small")
    ax.autoscale_view()
    ax.set_aspect("equal")
    ax.set_xlabel("x1")
    ax.set_ylabel("x2")


def _draw_1d(ax, network, regions):
    xs = sorted({v[0] for r in regions for v in r.polytope.vertices()})
    ys = [network.forward([x])[0] if network.output_dim == 1 else network.forward([x])[0]
          for x in xs]
    ax.plot([float(x) for x in xs], [float(y) for y in ys], color="C0", linewidth=1.5)
    ax.scatter([float(x) for x in xs], [float(y) for y in ys], color="C3", s=12, zorder=3,
               label="breakpoints (region boundaries)")
    ax.axhline(0, color="0.6", linewidth=0.8)
    ax.set_xlabel("x")
    ax.set_ylabel("f(x)" if network.output_dim == 1 else "f(x)[0]")
    ax.legend(loc="best")
