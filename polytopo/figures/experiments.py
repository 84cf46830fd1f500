"""The picture of the low-rank experiments (:mod:`polytopo.analysis.experiments`)."""

__all__ = ["plot_experiment"]

from ..runtime.outputs import save_figure
from .common import pyplot


def plot_experiment(rows, path=None):
    """Low-rank fractions against width, one line per (input dimension, mean).

    Left: the fraction of regions that are low-rank; right: the fraction of the domain's
    volume (exact values, drawn as floats).

    Parameters
    ----------
    rows : list of dict
        From :func:`~polytopo.analysis.experiments.low_rank_experiment` and
        :func:`~polytopo.analysis.experiments.dale_experiment`.
    path : str or Path, optional
        Save the picture here (PNG at 130 dpi, or SVG, PDF by the suffix) with
        :func:`polytopo.runtime.outputs.save_figure`, which closes the figure.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> from polytopo.analysis.experiments import dale_experiment
    >>> fig = plot_experiment(dale_experiment(widths=[2, 3]))
    >>> [line.get_label() for line in fig.axes[0].get_lines()]
    ['d=2, Dale']
    """
    plt = pyplot()
    fig, axes = plt.subplots(1, 2, figsize=(10, 4))
    keys = sorted({(r["input_dim"], str(r["mean"])) for r in rows})
    for d, mean in keys:
        sel = sorted((r for r in rows if r["input_dim"] == d and str(r["mean"]) == mean),
                     key=lambda r: r["width"])
        ws = [r["width"] for r in sel]
        label = f"d={d}, " + ("Dale" if mean == "dale" else f"mean={mean}")
        axes[0].plot(ws, [float(r["low_rank_region_fraction"]) for r in sel], "o-", label=label)
        axes[1].plot(ws, [float(r["low_rank_volume_fraction"]) for r in sel], "o-", label=label)
    axes[0].set_title("fraction of regions that are low-rank")
    axes[1].set_title("fraction of domain volume that is low-rank (exact)")
    for ax in axes:
        ax.set_xlabel("width")
        ax.set_ylim(-0.02, 1.02)
        ax.legend(fontsize=8)
    if path is not None:
        save_figure(fig, path, dpi=130)
    return fig
