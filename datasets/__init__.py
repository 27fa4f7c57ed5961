"""policykit's curated data package (installed as ``policykit._data``).

This folder holds data only: ``datapackage.json`` and one CSV per table, built by
``scripts/build.py`` from the raw sources. It is a Python package so that
``importlib.resources`` finds the same files in an editable checkout and in an installed wheel.
"""
