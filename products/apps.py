from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProductsConfig(AppConfig):
    """Products, their categories (the OCOP groups) and their other certifications."""

    name = "products"
    verbose_name = _("Products")
