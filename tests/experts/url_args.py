"""Sample URL arguments of the expert pages for the security harness (tests/test_url_access.py)."""

from tests.experts.factories import url_objects

_cache: dict = {}


def _objects(cast) -> dict:
    # The harness builds every URL once per test; build the objects once per cast Union.
    key = (cast.union.pk, id(cast))
    if key not in _cache:
        _cache.clear()
        _cache[key] = url_objects(cast)
    return _cache[key]


def _pk(name: str):
    return lambda cast, attachment: {"pk": _objects(cast)[name].pk}


URL_ARGS = {
    "experts:detail": _pk("expert"),
    "experts:edit": _pk("expert"),
    "experts:relation_add": _pk("expert"),
    "experts:relation_remove": _pk("relation"),
    "experts:field_edit": _pk("field"),
    "experts:import_preview": _pk("import"),
    "experts:batch": _pk("batch"),
    "experts:batch_edit": _pk("batch"),
    "experts:item_create": _pk("batch"),
    "experts:batch_propose": _pk("batch"),
    "experts:batch_confirm": _pk("batch"),
    "experts:item_edit": _pk("item"),
    "experts:item_remove": _pk("item"),
    "experts:item_place": _pk("item"),
    "experts:item_conflicts": _pk("item"),
    "experts:conflict_declare": _pk("item"),
    "experts:conflict_dismiss": _pk("item"),
    "experts:dismissal_withdraw": _pk("dismissal"),
    "experts:proposal_remove": _pk("proposal"),
}
