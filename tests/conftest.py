import pytest

from marketplace.base.structure import SiteStructure, ensure_site_structure


@pytest.fixture
def site(db) -> SiteStructure:
    """Home, product index and producer index pages, in Vietnamese and English."""
    return ensure_site_structure()
