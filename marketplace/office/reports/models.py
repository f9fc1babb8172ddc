"""Product page views, counted per product and day: no visitor, session or address is kept."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProductViewCount(models.Model):
    # The default-language page: views of every translation add up on it.
    product = models.ForeignKey(
        "products.ProductPage",
        verbose_name=_("product"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    day = models.DateField(_("day"))
    views = models.PositiveIntegerField(_("views"), default=0)

    class Meta:
        verbose_name = _("product view count")
        verbose_name_plural = _("product view counts")
        constraints = [
            models.UniqueConstraint(fields=["product", "day"], name="reports_one_count_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.product_id} {self.day}: {self.views}"
