"""The MoU as a document: template context, catalogue of fixed text, sandbox, writers.

Pure apart from reading templates. May import: model, source (for the catalogue reader),
errors, files. Never git, typer, click or rich.
"""
