"""The only package that touches git: revisions, tags, the parse cache, log and comparison.

The only importer of GitPython. May import: model, source, changes, errors, files.
"""
