"""Shared test configuration: headless matplotlib, one hypothesis profile."""

import os

import matplotlib

matplotlib.use("Agg")

from hypothesis import HealthCheck, settings  # noqa: E402

settings.register_profile(
    "book",
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "book"))


def pytest_collection_modifyitems(config: object, items: list) -> None:
    """Run each page's browser tests one after another (tests/test_site.py).

    The site tests share one loaded page per worker (the ``visits`` fixture keeps
    only the current page open): grouped by page, every page is loaded once per
    worker instead of once per test function. Tests without a ``page`` parameter
    keep their place before the grouped ones; the order within a page is unchanged.
    """
    positions = [i for i, item in enumerate(items) if item.path.name == "test_site.py"]
    if not positions:
        return
    site = [items[i] for i in positions]

    def page_of(item: object) -> object:
        callspec = getattr(item, "callspec", None)
        return None if callspec is None else callspec.params.get("page")

    rank: dict[object, int] = {}
    for item in site:
        page = page_of(item)
        if page is not None:
            rank.setdefault(page, len(rank))
    order = sorted(
        range(len(site)),
        key=lambda k: (-1 if page_of(site[k]) is None else rank[page_of(site[k])], k),
    )
    for i, k in zip(positions, order, strict=True):
        items[i] = site[k]
