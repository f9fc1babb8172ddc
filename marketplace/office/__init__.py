"""The office's tools, like django-oscar's dashboard: reports (inquiries,
product views, searches), listing quality, and bulk import and export of the catalogue.

Each is a Django app that keeps its own label ("reports", "quality", "bulk"), so tables,
migrations and content types do not depend on this package. The office layer builds on
the domain apps (producers, products, certificates, curation, search, inquiries); none of
them imports it.
"""
