"""nucmed: an open platform for nuclear medicine networks, from reactor to patient.

Nothing runs at import: the subpackages are imported by whoever needs them.
"""

__all__ = ["__version__"]

__version__ = "0.1.0"
