"""The picture of ``polytopo layers`` (:mod:`polytopo.analysis.layers`): every layer's
embedding, and its Betti numbers and curvature layer by layer."""

__all__ = ["plot_layers"]

import numpy as np

from ..analysis.embeddings import principal_projection
from ..runtime.outputs import save_figure
from .common import pyplot


def plot_layers(report, embeddings, path=None, *, labels=None):
    """Draw the simplification: each layer's embedding, Betti numbers and curvature by layer.

    Top row: every layer's embedding projected onto its first two principal axes,
    coloured by label. Bottom: Betti numbers and complexity per layer; mean Forman
    curvature (divided by its absolute value at the input) and total geodesic length
    ``g_ℓ / g_0`` per layer, one curve per scale ``k``.

    Parameters
    ----------
    report : dict
        From :func:`polytopo.analysis.layers.layers_report`.
    embeddings : sequence of ndarray
        The layers' embeddings (same points and order as the report).
    path : str or Path, optional
        Save the picture here (PNG at 100 dpi, or SVG, PDF by the suffix), written
        atomically by :func:`polytopo.runtime.outputs.save_figure`, which closes the figure.
    labels : array_like, optional
        Class labels of the points (colours).

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import os, tempfile
    >>> import numpy as np
    >>> from polytopo.network import Network
    >>> from polytopo.analysis.embeddings import layer_embeddings
    >>> from polytopo.analysis.layers import layers_report
    >>> net = Network.from_lists([([[1, 0], [0, 1]], [0, 0]), ([[1, 1]], [0])])
    >>> t = np.linspace(0, 2 * np.pi, 60, endpoint=False)
    >>> X = np.c_[np.cos(t), np.sin(t)]
    >>> rep = layers_report(net, X, resolution=8, k=[3])
    >>> path = os.path.join(tempfile.mkdtemp(), "layers.svg")
    >>> fig = plot_layers(rep, [H for _, H in layer_embeddings(net, X)], path)
    >>> open(path).read().lstrip().startswith("<?xml")
    True
    """
    plt = pyplot()
    layers = report["layers"]
    n = len(layers)
    fig = plt.figure(figsize=(max(12, 2.4 * n), 7.5))
    outer = fig.add_gridspec(2, 1, height_ratios=[1, 1.1], hspace=0.4)
    top = outer[0].subgridspec(1, n)
    bottom = outer[1].subgridspec(1, 3, wspace=0.35)
    colours = None if labels is None else np.unique(np.asarray(labels), return_inverse=True)[1]
    for i, (L, H) in enumerate(zip(layers, embeddings)):
        ax = fig.add_subplot(top[0, i])
        Y, _ = principal_projection(H, 2)
        Y = Y if Y.shape[1] == 2 else np.c_[Y, np.zeros(len(Y))]
        ax.scatter(Y[:, 0], Y[:, 1], s=3, c=colours, cmap="tab10" if colours is not None else None,
                   linewidths=0)
        ax.set_title(f"{L['name']} ({L['width']})\nBetti {tuple(L['betti_numbers'])}", fontsize=9)
        ax.set_xticks([])
        ax.set_yticks([])
    idx = np.arange(n)
    names = [L["name"] for L in layers]
    ax = fig.add_subplot(bottom[0, 0])
    for d in range(max(len(L["betti_numbers"]) for L in layers) - 1):
        ax.plot(idx, [L["betti_numbers"][d] if d < len(L["betti_numbers"]) else 0
                      for L in layers], marker="o", label=f"$b_{d}$")
    tc = report["topological_complexity"]
    ax.plot(idx, tc["values"], "k--", marker="s", label="complexity $\\sum_k b_k$")
    if tc["per_class_values"] is not None:
        ax.plot(idx, tc["per_class_values"], "k:", marker="D", label="complexity, classes summed")
    ax.set_yscale("symlog")
    rate = tc["decay_rate"]
    ax.set_title("Betti numbers (voxelised, exact)"
                 + (f"\ndecay rate {rate:.2f} per layer" if rate is not None else ""), fontsize=9)
    ax.legend(fontsize=7)
    ax_f = fig.add_subplot(bottom[0, 1])
    ax_g = fig.add_subplot(bottom[0, 2])
    for s in report["ricci"]["scales"]:
        k = str(s["k"])
        mean = np.array([L["curvature"][k]["forman_mean"] for L in layers], dtype=float)
        rho = f" ($\\rho$={s['coefficient']:+.2f})" if s["coefficient"] is not None else ""
        ax_f.plot(idx, mean / abs(mean[0]) if mean[0] else mean, marker="o", label=f"k={k}{rho}")
        g = [L["curvature"][k]["geodesic_sum"] for L in layers]
        if all(v is not None for v in g):
            ax_g.plot(idx, np.array(g, float) / g[0], marker="^", label=f"k={k}")
    ax_f.set_title("mean Forman-Ricci curvature of the k-NN graph\n(relative to |input|)",
                   fontsize=9)
    ax_g.set_title("total geodesic length $g_\\ell / g_0$", fontsize=9)
    for a in (ax, ax_f, ax_g):
        a.set_xticks(idx, names, rotation=25, fontsize=8)
    if ax_f.get_lines():
        ax_f.legend(fontsize=7)
    if ax_g.get_lines():
        ax_g.legend(fontsize=7)
    else:
        ax_g.text(0.5, 0.5, "k-NN graphs disconnected:\nincrease k", ha="center", va="center",
                  transform=ax_g.transAxes, fontsize=9)
    fig.suptitle(f"Network({report['network']['architecture']}) on "
                 f"{report['data']['n_points']} points", fontsize=11)
    if path is not None:
        save_figure(fig, path, dpi=100)
    return fig
