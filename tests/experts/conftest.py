"""Expert-registry fixtures on top of the shared `cast`: a few fields, Kon Tum experts, one outsider expert.

Kept generic and named so every test module of the app can use them:
- `fields`: {code: Field} for NN, YT, XD in the Kon Tum Union;
- `experts`: the Kon Tum experts, sorted the Vietnamese way by given name (An, Bình, Đạt, Hạnh);
- `outsider_expert`: an expert of the outsider Union (Quảng Ngãi) whose keywords match Kon Tum searches.
"""

import pytest

from lienhiep.core.models import MemberAssociation, Person
from lienhiep.experts import services
from lienhiep.experts.models import Expert, Field

FIELDS = {
    "NN": "Nông nghiệp, lâm nghiệp",
    "YT": "Y tế, dược",
    "XD": "Xây dựng và giao thông",
}


def add_field(actor, union, code: str, name: str) -> Field:
    return services.save_field(actor=actor, union=union, field=Field(union=union, code=code, name=name))


def add_expert(actor, union, name: str, fields: list[Field], *, expert: dict | None = None, **person) -> Expert:
    """An expert through the service (code CG-xxxx assigned, search text filled, history recorded)."""
    return services.save_expert(
        actor=actor,
        union=union,
        person=Person(union=union, name=name, **person),
        expert=Expert(union=union, **(expert or {})),
        fields=fields,
    )


@pytest.fixture
def fields(cast) -> dict[str, Field]:
    return {code: add_field(cast.staff, cast.union, code, name) for code, name in FIELDS.items()}


@pytest.fixture
def second_association(cast) -> MemberAssociation:
    return MemberAssociation.objects.create(
        union=cast.union, name="Hội Khoa học Kỹ thuật Nông nghiệp tỉnh Kon Tum", short_name="Hội KHKT Nông nghiệp"
    )


@pytest.fixture
def experts(cast, fields, second_association) -> list[Expert]:
    """Four Kon Tum experts, in Vietnamese order of their given names. Nguyễn Văn Đạt (PGS.TS, NN and YT) works at
    cast.agency (UBND huyện Đăk Tô, in cast.district) and belongs to cast.association; the others belong to
    `second_association`; Trần Thị Bình's locality is cast.district."""
    made = [
        add_expert(
            cast.staff,
            cast.union,
            "Lê Văn An",
            [fields["XD"]],
            birth_year=1985,
            gender=Person.Gender.MALE,
            degree="ThS",
            position="Kỹ sư trưởng",
            association=second_association,
            expert={"keywords": "giao thông nông thôn; thủy lợi", "availability": Expert.Availability.LIMITED},
        ),
        add_expert(
            cast.staff,
            cast.union,
            "Trần Thị Bình",
            [fields["YT"]],
            birth_year=1980,
            gender=Person.Gender.FEMALE,
            degree="TS",
            position="Bác sĩ",
            email="binh.tran@example.test",
            association=second_association,
            expert={
                "keywords": "sốt rét; y tế dự phòng",
                "cv": "Chương trình phòng chống sốt rét vùng biên giới.",
                "locality": cast.district,
            },
        ),
        add_expert(
            cast.staff,
            cast.union,
            "Nguyễn Văn Đạt",
            [fields["NN"], fields["YT"]],
            birth_year=1970,
            gender=Person.Gender.MALE,
            academic_title="PGS",
            degree="TS",
            position="Phó Chủ tịch",
            agency=cast.agency,
            association=cast.association,
            expert={
                "keywords": "sâm Ngọc Linh; dược liệu",
                "cv": "Nghiên cứu kỹ thuật trồng sâm Ngọc Linh dưới tán rừng.",
            },
        ),
        add_expert(
            cast.staff,
            cast.union,
            "Đỗ Thị Hạnh",
            [fields["XD"], fields["NN"]],
            birth_year=1990,
            gender=Person.Gender.FEMALE,
            degree="KS",
            association=second_association,
            expert={"keywords": "cà phê; tưới tiết kiệm", "availability": Expert.Availability.UNAVAILABLE},
        ),
    ]
    return made


@pytest.fixture
def outsider_expert(cast) -> Expert:
    """An expert of the Quảng Ngãi Union, matching the same searches as Kon Tum's (sâm Ngọc Linh, Nguyễn)."""
    union = cast.outsider_union
    nn = add_field(cast.outsider_staff, union, "NN", "Nông nghiệp")
    association = MemberAssociation.objects.create(union=union, name="Hội Nông nghiệp tỉnh Quảng Ngãi")
    return add_expert(
        cast.outsider_staff,
        union,
        "Nguyễn Quốc Dũng",
        [nn],
        birth_year=1975,
        degree="TS",
        agency=cast.outsider_agency,
        association=association,
        expert={"keywords": "sâm Ngọc Linh; dược liệu; Đăk Tô"},
    )
