"""Contests benchmark: an edition with many entries, judged through the matching engine; the time of the
assignment, of the results (aggregation, z-scores, ranking, quotas), of the pages, and of certificate PDFs.

The results page against what it cost before issue 21, in the same run: until then every view computed the
results (results.compute) before rendering them; now it reads the stored ones (one field at a time). The baseline
is measured as results.compute of the round followed by the page: a few milliseconds more than the old view (the
stored field is read on top), so the ratio is if anything in the old view's favour. Before and after alternate
(--repeat times, medians of the repetitions printed) so that the machine's load weighs on both alike.

In-process through Django's test client, on the configured database. Usage:

    uv run python bench/contests.py [--entries 600] [--judges 5] [--requests 20] [--certificates 20] [--repeat 3]
    uv run python bench/contests.py --entries 514 --certificates 1      # the edition of issue 21
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lienhiep_bench_contests uv run python bench/contests.py

On SQLite it works in a temporary var/ directory; on PostgreSQL it uses (and empties) the given database.
"""

import argparse
import datetime
import random
import statistics
import time
from decimal import Decimal

from inprocess import measure, setup, signed_in


def p95(times: list[float]) -> float:
    times = sorted(times)
    return times[min(len(times) - 1, int(len(times) * 0.95))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=600)
    parser.add_argument("--judges", type=int, default=5, help="judges per field jury")
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--certificates", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3, help="before/after repetitions of the results page")
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
    t = time.perf_counter()
    with transaction.atomic():  # what a submitted sheet, a recusal, an import... now add to their transaction
        results.store_results(r)
    store = time.perf_counter() - t
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
    print(f"results computed and stored (store_results, in the transaction of each change): {store * 1000:.0f} ms")
    print(f"award proposal stored: {apply:.2f} s; certificate PDF: {per_certificate * 1000:.0f} ms each")
    client = signed_in(staff.username)
    public = Client()
    base = f"/kontum/app/contests/{ed.pk}"
    results_page(client, f"{base}/results/", r, args)
    pages = [
        ("entries list", client, f"{base}/entries/"),
        ("round (juries, seats)", client, f"/kontum/app/contests/rounds/{r.pk}/"),
        ("awards", client, f"{base}/awards/"),
        ("statistics", client, f"{base}/statistics/"),
        ("public results", public, f"/kontum/contests/{ed.pk}/results/"),
    ]
    measure([(label, lambda c=c: c, url) for label, c, url in pages], args.requests)


def results_page(client, url: str, round_, args) -> None:
    """The results page now (stored results, one field) against the baseline of the same run (the results computed
    for each request, as every view did before), alternating; medians of the repetitions."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from lienhiep.contests import results
    from lienhiep.contests.models import ResultTable

    def timed(before: bool) -> list[float]:
        times = []
        for _ in range(args.requests):
            started = time.perf_counter()
            if before:
                results.compute(round_)
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        return times

    ResultTable.objects.filter(round=round_).delete()  # a round judged before the results were stored
    started = time.perf_counter()
    assert client.get(url).status_code == 200
    first = (time.perf_counter() - started) * 1000  # computed and stored on this first read
    timed(True), timed(False)  # warm up
    runs = [(timed(True), timed(False)) for _ in range(args.repeat)]
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    med = statistics.median
    before = med(med(b) for b, _a in runs), med(p95(b) for b, _a in runs)
    after = med(med(a) for _b, a in runs), med(p95(a) for _b, a in runs)
    ratios = sorted(p95(a) / p95(b) for b, a in runs)
    print(f"\nresults page, {args.requests} requests × {args.repeat} (before and after alternating), medians:")
    print("| results page | p50 ms | p95 ms | queries |\n|---|---|---|---|")
    print(f"| before (baseline): results.compute, then the page | {before[0]:.1f} | {before[1]:.1f} | |")
    print(f"| now: the stored results, one field | {after[0]:.1f} | {after[1]:.1f} | {len(queries.captured_queries)} |")
    print(f"| first read of a round not stored yet (computed, stored, shown) | {first:.1f} | | |")
    print(
        f"ratio now / before: p50 {after[0] / before[0]:.3f}, p95 {after[1] / before[1]:.3f} "
        f"(p95 ratio of each repetition: {', '.join(f'{x:.3f}' for x in ratios)})\n"
    )


if __name__ == "__main__":
    main()
