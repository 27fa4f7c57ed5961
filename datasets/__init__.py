"""policykit's curated data package (installed as ``policykit._data``).

The wheel ships data only: one folder per case (``<case_id>/datapackage.json`` and one CSV
per table), built by ``build/build.py`` from the raw sources and each case's curation files
(which stay in the repository). It is a Python package so that
``importlib.resources`` finds the same files in an editable checkout and in an installed wheel.
"""
