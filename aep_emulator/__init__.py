"""A strict local stand-in for Adobe's Offer Library APIs (xcore and dps) and the IMS token endpoint.

Start it with ``python -m aep_emulator``; see docs/emulator.md.
"""

__version__ = "0.1.0"
