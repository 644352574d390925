"""Public holidays per country and subdivision, from the ``holidays`` package."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from types import MappingProxyType

import holidays


@lru_cache(maxsize=1)
def supported() -> MappingProxyType[str, tuple[str, ...]]:
    """Country code → its subdivision codes."""
    return MappingProxyType({country: tuple(subdivisions) for country, subdivisions
                             in holidays.list_supported_countries().items()})


def check_region(country: str | None, subdivision: str | None) -> None:
    """Raise ``ValueError`` unless the country (and subdivision) are known to ``holidays``."""
    if not country:
        if subdivision:
            raise ValueError("A holiday subdivision needs a country.")
        return
    regions = supported()
    if country not in regions:
        raise ValueError(f"{country!r} is not a country code known for public holidays.")
    if subdivision and subdivision not in regions[country]:
        raise ValueError(f"{subdivision!r} is not a subdivision of {country} "
                         f"(known: {', '.join(regions[country]) or 'none'}).")


@lru_cache(maxsize=1024)
def holidays_in(country: str, subdivision: str | None, year: int) -> MappingProxyType[date, str]:
    """The public holidays of one year: local date → name (observed days included)."""
    table = holidays.country_holidays(country, subdiv=subdivision or None, years=year)
    return MappingProxyType({day: name for day, name in table.items() if day.year == year})
