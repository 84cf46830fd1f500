"""Integer Jacobians of a ReLU network's hidden layers on activation regions, and their
exact ranks for many regions at once."""

__all__ = ["integer_weights", "pattern_ranks"]

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
    if any(W.dtype == object for W in weights):
        return None
    bound = 1.0
    for W in weights:
        bound *= float_bound(np.abs(W).sum(axis=1).max(initial=0)) or 1.0
    gram_bound = weights[-1].shape[0] * bound * bound
    if gram_bound >= 2.0 ** 62:
        return None
    dtype = np.float64 if gram_bound < 2.0 ** 53 else np.int64
    mats = [W.astype(dtype) for W in weights]
    out = np.zeros(len(signs), dtype=np.int64)
    for a in range(0, len(signs), _CHUNK):
        active = (signs[a:a + _CHUNK] == 1).T          # (hidden neurons, regions)
        n = active.shape[1]
        J, pos = None, 0                                 # J: (neurons, regions, d)
        for W in mats:
            act = active[pos:pos + W.shape[0], :, None]
            pos += W.shape[0]
            if J is None:
                J = W[:, None, :] * act
            else:
                J = (W @ J.reshape(J.shape[0], n * d)).reshape(W.shape[0], n, d) * act
        G = np.einsum("ink,inl->nkl", J, J).astype(np.int64)
        out[a:a + n] = psd_ranks(G)
    return out.tolist()


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
