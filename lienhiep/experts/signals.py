"""Keep the experts' search text current when the registry records it is made from change elsewhere
(a person renamed in the people registry, a workplace renamed in the agencies registry)."""

from django.db.models.signals import post_save

from lienhiep.core.models import Agency, Person
from lienhiep.experts.models import Expert
from lienhiep.experts.services import refresh_search


def refresh_experts_of_person(sender, instance: Person, raw: bool = False, **kwargs) -> None:
    if raw:
        return

    expert = getattr(instance, "expert", None) if instance.pk else None
    if expert is not None:
        refresh_search(expert)


def refresh_experts_of_agency(sender, instance: Agency, created: bool = False, raw: bool = False, **kwargs) -> None:
    if raw or created:
        return

    for expert in Expert.objects.filter(person__agency=instance).select_related("person__agency"):
        refresh_search(expert)


def connect() -> None:
    post_save.connect(refresh_experts_of_person, sender=Person, dispatch_uid="experts.person_search")
    post_save.connect(refresh_experts_of_agency, sender=Agency, dispatch_uid="experts.agency_search")
