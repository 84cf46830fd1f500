"""Integer Jacobians of a ReLU network's hidden layers on activation regions, and their
exact ranks for many regions at once."""

__all__ = ["integer_weights", "pattern_ranks", "pattern_jacobians"]

import numpy as np

from ..geometry.integer import float_bound, integer_layers, psd_ranks


#: regions per vectorized step of :func:`pattern_ranks` (bounded memory)
_CHUNK = 8192


def pattern_ranks(signs, weights, d):
    """Ranks of ``h_layer`` on every region at once, from the regions' hidden signs
    (``int8`` rows): the Jacobians ``D_ℓ W_ℓ ⋯ D_1 W_1`` (``D`` the 0/1 diagonals of the
    active neurons) are multiplied for all regions together, and the rank of each is that
    of its Gram matrix ``G = JᵀJ`` (equal over Q): for a positive semidefinite ``G`` the
    largest size of a nonzero principal minor (:func:`polytopo.geometry.integer.psd_ranks`:
    exact determinants, from size ``d`` down, only for the regions still undecided).

    Exact arithmetic: with ``R = Π_l max_i Σ_j |W_l[i, j]|`` every partial sum of every
    product is at most ``R`` in absolute value (a row of ``D W`` is a row of ``W`` or 0),
    and every partial sum of ``G`` at most ``width_ℓ · R²``. Below ``2**53`` the products
    run in float64 (BLAS), where integers that small are exact; below ``2**62`` in int64.
    None beyond that (the caller then works region by region, in Python ints)."""
    dtype = _product_dtype(weights, gram=True)
    if dtype is None:
        return None
    mats = [W.astype(dtype) for W in weights]
    out = np.zeros(len(signs), dtype=np.int64)
    for a in range(0, len(signs), _CHUNK):
        J = _stacked_jacobians(signs[a:a + _CHUNK], mats, d)
        G = np.einsum("ink,inl->nkl", J, J).astype(np.int64)
        out[a:a + len(G)] = psd_ranks(G)
    return out.tolist()


def pattern_jacobians(signs, weights, d):
    """The integer Jacobians ``D_ℓ W_ℓ ⋯ D_1 W_1`` of many regions at once, from their
    hidden signs (``int8`` rows), as an ``int64`` array ``(regions, width_ℓ, d)`` (the
    rows of inactive neurons zero), or None when a product could leave int64 (see
    :func:`pattern_ranks`; the caller then works region by region).

    >>> W1, W2 = np.array([[1, 0], [1, 1]]), np.array([[2, -1]])
    >>> pattern_jacobians(np.array([[1, 1, 1], [1, -1, 1]], dtype=np.int8), [W1, W2], 2).tolist()
    [[[1, -1]], [[2, 0]]]
    """
    dtype = _product_dtype(weights, gram=False)
    if dtype is None:
        return None
    mats = [W.astype(dtype) for W in weights]
    out = np.zeros((len(signs), weights[-1].shape[0] if weights else 0, d), dtype=np.int64)
    for a in range(0, len(signs), _CHUNK):
        J = _stacked_jacobians(signs[a:a + _CHUNK], mats, d)
        out[a:a + J.shape[1]] = J.transpose(1, 0, 2)
    return out


def _product_dtype(weights, gram):
    """float64 when every partial sum of the Jacobians (and of their Gram matrices, with
    ``gram``) stays below ``2**53``, int64 below ``2**62``, else None (see
    :func:`pattern_ranks`)."""
    if any(W.dtype == object for W in weights):
        return None
    bound = 1.0
    for W in weights:
        bound *= float_bound(np.abs(W).sum(axis=1).max(initial=0)) or 1.0
    if gram:
        bound = weights[-1].shape[0] * bound * bound
    if bound >= 2.0 ** 62:
        return None
    return np.float64 if bound < 2.0 ** 53 else np.int64


def _stacked_jacobians(signs, mats, d):
    """``(neurons of the last layer, regions, d)``: the Jacobians of the regions with
    these signs, in the matrices' dtype."""
    active = (signs == 1).T          # (hidden neurons, regions)
    n = active.shape[1]
    J, pos = None, 0
    for W in mats:
        act = active[pos:pos + W.shape[0], :, None]
        pos += W.shape[0]
        if J is None:
            J = W[:, None, :] * act
        else:
            J = (W @ J.reshape(J.shape[0], n * d)).reshape(W.shape[0], n, d) * act
    return J


def integer_weights(network, layer):
    """The weight matrices of layers ``1..layer`` as numpy arrays, scaled to integers
    (:func:`polytopo.geometry.integer.integer_layers`: a positive factor per layer changes
    no rank): ``int64`` when no product of them can overflow, else Python ints (``object``)."""
    mats, bound = [], 1
    for rows, _, _ in integer_layers(network.weights[:layer]):
        bound *= max(sum(abs(x) for x in row) for row in rows) or 1
        mats.append(rows)
    dtype = np.int64 if bound < 2 ** 62 else object
    return [np.array(rows, dtype=dtype) for rows in mats]
