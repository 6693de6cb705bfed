"""Contests benchmark: an edition with many entries, judged through the matching engine; the time of the
assignment, of the results (aggregation, z-scores, ranking, quotas), of the pages, and of certificate PDFs.

In-process through Django's test client, on the configured database. Usage:

    uv run python bench/contests.py [--entries 600] [--judges 5] [--requests 20] [--certificates 20]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lienhiep_bench_contests uv run python bench/contests.py

On SQLite it works in a temporary var/ directory; on PostgreSQL it uses (and empties) the given database.
"""

import argparse
import datetime
import random
import time
from decimal import Decimal

from inprocess import measure, setup


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=600)
    parser.add_argument("--judges", type=int, default=5, help="judges per field jury")
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--certificates", type=int, default=20)
    args = parser.parse_args()

    setup()
    from django.conf import settings
    from django.db import connection, transaction
    from django.test import Client

    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}

    from lienhiep.contests import awards, certificates, editions, judging, results
    from lienhiep.contests.models import Assignment, Contributor, Edition, Entry, Score
    from lienhiep.core.models import AdminUnit, Person, Union, User
    from lienhiep.devdata.demo import _load
    from lienhiep.experts.models import Expert

    rng = random.Random(9)
    started = time.perf_counter()
    with transaction.atomic():
        _load()
    union = Union.objects.get(slug="kontum")
    staff = User.objects.get(username="canbo")
    leader = User.objects.get(username="lanhdao")
    old = Edition.objects.get(union=union, code="ST9")
    with transaction.atomic():
        ed = editions.copy_edition(
            actor=staff, edition=old, title="Hội thi lần thứ 10 (benchmark)", number=10, period="2024", code="BENCH",
            years=2,
        )  # fmt: skip
        r = ed.rounds.get()
        type(r).objects.filter(pk=r.pk).update(max_load=max(10, 3 * args.entries // (7 * args.judges) + 5))
        units = list(AdminUnit.objects.filter(level="district")[:10])
        fields = list(ed.fields.all())
        people = Person.objects.bulk_create(
            Person(union=union, name=f"Tác giả {i}", name_folded=f"tac gia {i}", sort_key=f"{i}")
            for i in range(args.entries)
        )
        words = "cà phê sâm Ngọc Linh máy sấy điện mặt trời phần mềm quản lý cầu treo tưới nhỏ giọt bếp củi".split()
        entries = Entry.objects.bulk_create(
            Entry(
                union=union,
                edition=ed,
                field=fields[i % len(fields)],
                title=f"Giải pháp {' '.join(rng.sample(words, 4))} số {i}",
                summary=" ".join(rng.choices(words, k=40)),
                locality=units[i % len(units)],
                number=f"BENCH-{i + 1:04d}",
                status=Entry.Status.ACCEPTED,
            )
            for i in range(args.entries)
        )
        Contributor.objects.bulk_create(
            Contributor(entry=e, person=p, share=Decimal(100)) for e, p in zip(entries, people, strict=True)
        )
        Edition.objects.filter(pk=ed.pk).update(status=Edition.Status.JUDGING)
        Expert.objects.filter(union=union).update(max_load=None, availability="available")  # the round's limit rules
        experts = {}
        for expert in Expert.objects.filter(union=union).prefetch_related("fields"):
            for f in expert.fields.all():
                experts.setdefault(f.code, []).append(expert)
        for field in fields:
            pool = experts.get(field.expert_field.code if field.expert_field_id else "", [])
            judging.set_jury(actor=staff, round=r, field=field, experts=pool[: args.judges])
    generated = time.perf_counter() - started

    t = time.perf_counter()
    problems = judging.propose_judges(actor=staff, round=r)
    propose = time.perf_counter() - t
    t = time.perf_counter()
    seats = judging.confirm_judges(actor=staff, round=r)
    confirm = time.perf_counter() - t
    criteria = list(r.criteria.all())
    hand = {}
    with transaction.atomic():
        scores = []
        for a in Assignment.objects.filter(round=r, status="confirmed"):
            bias = hand.setdefault(a.expert_id, rng.choice([-4, -2, 0, 2, 4]))
            for c in criteria:
                value = max(0, min(int(c.max_points), int(float(c.max_points) * rng.uniform(0.5, 0.95)) + bias // 2))
                scores.append(Score(assignment=a, criterion=c, points=value))
        Score.objects.bulk_create(scores)
        Assignment.objects.filter(round=r, status="confirmed").update(status="submitted")
    t = time.perf_counter()
    table = results.compute(r)
    compute = time.perf_counter() - t
    editions.move_edition(actor=staff, edition=ed, move="start_review")
    t = time.perf_counter()
    awards.apply_proposal(actor=staff, edition=Edition.objects.get(pk=ed.pk))
    apply = time.perf_counter() - t
    awards.approve_awards(
        actor=leader, edition=Edition.objects.get(pk=ed.pk), number="1/QĐ-LHH", day=datetime.date(2024, 9, 1),
        signatory="Nguyễn Văn Sơn",
    )  # fmt: skip
    awards.publish_results(actor=staff, edition=Edition.objects.get(pk=ed.pk))
    t = time.perf_counter()
    holders = certificates.holders(Edition.objects.get(pk=ed.pk))[: args.certificates]
    for holder in holders:
        certificates.issue_one(actor=staff, holder=holder, base_url="http://127.0.0.1:8000")
    per_certificate = (time.perf_counter() - t) / max(1, len(holders))

    print(
        f"{args.entries} entries, {len(fields)} fields, {args.judges} judges per field; generated in {generated:.1f} s "
        f"on {connection.vendor}"
    )
    print(f"engine proposal: {propose:.2f} s for {seats} seats ({len({p.item_key for p in problems})} entries short)")
    print(f"confirmation (conflicts re-checked, engagements): {confirm:.2f} s")
    print(f"results (mean, spread, z-scores, ranks, two proposals): {compute * 1000:.0f} ms for {len(table.rows)} rows")
    print(f"award proposal stored: {apply:.2f} s; certificate PDF: {per_certificate * 1000:.0f} ms each")
    client = Client()
    client.force_login(staff, backend="allauth.account.auth_backends.AuthenticationBackend")
    public = Client()
    base = f"/kontum/app/contests/{ed.pk}"
    pages = [
        ("entries list", client, f"{base}/entries/"),
        ("round (juries, seats)", client, f"/kontum/app/contests/rounds/{r.pk}/"),
        ("results, raw and normalised", client, f"{base}/results/"),
        ("awards", client, f"{base}/awards/"),
        ("statistics", client, f"{base}/statistics/"),
        ("public results", public, f"/kontum/contests/{ed.pk}/results/"),
    ]
    measure([(label, lambda c=c: c, url) for label, c, url in pages], args.requests)


if __name__ == "__main__":
    main()
