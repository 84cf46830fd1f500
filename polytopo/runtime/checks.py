"""Argument checks shared by the public functions: a one-line error at the entry, not a crash deep inside.

Wrong Python types raise :class:`TypeError`; values of the right type that make no sense
(out of range, wrong dimension, a limit that is NaN or not positive) raise
:class:`~polytopo.exceptions.InputError`. Every message is one line, phrased like the
command line's (``max_regions must be a positive integer, got 0``).

Only generic checks live here (integers, limits, callbacks, executors, indices, arrays);
the checks of an object live with it, in its own layer:
:func:`polytopo.geometry.polytope.check_polytope` (``check_domain``, ``check_manifold``),
:func:`polytopo.network.model.check_network` and :meth:`polytopo.network.Network.check_layer`,
:func:`polytopo.complex.cells.check_complex` (``check_cell``, ``check_subcomplex``).
"""

__all__ = ["IndexInputError", "show", "check_positive_int", "check_nonnegative_int",
           "check_time_limit", "check_executor", "check_callable", "check_index",
           "check_points", "check_real_sequence"]

import math
import numbers

from ..exceptions import IndexInputError, InputError


def _kind(value):
    return type(value).__name__


def show(value, limit=60):
    """A one-line, short ``repr`` of ``value`` for an error message.

    >>> import numpy as np
    >>> show(np.zeros((2, 2)))
    'array([[0., 0.], [0., 0.]])'
    """
    text = " ".join(repr(value).split())
    return text if len(text) <= limit else text[:limit - 3] + "..."


def _is_int(value):
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def check_positive_int(name, value, *, optional=True):
    """``value`` as an ``int`` ≥ 1 (``None`` allowed when ``optional``); booleans are refused.

    >>> check_positive_int("max_regions", 0)
    Traceback (most recent call last):
    ...
    polytopo.exceptions.InputError: max_regions must be a positive integer, got 0
    """
    return _check_int(name, value, 1, "a positive integer", optional)


def check_nonnegative_int(name, value, *, optional=True):
    """``value`` as an ``int`` ≥ 0 (``None`` allowed when ``optional``); booleans are refused."""
    return _check_int(name, value, 0, "a non-negative integer", optional)


def _check_int(name, value, minimum, what, optional):
    if value is None and optional:
        return None
    if not _is_int(value):
        raise TypeError(f"{name} must be {what}, got {_kind(value)} {show(value)}")
    if value < minimum:
        raise InputError(f"{name} must be {what}, got {show(value)}")
    return int(value)


def check_time_limit(value, name="time_limit"):
    """``value`` as a positive finite number of seconds, or ``None`` (no limit).

    >>> check_time_limit(float("nan"))
    Traceback (most recent call last):
    ...
    polytopo.exceptions.InputError: time_limit must be a positive finite number of seconds, got nan
    """
    if value is None:
        return None
    if not isinstance(value, numbers.Real) or isinstance(value, bool):
        raise TypeError(f"{name} must be a number of seconds, got {_kind(value)} {show(value)}")
    if not math.isfinite(value) or value <= 0:
        raise InputError(f"{name} must be a positive finite number of seconds, got {show(value)}")
    return value


def check_executor(executor, name="executor"):
    """``executor`` after checking it is ``None`` or has ``.submit`` (a concurrent.futures executor)."""
    if executor is not None and not callable(getattr(executor, "submit", None)):
        raise TypeError(f"{name} must be a concurrent.futures executor (with .submit), "
                        f"got {_kind(executor)}")
    return executor


def check_callable(name, value):
    """``value`` after checking it is ``None`` or callable (a progress callback)."""
    if value is not None and not callable(value):
        raise TypeError(f"{name} must be callable, got {_kind(value)}")
    return value


def check_index(i, n, what):
    """``i`` as an ``int`` with ``0 ≤ i < n``; ``what`` names the kind of thing indexed.

    >>> check_index(5, 2, "top cell")
    Traceback (most recent call last):
    ...
    polytopo.exceptions.IndexInputError: no top cell 5: there are 2
    """
    if not _is_int(i):
        raise TypeError(f"a {what} index must be an integer, got {_kind(i)} {show(i)}")
    if not 0 <= i < n:
        raise IndexInputError(f"no {what} {i}: there are {n}")
    return int(i)


def check_points(points, name="points"):
    """``points`` as a finite float64 array of shape ``(n, m)``, ``m ≥ 1`` (a point cloud:
    data, or a layer's embedding of it); an :class:`InputError` otherwise.

    >>> check_points([[0, 1], [2, 3]]).tolist()
    [[0.0, 1.0], [2.0, 3.0]]
    >>> check_points([1, 2, 3])
    Traceback (most recent call last):
    ...
    polytopo.exceptions.InputError: points must be an array of shape (n, m) with m >= 1, got shape (3,)
    """
    import numpy as np

    try:
        X = np.asarray(points, dtype=np.float64)
    except (ValueError, TypeError):
        raise InputError(f"{name} must be a numeric array of shape (n, m)") from None
    if X.ndim != 2 or X.shape[1] < 1:
        raise InputError(f"{name} must be an array of shape (n, m) with m >= 1, got shape "
                         f"{X.shape}")
    if not np.all(np.isfinite(X)):
        raise InputError(f"{name} must be finite (no NaN or infinity)")
    return X


def check_real_sequence(values, name, hint=""):
    """``values`` as a flat float64 array (NaN and ±inf kept: the caller decides), or an
    :class:`InputError` ending in ``hint`` for anything that is not a flat sequence of
    real numbers.

    >>> check_real_sequence((1, 2.5), "complexities").tolist()
    [1.0, 2.5]
    >>> check_real_sequence([[1]], "thresholds", " (one per layer)")
    Traceback (most recent call last):
    ...
    polytopo.exceptions.InputError: thresholds must be a flat sequence of numbers (one per layer)
    """
    import numpy as np

    try:
        b = np.asarray(values)
    except (ValueError, TypeError):
        raise InputError(f"{name} must be a flat sequence of numbers") from None
    if b.ndim != 1 or (b.size and b.dtype.kind not in "biuf"):
        raise InputError(f"{name} must be a flat sequence of numbers{hint}")
    return b.astype(np.float64)
