"""The site shell: the home page and the footer settings."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page

from marketplace.core import rendition_specs as specs
from marketplace.core.admin_search import FoldedSearchMixin
from marketplace.core.kept_routes import kept_site
from marketplace.core.office import default_office_name, default_office_name_en
from marketplace.core.page_cache import kept_while_unchanged


class HomePage(FoldedSearchMixin, Page):
    hero_title = models.CharField(_("hero title"), max_length=120)
    hero_text = models.TextField(_("hero text"), blank=True)
    hero_image = models.ForeignKey(
        "core.CustomImage",
        verbose_name=_("hero image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])
    latest_products_count = models.PositiveSmallIntegerField(
        _("number of latest products"), default=8
    )

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [FieldPanel("hero_title"), FieldPanel("hero_text"), FieldPanel("hero_image")],
            heading=_("Hero"),
        ),
        FieldPanel("intro"),
        InlinePanel("featured_products", label=_("Featured products")),
        InlinePanel("featured_producers", label=_("Featured producers")),
        FieldPanel("latest_products_count"),
    ]

    parent_page_types = ["wagtailcore.Page"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("home page")

    def rendition_plan(self) -> list[tuple]:
        """The hero, and the share picture of every page without one of its own."""
        return [(self.hero_image, (specs.WIDE, specs.SHARE))]

    def get_context(self, request, *args, **kwargs):
        from marketplace.base.home import home_page_context

        context = super().get_context(request, *args, **kwargs)
        context.update(home_page_context(self))
        return context


class HomePageFeaturedProduct(Orderable):
    page = ParentalKey(HomePage, related_name="featured_products", on_delete=models.CASCADE)
    product = models.ForeignKey(
        "products.ProductPage",
        verbose_name=_("product"),
        on_delete=models.CASCADE,
        related_name="+",
    )

    panels = [PageChooserPanel("product", "products.ProductPage")]

    class Meta(Orderable.Meta):
        verbose_name = _("featured product")


class HomePageFeaturedProducer(Orderable):
    page = ParentalKey(HomePage, related_name="featured_producers", on_delete=models.CASCADE)
    producer = models.ForeignKey(
        "producers.ProducerPage",
        verbose_name=_("producer"),
        on_delete=models.CASCADE,
        related_name="+",
    )

    panels = [PageChooserPanel("producer", "producers.ProducerPage")]

    class Meta(Orderable.Meta):
        verbose_name = _("featured producer")


@register_setting(icon="site")
class SiteFooter(BaseSiteSetting):
    """Contact details of the office running the town's OCOP work, shown in every page
    footer; its name is also the one pages and emails give (templates/includes/office_name.html)."""

    office_name = models.CharField(
        _("office name"),
        max_length=200,
        default=default_office_name,
        help_text=_(
            "e.g. “Phòng Kinh tế thị xã Điện Bàn”, or the ward’s or city’s body since 2025."
        ),
    )
    office_name_en = models.CharField(
        _("office name in English"),
        max_length=200,
        default=default_office_name_en,
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("email"), blank=True)
    is_sample_data = models.BooleanField(
        _("the catalogue is sample data"),
        default=False,
        help_text=_("Shows a notice on every page that the products and producers are not real."),
    )

    panels = [
        FieldPanel("office_name"),
        FieldPanel("office_name_en"),
        FieldPanel("address"),
        FieldPanel("phone"),
        FieldPanel("email"),
        FieldPanel("is_sample_data"),
    ]

    class Meta:
        verbose_name = _("site footer")

    @classmethod
    def for_request(cls, request):
        # Every page reads it: kept in the process while the content is unchanged (its
        # save drops it). The admin edits its own copy (for_site).
        attribute = cls.get_cache_attr_name()
        if not hasattr(request, attribute):
            site = kept_site(request)
            key = ("site-footer", site.pk if site else None)
            setattr(request, attribute, kept_while_unchanged(key, lambda: cls.for_site(site)))
        return getattr(request, attribute)
