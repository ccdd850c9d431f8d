"""The MoU as a document: template context, catalogue of fixed text, sandbox, writers.

Pure apart from reading templates. May import: model, source (the catalogue reader; the
release rules, for the draft notice),
errors, files. Never git, typer, click or rich.
"""
