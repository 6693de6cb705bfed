"""Demo experts of the Kon Tum Union: the controlled list of fields, 50+ experts across them (the registry's
people included), a few declared relations, and a matching batch for two drafts of the seed's districts.

Names and workplaces are made up but plausible; generated deterministically so every demo is the same."""

import random

from lienhiep.core.models import AdminUnit, Agency, MemberAssociation, Person, Union, User
from lienhiep.core.text import fold
from lienhiep.experts.models import Batch, BatchItem, Engagement, Expert, Field, Relation

FIELDS = [
    ("CK", "Cơ khí và tự động hóa", "chế tạo máy; tự động hóa; máy nông nghiệp; cơ điện tử; gia công cơ khí"),
    (
        "DT",
        "Điện, điện tử, công nghệ thông tin",
        "điện năng lượng mặt trời; phần mềm; chuyển đổi số; IoT; mạng cảm biến",
    ),
    (
        "NN",
        "Nông nghiệp, lâm nghiệp, thủy sản",
        "sâm Ngọc Linh; cà phê; dược liệu; chăn nuôi bò; trồng rừng; cá nước lạnh",
    ),
    ("YT", "Y tế, dược", "y tế dự phòng; dược liệu; y học cổ truyền; dinh dưỡng trẻ em; sốt rét"),
    ("GD", "Giáo dục và đào tạo", "giáo dục dân tộc; trường bán trú; đào tạo nghề; STEM; xóa mù chữ"),
    (
        "MT",
        "Môi trường và tài nguyên",
        "đánh giá tác động môi trường; tài nguyên nước; đất đai; biến đổi khí hậu; chất thải rắn",
    ),
    ("XD", "Xây dựng và giao thông", "quy hoạch xây dựng; giao thông nông thôn; thủy lợi; kết cấu công trình; nhà ở"),
    (
        "VH",
        "Văn hóa, xã hội, quản lý",
        "văn hóa dân tộc Xơ Đăng; du lịch cộng đồng; giảm nghèo; quản lý nhà nước; kinh tế",
    ),
]
CV_LINES = {
    "CK": "Chủ nhiệm đề tài cải tiến máy tách hạt cà phê; hướng dẫn nhiều giải pháp Hội thi Sáng tạo kỹ thuật.",
    "DT": "Triển khai hệ thống điện mặt trời áp mái cho trường học; xây dựng phần mềm quản lý hồ sơ một cửa.",
    "NN": "Nghiên cứu kỹ thuật trồng sâm Ngọc Linh dưới tán rừng; mô hình cà phê xen canh; chăn nuôi bò lai.",
    "YT": "Chương trình phòng chống sốt rét vùng biên giới; bảo tồn cây thuốc của đồng bào dân tộc thiểu số.",
    "GD": "Đổi mới giáo dục ở trường phổ thông dân tộc bán trú; chấm thi Cuộc thi Sáng tạo Thanh thiếu niên.",
    "MT": "Tham gia hội đồng thẩm định báo cáo đánh giá tác động môi trường thủy điện nhỏ; quản lý tài nguyên nước.",
    "XD": "Quy hoạch nông thôn mới cấp xã; thiết kế công trình thủy lợi nhỏ và đường giao thông nông thôn.",
    "VH": "Bảo tồn văn hóa cồng chiêng Tây Nguyên; phát triển du lịch cộng đồng làng Kon K'Tu; chính sách giảm nghèo.",
}
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Võ", "Đặng", "Bùi", "Đỗ", "Huỳnh", "Phan", "Ngô", "Đinh", "Hồ"]
MIDDLE = ["Văn", "Thị", "Hữu", "Minh", "Thanh", "Quốc", "Ngọc", "Đức", "Thu", "Công", "Xuân", "Kim"]
GIVEN = [
    "An", "Bảo", "Cường", "Dũng", "Đạt", "Giang", "Hà", "Hải", "Hạnh", "Hiếu", "Hòa", "Hùng", "Khánh", "Lan",
    "Linh", "Long", "Mai", "Nam", "Nga", "Phúc", "Quang", "Quyên", "Sơn", "Tâm", "Thảo", "Thắng", "Trang",
    "Trung", "Tuấn", "Uyên", "Vinh", "Yến",
]  # fmt: skip
LOCAL_NAMES = ["A Thiêng", "Y Nhung", "A Đe", "Y Lan", "A Sang", "Y Khiêm"]
WORKPLACES = [
    ("Phân hiệu Đại học Đà Nẵng tại Kon Tum", Agency.Kind.SCHOOL),
    ("Trường Cao đẳng Cộng đồng Kon Tum", Agency.Kind.SCHOOL),
    ("Sở Khoa học và Công nghệ tỉnh Kon Tum", Agency.Kind.DEPARTMENT),
    ("Sở Y tế tỉnh Kon Tum", Agency.Kind.DEPARTMENT),
    ("Sở Tài nguyên và Môi trường tỉnh Kon Tum", Agency.Kind.DEPARTMENT),
    ("Bệnh viện Đa khoa tỉnh Kon Tum", Agency.Kind.OTHER),
    ("Trung tâm Nghiên cứu Dược liệu Ngọc Linh", Agency.Kind.RESEARCH),
    ("Công ty TNHH Cơ khí Tây Nguyên", Agency.Kind.ENTERPRISE),
    ("Trường THPT Chuyên Nguyễn Tất Thành", Agency.Kind.SCHOOL),
    ("Phòng Nông nghiệp và Phát triển nông thôn huyện Đăk Tô", Agency.Kind.DEPARTMENT),
    ("Phòng Kinh tế - Hạ tầng huyện Tu Mơ Rông", Agency.Kind.DEPARTMENT),
]
ASSOCIATION_OF = {
    "CK": "Hội Tin học",
    "DT": "Hội Tin học",
    "NN": "Hội KHKT Nông nghiệp",
    "YT": "Hội Y học",
    "GD": "Hội KH Lịch sử",
    "MT": "Hội KHKT Nông nghiệp",
    "XD": "Hội KTS",
    "VH": "Hội KH Lịch sử",
}
TITLES = [("", "TS"), ("", "ThS"), ("PGS", "TS"), ("", "KS"), ("", "ThS"), ("", "CN"), ("GS", "TS"), ("", "BS")]


def load() -> None:
    kontum = Union.objects.get(slug="kontum")
    rng = random.Random(2021)
    fields = {}
    for code, name, _keywords in FIELDS:
        fields[code] = Field.objects.create(union=kontum, code=code, name=name)
    agencies = {fold(a.name): a for a in Agency.objects.filter(union=kontum)}
    province = AdminUnit.objects.filter(level="province", name_folded__contains="kon tum").first()
    for name, kind in WORKPLACES:
        if fold(name) not in agencies:
            agencies[fold(name)] = Agency.objects.create(union=kontum, name=name, kind=kind, admin_unit=province)
    workplaces = [agencies[fold(name)] for name, _kind in WORKPLACES]
    associations = {a.short_name: a for a in MemberAssociation.objects.filter(union=kontum)}
    districts = list(AdminUnit.objects.filter(level="district", parent=province).order_by("code"))

    experts: list[Expert] = []

    def make_expert(person: Person, codes: list[str]) -> Expert:
        keywords = []
        for code in codes:
            keywords += rng.sample([k.strip() for k in dict((c, k) for c, _n, k in FIELDS)[code].split(";")], 2)
        expert = Expert.objects.create(
            union=kontum,
            person=person,
            code=f"CG-{len(experts) + 1:04d}",
            keywords="; ".join(keywords),
            cv=" ".join(CV_LINES[c] for c in codes),
            locality=rng.choice(districts) if districts and rng.random() < 0.5 else None,
            availability=rng.choices(list(Expert.Availability), weights=[8, 2, 1])[0],
            max_load=rng.choice([None, None, 2, 4]),
        )
        expert.fields.set([fields[c] for c in codes])
        expert.refresh_search([fields[c].name for c in codes])
        expert.save(update_fields=["search_folded"])
        experts.append(expert)
        return expert

    # The registry's own scientists are experts too (Y Blong is the demo expert account).
    for person, codes in [
        ("Y Blong", ["NN", "MT"]),
        ("Trần Thị Minh Thư", ["XD"]),
        ("Lê Văn Bình", ["YT"]),
        ("Hoàng Ngọc Ánh", ["DT"]),
        ("Nguyễn Thị Ánh", ["NN"]),
    ]:
        make_expert(Person.objects.get(union=kontum, name=person), codes)

    codes = [code for code, _n, _k in FIELDS]
    for i in range(48):
        main = codes[i % len(codes)]
        chosen = [main] + ([rng.choice(codes)] if rng.random() < 0.35 else [])
        chosen = list(dict.fromkeys(chosen))
        name = (
            LOCAL_NAMES[i % len(LOCAL_NAMES)] + " " + rng.choice(GIVEN)
            if i % 9 == 0
            else f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
        )
        title, degree = rng.choice(TITLES)
        person = Person.objects.create(
            union=kontum,
            name=name,
            birth_year=rng.randint(1958, 1992),
            gender="female" if " Thị " in name or rng.random() < 0.3 else "male",
            academic_title=title,
            degree=degree,
            position=rng.choice(["Giảng viên", "Nghiên cứu viên", "Trưởng phòng", "Bác sĩ", "Kỹ sư", "Chuyên viên"]),
            agency=rng.choice(workplaces),
            association=associations.get(ASSOCIATION_OF[main]),
            email=f"chuyengia{i + 1:02d}@lienhiep.test",
        )
        make_expert(person, chosen)

    people = [e.person for e in experts]
    for a, b, kind in [
        (5, 6, Relation.Kind.RELATIVE),
        (7, 20, Relation.Kind.COAUTHOR),
        (9, 30, Relation.Kind.SUPERVISOR),
    ]:
        Relation.objects.create(union=kontum, person=people[a], other=people[b], kind=kind)

    # A matching batch for the drafts the seed's districts talked about (proposal left for staff to compute).
    staff = User.objects.filter(username="canbo").first()
    batch = Batch.objects.create(
        union=kontum,
        title="Phản biện các đề án của huyện Tu Mơ Rông và Đăk Tô năm 2022",
        purpose=Batch.Purpose.ADVISORY,
        role="Phản biện",
        per_item=3,
        default_max_load=2,
        require_field_expert=True,
        distinct_workplaces=True,
        created_by=staff,
    )
    tmr = agencies.get(fold("UBND huyện Tu Mơ Rông"))
    dakto = agencies.get(fold("UBND huyện Đăk Tô"))
    items = [
        (
            "Đề án phát triển sâm Ngọc Linh và cây dược liệu huyện Tu Mơ Rông giai đoạn 2022–2025",
            "Mở rộng vùng trồng sâm Ngọc Linh dưới tán rừng, bảo tồn nguồn gen, liên kết chuỗi giá trị dược liệu, "
            "hỗ trợ đồng bào Xơ Đăng phát triển sinh kế và du lịch cộng đồng.",
            ["NN", "YT"],
            tmr,
        ),
        (
            "Dự án thủy lợi và giao thông nông thôn phục vụ vùng cà phê huyện Đăk Tô",
            "Xây dựng hồ chứa nước nhỏ, kênh tưới tiết kiệm cho cà phê, nâng cấp đường giao thông nông thôn; "
            "đánh giá tác động môi trường và tài nguyên nước.",
            ["XD", "MT"],
            dakto,
        ),
    ]
    for title, text, item_fields, agency in items:
        item = BatchItem.objects.create(
            batch=batch,
            title=title,
            text=text,
            requesting_agency=agency,
            locality=agency.admin_unit if agency else None,
        )
        item.fields.set([fields[c] for c in item_fields])

    # Past work, so the registry shows a record: the 2021 youth contest jury.
    for expert in experts[10:16]:
        Engagement.objects.create(
            union=kontum,
            expert=expert,
            role="Giám khảo",
            title="Cuộc thi Sáng tạo Thanh thiếu niên – Nhi đồng tỉnh Kon Tum năm 2021",
            assigned_on="2021-05-20",
            due_on="2021-06-15",
            completed_on="2021-06-12" if expert.pk % 3 else "2021-06-18",
        )
