"""Files -> model, with every problem located: the YAML reader, the loader, the domain checks.

The only package that imports yaml (in `yamldoc`). May import: model, errors, files.
"""
