from palier.tickets.models import PriorityRule
from palier.tickets.services import directory


def test_configuration_is_cached_within_the_ttl_and_reread_after(desk, settings):
    settings.PALIER_CONFIG_CACHE_SECONDS = 60
    directory._config.clear()
    assert directory.priority_matrix()[("low", "low")] == "P4"
    PriorityRule.objects.filter(impact="low", urgency="low").update(priority="P3")
    assert directory.priority_matrix()[("low", "low")] == "P4"  # still the cached matrix
    settings.PALIER_CONFIG_CACHE_SECONDS = 0
    assert directory.priority_matrix()[("low", "low")] == "P3"
    directory._config.clear()


def test_levels_come_lowest_rank_first(desk):
    assert [lv.code for lv in directory.levels().values()] == ["L1", "L2", "L3"]
