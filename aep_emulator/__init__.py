"""A strict local stand-in for Adobe's Offer Library (xcore) API and the IMS token endpoint.

Start it with ``python -m aep_emulator``; see docs/emulator.md.
"""

__version__ = "0.1.0"
