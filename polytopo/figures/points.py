"""Data points in a picture of regions: the points that span a slice, data sets with
their labels (drawn over :func:`polytopo.figures.network_plot.plot_network`)."""

__all__ = ["mark_points", "plot_slice"]


def mark_points(ax, points, labels=None, *, names=None, size=30):
    """Draw 2-D points (exact or float) on ``ax``: coloured by ``labels`` when given
    (one colour per label, with a legend), else black with white edges; ``names`` writes
    a short text beside each point (e.g. ``p0, p1, p2`` for the points of a slice)."""
    import matplotlib

    xs = [float(p[0]) for p in points]
    ys = [float(p[1]) for p in points]
    if labels is None:
        ax.scatter(xs, ys, s=size, color="black", edgecolors="white", linewidths=0.8,
                   zorder=5)
    else:
        cmap = matplotlib.colormaps["tab10"]
        kinds = sorted(set(labels), key=str)
        for i, k in enumerate(kinds):
            sel = [j for j, lab in enumerate(labels) if lab == k]
            ax.scatter([xs[j] for j in sel], [ys[j] for j in sel], s=size, color=cmap(i % 10),
                       edgecolors="black", linewidths=0.5, zorder=5, label=f"label {k}")
        ax.legend(loc="lower right", fontsize="small")
    for x, y, name in zip(xs, ys, names or ()):
        ax.annotate(name, (x, y), textcoords="offset points", xytext=(5, 5), fontsize=9,
                    zorder=6)


def plot_slice(network, slice_, path=None, **options):
    """:func:`~polytopo.figures.network_plot.plot_network` of a network composed with a
    2-dimensional slice, in slice coordinates ``t``, with the points spanning it marked
    (``p0`` at ``t = 0``, ``p_j`` at ``t = e_j``); saved to ``path`` when given."""
    from ..runtime.outputs import save_figure
    from .network_plot import plot_network

    fig = plot_network(slice_.compose(network), slice_.polytope, **options)
    ax = fig.axes[0]
    if slice_.through_points is not None and slice_.dim == 2:
        mark_points(ax, [(0, 0), (1, 0), (0, 1)], names=["p0", "p1", "p2"])
    ax.set_xlabel("t1 (slice coordinate)")
    ax.set_ylabel("t2 (slice coordinate)")
    if path is not None:
        save_figure(fig, path, dpi=150)
    return fig
