"""Algebraic topology, independent of networks: chain complexes and integral homology by
Smith normal form (:mod:`.homology`, :mod:`.snf`), cubical complexes of images
(:mod:`.cubical`)."""
