"""Code every part of the site shares, depending on Django, Wagtail, wagtail-localize and
the standard library only: never on an app of ours, so any app (and the settings) may
import it.

A plain package, not a Django app: it has no models or migrations (its admin panels'
templates are under templates/core/).
"""
