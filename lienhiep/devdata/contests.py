"""Demo contests of the Kon Tum Union, drawn from the seed (the Union helps Tu Mơ Rông and Đăk Tô run the
Technical Innovation Contest and the Youth and Children's Creativity Contest):

- Hội thi Sáng tạo kỹ thuật tỉnh Kon Tum lần thứ 9 (2022–2023): eight entries, judged through the matching
  engine by the registry's experts, results approved by the leader, certificates issued, results published;
  the demo entrant (thisinh, Đinh Văn Khang) is an author of one of them;
- Cuộc thi Sáng tạo Thanh thiếu niên, Nhi đồng tỉnh Kon Tum lần thứ 14 (2021–2022), in judging: schools of Tu Mơ
  Rông, Đăk Tô and Kon Tum city, with guiding teachers and age groups; one entry returned for completion; the
  demo expert (chuyengia, Y Blong) has sheets to score.

Everything goes through the services (deadlines, conflicts, quotas are really applied); deterministic."""

import datetime
import functools
import random
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from lienhiep.contests import awards, certificates, editions, judging, services, typical
from lienhiep.contests.models import (
    Assignment,
    Edition,
    Entry,
)
from lienhiep.contests.services import ContributorData
from lienhiep.core.models import AdminUnit, Agency, Union, User
from lienhiep.core.text import fold
from lienhiep.experts.models import Expert
from lienhiep.outreach.models import ContestPromotion

TZ = datetime.timezone(datetime.timedelta(hours=7))
SERVER = "http://127.0.0.1:8000"


def at(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=TZ)


@functools.cache
def sample_pdf() -> bytes:
    from weasyprint import HTML  # here, not at the top: WeasyPrint loads Pango and fonts (about a second)

    return HTML(
        string="<html lang='vi'><body style='font-family: Liberation Serif, serif'><h1>Hồ sơ minh họa</h1>"
        "<p>Tệp mẫu của dữ liệu trình diễn Lienhiep (không phải hồ sơ thật).</p></body></html>"
    ).write_pdf()


def _district(short: str) -> AdminUnit | None:
    return AdminUnit.objects.filter(
        AdminUnit.valid_on_q(datetime.date(2022, 1, 1)),
        level="district",
        name_folded__contains=fold(short),
        parent__short_name="Kon Tum",
    ).first()


def submit_demo_entry(edition, actor, title, field, summary, locality, people, now, files, school=None) -> Entry:
    entry = Entry(
        edition=edition,
        union=edition.union,
        field=edition.fields.get(code=field),
        title=title,
        summary=summary,
        locality=locality,
        school=school,
        owner=actor,
    )
    entry = services.save_entry(actor=actor, entry=entry, people=people, now=now)
    for item in edition.dossier_items.filter(required=True):
        services.add_entry_file(
            actor=actor,
            entry=entry,
            item=item,
            upload=SimpleUploadedFile(f"{item.name}.pdf", files, content_type="application/pdf"),
        )
    return services.submit_entry(actor=actor, entry=entry, now=now)


def set_juries(staff, round, experts_by_field, only: dict | None = None) -> None:
    for field in round.edition.fields.select_related("expert_field"):
        code = field.expert_field.code if field.expert_field_id else None
        members = (only or {}).get(field.code) or experts_by_field.get(code, [])[:4]
        judging.set_jury(actor=staff, round=round, field=field, experts=members)


def load() -> None:
    kontum = Union.objects.filter(slug="kontum").first()
    staff = User.objects.filter(username="canbo").first()
    leader = User.objects.filter(username="lanhdao").first()
    entrant = User.objects.filter(username="thisinh").first()
    if kontum is None or staff is None or leader is None:
        return
    rng = random.Random(2022)
    pdf = sample_pdf()
    tmr, dakto, city = _district("tu mo rong"), _district("dak to"), _district("thanh pho kon tum")
    kon_plong, dak_ha, ngoc_hoi = _district("kon plong"), _district("dak ha"), _district("ngoc hoi")
    experts_by_field: dict[str, list[Expert]] = {}
    for expert in (
        Expert.objects.filter(union=kontum)
        .exclude(availability=Expert.Availability.UNAVAILABLE)
        .select_related("person")
        .prefetch_related("fields")
        .order_by("code")
    ):
        for f in expert.fields.all():
            experts_by_field.setdefault(f.code, []).append(expert)

    def agency(name: str, kind: str, unit) -> Agency:
        return Agency.objects.get_or_create(union=kontum, name=name, defaults={"kind": kind, "admin_unit": unit})[0]

    htx = agency("Hợp tác xã Nông nghiệp Tân Cảnh", Agency.Kind.ENTERPRISE, dakto)
    trung_tam_yt = agency("Trung tâm Y tế huyện Đăk Tô", Agency.Kind.DEPARTMENT, dakto)
    tiers = [
        ("Giải Nhất", 90, 1, 10_000_000),
        ("Giải Nhì", 80, 1, 7_000_000),
        ("Giải Ba", 70, 2, 5_000_000),
        ("Giải Khuyến khích", 60, None, 2_000_000),
    ]

    # Hội thi Sáng tạo kỹ thuật lần thứ 9: from registration to published results -----------------------------
    st = editions.save_edition(
        actor=staff,
        union=kontum,
        edition=Edition(
            union=kontum,
            kind=Edition.Kind.TECHNICAL,
            title="Hội thi Sáng tạo kỹ thuật tỉnh Kon Tum lần thứ 9",
            number=9,
            period="2022–2023",
            code="ST9",
            summary="Hội thi phát động trong toàn tỉnh nhằm phát hiện, tôn vinh các giải pháp kỹ thuật đã áp dụng "
            "trong sản xuất và đời sống; các giải pháp xuất sắc được chọn dự Giải thưởng Sáng tạo Khoa học Công "
            "nghệ Việt Nam (VIFOTEC).",
            announced_on=datetime.date(2022, 2, 15),
            registration_opens_at=at(2022, 3, 1, 7, 0, 0),
            registration_closes_at=at(2022, 9, 30, 23, 59, 59),
            submission_deadline=at(2022, 9, 30, 23, 59, 59),
            results_on=datetime.date(2023, 3, 10),
            ceremony_on=datetime.date(2023, 3, 25),
            max_team=5,
            eligibility_note="Cá nhân, nhóm tác giả đang sinh sống, làm việc trên địa bàn tỉnh Kon Tum; giải pháp "
            "đã được áp dụng, có xác nhận của đơn vị sử dụng.",
            disagreement_gap=Decimal("15"),
            tie_break="UD, TM",
            national_quota=2,
        ),
    )
    tc = typical.TECHNICAL
    typical.configure(
        st, fields=tc["fields"], criteria=tc["criteria"], tiers=tiers, dossier=tc["dossier"], rounds=typical.ROUNDS
    )
    editions.move_edition(actor=staff, edition=st, move="open")
    received = at(2022, 9, 20, 9, 30, 0)
    technical = [
        (entrant or staff, "Hệ thống tưới nhỏ giọt điều khiển qua điện thoại cho vườn sâm Ngọc Linh", "DT", tmr,
         "Bộ điều khiển dùng cảm biến độ ẩm đất và mạng di động, giảm 40% lượng nước tưới ở vườn ươm sâm xã Măng Ri.",
         [("Đinh Văn Khang", 70, None), ("Y Hiền", 30, None)]),
        (staff, "Máy tách hạt và phân loại cà phê tươi quy mô hộ gia đình", "CK", dakto,
         "Máy tách vỏ, phân loại hạt cà phê chín bằng sàng rung, công suất 500 kg/giờ, đã dùng ở HTX Tân Cảnh.",
         [("Nguyễn Văn Hùng", 60, htx), ("Trần Văn Long", 40, htx)]),
        (staff, "Bếp đun cải tiến tiết kiệm củi cho hộ đồng bào Xơ Đăng", "MT", tmr,
         "Bếp hai buồng đốt, ống khói dẫn khói ra ngoài nhà sàn; tiết kiệm 45% củi, giảm khói trong nhà.",
         [("A Thuyên", 100, None)]),
        (staff, "Phần mềm quản lý ca bệnh sốt rét tuyến xã", "YT", dakto,
         "Ứng dụng ghi nhận, theo dõi ca bệnh sốt rét cho trạm y tế xã, báo cáo tự động về trung tâm y tế huyện.",
         [("Lê Thị Thu Trang", 50, trung_tam_yt), ("Phạm Minh Đức", 50, trung_tam_yt)]),
        (staff, "Mô hình nuôi cá tầm trong bể xi măng tuần hoàn tại Măng Đen", "NN", kon_plong,
         "Bể tuần hoàn lọc sinh học cho cá tầm nước lạnh, tỷ lệ sống 92%, đã nhân rộng cho 6 hộ.",
         [("Võ Văn Thành", 100, None)]),
        (staff, "Máy băm cỏ voi cầm tay cải tiến cho chăn nuôi bò", "CK", dak_ha,
         "Lưỡi băm thay nhanh, động cơ xăng nhỏ; một người vận hành, năng suất gấp ba băm tay.",
         [("Hồ Văn Nam", 70, None), ("Y Ngân", 30, None)]),
        (staff, "Thiết bị sấy dược liệu bằng năng lượng mặt trời", "NN", ngoc_hoi,
         "Buồng sấy kính kết hợp quạt điện mặt trời, giữ màu và hoạt chất của đảng sâm, sấy nhanh gấp đôi phơi.",
         [("Đặng Thị Mai", 100, None)]),
        (staff, "Cầu treo dân sinh kết cấu thép lắp ghép", "XD", dakto,
         "Cầu treo nhịp 60 m lắp ghép từ cấu kiện thép tiêu chuẩn, dựng trong 10 ngày bằng nhân lực địa phương.",
         [("Bùi Quang Vinh", 100, None)]),
        (staff, "Quy trình nhân giống sâm Ngọc Linh bằng hạt trong vườn ươm có mái che", "NN", tmr,
         "Xử lý hạt, gieo ươm dưới lưới che hai lớp, tỷ lệ nảy mầm 85%; áp dụng tại các vườn ươm xã Măng Ri.",
         [("A Vương", 50, None), ("Y Nga", 50, None)]),
        (staff, "Máy gieo hạt bắp kéo tay", "CK", _district("sa thay"),
         "Máy gieo một hàng, định lượng hạt bằng đĩa lỗ; một người gieo 1 ha trong 6 giờ.",
         [("Đinh Văn Tuấn", 100, None)]),
        (staff, "Hệ thống giám sát nhiệt độ kho vắc xin qua tin nhắn", "DT", city,
         "Cảm biến nhiệt độ gửi tin nhắn khi kho lạnh vượt ngưỡng; lắp cho 5 trạm y tế.",
         [("Ngô Thanh Phong", 100, None)]),
        (staff, "Dây chuyền sơ chế cà phê ướt tiết kiệm nước", "CK", dak_ha,
         "Tuần hoàn nước rửa qua bể lắng, giảm 60% nước thải khi sơ chế cà phê.",
         [("Huỳnh Văn Lợi", 60, None), ("Y Blin", 40, None)]),
    ]  # fmt: skip
    entries = []
    for n, (actor, title, field, unit, summary, people) in enumerate(technical):
        data = [ContributorData(name=name, share=Decimal(share), agency=a) for name, share, a in people]
        entries.append(
            submit_demo_entry(st, actor, title, field, summary, unit, data, received + datetime.timedelta(hours=n), pdf)
        )
    for entry in entries:
        services.screen_entry(actor=staff, entry=entry, decision="accept")
    editions.move_edition(actor=staff, edition=st, move="start_judging")
    r = st.rounds.get()
    set_juries(staff, r, experts_by_field)
    judging.propose_judges(actor=staff, round=r)
    judging.confirm_judges(actor=staff, round=r, today=datetime.date(2022, 10, 10))
    # signed paper sheets typed in by staff: one entry clearly best, a tie decided by UD, one far apart
    # each judge has their own hand (a lenient or a strict marker): the normalised ranking corrects for it
    base = [92, 84, 78, 74, 81, 66, 71, 58, 86, 69, 77, 80]
    hand = {}
    for entry, target in zip(entries, base, strict=True):
        for k, seat in enumerate(Assignment.objects.filter(round=r, entry=entry, status="confirmed")):
            bias = hand.setdefault(seat.expert_id, rng.choice([-6, -3, 0, 0, 3, 6]))
            total = max(40, min(98, target + bias + rng.choice([-2, -1, 0, 1, 2])))
            if entry == entries[5]:  # the judges disagree on the grass cutter
                total = target + (-9 if k else 9)
            tm = min(30, round(total * 0.3))
            ud = min(35, round(total * 0.35))
            points = {c.pk: v for c, v in zip(r.criteria.all(), (tm, ud, min(35, total - tm - ud)), strict=True)}
            judging.enter_paper_sheet(actor=staff, assignment=seat, points=points, comment="Phiếu chấm giấy")
    judging.close_round(actor=staff, round=r)
    editions.move_edition(actor=staff, edition=st, move="start_review")
    awards.apply_proposal(actor=staff, edition=st)
    awards.approve_awards(
        actor=leader, edition=st, number="45/QĐ-LHH", day=datetime.date(2023, 3, 10), signatory="Nguyễn Văn Sơn"
    )
    st = Edition.objects.get(pk=st.pk)
    # one renderer for the batch (fonts and stylesheets read once), in this process
    certificates.issue_batch(certificates.holders(st), actor=staff, base_url=SERVER, processes=1)
    winners = [a.entry for a in awards.winners(st)][:2]
    awards.nominate(actor=staff, edition=st, entries=winners)
    awards.publish_results(actor=staff, edition=st)
    # the working sessions of the outreach demo promoted these contests in Tu Mơ Rông and Đăk Tô

    ContestPromotion.objects.filter(union=kontum, contest_name__startswith="Hội thi Sáng tạo kỹ thuật").update(
        contest_edition=st
    )

    open_for_registration(staff, st)

    # Cuộc thi Sáng tạo Thanh thiếu niên, Nhi đồng lần thứ 14: in judging -----------------------------------------
    tn = editions.save_edition(
        actor=staff,
        union=kontum,
        edition=Edition(
            union=kontum,
            kind=Edition.Kind.YOUTH,
            title="Cuộc thi Sáng tạo Thanh thiếu niên, Nhi đồng tỉnh Kon Tum lần thứ 14",
            number=14,
            period="2021–2022",
            code="TN14",
            summary="Cuộc thi dành cho học sinh, thanh thiếu niên từ 6 đến 18 tuổi; các sản phẩm xuất sắc được chọn "
            "dự Cuộc thi Sáng tạo Thanh thiếu niên, Nhi đồng toàn quốc.",
            announced_on=datetime.date(2021, 11, 20),
            registration_opens_at=at(2021, 12, 1, 7, 0, 0),
            registration_closes_at=at(2022, 6, 15, 23, 59, 59),
            submission_deadline=at(2022, 6, 15, 23, 59, 59),
            age_cutoff=datetime.date(2022, 6, 15),
            min_age=6,
            max_age=18,
            school_levels="Tiểu học; THCS; THPT",
            max_team=3,
            disagreement_gap=Decimal("15"),
            tie_break="TM",
            mentor_certificates=True,
            national_quota=4,
        ),
    )
    yc = typical.YOUTH
    typical.configure(
        tn,
        fields=yc["fields"],
        criteria=yc["criteria"],
        tiers=tiers,
        dossier=yc["dossier"],
        rounds=typical.ROUNDS,
        age_groups=yc["age_groups"],
    )
    editions.move_edition(actor=staff, edition=tn, move="open")
    ContestPromotion.objects.filter(union=kontum, contest_name__startswith="Cuộc thi Sáng tạo").update(
        contest_edition=tn
    )
    schools = {
        "tmr": agency("Trường PTDT Nội trú huyện Tu Mơ Rông", Agency.Kind.SCHOOL, tmr),
        "dakto": agency("Trường THCS Đăk Tô", Agency.Kind.SCHOOL, dakto),
        "thpt": agency("Trường THPT Nguyễn Văn Cừ, huyện Đăk Tô", Agency.Kind.SCHOOL, dakto),
        "city": agency("Trường Tiểu học Lê Lợi, thành phố Kon Tum", Agency.Kind.SCHOOL, city),
    }
    youth = [
        ("Máy bắt côn trùng hại cà phê dùng đèn năng lượng mặt trời", "NM", tmr, "tmr",
         [("A Khuê", 60, datetime.date(2006, 4, 12)), ("Y Thảo", 40, datetime.date(2006, 9, 3))], "Nguyễn Thị Hương"),
        ("Ứng dụng học chữ Xơ Đăng cho học sinh lớp 1", "PM", tmr, "tmr",
         [("Y Ngọc Anh", 100, datetime.date(2005, 1, 20))], "Trần Văn Quý"),
        ("Gậy thông minh cảnh báo vật cản cho người khiếm thị", "KT", dakto, "thpt",
         [("Nguyễn Gia Bảo", 50, datetime.date(2005, 7, 7)), ("Lê Minh Châu", 50, datetime.date(2005, 11, 30))],
         "Phạm Thị Lan"),
        ("Máy lọc nước giếng khoan từ vật liệu tái chế", "SK", dakto, "dakto",
         [("Hồ Thị Diệu Linh", 100, datetime.date(2008, 3, 15))], "Đỗ Văn Tài"),
        ("Bộ đồ chơi lắp ghép nhà rông từ tre", "TK", city, "city",
         [("Trần Khánh Vy", 50, datetime.date(2012, 5, 1)), ("A Minh", 50, datetime.date(2012, 2, 14))],
         "Lê Thị Ngọc"),
        ("Thùng rác phân loại tự động cho trường học", "KT", dakto, "dakto",
         [("Vũ Đức Anh", 100, datetime.date(2008, 8, 8))], "Đỗ Văn Tài"),
        ("Mô hình trồng rau thủy canh tuần hoàn cho trường bán trú", "NM", dakto, "dakto",
         [("Lê Thị Mỹ Duyên", 50, datetime.date(2009, 2, 2)), ("Y Phương", 50, datetime.date(2009, 6, 6))],
         "Đỗ Văn Tài"),
        ("Phân bón hữu cơ vi sinh từ vỏ cà phê", "NM", tmr, "tmr",
         [("A Sơn", 100, datetime.date(2005, 10, 10))], "Nguyễn Thị Hương"),
        ("Máy giã gạo mini chạy bằng sức nước suối", "KT", tmr, "tmr",
         [("A Dũng", 70, datetime.date(2007, 3, 3)), ("Y Mai", 30, datetime.date(2007, 12, 1))], "Trần Văn Quý"),
        ("Mô hình cảnh báo lũ quét cho bản làng", "KT", dakto, "thpt",
         [("Phan Quốc Huy", 100, datetime.date(2004, 12, 24))], "Phạm Thị Lan"),
        ("Trò chơi học toán bằng tiếng Xơ Đăng", "PM", city, "city",
         [("Nguyễn Minh Khôi", 100, datetime.date(2011, 9, 9))], "Lê Thị Ngọc"),
    ]  # fmt: skip
    youth_entries = []
    for n, (title, field, unit, school, authors, mentor) in enumerate(youth):
        people = [
            ContributorData(name=a, share=Decimal(s), birth_date=b, agency=schools[school]) for a, s, b in authors
        ]
        people.append(ContributorData(name=mentor, role="mentor", agency=schools[school]))
        summary = f"Sản phẩm dự thi của học sinh: {title.lower()}."  # judges read it: never the school's name
        youth_entries.append(
            submit_demo_entry(
                tn,
                staff,
                title,
                field,
                summary,
                unit,
                people,
                at(2022, 6, 1, 8, 0, 0) + datetime.timedelta(hours=n),
                pdf,
                school=schools[school],
            )  # fmt: skip
        )
    for entry in youth_entries[:5] + youth_entries[6:]:
        services.screen_entry(actor=staff, entry=entry, decision="accept")
    services.screen_entry(
        actor=staff,
        entry=youth_entries[5],
        decision="return",
        note="Bổ sung phiếu đăng ký có xác nhận của Ban Giám hiệu nhà trường.",
        until=at(2022, 6, 25, 17, 0, 0),
    )
    editions.move_edition(actor=staff, edition=tn, move="start_judging")
    r = tn.rounds.get()
    blong = Expert.objects.filter(union=kontum, person__user__username="chuyengia").first()
    others = [e for e in experts_by_field.get("NN", []) if e != blong]
    only = {"NM": [blong, *others[:2]], "KT": [blong, *experts_by_field.get("CK", [])[:3]]} if blong else None
    set_juries(staff, r, experts_by_field, only)
    if blong:  # this season he sits on councils and juries both: he agreed to take up to 8 pieces of work
        Expert.objects.filter(pk=blong.pk, max_load__lt=8).update(max_load=8)
    if blong:  # staff want the agronomist on the light-trap entry and the blind-cane one; the engine does the rest
        judging.place_judge(actor=staff, round=r, entry=youth_entries[0], expert=blong)
        judging.place_judge(actor=staff, round=r, entry=youth_entries[2], expert=blong)
    judging.propose_judges(actor=staff, round=r)
    judging.confirm_judges(actor=staff, round=r, today=datetime.date(2022, 6, 28))
    # half of the sheets are in; the demo expert (Y Blong) still has his to score
    for k, seat in enumerate(
        Assignment.objects.filter(round=r, status="confirmed").exclude(expert=blong).order_by("entry__number", "pk")
    ):
        if k % 2:
            continue
        given = (rng.randint(18, 28), rng.randint(18, 28), rng.randint(14, 23), rng.randint(9, 14))
        points = dict(zip([c.pk for c in r.criteria.all()], given, strict=True))
        judging.enter_paper_sheet(actor=staff, assignment=seat, points=points)


def edition_calendar(opens: datetime.datetime, closes: datetime.datetime, results: datetime.date) -> dict:
    """An edition's dates from its registration window and its results day, as the demo's editions keep them: the
    announcement 15 days before registration opens, submission closing with registration, the ceremony 15 days
    after the results."""
    return {
        "announced_on": opens.date() - datetime.timedelta(days=15),
        "registration_opens_at": opens,
        "registration_closes_at": closes,
        "submission_deadline": closes,
        "results_on": results,
        "ceremony_on": results + datetime.timedelta(days=15),
    }


def open_for_registration(staff: User, ninth: Edition) -> Edition:
    """The next technical contest (lần thứ 10), copied from the 9th as staff would («Tạo lần thi sau») and open for
    registration whenever the demo is loaded: it opened two weeks before today and closes in four months, so the
    entrant's journey can start from the dashboard."""
    now = timezone.localtime()
    suggested = editions.next_edition(ninth, now.date())
    edition = editions.copy_edition(ninth, actor=staff, **suggested.initial())
    opens = (now - datetime.timedelta(days=14)).replace(hour=7, minute=0, second=0, microsecond=0)
    closes = (now + datetime.timedelta(days=120)).replace(hour=23, minute=59, second=59, microsecond=0)
    results = closes.date() + datetime.timedelta(days=75)
    Edition.objects.filter(pk=edition.pk).update(
        period=f"{opens.year}–{results.year}", **edition_calendar(opens, closes, results)
    )
    edition = Edition.objects.get(pk=edition.pk)
    editions.move_edition(actor=staff, edition=edition, move="open")
    return edition
