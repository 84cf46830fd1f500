"""The canonical polyhedral complex: the :class:`CellComplex` value (:mod:`.cells`), built
by the exact refinement engine (:mod:`.engine`, in parallel by :mod:`.parallel`), with
orientations for the chain complex (:mod:`.orientation`)."""

from .cells import (Cell, CellComplex, RegionCell, activation_regions, canonical_complex,
                    regions_from_complex)

__all__ = ["Cell", "CellComplex", "RegionCell", "activation_regions", "canonical_complex",
           "regions_from_complex"]
