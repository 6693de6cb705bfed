"""Signing benchmark (issue 18): what the worker's PAdES signature adds to an issued document and to a batch of
certificates, beside the unsigned figures measured in the same run.

Usage:

    uv run python bench/signing.py [--certificates 1000] [--documents 10]

An issued document: the LibreOffice conversion (the unsigned cost) against signing its PDF with the demo Union's
certificate. Certificates: rendering one (WeasyPrint, the unsigned cost) against signing it; the batch of N signs N
certificates for real and renders a tenth of them (rendering does not depend on the signature), then states both
totals. Verification of a signed file is timed too.
"""

import argparse
import datetime
import statistics
import tempfile
import time
from pathlib import Path

from inprocess import setup


def timed(work, runs: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        began = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - began)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--certificates", type=int, default=1000)
    parser.add_argument("--documents", type=int, default=10)
    args = parser.parse_args()

    setup()
    from django.conf import settings

    from lienhiep.contests.certificates import Holder, certificate_context, render_pdf
    from lienhiep.contests.models import Award
    from lienhiep.core.models import Union
    from lienhiep.devdata.demo import load_demo
    from lienhiep.paperwork import Heading, Letterhead, OfficialDocument, Signer, render_docx, signer_for
    from lienhiep.paperwork.codes import new_code
    from lienhiep.paperwork.demo_authority import ensure_demo_authority
    from lienhiep.paperwork.pdf import docx_to_pdf
    from lienhiep.paperwork.signing import organisation_certificate, sign_pdf
    from lienhiep.paperwork.verification import Status, verify_pdf
    from lienhiep.portal.models import Certificate

    settings.LIENHIEP_SIGNING_DIR = Path(tempfile.mkdtemp(prefix="lienhiep-signing-"))
    load_demo()
    union = Union.objects.get(slug="kontum")
    ensure_demo_authority([union])
    certificate = organisation_certificate(union)
    signer: Signer = signer_for("Nguyễn Văn Sơn", "Chủ tịch")
    document = OfficialDocument(
        letterhead=Letterhead.from_union(union),
        doc_type="BÁO CÁO",
        number="05/BC-LHH",
        date=None,
        subject="Kết quả phản biện Đề án phát triển cây dược liệu",
        body=[Heading("I. KHÁI QUÁT"), *["Nội dung báo cáo phản biện, kiến nghị và đề xuất." * 6] * 30],
        signer=signer,
    )
    docx = render_docx(document)
    convert_s, pdf = timed(lambda: docx_to_pdf(docx), args.documents)
    sign_s, signed = timed(lambda: sign_pdf(pdf, certificate, signer_name=signer.name), args.documents)
    verify_s, verdict = timed(lambda: verify_pdf(signed), args.documents)
    assert verdict.status == Status.GENUINE, verdict

    award = Award.objects.filter(entry__edition__union=union, tier__isnull=False).select_related("entry").first()
    holder = Holder(award, award.entry.contributors.first())
    unsaved = Certificate(union=union, code=new_code(), number=1, issued_on=datetime.date(2023, 3, 10))
    context = certificate_context(holder, unsaved, "https://lienhiep.example")
    render_s, certificate_pdf = timed(lambda: render_pdf(context), max(1, args.certificates // 10))
    started = time.perf_counter()
    for _ in range(args.certificates):
        sign_pdf(certificate_pdf, certificate, signer_name="Nguyễn Văn Sơn")
    batch_sign_s = time.perf_counter() - started

    print("| step | median ms | runs |\n|---|---|---|")
    print(f"| issued document: LibreOffice conversion (unsigned cost) | {convert_s * 1000:.0f} | {args.documents} |")
    print(f"| issued document: PAdES signature with a visible stamp | {sign_s * 1000:.0f} | {args.documents} |")
    print(f"| verifying a signed document (the public page's work) | {verify_s * 1000:.0f} | {args.documents} |")
    print(f"| certificate: rendering (unsigned cost) | {render_s * 1000:.0f} | {max(1, args.certificates // 10)} |")
    print(f"| certificate: signing | {batch_sign_s / args.certificates * 1000:.0f} | {args.certificates} |")
    n = args.certificates
    print(
        f"batch of {n} certificates: rendering {render_s * n:.0f} s (unsigned), signing adds {batch_sign_s:.0f} s "
        f"(ratio signed / unsigned {(render_s * n + batch_sign_s) / (render_s * n):.2f}); "
        f"an issued document: conversion + signature / conversion {(convert_s + sign_s) / convert_s:.2f}"
    )


if __name__ == "__main__":
    main()
