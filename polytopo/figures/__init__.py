"""Pictures: matplotlib figures of regions and of the analyses' results."""
