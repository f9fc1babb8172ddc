"""Code every part of the site shares, depending on Django, Wagtail and the standard
library only: never on an app of ours, so any app (and the settings) may import it.

A plain package, not a Django app: it has no models, templates or migrations.
"""
