"""Pages of the expert registry: the list (Union scoping, search without diacritics, filters, Vietnamese order,
query count), the record, create and edit, declared relations, fields, quick matching and a filtered export."""

import io
import re

import openpyxl
import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from lienhiep.core import services as core_services
from lienhiep.experts import excel, services
from lienhiep.experts.models import Engagement, Expert, Field, Relation

from ..conftest import Cast
from .conftest import add_expert

URL = "/kontum/app/experts/"


def vi(message: str) -> str:
    with translation.override("vi"):
        return translation.gettext(message)


def names(response) -> list[str]:
    assert response.status_code == 200
    return [e.person.name for e in response.context["page"].object_list]


def by_name(experts, name: str) -> Expert:
    return next(e for e in experts if e.person.name == name)


# --- scoping ----------------------------------------------------------------------------------------------------


def test_the_list_shows_the_unions_experts_only(cast: Cast, client_for, experts, outsider_expert):
    response = client_for(cast.staff).get(URL)
    assert names(response) == ["Lê Văn An", "Trần Thị Bình", "Nguyễn Văn Đạt", "Đỗ Thị Hạnh"]
    html = response.content.decode()
    assert "Nguyễn Quốc Dũng" not in html
    # Even a search matching only the outsider's name finds nothing of theirs.
    assert names(client_for(cast.staff).get(URL, {"q": "quoc dung"})) == []
    assert names(client_for(cast.leader).get(URL)) == names(response)


def test_the_list_shows_an_expert_without_a_member_association(cast: Cast, client_for, fields):
    add_expert(cast.staff, cast.union, "Y Blong", [fields["NN"]])
    response = client_for(cast.staff).get(URL)
    assert response.status_code == 200
    assert "Y Blong" in response.content.decode()


def test_another_union_sees_none_of_these_experts(cast: Cast, client_for, experts, outsider_expert):
    outsider = client_for(cast.outsider_staff)
    dat = by_name(experts, "Nguyễn Văn Đạt")
    for path in ("", f"{dat.pk}/", f"{dat.pk}/edit/", "export.xlsx", "template.xlsx", "import/", "fields/", "find/"):
        assert outsider.get(f"{URL}{path}").status_code == 403, path
    own = outsider.get("/quangngai/app/experts/")
    assert names(own) == ["Nguyễn Quốc Dũng"]
    assert names(outsider.get("/quangngai/app/experts/", {"q": "nguyen"})) == ["Nguyễn Quốc Dũng"]
    for path in (f"{dat.pk}/", f"{dat.pk}/edit/"):
        assert outsider.get(f"/quangngai/app/experts/{path}").status_code == 404, path
    response = outsider.post(
        f"/quangngai/app/experts/{dat.pk}/relations/", {"other": outsider_expert.person_id, "kind": "relative"}
    )
    assert response.status_code == 404
    assert not Relation.objects.exists()
    found = outsider.get("/quangngai/app/experts/find/", {"text": "sâm Ngọc Linh dược liệu"})
    assert [row[0].person.name for row in found.context["ranked"]] == ["Nguyễn Quốc Dũng"]


@pytest.mark.parametrize("role", ["expert", "agency_rep", "entrant"])
def test_non_staff_roles_cannot_open_the_registry(cast: Cast, client_for, experts, role):
    client = client_for(cast.users_by_role()[role])
    assert client.get(URL).status_code == 403
    assert client.get(f"{URL}{experts[0].pk}/").status_code == 403


def test_a_leader_reads_but_does_not_edit(cast: Cast, client_for, experts, fields):
    leader = client_for(cast.leader)
    html = leader.get(URL).content.decode()
    main = html[html.index("<main") :]
    assert f"{URL}new/" not in main and f"{URL}import/" not in main
    assert leader.get(f"{URL}{experts[0].pk}/").status_code == 200
    assert leader.get(f"{URL}new/").status_code == 403
    assert leader.get(f"{URL}{experts[0].pk}/edit/").status_code == 403
    assert leader.post(f"{URL}fields/", {"code": "GD", "name": "Giáo dục"}).status_code == 404
    assert not Field.objects.filter(code="GD").exists()


def test_the_menu_offers_a_leader_no_import_link(cast: Cast, client_for, experts):
    assert f"{URL}import/" not in client_for(cast.leader).get(URL).content.decode()


# --- search and filters -----------------------------------------------------------------------------------------


def test_search_ignores_diacritics_and_d_stroke(cast: Cast, client_for, experts, outsider_expert):
    staff = client_for(cast.staff)
    assert names(staff.get(URL, {"q": "nguyen"})) == ["Nguyễn Văn Đạt"]
    assert names(staff.get(URL, {"q": "NGUYEN van dat"})) == ["Nguyễn Văn Đạt"]
    assert names(staff.get(URL, {"q": "dat"})) == ["Nguyễn Văn Đạt"]
    assert names(staff.get(URL, {"q": "sam ngoc linh"})) == ["Nguyễn Văn Đạt"]
    assert names(staff.get(URL, {"q": "sot ret"})) == ["Trần Thị Bình"]
    assert names(staff.get(URL, {"q": "tuoi tiet kiem"})) == ["Đỗ Thị Hạnh"]
    assert names(staff.get(URL, {"q": "do thi"})) == ["Đỗ Thị Hạnh"]
    assert names(staff.get(URL, {"q": "y te"})) == ["Trần Thị Bình", "Nguyễn Văn Đạt"]  # field name
    assert names(staff.get(URL, {"q": "cg-0001"})) == ["Lê Văn An"]  # code
    assert names(staff.get(URL, {"q": "sâm Ngọc Linh"})) == ["Nguyễn Văn Đạt"]  # tones typed are fine too
    assert names(staff.get(URL, {"q": "khong ai co"})) == []
    html = staff.get(URL, {"q": "khong ai co"}).content.decode()
    assert "Không có chuyên gia nào phù hợp." in html


def test_search_finds_a_place_named_in_the_cv_without_tone_marks(cast: Cast, client_for, experts, fields):
    binh = by_name(experts, "Trần Thị Bình")
    binh.cv = "Khảo sát sốt rét tại huyện Sa Thầy năm 2020."
    services.save_expert(actor=cast.staff, union=cast.union, person=binh.person, expert=binh, fields=[fields["YT"]])
    assert names(client_for(cast.staff).get(URL, {"q": "sa thay"})) == ["Trần Thị Bình"]


def test_search_finds_an_expert_by_workplace(cast: Cast, client_for, experts):
    assert names(client_for(cast.staff).get(URL, {"q": "dak to"})) == ["Nguyễn Văn Đạt"]


def test_search_follows_a_rename_in_the_people_registry(cast: Cast, client_for, experts):
    an = by_name(experts, "Lê Văn An")
    an.person.name = "Lê Văn Ân"
    core_services.save_registry_record(actor=cast.staff, union=cast.union, record=an.person)
    staff = client_for(cast.staff)
    assert names(staff.get(URL, {"q": "le van an"})) == ["Lê Văn Ân"]
    assert names(staff.get(URL, {"q": "Lê Văn Ân"})) == ["Lê Văn Ân"]


def test_filters_by_field_degree_association_locality_and_availability(
    cast: Cast, client_for, experts, fields, outsider_expert
):
    staff = client_for(cast.staff)
    assert names(staff.get(URL, {"field": fields["XD"].pk})) == ["Lê Văn An", "Đỗ Thị Hạnh"]
    assert names(staff.get(URL, {"field": fields["NN"].pk})) == ["Nguyễn Văn Đạt", "Đỗ Thị Hạnh"]
    assert names(staff.get(URL, {"degree": "PGS"})) == ["Nguyễn Văn Đạt"]
    assert names(staff.get(URL, {"degree": "TS"})) == ["Trần Thị Bình", "Nguyễn Văn Đạt"]
    assert names(staff.get(URL, {"degree": "ThS"})) == ["Lê Văn An"]
    assert names(staff.get(URL, {"association": cast.association.pk})) == ["Nguyễn Văn Đạt"]
    # Locality: the expert's own locality, or the unit of their workplace (and units under the one chosen).
    assert names(staff.get(URL, {"locality": cast.district.pk})) == ["Trần Thị Bình", "Nguyễn Văn Đạt"]
    assert names(staff.get(URL, {"locality": cast.district.parent_id})) == ["Trần Thị Bình", "Nguyễn Văn Đạt"]
    assert names(staff.get(URL, {"availability": "unavailable"})) == ["Đỗ Thị Hạnh"]
    assert names(staff.get(URL, {"availability": "limited"})) == ["Lê Văn An"]
    assert names(staff.get(URL, {"field": fields["NN"].pk, "q": "ca phe"})) == ["Đỗ Thị Hạnh"]
    assert names(staff.get(URL, {"field": fields["NN"].pk, "degree": "PGS", "association": cast.association.pk})) == [
        "Nguyễn Văn Đạt"
    ]
    # Each filter offers the Union's own choices only.
    response = staff.get(URL)
    assert list(response.context["field_choices"]) == sorted(fields.values(), key=lambda f: f.sort_key)
    assert "PGS" in [value for value, _label in response.context["degree_choices"]]
    assert set(response.context["locality_choices"]) == {cast.district}


def test_the_htmx_request_gets_the_results_only(cast: Cast, client_for, experts):
    response = client_for(cast.staff).get(URL, {"q": "sam"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="results">')
    assert "Nguyễn Văn Đạt" in html and "<form" not in html


def test_experts_are_sorted_by_given_name_the_vietnamese_way(cast: Cast, client_for, experts, fields):
    for name in ("Hoàng Văn Dũng", "Y Blong", "Bùi Thị Ánh", "Phạm Văn Ân"):
        add_expert(cast.staff, cast.union, name, [fields["NN"]], association=cast.association)
    assert names(client_for(cast.staff).get(URL)) == [
        "Lê Văn An",
        "Bùi Thị Ánh",  # a before â: Ánh (a-n-h) before Ân (â-n)
        "Phạm Văn Ân",
        "Trần Thị Bình",
        "Y Blong",  # given name Blong: after Bình (i before l)
        "Hoàng Văn Dũng",
        "Nguyễn Văn Đạt",  # d before đ
        "Đỗ Thị Hạnh",
    ]


def test_the_list_takes_the_same_number_of_queries_for_2_and_20_experts(cast: Cast, client_for, fields):
    staff = client_for(cast.staff)

    def fill(total: int) -> None:
        for i in range(Expert.objects.filter(union=cast.union).count(), total):
            expert = add_expert(
                cast.staff,
                cast.union,
                f"Nguyễn Văn Số{i}",
                [fields["NN"], fields["XD"]],
                agency=cast.agency,
                association=cast.association,
                expert={"locality": cast.district, "keywords": "cà phê"},
            )
            Engagement.objects.create(
                union=cast.union, expert=expert, role="Phản biện", title=f"Đề án {i}", assigned_on="2024-01-01"
            )

    def measure(total: int) -> int:
        fill(total)
        staff.get(URL)
        with CaptureQueriesContext(connection) as queries:
            response = staff.get(URL, {"q": "nguyen"})
        assert len(response.context["page"].object_list) == total
        return len(queries)

    assert measure(2) == measure(20)


# --- record, create, edit ---------------------------------------------------------------------------------------


def test_the_expert_record(cast: Cast, client_for, experts):
    dat = by_name(experts, "Nguyễn Văn Đạt")
    Engagement.objects.create(
        union=cast.union,
        expert=dat,
        role="Giám khảo",
        title="Cuộc thi Sáng tạo 2021",
        assigned_on="2021-05-20",
        due_on="2021-06-15",
        completed_on="2021-06-12",
    )
    response = client_for(cast.staff).get(f"{URL}{dat.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    for text in ("PGS.TS Nguyễn Văn Đạt", "CG-0003", "UBND huyện Đăk Tô", "Hội Y học tỉnh Kon Tum", "sâm Ngọc Linh"):
        assert text in html, text
    assert "Cuộc thi Sáng tạo 2021" in html
    assert response.context["record"]["total"] == 1 and response.context["record"]["on_time"] == 1
    assert client_for(cast.staff).get(f"{URL}999999/").status_code == 404


def expert_post(fields, **extra) -> dict:
    data = {
        "person-name": "Võ Thị Thu Hà",
        "person-birth_year": "1982",
        "person-gender": "female",
        "person-academic_title": "",
        "person-degree": "TS",
        "person-position": "Giảng viên",
        "person-agency": "",
        "person-association": "",
        "person-email": "ha.vo@example.test",
        "person-phone": "0905 111 222",
        "expert-fields": [fields["YT"].pk],
        "expert-keywords": "dinh dưỡng trẻ em; y học cổ truyền",
        "expert-cv": "",
        "expert-locality": "",
        "expert-availability": "available",
        "expert-max_load": "",
    }
    data.update(extra)
    return data


def test_staff_create_an_expert(cast: Cast, client_for, experts, fields):
    staff = client_for(cast.staff)
    assert staff.get(f"{URL}new/").status_code == 200
    response = staff.post(
        f"{URL}new/",
        expert_post(
            fields,
            **{"person-agency": cast.agency.pk, "person-association": cast.association.pk, "expert-max_load": "2"},
        ),
    )
    created = Expert.objects.get(person__name="Võ Thị Thu Hà")
    assert response.status_code == 302 and response["Location"] == f"{URL}{created.pk}/"
    assert created.code == "CG-0005"
    assert created.union == cast.union and created.person.union == cast.union
    assert [f.code for f in created.fields.all()] == ["YT"]
    assert created.person.agency == cast.agency and created.max_load == 2
    assert "dinh duong tre em" in created.search_folded
    assert names(staff.get(URL, {"q": "thu ha"})) == ["Võ Thị Thu Hà"]
    assert created.history.count() == 1


def test_the_expert_form_refuses_with_reasons(cast: Cast, client_for, experts, fields):
    staff = client_for(cast.staff)
    response = staff.post(
        f"{URL}new/",
        expert_post(
            fields, **{"expert-fields": [], "person-name": "", "expert-max_load": "99", "person-birth_year": "1850"}
        ),
    )
    assert response.status_code == 200
    assert response.context["expert_form"].errors["fields"] == [vi("Choose at least one field of expertise.")]
    assert response.context["expert_form"].errors["max_load"] == [vi("Enter a number from 1 to 50, or leave it empty.")]
    assert "birth_year" in response.context["person_form"].errors
    assert "name" in response.context["person_form"].errors
    html = response.content.decode()
    assert "Hãy chọn ít nhất một lĩnh vực chuyên môn." in html
    assert "Nhập số từ 1 đến 50, hoặc để trống." in html
    assert Expert.objects.count() == len(experts)


def test_the_expert_form_refuses_another_unions_choices(cast: Cast, client_for, experts, fields, outsider_expert):
    staff = client_for(cast.staff)
    outsider_field = outsider_expert.fields.get()
    response = staff.post(
        f"{URL}new/",
        expert_post(fields, **{"expert-fields": [outsider_field.pk], "person-agency": cast.outsider_agency.pk}),
    )
    assert response.status_code == 200
    assert "fields" in response.context["expert_form"].errors
    assert "agency" in response.context["person_form"].errors
    assert not Expert.objects.filter(person__name="Võ Thị Thu Hà").exists()


def test_staff_edit_an_expert_and_the_change_is_in_the_history(cast: Cast, client_for, experts, fields):
    staff = client_for(cast.staff)
    an = by_name(experts, "Lê Văn An")
    response = staff.get(f"{URL}{an.pk}/edit/")
    assert response.status_code == 200
    assert response.context["person_form"]["name"].value() == "Lê Văn An"
    data = expert_post(
        fields,
        **{
            "person-name": "Lê Văn An",
            "person-birth_year": "1985",
            "person-gender": "male",
            "person-degree": "TS",
            "expert-fields": [fields["XD"].pk, fields["NN"].pk],
            "expert-keywords": "giao thông nông thôn; kênh tưới",
            "expert-availability": "available",
        },
    )
    response = staff.post(f"{URL}{an.pk}/edit/", data)
    assert response.status_code == 302
    an = Expert.objects.get(pk=an.pk)
    assert an.code == "CG-0001"  # the stable key never changes
    assert an.person.degree == "TS" and an.availability == "available"
    assert {f.code for f in an.fields.all()} == {"NN", "XD"}
    assert "kenh tuoi" in an.search_folded
    assert an.history.count() == 2
    assert Expert.objects.count() == len(experts)
    detail = staff.get(f"{URL}{an.pk}/").content.decode()
    assert "TS Lê Văn An" in detail and "kênh tưới" in detail


# --- relations ------------------------------------------------------------------------------------------------------


def test_staff_record_and_remove_a_declared_relation(cast: Cast, client_for, experts):
    staff = client_for(cast.staff)
    an, binh = by_name(experts, "Lê Văn An"), by_name(experts, "Trần Thị Bình")
    response = staff.post(
        f"{URL}{an.pk}/relations/", {"other": binh.person_id, "kind": "coauthor", "note": "Bài báo 2019"}
    )
    assert response.status_code == 302 and response["Location"] == f"{URL}{an.pk}/"
    relation = Relation.objects.get()
    assert (relation.person, relation.other, relation.kind) == (an.person, binh.person, "coauthor")
    assert relation.recorded_by == cast.staff
    # Both records show it.
    assert "Trần Thị Bình" in staff.get(f"{URL}{an.pk}/").content.decode().split('id="relations-heading"')[1]
    assert "Lê Văn An" in staff.get(f"{URL}{binh.pk}/").content.decode().split('id="relations-heading"')[1]
    # The same relation the other way round is refused.
    again = staff.post(f"{URL}{binh.pk}/relations/", {"other": an.person_id, "kind": "coauthor"})
    assert [str(m) for m in get_messages(again.wsgi_request)] == ["Quan hệ này đã được ghi nhận."]
    assert Relation.objects.count() == 1
    # Removing it.
    response = staff.post(f"{URL}relations/{relation.pk}/remove/")
    assert response.status_code == 302
    assert not Relation.objects.exists()


def test_a_relation_with_someone_of_another_union_is_refused(cast: Cast, client_for, experts, outsider_expert):
    staff = client_for(cast.staff)
    an = experts[0]
    response = staff.post(f"{URL}{an.pk}/relations/", {"other": outsider_expert.person_id, "kind": "relative"})
    assert response.status_code == 302
    assert not Relation.objects.exists()
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert len(messages) == 1 and messages[0].startswith("Chưa ghi nhận được quan hệ: ")
    # A relation with oneself is not offered either.
    assert staff.post(f"{URL}{an.pk}/relations/", {"other": an.person_id, "kind": "relative"}).status_code == 302
    assert not Relation.objects.exists()


def test_only_editors_remove_relations_and_outsiders_get_404(cast: Cast, client_for, experts):
    relation = Relation.objects.create(
        union=cast.union, person=experts[0].person, other=experts[1].person, kind="relative"
    )
    assert client_for(cast.leader).post(f"{URL}relations/{relation.pk}/remove/").status_code == 403
    assert (
        client_for(cast.outsider_staff).post(f"/quangngai/app/experts/relations/{relation.pk}/remove/").status_code
        == 404
    )
    assert Relation.objects.filter(pk=relation.pk).exists()


# --- fields -----------------------------------------------------------------------------------------------------


def test_fields_page_creates_a_field_and_refuses_a_duplicate_code(cast: Cast, client_for, experts, fields):
    staff = client_for(cast.staff)
    response = staff.get(f"{URL}fields/")
    assert sorted((f.code, f.n) for f in response.context["fields"]) == [("NN", 2), ("XD", 2), ("YT", 2)]
    response = staff.post(f"{URL}fields/", {"code": " gd ", "name": "Giáo dục và đào tạo", "description": ""})
    assert response.status_code == 302
    assert Field.objects.get(union=cast.union, code="GD").name == "Giáo dục và đào tạo"
    duplicate = staff.post(f"{URL}fields/", {"code": "nn", "name": "Nông nghiệp lần hai", "description": ""})
    assert duplicate.status_code == 200
    assert duplicate.context["form"].errors["code"] == [vi("Another field already has this code.")]
    assert "Mã này đã được dùng cho lĩnh vực khác." in duplicate.content.decode()
    assert Field.objects.filter(union=cast.union).count() == 4
    # Another Union may use the same code.
    outsider = client_for(cast.outsider_staff)
    assert outsider.post("/quangngai/app/experts/fields/", {"code": "GD", "name": "Giáo dục"}).status_code == 302


def test_the_fields_page_lists_fields_in_vietnamese_order(cast: Cast, client_for):
    for code, name in (("YT", "Y tế"), ("XD", "Xây dựng"), ("DT", "Điện tử"), ("CK", "Cơ khí")):
        services.save_field(actor=cast.staff, union=cast.union, field=Field(union=cast.union, code=code, name=name))
    response = client_for(cast.staff).get(f"{URL}fields/")
    assert [f.code for f in response.context["fields"]] == ["CK", "DT", "XD", "YT"]


def test_a_field_is_edited_and_its_code_stays_unique(cast: Cast, client_for, fields):
    staff = client_for(cast.staff)
    nn = fields["NN"]
    response = staff.post(f"{URL}fields/{nn.pk}/edit/", {"code": "NN", "name": "Nông nghiệp và nông thôn"})
    assert response.status_code == 302
    nn.refresh_from_db()
    assert nn.name == "Nông nghiệp và nông thôn"
    clash = staff.post(f"{URL}fields/{nn.pk}/edit/", {"code": "yt", "name": "Nông nghiệp"})
    assert clash.status_code == 200 and "code" in clash.context["form"].errors
    assert client_for(cast.outsider_staff).get(f"/quangngai/app/experts/fields/{nn.pk}/edit/").status_code == 404


# --- quick matching -----------------------------------------------------------------------------------------------


def test_find_ranks_the_expert_whose_keywords_match_first_and_shows_why(cast: Cast, client_for, experts, fields):
    staff = client_for(cast.staff)
    text = "Đề án mở rộng vùng trồng sâm Ngọc Linh dưới tán rừng và phát triển cây dược liệu"
    response = staff.get(f"{URL}find/", {"text": text})
    assert response.status_code == 200
    ranked = response.context["ranked"]
    assert ranked and ranked[0][0].person.name == "Nguyễn Văn Đạt"
    best = ranked[0][1]  # (expert, why)
    assert best.rank == 1 and best.label == "rất phù hợp", best
    html = response.content.decode()
    row = html.split("Nguyễn Văn Đạt", 1)[1].split("</li>", 1)[0]
    assert "Rất phù hợp" in row and "Cùng đề cập: «sâm Ngọc Linh», «dược liệu», «dưới tán rừng»" in row, row
    assert not re.search(r"\d,\d\d", row)  # no bare score
    first = html.index("Nguyễn Văn Đạt")
    for other in ("Lê Văn An", "Trần Thị Bình"):
        assert other not in html or html.index(other) > first
    # An unavailable expert is never proposed, even when matching.
    cafe = staff.get(f"{URL}find/", {"text": "cà phê tưới tiết kiệm"}).context["ranked"]
    assert "Đỗ Thị Hạnh" not in [row[0].person.name for row in cafe]


def test_find_gives_a_bonus_for_a_shared_field(cast: Cast, client_for, experts, fields):
    response = client_for(cast.staff).get(f"{URL}find/", {"text": "kế hoạch năm", "fields": [fields["XD"].pk]})
    ranked = response.context["ranked"]
    assert [row[0].person.name for row in ranked][:1] == ["Lê Văn An"]
    first = response.content.decode().split("Lê Văn An", 1)[1].split("</li>", 1)[0]
    assert "Cùng lĩnh vực: Xây dựng và giao thông" in first and ">XD<" not in first  # the field's name


def test_find_without_text_asks_for_it(cast: Cast, client_for, experts):
    response = client_for(cast.staff).get(f"{URL}find/", {"text": ""})
    assert response.status_code == 200
    assert response.context["ranked"] == []
    assert "text" in response.context["form"].errors


# --- export respects the filters ------------------------------------------------------------------------------


def exported_names(response) -> list[str]:
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content))[excel.SHEET]
    return [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]


def test_the_export_respects_the_filters_and_the_order(cast: Cast, client_for, experts, fields, outsider_expert):
    staff = client_for(cast.staff)
    assert exported_names(staff.get(f"{URL}export.xlsx")) == [
        "Lê Văn An",
        "Trần Thị Bình",
        "Nguyễn Văn Đạt",
        "Đỗ Thị Hạnh",
    ]
    assert exported_names(staff.get(f"{URL}export.xlsx", {"field": fields["XD"].pk})) == ["Lê Văn An", "Đỗ Thị Hạnh"]
    assert exported_names(staff.get(f"{URL}export.xlsx", {"q": "sam ngoc linh"})) == ["Nguyễn Văn Đạt"]
    assert exported_names(staff.get(f"{URL}export.xlsx", {"degree": "PGS"})) == ["Nguyễn Văn Đạt"]
    html = staff.get(URL, {"field": fields["XD"].pk}).content.decode()
    assert f"export.xlsx?field={fields['XD'].pk}" in html  # the list's export link carries the filters
    response = staff.get(f"{URL}export.xlsx", {"availability": "unavailable"})
    assert response["Content-Disposition"] == 'attachment; filename="chuyen-gia-kontum.xlsx"'
    assert response["Cache-Control"] == "private, no-store"
    assert exported_names(response) == ["Đỗ Thị Hạnh"]


def test_removing_a_relation_returns_to_the_page_it_was_removed_from(cast: Cast, client_for, experts):
    an, binh = by_name(experts, "Lê Văn An"), by_name(experts, "Trần Thị Bình")
    relation = Relation.objects.create(union=cast.union, person=an.person, other=binh.person, kind="relative")
    response = client_for(cast.staff).post(f"{URL}relations/{relation.pk}/remove/", {"expert": binh.pk})
    assert response["Location"] == f"{URL}{binh.pk}/"


def test_editing_an_expert_keeps_a_locality_that_no_longer_exists(cast: Cast, client_for, experts, fields):
    """Trần Thị Bình's locality (Huyện Đăk Tô) ended with the 2025 reform; editing her must not lose it."""
    staff = client_for(cast.staff)
    binh = by_name(experts, "Trần Thị Bình")
    form = staff.get(f"{URL}{binh.pk}/edit/").context["expert_form"]
    assert cast.district in form.fields["locality"].queryset
    data = expert_post(
        fields,
        **{
            "person-name": "Trần Thị Bình",
            "person-association": binh.person.association_id,
            "expert-locality": cast.district.pk,
            "expert-keywords": "sốt rét",
        },
    )
    assert staff.post(f"{URL}{binh.pk}/edit/", data).status_code == 302
    binh.refresh_from_db()
    assert binh.locality == cast.district and binh.keywords == "sốt rét"


@pytest.mark.parametrize("params", [{"field": "abc"}, {"association": "x"}, {"locality": "1.5"}])
def test_a_malformed_filter_is_not_a_server_error(cast: Cast, client_for, experts, params):
    client = client_for(cast.staff)
    client.raise_request_exception = False
    assert client.get(URL, params).status_code in (200, 400)
    assert client.get(f"{URL}export.xlsx", params).status_code in (200, 400)


def test_a_filter_naming_another_unions_record_finds_nothing(cast: Cast, client_for, experts, outsider_expert):
    staff = client_for(cast.staff)
    outsider_field = outsider_expert.fields.get()
    assert names(staff.get(URL, {"field": outsider_field.pk})) == []
    assert names(staff.get(URL, {"association": outsider_expert.person.association_id})) == []
    assert exported_names(staff.get(f"{URL}export.xlsx", {"field": outsider_field.pk})) == []
