"""Job benchmark on the national-scale data: the heavy jobs, each in its own child process, with its time and the
child's peak memory (resource.getrusage ru_maxrss, next to the same figure after Django started).

    uv run python bench/jobs.py --db sqlite      # var/bench/lienhiep.sqlite3 (generated if missing)
    uv run python bench/jobs.py --db postgres    # database lienhiep_bench (created if missing)
    uv run python bench/jobs.py --only results --certificates 100

Jobs (each works inside a transaction that is rolled back, so the data set stays as generated; files go to a
temporary folder):
- import: the expert import (experts/excel.py: plan_import, then apply_plan) of 20,000 rows made from the export
  of the largest Union, as new experts (no code, own e-mail: 20,000 new experts and people), in XLSX files of
  at most 10,000 rows (the import's limit per file);
- matching: judge assignment, 5,000 entries × 2,000 judges (the matching engine as bench/matching.py runs it:
  TF-IDF affinity, 3 per entry, 2 % conflicts, both composition rules); time = affinity + assignment;
- results: results.compute (mean scores, z-score normalisation per judge, both rankings, both award proposals)
  of one round of 12,000 accepted entries with 3 judges each and 5 criteria (180,000 scores, written first); then
  results.store_results (computed and written: what each submitted sheet now adds to its transaction) and what
  the results page reads of it instead (its fields' counts and one field's rows), with the ratio read / compute;
- report: the critique report of a case with enough recommendations for about 40 pages, as DOCX and as PDF
  (LibreOffice), the pages counted in the PDF;
- certificates: 1,000 certificates of awarded authors (portal certificate + PDF each, signed with the Union's
  organisation certificate from a demo authority made for the run; --unsigned without), issued as the background
  task issues them: a batch per edition (contests/certificates.py issue_batch), over the machine's cores."""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))
JOBS = ["import", "matching", "results", "report", "certificates"]


class Rollback(Exception):
    pass


def cpu_seconds() -> tuple[float, float]:
    """CPU time (user + system) of this process, and of its child processes that ended."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def first_union():
    from lienhiep.core.models import Role, Union, User

    union = Union.objects.order_by("pk").first()
    staff = User.objects.get(memberships__union=union, memberships__role=Role.STAFF)
    return union, staff


def job_import(args) -> dict:
    import io
    import random

    import openpyxl
    from django.db import transaction

    from lienhiep.devdata.scale_data import FAMILY, GIVEN, MIDDLE
    from lienhiep.experts import excel
    from lienhiep.experts.models import Expert

    union, staff = first_union()
    workbook = openpyxl.load_workbook(io.BytesIO(excel.export_workbook(union, Expert.objects.filter(union=union))))
    sheet = workbook[excel.SHEET] if excel.SHEET in workbook.sheetnames else workbook.worksheets[0]
    header = [c.value for c in sheet[1]]
    code_col = header.index(excel.HEADER["code"])
    email_col = header.index(excel.HEADER["email"])
    name_col, year_col = header.index(excel.HEADER["name"]), header.index(excel.HEADER["birth_year"])
    template = [list(r) for r in sheet.iter_rows(min_row=2, values_only=True)]
    # New people: a (name, birth year) the registry does not have yet, or the import asks for the existing code.
    taken = set(Expert.objects.filter(union=union).values_list("person__name", "person__birth_year"))
    rng = random.Random(1)
    # The import refuses files of more than excel.MAX_ROWS rows (10,000: "split it"), so 20,000 rows go in as a
    # user must send them: files of at most that many rows, one after the other.
    files, rows_in_file = [], []
    for k in range(args.rows):
        row = list(template[k % len(template)])
        row[code_col] = None  # no code: a new expert (the import gives the next code)
        while (row[name_col], row[year_col]) in taken:
            row[name_col] = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}".replace("  ", " ")
            row[year_col] = rng.randint(1950, 2000)
        taken.add((row[name_col], row[year_col]))
        row[email_col] = f"nk{k + 1}@import.test"
        rows_in_file.append(row)
        if len(rows_in_file) == excel.MAX_ROWS or k == args.rows - 1:
            out = openpyxl.Workbook()
            target = out.active
            target.title = sheet.title
            target.append(header)
            for values in rows_in_file:
                target.append(values)
            buffer = io.BytesIO()
            out.save(buffer)
            files.append(buffer.getvalue())
            rows_in_file = []
    result = {"plan_s": 0.0, "apply_s": 0.0, "plan_cpu": 0.0, "apply_cpu": 0.0}
    totals: dict[str, int] = {}
    try:
        with transaction.atomic():
            for data in files:
                t, cpu = time.perf_counter(), time.process_time()
                plan = excel.plan_import(union, io.BytesIO(data))
                result["plan_s"] += time.perf_counter() - t
                result["plan_cpu"] += time.process_time() - cpu
                t, cpu = time.perf_counter(), time.process_time()
                for key, n in excel.apply_plan(union, plan, actor=staff).items():
                    totals[key] = totals.get(key, 0) + n
                result["apply_s"] += time.perf_counter() - t
                result["apply_cpu"] += time.process_time() - cpu
            result["seconds"] = result["plan_s"] + result["apply_s"]
            size = sum(len(d) for d in files) / 1e6
            # CPU seconds of this process (with SQLite, the database's work too): what a busy machine changes least
            result["note"] = (
                f"{args.rows:,} rows in {len(files)} file(s) of at most {excel.MAX_ROWS:,}, {size:.1f} MB: plan "
                f"{result['plan_s']:.1f} s + apply {result['apply_s']:.1f} s "
                f"({result['seconds'] / args.rows * 1000:.1f} ms a row; CPU {result['plan_cpu']:.1f} + "
                f"{result['apply_cpu']:.1f} s); {totals}"
            )
            raise Rollback
    except Rollback:
        pass
    return result


def job_matching(args) -> dict:
    sys.path.insert(0, str(BENCH))
    from matching import RULE_SETS, generate

    from lienhiep.experts.matching import TfidfAffinity, assign

    items, candidates, conflicts, _max_load = generate(5000, 2000, 1)
    t = time.perf_counter()
    affinity = TfidfAffinity(field_bonus=0.2).scores(items, candidates)
    affinity_s = time.perf_counter() - t
    result = assign(items, candidates, affinity, conflicts, RULE_SETS["both"], top_k=30)
    seconds = time.perf_counter() - t
    return {
        "seconds": seconds,
        "note": f"affinity {affinity_s:.2f} s + assignment {seconds - affinity_s:.2f} s ({result.stats['solver']}, "
        f"{str(result.stats['pricing_rounds']) + ' flow(s), ' if result.stats['solver'] == 'flow' else ''}"
        f"{'proven optimal' if result.stats['exact'] else 'not proven optimal'}, {len(result.problems)} problems)",
    }


def job_results(args) -> dict:
    import datetime
    import random
    from decimal import Decimal

    from django.db import transaction

    from lienhiep.contests import results
    from lienhiep.contests.models import (
        Assignment,
        AwardTier,
        ContestField,
        Criterion,
        Edition,
        Entry,
        Round,
        Score,
    )
    from lienhiep.experts.models import Expert

    union, _staff = first_union()
    rng = random.Random(1)
    n = args.entries
    out = {}
    try:
        with transaction.atomic():
            t = time.perf_counter()
            opens = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
            edition = Edition.objects.create(
                union=union,
                kind=Edition.Kind.TECHNICAL,
                title="Hội thi quốc gia (benchmark)",
                number=1,
                period="2026",
                code="BENCH",
                registration_opens_at=opens,
                registration_closes_at=opens,
                submission_deadline=opens,
                status=Edition.Status.REVIEW,
                tie_break="TM, UD",
            )
            fields = ContestField.objects.bulk_create(
                ContestField(edition=edition, code=f"F{k}", name=f"Lĩnh vực {k}") for k in range(10)
            )
            round_ = Round.objects.create(edition=edition, order=1, name="Chung khảo", judges_per_entry=3)
            criteria = Criterion.objects.bulk_create(
                Criterion(round=round_, code=c, name=c, max_points=Decimal(20), order=k)
                for k, c in enumerate(["TM", "KH", "UD", "HQ", "TB"])
            )
            AwardTier.objects.bulk_create(
                AwardTier(
                    edition=edition, rank=r, name=f"Giải {r}", min_score=Decimal(90 - 10 * r), quota_per_field=3 * r
                )
                for r in range(1, 5)
            )
            judges = list(Expert.objects.filter(union=union).order_by("pk")[:300])
            entries = Entry.objects.bulk_create(
                (
                    Entry(
                        union=union,
                        edition=edition,
                        field=fields[k % 10],
                        title=f"Giải pháp {k}",
                        summary="-",
                        number=f"BENCH-{k + 1:05d}",
                        status=Entry.Status.ACCEPTED,
                    )
                    for k in range(n)
                ),
                batch_size=2000,
            )
            assignments = Assignment.objects.bulk_create(
                (
                    Assignment(union=union, round=round_, entry=e, expert=j, status=Assignment.Status.SUBMITTED)
                    for e in entries
                    for j in rng.sample(judges, 3)
                ),
                batch_size=2000,
            )
            bias = {j.pk: rng.uniform(-3, 3) for j in judges}
            Score.objects.bulk_create(
                (
                    Score(
                        assignment=a,
                        criterion=c,
                        points=Decimal(f"{min(20, max(0, rng.uniform(8, 18) + bias[a.expert_id])):.2f}"),
                    )
                    for a in assignments
                    for c in criteria
                ),
                batch_size=5000,
            )
            out["setup_s"] = time.perf_counter() - t
            t = time.perf_counter()
            table = results.compute(round_)
            out["seconds"] = time.perf_counter() - t
            changed = sum(1 for r in table.rows if r.changed)
            t = time.perf_counter()
            results.store_results(round_)
            store_s = time.perf_counter() - t
            reads = []
            for _ in range(5):
                t = time.perf_counter()
                stored = results.stored_table(Round.objects.select_related("result_table").get(pk=round_.pk))
                counts = results.field_counts(stored)
                shown = list(results.stored_rows(stored, counts[0].field.pk))
                reads.append(time.perf_counter() - t)
            read_s = sorted(reads)[2]
            out["note"] = (
                f"{len(table.rows):,} entries, {len(assignments):,} sheets, {len(assignments) * 5:,} scores "
                f"(written in {out['setup_s']:.0f} s first); normalisation changes {changed:,} ranks or awards; "
                f"stored (computed and written) in {store_s:.1f} s; the page's read of the stored results "
                f"(counts of {len(counts)} fields, {len(shown):,} rows of one) {read_s * 1000:.0f} ms, "
                f"ratio read / compute {read_s / out['seconds']:.3f}"
            )
            raise Rollback
    except Rollback:
        pass
    return out


def job_report(args) -> dict:
    from django.db import transaction
    from django.db.models import Count

    from lienhiep.advisory import documents
    from lienhiep.advisory.models import Case, Recommendation, Status
    from lienhiep.paperwork.pdf import docx_to_pdf

    union, _staff = first_union()
    case = (
        Case.objects.filter(union=union, status=Status.ANSWERED)
        .annotate(n=Count("recommendations"))
        .order_by("-n", "pk")
        .first()
    )
    out = {}
    try:
        with transaction.atomic():
            start = case.recommendations.count()
            paragraph = (
                "Đề nghị cơ quan soạn thảo làm rõ cơ sở tính toán các chỉ tiêu, lộ trình thực hiện từng năm, nguồn "
                "kinh phí và cơ chế huy động xã hội hóa; bổ sung đánh giá tác động môi trường và sinh kế của người "
                "dân vùng dự án; cập nhật căn cứ pháp lý theo các văn bản mới. "
            )
            Recommendation.objects.bulk_create(
                Recommendation(union=union, case=case, number=start + k + 1, text=paragraph * 2, category="other")
                for k in range(args.recommendations)
            )
            case.conclusion = paragraph * 6
            case.save()
            t = time.perf_counter()
            data, _name = documents.report_docx(case)
            docx_s = time.perf_counter() - t
            t = time.perf_counter()
            pdf = docx_to_pdf(data)
            pdf_s = time.perf_counter() - t
            pages = pdf_pages(pdf)
            out = {
                "seconds": docx_s + pdf_s,
                "note": f"{start + args.recommendations} recommendations, {pages} pages: DOCX {docx_s:.2f} s "
                f"({len(data) / 1e3:.0f} kB), PDF {pdf_s:.1f} s ({len(pdf) / 1e3:.0f} kB)",
            }
            raise Rollback
    except Rollback:
        pass
    return out


def pdf_pages(pdf: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(pdf)
        f.flush()
        info = subprocess.run(["pdfinfo", f.name], capture_output=True, text=True, check=False).stdout
    return next((line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")), "?")


def job_certificates(args) -> dict:
    from django.conf import settings
    from django.db import transaction

    from lienhiep.contests import certificates
    from lienhiep.contests.models import Edition
    from lienhiep.core.models import Role, User
    from lienhiep.paperwork.demo_authority import ensure_demo_authority

    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tempfile.mkdtemp(prefix="lienhiep-certs-")},
        },
    }
    holders, actors = [], {}
    for edition in Edition.objects.filter(status=Edition.Status.PUBLISHED).order_by("union_id", "pk"):
        for holder in certificates.holders(edition):
            holders.append(holder)
            actors.setdefault(
                edition.union_id,
                User.objects.get(memberships__union_id=edition.union_id, memberships__role=Role.STAFF),
            )
        if len(holders) >= args.certificates:
            break
    holders = holders[: args.certificates]
    unions = {holder.entry.edition.union for holder in holders}
    if not args.unsigned:  # signed as the worker signs them: the Unions' certificates from a demo authority
        settings.LIENHIEP_SIGNING_DIR = Path(tempfile.mkdtemp(prefix="lienhiep-signing-"))
        ensure_demo_authority(unions)
    out = {}
    try:
        with transaction.atomic():
            t, cpu = time.perf_counter(), cpu_seconds()
            # one batch per edition, as the worker's task issues them (by a staff member of its Union)
            for edition_id in dict.fromkeys(h.entry.edition_id for h in holders):
                batch = [h for h in holders if h.entry.edition_id == edition_id]
                certificates.issue_batch(
                    batch, actor=actors[batch[0].entry.union_id], base_url="https://lienhiep.example"
                )
            seconds = time.perf_counter() - t
            own, children = (after - before for after, before in zip(cpu_seconds(), cpu, strict=True))
            processes = certificates.certificate_processes() if len(holders) >= certificates.POOL_FROM else 1
            out = {
                "seconds": seconds,
                "note": f"{len(holders):,} PDFs {'unsigned' if args.unsigned else 'signed'}, "
                f"{1000 * seconds / len(holders):.0f} ms each, {processes} processes, "
                f"{len({h.entry.edition_id for h in holders})} editions of {len(unions)} Unions; CPU {own:.0f} s in "
                f"the job's process + {children:.0f} s in its worker processes",
            }
            raise Rollback
    except Rollback:
        pass
    return out


def child(args) -> None:
    import django

    django.setup()
    base = rss_mb()
    result = globals()[f"job_{args.one}"](args)
    result.update(peak_mb=rss_mb(), base_mb=base)
    print("JOB " + json.dumps(result), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/lienhiep_bench")
    parser.add_argument("--only", nargs="+", choices=JOBS, default=JOBS)
    parser.add_argument("--rows", type=int, default=20_000, help="rows of the expert import")
    parser.add_argument("--entries", type=int, default=12_000, help="entries of the results job")
    parser.add_argument("--recommendations", type=int, default=210, help="recommendations added for the report")
    parser.add_argument("--certificates", type=int, default=1000)
    parser.add_argument("--unsigned", action="store_true", help="certificates without the organisation's signature")
    parser.add_argument("--scale", type=float, default=1.0, help="scale of a newly generated data set")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()

    sys.path.insert(0, str(BENCH))
    from http_load import environment

    os.environ.update(environment(args.db, args.database_url))
    if args.one:
        child(args)
        return
    import django

    django.setup()
    from http_load import prepare

    prepare(args.db, args.database_url, regenerate=False, scale=args.scale)
    load_before = os.getloadavg()[0]
    print("| job | seconds | peak RSS MB (after start-up) | what |\n|---|---|---|---|", flush=True)
    for name in args.only:
        command = [
            sys.executable,
            __file__,
            "--db",
            args.db,
            "--database-url",
            args.database_url,
            "--one",
            name,
            "--rows",
            str(args.rows),
            "--entries",
            str(args.entries),
            "--recommendations",
            str(args.recommendations),
            "--certificates",
            str(args.certificates),
            *(["--unsigned"] if args.unsigned else []),
        ]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        line = next((x for x in done.stdout.splitlines() if x.startswith("JOB ")), None)
        if line is None:
            print(f"| {name} | failed | | {done.stderr.strip().splitlines()[-1:]} |", flush=True)
            continue
        r = json.loads(line[4:])
        print(f"| {name} | {r['seconds']:.1f} | {r['peak_mb']:.0f} ({r['base_mb']:.0f}) | {r['note']} |", flush=True)
    load_after = os.getloadavg()[0]
    print(f"machine load average (1 min) {load_before:.1f} before, {load_after:.1f} after ({os.cpu_count()} CPUs)")


if __name__ == "__main__":
    main()
