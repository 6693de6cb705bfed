"""Small builders of expert-registry objects for the Kon Tum cast (through the services where it matters)."""

from django.core.files.base import ContentFile

from lienhiep.core.models import Agency, Person, Union
from lienhiep.experts import excel, services
from lienhiep.experts.models import Batch, BatchItem, ConflictDismissal, Expert, ExpertImport, Field, Proposal, Relation


def field(union: Union, code: str = "NN", name: str = "Nông nghiệp, lâm nghiệp") -> Field:
    return Field.objects.get_or_create(union=union, code=code, defaults={"name": name})[0]


def expert(
    union: Union,
    name: str,
    *,
    fields: list[Field] | None = None,
    agency: Agency | None = None,
    keywords: str = "",
    cv: str = "",
    max_load: int | None = None,
) -> Expert:
    person = Person.objects.create(union=union, name=name, agency=agency)
    made = Expert.objects.create(
        union=union,
        person=person,
        code=Expert.next_code(union),
        keywords=keywords,
        cv=cv,
        max_load=max_load,
    )
    made.fields.set(fields if fields is not None else [field(union)])
    services.refresh_search(made)
    return made


def batch(union: Union, **kw) -> Batch:
    defaults = {"title": "Phản biện đề án dược liệu", "per_item": 1, "default_max_load": 2}
    return Batch.objects.create(union=union, **(defaults | kw))


def item(
    batch: Batch, title: str = "Đề án phát triển sâm Ngọc Linh", *, fields=(), authors=(), mentors=(), **kw
) -> BatchItem:
    made = BatchItem.objects.create(batch=batch, title=title, text=kw.pop("text", "sâm Ngọc Linh dược liệu"), **kw)
    made.fields.set(fields)
    made.authors.set(authors)
    made.mentors.set(mentors)
    return made


def url_objects(cast) -> dict:
    """One of each object the expert pages take in their URLs, in the Kon Tum Union."""
    union = cast.union
    nn = field(union)
    one = expert(union, "Trần Thị Bình", fields=[nn], keywords="sâm Ngọc Linh")
    two = expert(union, "Lê Văn Cường", fields=[nn])
    relation = Relation.objects.create(union=union, person=one.person, other=two.person, kind=Relation.Kind.COAUTHOR)
    the_batch = batch(union)
    the_item = item(the_batch, fields=[nn], requesting_agency=cast.agency, locality=cast.district)
    proposal = Proposal.objects.create(item=the_item, expert=one, by_hand=True)
    dismissal = ConflictDismissal.objects.create(
        union=union, person=two.person, item=the_item, rule="workplace", reason="Đã chuyển công tác"
    )
    pending = ExpertImport(union=union, original_name="ds.xlsx")
    pending.file.save("ds.xlsx", ContentFile(excel.export_workbook(union, [])), save=True)
    return {
        "field": nn,
        "expert": one,
        "relation": relation,
        "batch": the_batch,
        "item": the_item,
        "proposal": proposal,
        "dismissal": dismissal,
        "import": pending,
    }
