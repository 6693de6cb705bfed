"""Sample URL arguments of the register's pages for the security harness (tests/test_url_access.py): the
decision forming the council of the advisory pages' case."""

from lienhiep.paperwork.models import IssuedDocument
from tests.advisory import url_args as advisory


def _decision(cast, attachment):
    case = advisory._journey(cast).case
    return {"pk": IssuedDocument.objects.of(case).get(kind=IssuedDocument.Kind.COUNCIL_DECISION).pk}


URL_ARGS = {
    "paperwork:register": lambda c, a: {},
    "paperwork:issued_docx": _decision,
    "paperwork:issued_pdf": _decision,
    "paperwork:retry": _decision,
    "paperwork:upload_signed": _decision,
}
