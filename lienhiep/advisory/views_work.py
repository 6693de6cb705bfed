"""The work on a case: the confidential draft with paragraph comments side by side, reviews, the meeting, the
consolidation into recommendations, the report (DOCX and PDF), the agency's answers and the implementation."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lienhiep.advisory import documents, services, services_work
from lienhiep.advisory.forms import (
    AnswersForm,
    AssessmentForm,
    CommentForm,
    ConclusionForm,
    MeetingForm,
    PaperReviewForm,
    RecommendationForm,
    ReviewForm,
)
from lienhiep.advisory.models import (
    AFTER_REPORT,
    CaseFile,
    Comment,
    Meeting,
    Recommendation,
    Review,
    Seat,
    Status,
)
from lienhiep.advisory.queries import (
    get_case_for,
    implementation_rollup,
    may_consolidate,
    may_read_annotated_draft,
    recommendations_with_latest,
    represents,
    seat_of,
    visible_comments,
)
from lienhiep.advisory.services_work import quorum_of
from lienhiep.advisory.views import docx_response
from lienhiep.core.access import union_permission
from lienhiep.core.rules import is_editor, is_union_staff
from lienhiep.core.views import show_errors
from lienhiep.paperwork.models import IssuedDocument
from lienhiep.paperwork.register import current_document
from lienhiep.paperwork.views import issued_file_response

# The draft -----------------------------------------------------------------------------------------------------------


@union_permission("advisory.work_on_cases")
def draft(request: HttpRequest, pk: int) -> HttpResponse:
    """The draft's numbered paragraphs with the comments beside each; a member adds theirs on the paragraph."""
    case = get_case_for(request.user, request.union, pk)
    if not may_read_annotated_draft(request.user, case):
        raise PermissionDenied
    source = case.files.filter(kind=CaseFile.Kind.DRAFT).order_by("-uploaded_at").first()
    services.log_file_access(actor=request.user, case=case, stored=source, action="opened")
    by_paragraph: dict[int, list[Comment]] = {}
    for comment in visible_comments(request.user, case):
        by_paragraph.setdefault(comment.paragraph_id, []).append(comment)
    paragraphs = [(p, by_paragraph.get(p.pk, [])) for p in case.paragraphs.all()]
    seat = seat_of(request.user, case)
    may_comment = seat is not None and case.status in services_work.WORK_STAGES
    return render(
        request,
        "advisory/draft.html",
        {
            "case": case,
            "source": source,
            "paragraphs": paragraphs,
            "seat": seat,
            "may_comment": may_comment,
            "pages": any(p.page is not None for p, _c in paragraphs),
            "staff": is_union_staff(request.user, request.union),
        },
    )


@require_POST
@union_permission("advisory.review_cases")
def comment_add(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case_for(request.user, request.union, pk)
    form = CommentForm(request.POST, case=case)
    anchor = ""
    if form.is_valid():
        paragraph = form.cleaned_data["paragraph"]
        anchor = f"#p{paragraph.number}"
        try:
            services_work.add_comment(case, actor=request.user, paragraph=paragraph, text=form.cleaned_data["text"])
            messages.success(request, _("Comment added."))
        except ValidationError as error:
            show_errors(request, error)
    else:
        messages.error(request, _("Choose the paragraph and write the comment."))
    return redirect(f"{case.get_absolute_url()}draft/{anchor}")


@require_POST
@union_permission("advisory.review_cases")
def comment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    comment = Comment.objects.filter(union=request.union, pk=pk).select_related("paragraph").first()
    if comment is None:
        raise Http404
    case = get_case_for(request.user, request.union, comment.case_id)
    try:
        services_work.delete_comment(comment, actor=request.user)
        messages.success(request, _("Comment withdrawn."))
    except ValidationError as error:
        show_errors(request, error)
    return redirect(f"{case.get_absolute_url()}draft/#p{comment.paragraph.number}")


# Reviews -------------------------------------------------------------------------------------------------------------


@union_permission("advisory.review_cases")
def review_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The member's own structured review, saved as a draft or submitted."""
    case = get_case_for(request.user, request.union, pk)
    seat = seat_of(request.user, case)
    review = Review.objects.filter(seat=seat).first() if seat else None
    if review is None:
        messages.info(request, _("You have no review to write on this case (yet)."))
        return redirect(case.get_absolute_url())
    editable = not review.is_submitted and case.status in services_work.WORK_STAGES
    form = ReviewForm(request.POST or None, instance=review)
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        if form.is_valid():
            try:
                services_work.save_review(
                    review,
                    actor=request.user,
                    sections={name: form.cleaned_data[name] for name in Review.SECTIONS},
                    submit="submit" in request.POST,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Review submitted.") if "submit" in request.POST else _("Saved."))
                return redirect(case.get_absolute_url() if "submit" in request.POST else request.path)
    return render(
        request,
        "advisory/review_form.html",
        {"case": case, "review": review, "form": form, "editable": editable, "today": timezone.localdate()},
    )


@union_permission("advisory.work_on_cases")
def reviews(request: HttpRequest, pk: int) -> HttpResponse:
    """The submitted reviews in full: staff; the secretary and, if the Union shares them, the members once the
    case is being consolidated; otherwise a member sees their own."""
    case = get_case_for(request.user, request.union, pk)
    staff = is_union_staff(request.user, request.union)
    seat = seat_of(request.user, case)
    queryset = case.reviews.select_related("seat__expert__person").order_by("pk")
    if not staff:
        if seat is None:
            raise PermissionDenied
        shared = case.status not in (Status.COUNCIL_FORMED, Status.REVIEWING) and (
            case.share_comments or seat.role == Seat.Role.SECRETARY
        )
        if not shared:
            queryset = queryset.filter(seat=seat)
        else:
            queryset = queryset.filter(state=Review.State.SUBMITTED) | queryset.filter(seat=seat)
    return render(
        request,
        "advisory/reviews.html",
        {
            "case": case,
            "reviews": list(queryset),
            "manager": is_editor(request.user, request.union),
            "today": timezone.localdate(),
        },
    )


@union_permission("advisory.manage_cases")
def review_paper(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff type in a review an expert sent on paper or by e-mail (experts without an account)."""
    review = Review.objects.filter(union=request.union, pk=pk).select_related("seat__expert__person").first()
    if review is None:
        raise Http404
    case = get_case_for(request.user, request.union, review.case_id)
    back = f"{case.get_absolute_url()}reviews/"
    if review.is_submitted or case.status not in services_work.WORK_STAGES:
        messages.info(request, _("This review can no longer be typed in."))
        return redirect(back)
    form = PaperReviewForm(request.POST or None, instance=review, initial={"received_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services_work.record_paper_review(
                review,
                actor=request.user,
                sections={name: form.cleaned_data[name] for name in Review.SECTIONS},
                day=form.cleaned_data["received_on"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(back)
    return render(
        request,
        "advisory/review_paper.html",
        {"case": case, "review": review, "form": form, "back": back},
    )


@require_POST
@union_permission("advisory.manage_cases")
def review_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    review = Review.objects.filter(union=request.union, pk=pk).first()
    if review is None:
        raise Http404
    case = get_case_for(request.user, request.union, review.case_id)
    try:
        services_work.reopen_review(review, actor=request.user)
        messages.success(request, _("The review is open for changes again."))
    except ValidationError as error:
        show_errors(request, error)
    return redirect(f"{case.get_absolute_url()}reviews/")


# The meeting ---------------------------------------------------------------------------------------------------------


@union_permission("advisory.work_on_cases")
def meeting(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case_for(request.user, request.union, pk)
    if not (is_union_staff(request.user, request.union) or seat_of(request.user, case)):
        raise PermissionDenied
    current = Meeting.objects.filter(case=case).first()
    editable = may_consolidate(request.user, case) and case.status in services_work.WORK_STAGES
    form = MeetingForm(request.POST or None, case=case, meeting=current)
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        if form.is_valid():
            try:
                services_work.save_meeting(
                    case,
                    actor=request.user,
                    held_on=form.cleaned_data["held_on"],
                    place=form.cleaned_data["place"],
                    quorum_percent=form.cleaned_data["quorum_percent"],
                    present=form.cleaned_data["present"],
                    conclusion=form.cleaned_data["conclusion"],
                    agenda=form.agenda(),
                    starts_at=form.cleaned_data["starts_at"],
                    ends_at=form.cleaned_data["ends_at"],
                    chaired_by=form.cleaned_data["chaired_by"],
                    minutes_by=form.cleaned_data["minutes_by"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Saved."))
                return redirect(request.path)
    return render(
        request,
        "advisory/meeting.html",
        {
            "case": case,
            "meeting": current,
            "items": list(current.items.all()) if current else [],
            "present": list(current.present.select_related("expert__person")) if current else [],
            "quorum": quorum_of(current) if current else None,
            "form": form if editable else None,
            "minutes": current_document(current, IssuedDocument.Kind.MEETING_MINUTES) if current else None,
            "may_issue": editable and current is not None,
        },
    )


@union_permission("advisory.work_on_cases")
def meeting_file(request: HttpRequest, pk: int, extension: str) -> HttpResponse:
    """The issued minutes as stored; before they are issued, the draft DOCX of the record so far."""
    case = get_case_for(request.user, request.union, pk)
    if not (is_union_staff(request.user, request.union) or seat_of(request.user, case)):
        raise PermissionDenied
    current = Meeting.objects.filter(case=case).first()
    if current is None:
        raise Http404
    minutes = current_document(current, IssuedDocument.Kind.MEETING_MINUTES)
    if minutes is not None:
        return issued_file_response(request, minutes, extension)
    if extension != "docx":
        raise Http404
    data, name = documents.meeting_docx(case, current)
    return docx_response(data, name)


@require_POST
@union_permission("advisory.work_on_cases")
def meeting_issue(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case_for(request.user, request.union, pk)
    try:
        minutes = services_work.issue_minutes(case, actor=request.user)
    except ValidationError as error:
        show_errors(request, error)
    else:
        messages.success(request, _("Minutes issued as No. %s.") % minutes.number_symbol)
    return redirect(f"{case.get_absolute_url()}meeting/")


# Consolidation -------------------------------------------------------------------------------------------------------


@union_permission("advisory.work_on_cases")
def consolidate(request: HttpRequest, pk: int) -> HttpResponse:
    """The secretary's desk: the submitted reviews and comments on one side, the recommendations and the
    report's conclusion being written on the other."""
    case = get_case_for(request.user, request.union, pk)
    if not (is_union_staff(request.user, request.union) or seat_of(request.user, case)):
        raise PermissionDenied
    editable = may_consolidate(request.user, case) and case.status == Status.CONSOLIDATING
    conclusion_form = ConclusionForm(
        request.POST if "conclusion" in request.POST else None, initial={"conclusion": case.conclusion}
    )
    rec_form = RecommendationForm(
        request.POST if "text" in request.POST else None, case=case, instance=Recommendation(case=case)
    )
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        try:
            if conclusion_form.is_bound and conclusion_form.is_valid():
                services_work.save_conclusion(
                    case, actor=request.user, conclusion=conclusion_form.cleaned_data["conclusion"]
                )
                messages.success(request, _("Saved."))
                return redirect(request.path)
            if rec_form.is_bound and rec_form.is_valid():
                services_work.save_recommendation(
                    case,
                    actor=request.user,
                    recommendation=rec_form.save(commit=False),
                    reviews=rec_form.cleaned_data["reviews"],
                    paragraphs=rec_form.cleaned_data["paragraphs"],
                )
                messages.success(request, _("Recommendation added."))
                return redirect(request.path + "#recommendations")
        except ValidationError as error:
            show_errors(request, error)
    reviews_list = list(
        case.reviews.filter(state=Review.State.SUBMITTED).select_related("seat__expert__person").order_by("pk")
    )
    comments = (
        list(visible_comments(request.user, case))
        if may_consolidate(request.user, case) or is_union_staff(request.user, request.union)
        else []
    )
    recommendations = list(
        case.recommendations.prefetch_related(
            "paragraphs", Prefetch("reviews", queryset=Review.objects.select_related("seat__expert__person"))
        )
    )
    return render(
        request,
        "advisory/consolidate.html",
        {
            "case": case,
            "editable": editable,
            "reviews": reviews_list,
            "comments": comments,
            "recommendations": recommendations,
            "conclusion_form": conclusion_form,
            "rec_form": rec_form,
            "consolidator": may_consolidate(request.user, case),
        },
    )


@union_permission("advisory.edit_recommendations")
def recommendation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    rec = Recommendation.objects.filter(union=request.union, pk=pk).first()
    if rec is None:
        raise Http404
    case = get_case_for(request.user, request.union, rec.case_id)
    back = f"{case.get_absolute_url()}consolidate/#recommendations"
    if not may_consolidate(request.user, case):
        raise PermissionDenied
    if case.status != Status.CONSOLIDATING:
        messages.info(request, _("Recommendations are written while the case is being consolidated."))
        return redirect(back)
    if request.method == "POST" and "delete" in request.POST:
        try:
            services_work.delete_recommendation(rec, actor=request.user)
            messages.success(request, _("Recommendation removed."))
        except ValidationError as error:
            show_errors(request, error)
        return redirect(back)
    form = RecommendationForm(request.POST or None, case=case, instance=rec)
    if request.method == "POST" and form.is_valid():
        try:
            services_work.save_recommendation(
                case,
                actor=request.user,
                recommendation=form.save(commit=False),
                reviews=form.cleaned_data["reviews"],
                paragraphs=form.cleaned_data["paragraphs"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(back)
    return render(
        request,
        "advisory/recommendation_form.html",
        {"case": case, "form": form, "recommendation": rec, "back": back},
    )


# The report ----------------------------------------------------------------------------------------------------------


def _report_case(request: HttpRequest, pk: int):
    case = get_case_for(request.user, request.union, pk)
    if is_union_staff(request.user, request.union):
        if case.status not in (Status.CONSOLIDATING, Status.REPORT_PENDING, Status.REPORT_SIGNED, *AFTER_REPORT):
            raise Http404
        return case
    signed = current_document(case, IssuedDocument.Kind.CASE_REPORT) is not None
    if seat_of(request.user, case) is not None and (signed or may_consolidate(request.user, case)):
        return case
    if represents(request.user, case) and case.status in AFTER_REPORT:
        return case
    raise Http404


@union_permission("advisory.view_cases")
def report_file(request: HttpRequest, pk: int, extension: str) -> HttpResponse:
    """The signed report as issued (DOCX or PDF, byte for byte); before signing, the draft DOCX for those who write
    or read it. No PDF of a draft: converting is the worker's job, and a draft is not a document."""
    case = _report_case(request, pk)
    report = current_document(case, IssuedDocument.Kind.CASE_REPORT)
    if report is not None:
        return issued_file_response(request, report, extension)
    if extension != "docx":
        raise Http404
    data, name = documents.report_docx(case)
    return docx_response(data, name)


# Answers and implementation ------------------------------------------------------------------------------------------


@union_permission("advisory.follow_up_cases")
def answers(request: HttpRequest, pk: int) -> HttpResponse:
    """The agency answers each recommendation (accepted, partly, not accepted, with its explanation)."""
    case = get_case_for(request.user, request.union, pk)
    if case.status not in AFTER_REPORT:
        messages.info(request, _("The report has not been sent yet."))
        return redirect(case.get_absolute_url())
    may_answer = (is_editor(request.user, request.union) or represents(request.user, case)) and (
        case.status in services_work.ANSWER_STAGES
    )
    recommendations = list(case.recommendations.prefetch_related("paragraphs"))
    form = AnswersForm(request.POST or None, request.FILES or None, recommendations=recommendations)
    if request.method == "POST":
        if not may_answer:
            raise PermissionDenied
        if form.is_valid():
            finish = "finish" in request.POST
            try:
                services_work.save_answers(
                    case, actor=request.user, answers=form.answers(), letter=form.cleaned_data["letter"], finish=finish
                )
            except ValidationError as error:
                form.add_error(None, error)
                if form.cleaned_data.get("letter"):
                    form.add_error("letter", _("Nothing was saved: choose the file again after the correction."))
            else:
                done = _("Answers saved and sent to the Union.") if finish else _("Answers saved.")
                messages.success(request, done)
                return redirect(case.get_absolute_url() if finish else request.path)
    return render(
        request,
        "advisory/answers.html",
        {
            "case": case,
            "form": form if may_answer else None,
            "recommendations": recommendations,
            "answer_files": case.files.filter(kind=CaseFile.Kind.ANSWER),
        },
    )


@union_permission("advisory.follow_up_cases")
def assessment(request: HttpRequest, pk: int) -> HttpResponse:
    """Implementation of each recommendation: the newest check, its history, the weighted roll-up."""
    case = get_case_for(request.user, request.union, pk)
    if case.status not in AFTER_REPORT:
        messages.info(request, _("The report has not been sent yet."))
        return redirect(case.get_absolute_url())
    editable = is_editor(request.user, request.union) and case.status in (Status.ANSWERED, Status.ASSESSED)
    form = AssessmentForm(request.POST or None, case=case, initial={"checked_on": timezone.localdate()})
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            linked = case.assessment_cases.order_by("-pk").first()
            try:
                services_work.record_assessment(
                    data["recommendation"],
                    actor=request.user,
                    checked_on=data["checked_on"],
                    percent=data["percent"],
                    status=data["status"],
                    evidence=data["evidence"],
                    findings=data["findings"],
                    assessment_case=linked,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Saved."))
                return redirect(request.path)
    recommendations = recommendations_with_latest(case)
    return render(
        request,
        "advisory/assessment.html",
        {
            "case": case,
            "recommendations": recommendations,
            "rollup": implementation_rollup(recommendations),
            "form": form if editable else None,
        },
    )
