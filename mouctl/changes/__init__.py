"""Pure comparison of two networks: the changes, the amendment rules, their wording, the redline.

No git, no I/O, no terminal. May import: model, errors.
"""
