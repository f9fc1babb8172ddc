"""The language switcher keeps visitors on the same view, not only on Wagtail pages."""

import re

import pytest


def switcher_links(html: str) -> dict[str, str]:
    nav = re.search(r'<nav[^>]*class="[^"]*language[^"]*"[^>]*>(.*?)</nav>', html, re.S)
    assert nav, "no language switcher on the page"
    return dict(
        (lang, href.replace("&amp;", "&"))
        for href, lang in re.findall(r'href="([^"]+)"[^>]*hreflang="([a-z]+)"', nav.group(1))
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "english"),
    [
        (
            "/vi/tim-kiem/?q=n%C6%B0%E1%BB%9Bc+m%E1%BA%AFm&sort=newest",
            "/en/search/?q=n%C6%B0%E1%BB%9Bc+m%E1%BA%AFm&sort=newest",
        ),
        ("/vi/danh-sach-hoi-mua/", "/en/inquiry-list/"),
        ("/vi/quyen-rieng-tu/", "/en/privacy/"),
    ],
)
def test_django_views_switch_to_the_same_view(client, site, path, english):
    response = client.get(path)
    assert response.status_code == 200
    assert switcher_links(response.content.decode())["en"] == english
