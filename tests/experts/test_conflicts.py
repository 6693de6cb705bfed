"""Conflicts of interest: every rule blocks an assignment (by hand, by the solver, at confirmation); dismissals
are kept with their reason; hard facts cannot be dismissed."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from lienhiep.core.models import Agency, Person
from lienhiep.experts import conflicts, services
from lienhiep.experts.conflicts import Rule
from lienhiep.experts.models import Batch, ConflictDismissal, Proposal, Relation

from . import factories


@pytest.fixture
def setup(cast):
    """An advisory item requested by UBND huyện Đăk Tô, drafted by an author working at a school."""
    union = cast.union
    school = Agency.objects.create(union=union, name="Trường THPT Nguyễn Tất Thành", kind=Agency.Kind.SCHOOL)
    author = Person.objects.create(union=union, name="Đỗ Văn Tác", agency=school)
    batch = factories.batch(union, purpose=Batch.Purpose.ADVISORY)
    item = factories.item(batch, requesting_agency=cast.agency, locality=cast.district, authors=[author])
    return {"union": union, "school": school, "author": author, "batch": batch, "item": item}


def rules_of(person, item) -> set[str]:
    return {c.rule for c in conflicts.check(person, item).blocking}


def assert_blocked(cast, client_for, item, expert, rule):
    """The rule shows in the verdict, and every way of assigning the expert refuses."""
    assert rule in rules_of(expert.person, item)
    with pytest.raises(ValidationError):
        services.place_expert(actor=cast.staff, item=item, expert=expert)
    url = reverse("experts:item_place", kwargs={"union_slug": cast.union.slug, "pk": item.pk})
    response = client_for(cast.staff).post(url, {"expert": expert.pk}, follow=True)
    assert "không được tham gia" in response.content.decode()
    assert not Proposal.objects.filter(item=item, expert=expert).exists()
    # The solver leaves the seat empty rather than use the expert, and says why.
    result = services.propose_assignment(actor=cast.staff, batch=item.batch)
    assert (item.pk, expert.pk) not in {(i, e) for i, e, _s in result.pairs}


def test_author_of_the_draft(cast, client_for, setup):
    author_expert = factories.expert(cast.union, "Đỗ Văn Tác 2")
    setup["item"].authors.add(author_expert.person)
    assert_blocked(cast, client_for, setup["item"], author_expert, Rule.AUTHOR)


def test_works_at_the_requesting_body_or_a_body_under_it(cast, client_for, setup):
    office = Agency.objects.create(
        union=cast.union, name="Phòng Nông nghiệp huyện Đăk Tô", kind=Agency.Kind.DEPARTMENT, parent=cast.agency
    )
    at_body = factories.expert(cast.union, "Nguyễn Văn Một", agency=cast.agency)
    under_body = factories.expert(cast.union, "Nguyễn Văn Hai", agency=office)
    assert_blocked(cast, client_for, setup["item"], at_body, Rule.REQUESTER)
    assert_blocked(cast, client_for, setup["item"], under_body, Rule.REQUESTER)
    detail = conflicts.check(under_body.person, setup["item"]).reasons()
    assert "Phòng Nông nghiệp huyện Đăk Tô" in detail and "UBND huyện Đăk Tô" in detail


@pytest.mark.parametrize("kind", list(Relation.Kind))
def test_declared_relation_with_an_author(cast, client_for, setup, kind):
    relative = factories.expert(cast.union, "Đỗ Thị Thân")
    # Recorded in either direction, the relation counts.
    services.record_relation(
        actor=cast.staff, union=cast.union, person=setup["author"], other=relative.person, kind=kind
    )
    assert_blocked(cast, client_for, setup["item"], relative, Rule.RELATION)


def test_same_workplace_or_school_as_an_author(cast, client_for, setup):
    colleague = factories.expert(cast.union, "Phan Văn Đồng", agency=setup["school"])
    assert_blocked(cast, client_for, setup["item"], colleague, Rule.WORKPLACE)


def test_guardian_or_teacher_of_the_entrant(cast, client_for):
    batch = factories.batch(cast.union, purpose=Batch.Purpose.CONTEST)
    teacher = factories.expert(cast.union, "Hồ Thị Giáo")
    entry = factories.item(batch, "Máy tưới cà phê tự động", authors=[cast.person], mentors=[teacher.person])
    assert_blocked(cast, client_for, entry, teacher, Rule.MENTOR)


def test_local_authority_of_the_drafts_locality(cast, client_for, setup):
    party = Agency.objects.create(
        union=cast.union, name="Huyện ủy Đăk Tô", kind=Agency.Kind.PARTY_COMMITTEE, admin_unit=cast.district
    )
    official = factories.expert(cast.union, "A Thuận Hai", agency=party)
    assert rules_of(official.person, setup["item"]) == {Rule.LOCALITY}
    assert_blocked(cast, client_for, setup["item"], official, Rule.LOCALITY)


def test_declared_conflict_blocks_and_takes_the_person_off_the_item(cast, client_for, setup):
    expert = factories.expert(cast.union, "Bùi Văn Khai")
    item = setup["item"]
    services.place_expert(actor=cast.staff, item=item, expert=expert)
    url = reverse("experts:conflict_declare", kwargs={"union_slug": cast.union.slug, "pk": item.pk})
    client_for(cast.staff).post(url, {"person": expert.person.pk, "reason": "Đã tư vấn cho nhóm soạn thảo"})
    assert not Proposal.objects.filter(item=item, expert=expert).exists()
    assert_blocked(cast, client_for, item, expert, Rule.DECLARED)


def test_a_person_without_links_may_act(cast, setup):
    free = factories.expert(cast.union, "Ngô Thị Tự Do")
    verdict = conflicts.check(free.person, setup["item"])
    assert verdict.allowed and verdict.conflicts == []
    services.place_expert(actor=cast.staff, item=setup["item"], expert=free)
    assert Proposal.objects.filter(item=setup["item"], expert=free).exists()


def test_names_alone_never_make_a_conflict(cast, setup):
    """Same name as the author, no relation, other workplace: not a conflict (conflicts are data, not names)."""
    namesake = factories.expert(cast.union, setup["author"].name)
    assert conflicts.check(namesake.person, setup["item"]).allowed


def test_dismissing_a_false_positive_is_kept_in_history_and_can_be_withdrawn(cast, client_for, setup):
    party = Agency.objects.create(
        union=cast.union, name="Huyện ủy Đăk Tô", kind=Agency.Kind.PARTY_COMMITTEE, admin_unit=cast.district
    )
    official = factories.expert(cast.union, "Y Khiêm", agency=party)
    item = setup["item"]
    url = reverse("experts:conflict_dismiss", kwargs={"union_slug": cast.union.slug, "pk": item.pk})
    staff = client_for(cast.staff)
    # A reason is required.
    staff.post(url, {"person": official.person.pk, "rule": Rule.LOCALITY, "reason": ""})
    assert not ConflictDismissal.objects.exists()
    staff.post(url, {"person": official.person.pk, "rule": Rule.LOCALITY, "reason": "Đã nghỉ hưu từ năm 2020"})
    verdict = conflicts.check(official.person, item)
    assert verdict.allowed
    assert verdict.conflicts[0].dismissed == "Đã nghỉ hưu từ năm 2020"
    services.place_expert(actor=cast.staff, item=item, expert=official)
    page = staff.get(reverse("experts:item_conflicts", kwargs={"union_slug": cast.union.slug, "pk": item.pk}))
    assert "Đã nghỉ hưu từ năm 2020" in page.content.decode()
    dismissal = ConflictDismissal.objects.get()
    staff.post(reverse("experts:dismissal_withdraw", kwargs={"union_slug": cast.union.slug, "pk": dismissal.pk}))
    assert not conflicts.check(official.person, item).allowed
    assert ConflictDismissal.objects.filter(withdrawn_at__isnull=False).count() == 1  # kept, not deleted
    assert dismissal.history.count() >= 2


def test_hard_facts_cannot_be_dismissed(cast, setup):
    author_expert = factories.expert(cast.union, "Lê Tác Giả")
    setup["item"].authors.add(author_expert.person)
    with pytest.raises(ValidationError):
        services.dismiss_conflict(
            actor=cast.staff,
            union=cast.union,
            person=author_expert.person,
            item=setup["item"],
            rule=Rule.AUTHOR,
            reason="thử",
        )
    with pytest.raises(ValidationError):  # nothing to dismiss for someone without a conflict
        free = factories.expert(cast.union, "Ngô Văn Rảnh")
        services.dismiss_conflict(
            actor=cast.staff,
            union=cast.union,
            person=free.person,
            item=setup["item"],
            rule=Rule.WORKPLACE,
            reason="thử",
        )


def test_confirmation_checks_again(cast, setup):
    """A relation recorded after the proposal stops the confirmation."""
    expert = factories.expert(cast.union, "Vũ Văn Sau")
    item = setup["item"]
    services.place_expert(actor=cast.staff, item=item, expert=expert)
    services.record_relation(
        actor=cast.staff, union=cast.union, person=expert.person, other=setup["author"], kind=Relation.Kind.HOUSEHOLD
    )
    with pytest.raises(ValidationError) as error:
        services.confirm_batch(actor=cast.staff, batch=item.batch)
    assert "Vũ Văn Sau" in " ".join(error.value.messages)
    assert Batch.objects.get(pk=item.batch.pk).status == Batch.Status.PROPOSED


def test_bulk_answer_matches_the_single_answer(cast, setup):
    office = Agency.objects.create(union=cast.union, name="Văn phòng UBND", kind=Agency.Kind.OTHER, parent=cast.agency)
    people = [
        factories.expert(cast.union, "Một", agency=office).person,
        factories.expert(cast.union, "Hai", agency=setup["school"]).person,
        factories.expert(cast.union, "Ba").person,
    ]
    parties = setup["item"].conflict_parties()
    bulk = conflicts.conflicts_for([parties], [p.pk for p in people])
    for person in people:
        assert [c.rule for c in bulk.get((parties.key, person.pk), [])] == [
            c.rule for c in conflicts.check(person, setup["item"]).conflicts
        ]
