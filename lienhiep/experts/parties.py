"""Who is involved in an item that experts review or judge: what the conflict rules (`conflicts.py`) read. Its own
module, so that the models that describe their parties need not import the rules."""

import dataclasses

from django.contrib.contenttypes.models import ContentType
from django.db import models


@dataclasses.dataclass(frozen=True)
class Parties:
    """Who is involved in an item. kind is "advisory" (a draft) or "entry" (a contest entry)."""

    item: models.Model
    kind: str
    agencies: tuple[int, ...] = ()  # requesting and drafting bodies
    authors: tuple[int, ...] = ()  # Person ids
    mentors: tuple[int, ...] = ()  # Person ids
    locality: int | None = None  # AdminUnit id

    @property
    def key(self) -> tuple[int, int]:
        return ContentType.objects.get_for_model(self.item).pk, self.item.pk
