"""Importing Open Referral UK data: read (`sources`), check (`records`, `plan`), write (`write`).

The directory's service `oruk_import` puts them together; nothing here writes except `write`.
"""
