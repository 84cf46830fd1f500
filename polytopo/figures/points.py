"""Points in a picture of regions: the points that span a slice, or data points with their
labels, drawn over :func:`polytopo.figures.network_plot.plot_network`."""

__all__ = ["mark_points", "plot_slice"]


def mark_points(ax, points, labels=None, *, names=None, size=30):
    """Draw 2-D points on a matplotlib ``ax``.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    points : sequence of pairs of numbers
        Exact (``Fraction``) or float coordinates, in the picture's coordinates.
    labels : sequence, optional
        One label per point: points are coloured by label (one colour per label, with a
        legend); without labels they are black with white edges.
    names : sequence of str, optional
        A short text beside each point (``p0, p1, p2`` for the points of a slice).
    size : float, default 30
        The marker area, in points squared.

    Returns
    -------
    matplotlib.axes.Axes
        ``ax``.

    Examples
    --------
    >>> from fractions import Fraction
    >>> from polytopo.figures.common import pyplot
    >>> fig, ax = pyplot().subplots()
    >>> _ = mark_points(ax, [(0, 0), (Fraction(1, 2), 1)], names=["p0", "p1"])
    >>> [t.get_text() for t in ax.texts], len(ax.collections)
    (['p0', 'p1'], 1)
    >>> _ = mark_points(ax, [(0, 1), (1, 0)], labels=[3, 7])
    >>> [t.get_text() for t in ax.get_legend().get_texts()]
    ['label 3', 'label 7']
    >>> pyplot().close(fig)
    """
    import matplotlib

    xs = [float(p[0]) for p in points]
    ys = [float(p[1]) for p in points]
    if labels is None:
        ax.scatter(xs, ys, s=size, color="black", edgecolors="white", linewidths=0.8,
                   zorder=5)
    else:
        labels = list(labels)
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
    return ax


def plot_slice(network, slice_, path=None, **options):
    """The regions of ``network`` on a 2-dimensional slice, in slice coordinates ``t``.

    :func:`~polytopo.figures.network_plot.plot_network` of the composed network
    :meth:`slice_.compose(network) <polytopo.geometry.slice.Slice.compose>` on the
    slice's polytope, with the points spanning the slice marked when it was spanned by
    points (``p0`` at ``t = 0``, ``p1`` at ``t = e_1``, ``p2`` at ``t = e_2``).

    Parameters
    ----------
    network : Network
        The network on its own input space (``slice_.ambient_dim`` inputs).
    slice_ : Slice
        A 2-dimensional (or 1-dimensional) slice.
    path : str, optional
        Where to save the picture.
    **options
        Passed to :func:`~polytopo.figures.network_plot.plot_network` (``max_regions``).

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> from polytopo.geometry.slice import Slice
    >>> from polytopo.network.model import Network
    >>> net = Network.from_lists([([[1, 0, 1], [0, 1, -1]], [0, "-1/2"]), ([[1, -1]], [0])])
    >>> fig = plot_slice(net, Slice.through([[0, 0, 0], [1, 0, 0], [0, 1, 1]]))
    >>> ax = fig.axes[0]
    >>> [t.get_text() for t in ax.texts], ax.get_xlabel()
    (['p0', 'p1', 'p2'], 't1 (slice coordinate)')
    """
    from ..runtime.outputs import save_figure
    from .network_plot import plot_network

    fig = plot_network(slice_.compose(network), slice_.polytope, **options)
    ax = fig.axes[0]
    if slice_.through_points is not None and slice_.dim == 2:
        mark_points(ax, [(0, 0), (1, 0), (0, 1)], names=["p0", "p1", "p2"])
    ax.set_xlabel("t1 (slice coordinate)")
    if slice_.dim == 2:
        ax.set_ylabel("t2 (slice coordinate)")
    if path is not None:
        save_figure(fig, path, dpi=150)   # and closes it
    return fig
