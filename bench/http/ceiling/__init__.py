"""The ceiling of bench/http: a Django project with one view answering "hello", served by
the same gunicorn command line as the site, so a page's rate reads as a share of what
Django and gunicorn can do at all on this machine. Its second view, /elasticsearch, adds
one question to Elasticsearch: the ceiling of a page that asks the node once."""
