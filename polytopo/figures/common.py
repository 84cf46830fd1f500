"""What every picture needs: matplotlib's pyplot, without a display when polytopo owns
the figure; pictures are saved by :func:`polytopo.runtime.outputs.save_figure`."""

__all__ = ["pyplot"]

from ..exceptions import InputError


def pyplot(*, own_figure=True):
    """``matplotlib.pyplot``, with the non-interactive Agg backend when ``own_figure``
    (polytopo makes the figure; a caller's ``ax`` keeps the caller's backend).

    Raises
    ------
    InputError
        When matplotlib (the ``plot`` extra) is not installed.

    Examples
    --------
    >>> pyplot().__name__
    'matplotlib.pyplot'
    """
    try:
        import matplotlib

        if own_figure:
            matplotlib.use("Agg", force=False)
        import matplotlib.pyplot as plt
    except ImportError:  # pragma: no cover - depends on the environment
        raise InputError("pictures need the 'plot' extra: pip install 'polytopo[plot]'") from None
    return plt
