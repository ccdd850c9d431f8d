"""Packages: every subpackage of mouctl, found, plus `templates/` as `mouctl.templates`.

pyproject.toml cannot say "find the subpackages" and "map this other folder" at once,
so these two lines live here; all other metadata is in pyproject.toml.
"""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["mouctl", "mouctl.*"]), "mouctl.templates"],
    package_dir={"mouctl.templates": "templates"},
)
