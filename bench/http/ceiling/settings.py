"""Just enough Django to answer one view: no apps, no middleware, no database."""

SECRET_KEY = "bench-ceiling-not-secret"  # signs nothing: the view sets no cookie
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "ceiling.urls"
INSTALLED_APPS: list[str] = []
MIDDLEWARE: list[str] = []
DATABASES: dict = {}
USE_I18N = False
