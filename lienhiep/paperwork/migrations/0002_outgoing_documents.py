"""The advisory module's register of outgoing documents becomes the Union's register of issued documents: every
number already taken is kept. Its files are rendered by the worker the first time they are asked for (the
documents were rebuilt on each download until now, so there is nothing stored to copy)."""

from django.db import migrations

KIND = {"decision": "council_decision", "report": "case_report"}
STEM = {"decision": "quyet-dinh-hoi-dong", "report": "bao-cao"}


def copy_register(apps, schema_editor):
    OutgoingDocument = apps.get_model("advisory", "OutgoingDocument")
    IssuedDocument = apps.get_model("paperwork", "IssuedDocument")
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not OutgoingDocument.objects.exists():
        return
    case_type, _ = ContentType.objects.get_or_create(app_label="advisory", model="case")
    for old in OutgoingDocument.objects.select_related("case__signatory").iterator():
        if old.case_id is None or old.purpose not in KIND:
            continue
        signer = old.case.signatory
        code = old.case.code.lower().replace("/", "-")
        IssuedDocument.objects.create(
            union_id=old.union_id,
            kind=KIND[old.purpose],
            year=old.year,
            number=old.number,
            type_code=old.type_code,
            number_symbol=f"{old.number:02d}/{old.number_symbol.split('/', 1)[1]}",
            doc_type="QUYẾT ĐỊNH" if old.purpose == "decision" else "BÁO CÁO",
            subject=old.subject,
            issued_on=old.issued_on,
            signer=signer,
            signer_name=signer.name if signer else "",
            signer_title="CHỦ TỊCH",
            signer_authority="TM. BAN THƯỜNG VỤ",
            source_type=case_type,
            source_id=old.case_id,
            file_stem=f"{STEM[old.purpose]}-{code}"[:150],
            issued_by_id=old.signed_by_id,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("paperwork", "0001_register"),
        ("advisory", "0002_meeting_times"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(copy_register, migrations.RunPython.noop)]
