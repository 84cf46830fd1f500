"""The picture of training dynamics (:mod:`polytopo.analysis.training`): regions and loss,
and the Betti numbers of the decision sets, per checkpoint."""

__all__ = ["plot_track"]

from ..runtime.outputs import save_figure
from .common import pyplot


def _betti(entries):
    return [e["rank"] for e in entries]


def plot_track(report, path=None, *, title=None):
    """Draw regions and loss (top) and Betti numbers of the decision sets (bottom).

    Parameters
    ----------
    report : dict
        From :func:`polytopo.analysis.training.track`.
    path : str or Path, optional
        Save the picture here (PNG, SVG, PDF by the suffix), written atomically by
        :func:`polytopo.runtime.outputs.save_figure` (150 dpi), which closes the figure.
    title : str, optional
        Default the number of checkpoints.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> from polytopo.analysis.training import track
    >>> from polytopo.network import Network
    >>> nets = [Network.from_lists([([[1], [-1]], [0, 0]), ([[1, 1]], [b])]) for b in (1, -1)]
    >>> plot_track(track(nets, losses=[0.5, 0.25])).axes[0].get_title()
    'training dynamics: 2 checkpoints'
    """
    plt = pyplot()
    cps = report["checkpoints"]
    have_x = all("x" in c for c in cps)
    xs = [c["x"] if have_x else c["index"] for c in cps]
    xlabel = (report.get("x_name") or "x") if have_x else "checkpoint"
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(7.5, 6.5), sharex=True)
    top.plot(xs, [c["n_regions"] for c in cps], "o-", color="C0", label="activation regions")
    top.set_ylabel("activation regions (exact)", color="C0")
    if all("loss" in c for c in cps):
        ax2 = top.twinx()
        losses = [c["loss"] for c in cps]
        ax2.plot(xs, losses, "s--", color="C3", label="loss")
        ax2.set_ylabel("loss", color="C3")
        if min(losses) > 0 and max(losses) / min(losses) > 20:
            ax2.set_yscale("log")
    styles = {"positive": ("C2", "{f ≥ 0}"), "negative": ("C1", "{f ≤ 0}"),
              "domain": ("0.5", "domain complex")}
    d = report["input_dim"]
    for s in ("positive", "negative"):
        if not all(s in c["homology"] for c in cps):
            continue
        colour, name = styles[s]
        for k, marker in zip(range(d), "o^sD"):
            b = [_betti(c["homology"][s])[k] for c in cps]
            if any(b):
                bottom.plot(xs, b, marker=marker, linestyle="-" if s == "positive" else ":",
                            color=colour, label=f"β{k} {name}")
    bottom.set_ylabel("Betti numbers (exact)")
    bottom.set_xlabel(xlabel)
    if have_x and min(xs) >= 0 and max(xs) > 0 and len(xs) > 2 and \
            max(xs) / max(min(x for x in xs if x > 0), 1e-12) > 50:
        bottom.set_xscale("symlog", linthresh=max(min(x for x in xs if x > 0), 1e-12))
    bottom.legend(loc="best", fontsize=8)
    bottom.yaxis.get_major_locator().set_params(integer=True)
    top.set_title(title or f"training dynamics: {len(cps)} checkpoints")
    fig.tight_layout()
    if path is not None:
        save_figure(fig, path, dpi=150)
    return fig
