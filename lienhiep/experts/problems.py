"""The solver's problems in plain words: which item cannot be staffed, and why."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def describe(code: str, numbers: dict[str, int]) -> str:
    n = {"need": 0, "assigned": 0, **numbers}
    seats = ngettext("%(assigned)s of %(need)s seat filled", "%(assigned)s of %(need)s seats filled", n["need"]) % n
    reasons = {
        "not_enough_candidates": _("only %(candidates)s candidate experts in the pool") % {"candidates": 0, **n},
        "conflicts": _(
            "%(conflicted)s of the %(candidates)s candidates have a conflict of interest; %(eligible)s remain"
        )
        % {"conflicted": 0, "candidates": 0, "eligible": 0, **n},
        "workplaces": _("the eligible experts come from only %(workplaces)s different workplaces")
        % {"workplaces": 0, **n},
        "no_field_expert": _(
            "no eligible expert works in the item's field (%(field_candidates)s in the field, "
            "%(field_conflicted)s of them in conflict)"
        )
        % {"field_candidates": 0, "field_conflicted": 0, **n},
        "load_exhausted": _("all %(eligible)s eligible experts are at their maximum load") % {"eligible": 0, **n},
        "unresolved": _("the solver stopped at its time limit; fill the seat by hand"),
        "fixed_conflict": _("an expert placed by hand has a conflict of interest and was removed"),
        "fixed_unknown": _("an expert placed by hand is no longer a candidate"),
        "fixed_over_load": _("an expert placed by hand is over their maximum load (%(load)s of %(max_load)s)")
        % {"load": 0, "max_load": 0, **n},
        "fixed_over_need": _("more experts were placed by hand than the item needs"),
        "fixed_workplaces": _("experts placed by hand share a workplace"),
        "fixed_no_field_expert": _("the experts placed by hand leave no seat for an expert of the item's field"),
    }
    text = reasons.get(code, code)
    return f"{text} ({seats})" if "need" in numbers and not code.startswith("fixed") else text
