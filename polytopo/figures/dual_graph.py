"""The picture of a dual graph (:mod:`polytopo.analysis.dual_graph`): regions shaded by
their Fiedler-vector entry, the dual edges, and the decision boundary ``f = 0``."""

__all__ = ["plot_dual_graph"]

from ..analysis.dual_graph import dual_graph, fiedler_partition
from ..complex.build import canonical_complex
from ..exceptions import InputError
from ..runtime.outputs import save_figure
from .common import pyplot
from .network_plot import convex_polygon_order


def plot_dual_graph(network, domain, path=None, *, graph=None, partition=None, ax=None,
                    title=None):
    """Draw a 2-input network's regions coloured by Fiedler side, with the dual graph.

    Regions are shaded by their Fiedler-vector entry (blue negative, red positive: the
    partition is the change of hue); the decision boundary ``f = 0`` (scalar output) is
    drawn exactly in black; dual edges join interior points, red where they cross
    ``f = 0``, dashed where the Fiedler partition cuts them.

    Parameters
    ----------
    network, domain : Network, Polytope
    path : str, optional
        Save the picture here (PNG, SVG, PDF by the suffix), written atomically by
        :func:`polytopo.runtime.outputs.save_figure` (150 dpi), which closes the figure.
    graph, partition : optional
        Already computed :func:`~polytopo.analysis.dual_graph.dual_graph` and
        :func:`~polytopo.analysis.dual_graph.fiedler_partition`.
    ax : matplotlib.axes.Axes, optional
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> from polytopo.network import Network
    >>> from polytopo.geometry.polytope import Polytope
    >>> net = Network.from_lists([([[1, 0], [0, 1]], [0, 0]), ([[1, -1]], [0])])
    >>> plot_dual_graph(net, Polytope.cube(2)).axes[0].get_title()
    'Network(2-2-1): 4 regions, 4 dual edges'
    """
    plt = pyplot(own_figure=ax is None)
    from matplotlib.patches import Polygon as Patch

    if network.input_dim != 2:
        raise InputError(f"the picture is for 2-input networks (this one has "
                         f"{network.input_dim} inputs)")
    G = graph if graph is not None else dual_graph(network, domain)
    P = partition if partition is not None else (
        fiedler_partition(G) if G.number_of_nodes() >= 2 else None)
    sides = {} if P is None else dict(zip(P.nodes, P.sides))
    vec = {} if P is None else dict(zip(P.nodes, P.vector))
    scale = max((abs(x) for x in vec.values()), default=1.0) or 1.0
    C = canonical_complex(network, domain)
    pts = C.vertices()
    if ax is None:
        fig, ax = plt.subplots(figsize=(6.5, 6))
    else:
        fig = ax.figure
    cmap = plt.get_cmap("coolwarm")
    for v in G.nodes:
        poly = convex_polygon_order([pts[i] for i in C.vertices_of((2, v))])
        colour = cmap(0.5 + 0.45 * vec.get(v, 0.0) / scale)
        ax.add_patch(Patch([(float(x), float(y)) for x, y in poly], closed=True,
                           facecolor=colour, edgecolor="0.55", linewidth=0.5))
    if network.output_dim == 1:
        R = canonical_complex(network, domain, output=True)
        rp = R.vertices()
        for e in R.decision_subcomplex("zero")[1]:
            a, b = R.vertices_of((1, e))
            ax.plot([float(rp[a][0]), float(rp[b][0])], [float(rp[a][1]), float(rp[b][1])],
                    color="black", linewidth=2.2, zorder=3)
    xy = {v: tuple(float(x) for x in G.nodes[v]["interior_point"]) for v in G.nodes}
    for a, b, data in G.edges(data=True):
        red = data.get("crosses_boundary", False)
        cut = sides.get(a) != sides.get(b)
        ax.plot([xy[a][0], xy[b][0]], [xy[a][1], xy[b][1]],
                color="tab:red" if red else "0.25", linewidth=1.4 if red else 0.6,
                linestyle="--" if cut else "-", zorder=4)
    ax.scatter([p[0] for p in xy.values()], [p[1] for p in xy.values()], s=9, color="0.1",
               zorder=5)
    from matplotlib.lines import Line2D

    handles = [Line2D([], [], color="0.25", linewidth=0.6, label="dual edge"),
               Line2D([], [], color="0.25", linewidth=0.6, linestyle="--",
                      label="cut by the Fiedler partition"),
               Line2D([], [], color="tab:red", linewidth=1.4,
                      label="crosses f = 0 (signs at interior points)")]
    if network.output_dim == 1:
        handles.insert(0, Line2D([], [], color="black", linewidth=2.2,
                                 label="decision boundary f = 0 (exact)"))
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.09), ncol=2,
              fontsize=8, frameon=False)
    ax.autoscale_view()
    ax.set_aspect("equal")
    ax.set_xlabel("x1")
    ax.set_ylabel("x2")
    ax.set_title(title or f"{network!r}: {G.number_of_nodes()} regions, "
                          f"{G.number_of_edges()} dual edges")
    if path is not None:
        save_figure(fig, path, dpi=150)
    return fig
