"""Releases, signatures and status: who signed which release and who must sign.

Reads git only through `history`. May import: model, source, history, changes, errors, files.
"""
