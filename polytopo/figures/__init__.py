"""Pictures: matplotlib figures of regions and of the analyses' results.

The analyses (:mod:`polytopo.analysis`) compute; the modules here draw their results:
:func:`plot_network` (regions of a 1- or 2-input network), and one module per analysis
(:mod:`~polytopo.figures.dual_graph`, :mod:`~polytopo.figures.experiments`,
:mod:`~polytopo.figures.layers`, :mod:`~polytopo.figures.training`). Every picture is
saved by :func:`polytopo.runtime.outputs.save_figure`.
"""

from .network_plot import plot_network

__all__ = ["plot_network"]
