"""Exact numbers and convex geometry: rationals and exact linear algebra (:mod:`.exact`),
integer matrix kernels (:mod:`.integer`), exact linear programs (:mod:`.lp`) and
H-polytopes (:mod:`.polytope`)."""

from .polytope import Polytope

__all__ = ["Polytope"]
