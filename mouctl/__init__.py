"""mouctl: draft, render and version the common ECVET Memorandum of Understanding."""

__version__ = "0.1.0"
