"""Activation regions as polytopes: the :class:`Region` value and the reference traversal
with one exact LP per undecided cut (:mod:`.traversal`)."""

from .traversal import Region, brute_force_patterns, iter_regions, regions

__all__ = ["Region", "brute_force_patterns", "iter_regions", "regions"]
