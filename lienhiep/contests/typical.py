"""The typical configuration of each contest (design/domain.md): the defaults staff start from, every number of
which they then change per edition. Used by «Điền cấu hình thường dùng» and by the demo."""

import datetime

from lienhiep.contests.models import AgeGroup, AwardTier, ContestField, Criterion, DossierItem, Edition, Round
from lienhiep.experts.models import Field as ExpertField

TECHNICAL = {
    # (code, name, code of the expert registry's field whose experts judge it)
    "fields": [
        ("CK", "Cơ khí, tự động hóa", "CK"),
        ("DT", "Điện, điện tử, công nghệ thông tin", "DT"),
        ("NN", "Nông, lâm, ngư nghiệp", "NN"),
        ("YT", "Y tế, dược", "YT"),
        ("GD", "Giáo dục và đào tạo", "GD"),
        ("MT", "Môi trường, tài nguyên", "MT"),
        ("XD", "Xây dựng, giao thông", "XD"),
    ],
    "criteria": [
        ("TM", "Tính mới, tính sáng tạo", 30, "Giải pháp chưa được công bố, áp dụng ở Việt Nam; mức độ sáng tạo."),
        ("UD", "Khả năng áp dụng", 35, "Đã áp dụng trong thực tế, có xác nhận; khả năng nhân rộng."),
        ("HQ", "Hiệu quả kinh tế - xã hội", 35, "Lợi ích kinh tế, xã hội, môi trường so với giải pháp cũ."),
    ],
    "dossier": [
        # (name, kind, required, shown to judges): the registration form names the authors, the user's
        # confirmation names the organisation (and usually the authors): judges score the solution, not the people
        ("Phiếu đăng ký dự thi", DossierItem.Kind.FILE, True, False),
        ("Bản mô tả giải pháp", DossierItem.Kind.FILE, True, True),
        ("Xác nhận áp dụng và hiệu quả của đơn vị sử dụng", DossierItem.Kind.FILE, True, False),
        ("Ảnh, bản vẽ minh họa", DossierItem.Kind.FILE, False, True),
        ("Video giới thiệu", DossierItem.Kind.LINK, False, True),
    ],
    "age_groups": [],
}
YOUTH = {
    "fields": [
        ("KT", "Giải pháp kỹ thuật, mô hình", "CK"),
        ("PM", "Phần mềm, ứng dụng", "DT"),
        ("NM", "Nông nghiệp và môi trường", "NN"),
        ("SK", "Sức khỏe và đời sống", "YT"),
        ("TK", "Mỹ thuật, thiết kế", "VH"),
    ],
    "criteria": [
        ("TM", "Tính sáng tạo, mới lạ", 30, "Ý tưởng riêng của các em, chưa có sản phẩm tương tự."),
        ("KH", "Tính khoa học, kỹ thuật", 30, "Nguyên lý đúng, làm được, an toàn."),
        ("UD", "Khả năng ứng dụng, hiệu quả", 25, "Giải quyết vấn đề thực tế ở trường, gia đình, bản làng."),
        ("TB", "Trình bày, thuyết minh", 15, "Hồ sơ, mô hình, thuyết minh rõ ràng."),
    ],
    "dossier": [
        ("Phiếu đăng ký dự thi có xác nhận của nhà trường", DossierItem.Kind.FILE, True, False),
        ("Bản thuyết minh sản phẩm", DossierItem.Kind.FILE, True, True),
        ("Ảnh hoặc video sản phẩm", DossierItem.Kind.LINK, False, True),
    ],
    "age_groups": [("Bảng A (6–11 tuổi)", 6, 11), ("Bảng B (12–15 tuổi)", 12, 15), ("Bảng C (16–18 tuổi)", 16, 18)],
}
# (name, minimum score, most per field, prize in VND): the national figures as defaults
TIERS = [
    ("Giải Nhất", 90, 1, 15_000_000),
    ("Giải Nhì", 80, 1, 10_000_000),
    ("Giải Ba", 70, 2, 8_000_000),
    ("Giải Khuyến khích", 60, None, 5_000_000),
]
ROUNDS = [("Chung khảo", 2)]


def for_kind(kind: str) -> dict:
    return YOUTH if kind == Edition.Kind.YOUTH else TECHNICAL


def configure(
    edition: Edition, *, fields=(), criteria=(), tiers=(), dossier=(), rounds=(), age_groups=(), max_load: int = 6
) -> list[str]:
    """Create the given parts of an edition's configuration; returns the names of the parts made."""
    made = []
    expert_fields = {f.code: f for f in ExpertField.objects.filter(union=edition.union_id)}
    for code, name, expert_code in fields:
        ContestField.objects.create(edition=edition, code=code, name=name, expert_field=expert_fields.get(expert_code))
    for order, (name, kind, required, *shown) in enumerate(dossier, start=1):
        DossierItem.objects.create(
            edition=edition, name=name, kind=kind, required=required, shown_to_judges=all(shown), order=order
        )
    for order, (name, per_entry) in enumerate(rounds, start=1):
        r = Round.objects.create(
            edition=edition,
            order=order,
            name=name,
            judges_per_entry=per_entry,
            max_load=max_load,
            starts_on=edition.submission_deadline.date() + datetime.timedelta(days=10),
            due_on=edition.submission_deadline.date() + datetime.timedelta(days=30),
        )
        for n, (code, cname, most, description) in enumerate(criteria, start=1):
            Criterion.objects.create(round=r, code=code, name=cname, max_points=most, description=description, order=n)
    for rank, (name, minimum, per_field, prize) in enumerate(tiers, start=1):
        AwardTier.objects.create(
            edition=edition, rank=rank, name=name, min_score=minimum, quota_per_field=per_field, prize_amount=prize
        )
    for name, lo, hi in age_groups:
        AgeGroup.objects.create(edition=edition, name=name, min_age=lo, max_age=hi)
    for part, rows in (("fields", fields), ("dossier", dossier), ("rounds", rounds), ("tiers", tiers)):
        if rows:
            made.append(part)
    return made
