"""Matching batches from the outside: proposal, infeasibility in plain words, hand adjustments, confirmation,
the experts' record of work, and tenant isolation."""

import pytest
from django.urls import reverse

from lienhiep.core.models import Agency, Person
from lienhiep.experts import services
from lienhiep.experts.models import Batch, Engagement, Proposal

from . import factories


def url(name: str, cast, pk: int | None = None) -> str:
    kwargs = {"union_slug": cast.union.slug} | ({"pk": pk} if pk else {})
    return reverse(f"experts:{name}", kwargs=kwargs)


@pytest.fixture
def pool(cast):
    nn = factories.field(cast.union, "NN", "Nông nghiệp")
    yt = factories.field(cast.union, "YT", "Y tế, dược")
    experts = [
        factories.expert(cast.union, "Trần Văn Sâm", fields=[nn], keywords="sâm Ngọc Linh; dược liệu"),
        factories.expert(cast.union, "Lê Thị Cà", fields=[nn], keywords="cà phê; tưới tiết kiệm"),
        factories.expert(cast.union, "Phạm Văn Thuốc", fields=[yt], keywords="y học cổ truyền; dược liệu"),
        factories.expert(cast.union, "Hoàng Thị Rừng", fields=[nn], keywords="trồng rừng; lâm nghiệp"),
    ]
    return {"nn": nn, "yt": yt, "experts": experts}


def test_staff_get_a_proposal_that_puts_the_closest_experts_first(cast, client_for, pool):
    batch = factories.batch(cast.union, per_item=1, default_max_load=1)
    ginseng = factories.item(
        batch, "Đề án sâm Ngọc Linh", text="trồng sâm Ngọc Linh dưới tán rừng", fields=[pool["nn"]]
    )
    coffee = factories.item(batch, "Dự án cà phê", text="tưới tiết kiệm cho cà phê", fields=[pool["nn"]])
    staff = client_for(cast.staff)
    response = staff.post(url("batch_propose", cast, batch.pk), follow=True)
    assert "Đã đủ người cho mọi vị trí" in response.content.decode()
    seats = {p.item_id: p.expert.person.name for p in Proposal.objects.select_related("expert__person")}
    assert seats == {ginseng.pk: "Trần Văn Sâm", coffee.pk: "Lê Thị Cà"}
    assert Batch.objects.get(pk=batch.pk).status == Batch.Status.PROPOSED


def test_an_item_that_cannot_be_staffed_is_explained(cast, client_for, pool):
    batch = factories.batch(cast.union, per_item=3, default_max_load=2)
    batch.candidate_fields.set([pool["yt"]])  # one candidate only
    factories.item(batch, "Đề án y tế", fields=[pool["yt"]])
    response = client_for(cast.staff).post(url("batch_propose", cast, batch.pk), follow=True)
    html = response.content.decode()
    assert "Mới xếp được 1 trên 3 vị trí" in html
    assert "Chỉ có 1 chuyên gia trong nhóm ứng viên (đã xếp 1/3 người)" in html


def test_conflicts_that_empty_the_pool_are_named(cast, client_for, pool):
    batch = factories.batch(cast.union, per_item=1)
    batch.candidate_fields.set([pool["yt"]])
    thuoc = pool["experts"][2]
    factories.item(batch, "Đề án của chính chuyên gia", authors=[thuoc.person])
    html = client_for(cast.staff).post(url("batch_propose", cast, batch.pk), follow=True).content.decode()
    assert "1 trong 1 ứng viên có xung đột lợi ích" in html


def test_hand_placement_respects_the_maximum_load(cast, client_for, pool):
    batch = factories.batch(cast.union, per_item=2, default_max_load=1)
    first = factories.item(batch, "Việc một")
    second = factories.item(batch, "Việc hai")
    sam = pool["experts"][0]
    staff = client_for(cast.staff)
    staff.post(url("item_place", cast, first.pk), {"expert": sam.pk})
    html = staff.post(url("item_place", cast, second.pk), {"expert": sam.pk}, follow=True).content.decode()
    assert "đã nhận 1 việc, tối đa là 1" in html
    assert list(Proposal.objects.values_list("item_id", flat=True)) == [first.pk]


def test_confirmation_records_the_work_and_locks_the_batch(cast, client_for, pool):
    batch = factories.batch(cast.union, per_item=1, role="Phản biện")
    item = factories.item(batch, "Đề án sâm", text="sâm Ngọc Linh")
    # The demo expert account is linked to one of the experts: they see the work on their dashboard.
    sam = pool["experts"][0]
    sam.person.user = cast.expert
    sam.person.save()
    staff = client_for(cast.staff)
    staff.post(url("batch_propose", cast, batch.pk))
    staff.post(url("batch_confirm", cast, batch.pk))
    engagement = Engagement.objects.get()
    assert (engagement.expert, engagement.role, engagement.title) == (sam, "Phản biện", "Đề án sâm")
    assert Batch.objects.get(pk=batch.pk).status == Batch.Status.CONFIRMED
    # Locked: neither the proposal nor the items change any more.
    other = pool["experts"][1]
    html = staff.post(url("item_place", cast, item.pk), {"expert": other.pk}, follow=True).content.decode()
    assert "không sửa được nữa" in html
    assert Proposal.objects.count() == 1
    dashboard = client_for(cast.expert).get(reverse("core:dashboard", kwargs={"union_slug": cast.union.slug}))
    assert "Đề án sâm" in dashboard.content.decode()
    detail = staff.get(url("detail", cast, sam.pk)).content.decode()
    assert "1 việc được giao" in detail


def test_editing_an_item_after_the_proposal_drops_new_conflicts(cast, pool):
    batch = factories.batch(cast.union, per_item=1)
    item = factories.item(batch, "Đề án sâm", text="sâm Ngọc Linh")
    services.propose_assignment(actor=cast.staff, batch=batch)
    placed = Proposal.objects.get().expert
    services.save_item(actor=cast.staff, item=item, fields=[], authors=[placed.person], mentors=[])
    assert not Proposal.objects.exists()
    assert Batch.objects.get(pk=batch.pk).status == Batch.Status.DRAFT


def test_the_batch_page_has_a_fixed_number_of_queries(cast, client_for, pool, django_assert_max_num_queries):
    staff = client_for(cast.staff)

    def page_queries(n_items: int) -> int:
        batch = factories.batch(cast.union, title=f"Đợt {n_items}", per_item=2, default_max_load=20)
        author = Person.objects.create(union=cast.union, name="Tác giả")
        for i in range(n_items):
            factories.item(batch, f"Việc {i}", fields=[pool["nn"]], authors=[author], requesting_agency=cast.agency)
        services.propose_assignment(actor=cast.staff, batch=batch)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert staff.get(url("batch", cast, batch.pk)).status_code == 200
        return len(queries)

    assert page_queries(2) == page_queries(12)


def test_staff_of_another_union_see_none_of_these_experts(cast, client_for, pool):
    outsider = client_for(cast.outsider_staff)
    slug = cast.outsider_union.slug
    listing = outsider.get(reverse("experts:list", kwargs={"union_slug": slug})).content.decode()
    for expert in pool["experts"]:
        assert expert.person.name not in listing
        assert outsider.get(reverse("experts:detail", kwargs={"union_slug": slug, "pk": expert.pk})).status_code == 404
    export = outsider.get(reverse("experts:export", kwargs={"union_slug": slug}))
    assert "Trần Văn Sâm".encode() not in export.content
    found = outsider.get(reverse("experts:find", kwargs={"union_slug": slug}), {"text": "sâm Ngọc Linh dược liệu"})
    assert "Trần Văn Sâm" not in found.content.decode()
    # An outsider batch cannot take a Kon Tum expert, even by posting its id.
    batch = factories.batch(cast.outsider_union)
    item = factories.item(batch, "Việc của Quảng Ngãi")
    outsider.post(
        reverse("experts:item_place", kwargs={"union_slug": slug, "pk": item.pk}), {"expert": pool["experts"][0].pk}
    )
    assert not Proposal.objects.exists()


def test_kon_tum_staff_cannot_reach_an_outsider_batch(cast, client_for):
    batch = factories.batch(cast.outsider_union)
    item = factories.item(batch, "Việc của Quảng Ngãi")
    staff = client_for(cast.staff)
    assert staff.get(url("batch", cast, batch.pk)).status_code == 404
    assert staff.get(url("item_conflicts", cast, item.pk)).status_code == 404
    assert staff.post(url("batch_propose", cast, batch.pk)).status_code == 404


def test_requesting_body_from_another_union_is_refused(cast, client_for, pool):
    batch = factories.batch(cast.union)
    response = client_for(cast.staff).post(
        url("item_create", cast, batch.pk),
        {"title": "Đề án", "text": "nội dung", "requesting_agency": Agency.objects.get(union=cast.outsider_union).pk},
    )
    assert response.status_code == 200 and "requesting_agency" in response.context["form"].errors
    assert not batch.items.exists()


def test_the_batch_page_offers_each_item_an_expert_picker_of_its_own(cast, client_for, pool):
    """Placing an expert by hand: a type-ahead picker per item (experts:pick), each under its own id, the experts
    read once for the whole page, not once per item."""
    batch = factories.batch(cast.union, per_item=2)
    items = [factories.item(batch, f"Việc {n}") for n in range(3)]
    html = client_for(cast.staff).get(url("batch", cast, batch.pk)).content.decode()
    for item in items:
        assert html.count(f'id="place-{item.pk}"') == 1
    assert html.count("data-picker=") == len(items) and "picker.js" in html
