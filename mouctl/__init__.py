"""mouctl: draft, render and version the common ECVET Memorandum of Understanding.

The Python API (see docs/python.md): every name in `__all__` is a function of
`mouctl.api`, imported on first use so that `import mouctl` (and `mouctl --help`)
stays fast::

    import mouctl
    loaded = mouctl.load("examples/consortium")
    pdf = mouctl.render_document("examples/consortium", "pdf").data
"""

from mouctl._version import __version__

__all__ = [
    "__version__",
    "load", "validate", "network_at", "render_document", "render_network", "templates_for",
    "version_label", "compare", "compare_revisions", "rendered_redline", "amendment",
    "write_document", "log", "release", "sign", "status", "withdraw", "json_schema",
    "mobilities",
    "mobility_document", "Rendered",
]


def __getattr__(name: str):
    """Load `mouctl.api` when one of its names is first asked for."""
    if name in __all__ and name != "__version__":
        from mouctl import api

        value = getattr(api, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'mouctl' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
