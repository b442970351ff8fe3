"""The live workshop on a phone: joining with a code, following the board, voting."""

from __future__ import annotations

from flask import (
    abort,
    flash,
    g,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from selfassess.domain.workshop import normalise_join_code
from selfassess.extensions import limiter
from selfassess.models import Participant
from selfassess.models.assessments import WorkshopSession
from selfassess.queries import workshop as ws_query
from selfassess.services import live_marks
from selfassess.services import workshop as ws_service
from selfassess.services import workshop_participants as participants
from selfassess.views.workshop import bp
from selfassess.views.workshop.forms import JoinForm
from selfassess.web.access import RATE_ROLES, role_in
from selfassess.web.language import (
    COOKIE,
    COOKIE_DAYS,
    LANGUAGES,
    current_language,
    local,
    use_language,
)
from selfassess.web.live_state import conditional_json, not_modified

# {assessment id: participant id}; a new name, so ids kept under the old one (workshop
# session ids) are never read as assessment ids.
SESSION_KEY = "workshop_joined"
JOIN_LIMIT_LIVE_CODE = "200 per minute"  # per address
JOIN_LIMIT_WRONG_CODE = "20 per minute"  # per address


# --- participants -------------------------------------------------------------------------------


def _remember(workshop: WorkshopSession, participant: Participant) -> None:
    joined = dict(session.get(SESSION_KEY, {}))
    joined[str(workshop.assessment_id)] = participant.id
    session[SESSION_KEY] = joined


def _remembered_id(workshop: WorkshopSession) -> int | None:
    """The id of the participant this browser last joined the workshop's assessment as."""
    joined = session.get(SESSION_KEY)
    participant_id = joined.get(str(workshop.assessment_id)) if isinstance(joined, dict) else None
    return participant_id if isinstance(participant_id, int) else None


def _remembered(workshop: WorkshopSession) -> Participant | None:
    """The participant this browser last joined the workshop's assessment as, if any."""
    participant_id = _remembered_id(workshop)
    if participant_id is None:
        return None
    participant = ws_query.participant_or_none(participant_id)
    if participant is None or participant.assessment_id != workshop.assessment_id:
        return None
    return participant


def _joined_this_session(workshop: WorkshopSession, participant: Participant) -> bool:
    """Whether this browser is the participant in this session: a member's phone only while
    they are signed in, a guest's only in the session they joined."""
    if participant.assessment_id != workshop.assessment_id:
        return False
    if participant.user_id is not None:
        signed_in_as = current_user.id if current_user.is_authenticated else None
        return participant.user_id == signed_in_as
    return participant.workshop_session_id == workshop.id


def _earlier_guest(workshop: WorkshopSession) -> Participant | None:
    """The guest this browser joined the assessment as before (any of its workshops)."""
    participant = _remembered(workshop)
    return participant if participant is not None and participant.user_id is None else None


def _my_participant(workshop: WorkshopSession) -> Participant | None:
    """The participant this browser joined this workshop session as, if any, while present
    (the lead has not removed them)."""
    participant = _remembered(workshop)
    if participant is None or not _joined_this_session(workshop, participant):
        return None
    return participant if ws_query.is_present(workshop, participant) else None


def _is_member_of(workshop: WorkshopSession) -> bool:
    if not current_user.is_authenticated:
        return False
    return role_in(workshop.assessment.partnership_id) in RATE_ROLES


def _code_is_live() -> bool:
    """Whether the posted join code is a live workshop's; looked up once per request."""
    if "join_code_is_live" not in g:
        live = request.method == "POST" and ws_query.session_by_code(request.form.get("code"))
        g.join_code_is_live = bool(live)
    return g.join_code_is_live


# A room of phones on one venue Wi-Fi shares one public address. So joins with a live code and
# joins with a wrong or ended code are counted apart, per address: a full room (and its retries)
# fits in the first; guessing codes stays at 20 a minute, and guesses on the same Wi-Fi never
# use up the room's own joins.
@bp.route("/join", methods=["GET", "POST"])
@limiter.limit(JOIN_LIMIT_LIVE_CODE, methods=["POST"], exempt_when=lambda: not _code_is_live())
@limiter.limit(JOIN_LIMIT_WRONG_CODE, methods=["POST"], exempt_when=_code_is_live)
def join():
    form = JoinForm()
    if form.language.data not in LANGUAGES:
        form.language.data = current_language()  # the phone's pages stay in this language
    if request.method == "GET" and request.args.get("code"):
        form.code.data = normalise_join_code(request.args["code"])[:8]
    workshop = None
    if request.method == "POST":
        workshop = ws_query.session_by_code(form.code.data)
        form.as_member = workshop is not None and _is_member_of(workshop)
    confirm = None
    if form.validate_on_submit():
        if workshop is None:
            form.code.errors = [
                _("That is not the code of a live workshop. Check the code on the screen")
            ]
            form._errors = None
        else:
            try:
                if form.as_member:
                    participant = participants.join_as_member(
                        workshop, current_user._get_current_object()
                    )
                else:
                    participant, confirm = _join_guest(workshop, form)
            except participants.RemovedFromWorkshop as removed:
                form.code.errors = [str(removed)]
                form._errors = None
            else:
                if participant is not None:
                    _remember(workshop, participant)
                    return _in_chosen_language(
                        redirect(url_for("workshop.live", session_id=workshop.id)), form
                    )
    if confirm is not None:
        with use_language(form.language.data):  # asked in the language just chosen
            page = render_template("workshop/join_confirm.html", form=form, earlier=confirm)
        return _in_chosen_language(make_response(page), form)
    return render_template("workshop/join.html", form=form)


def _in_chosen_language(response, form: JoinForm):
    """Keep the language chosen on the join form for this phone (in the guest's language
    cookie): the workshop's pages on it follow it from now on."""
    if request.method == "POST" and form.language.data in LANGUAGES:
        response.set_cookie(
            COOKIE,
            form.language.data,
            max_age=COOKIE_DAYS * 24 * 3600,
            secure=request.is_secure,
            httponly=True,
            samesite="Lax",
        )
    return response


def _join_guest(
    workshop: WorkshopSession, form: JoinForm
) -> tuple[Participant | None, Participant | None]:
    """Join as a guest: (the participant, None), or (None, the guest to offer "continue as").

    A browser that joined before stays its guest. Otherwise a guest of the same name and agency
    (the same person on another device, or a namesake) is offered to continue as, and asked.
    """
    name, agency = form.name.data.strip(), form.agency.data
    earlier = _earlier_guest(workshop)
    if earlier is None:
        match = ws_query.guest_named(workshop.assessment_id, name, agency)
        if match is not None:
            choice = form.continue_as.data
            form.continue_as.choices = [
                ("yes", _("Yes, continue as %(name)s", name=match.guest_name)),
                ("no", _("No, I am someone else: join as a new person")),
            ]
            if choice not in ("yes", "no"):
                if "asked" in request.form:  # the question was shown and left unanswered
                    form.continue_as.errors = [
                        _("Select whether you are %(name)s", name=match.guest_name)
                    ]
                    form._errors = None
                return None, match
            earlier = match if choice == "yes" else None
    return participants.join_as_guest(workshop, name, agency, earlier), None


def _participant_or_redirect(session_id: int) -> tuple[WorkshopSession, Participant]:
    workshop = ws_query.workshop_for_phone(session_id)
    participant = _my_participant(workshop) if workshop is not None else None
    if participant is None:
        abort(redirect(url_for("workshop.join")))
    return workshop, participant


def _panel_context(
    workshop: WorkshopSession, participant: Participant, with_my_vote: bool = True
) -> dict:
    assessment = workshop.assessment
    walk = ws_query.walk_for(assessment)
    stop = ws_query.current_stop(workshop, walk)
    framework = ws_query.framework_of(assessment, stop.framework_id)
    live = workshop.status == "live"
    mine = ws_query.my_votes_by_round(participant, stop, workshop) if with_my_vote else {}
    vote_row = ws_query.my_vote_row(participant, stop, workshop) if with_my_vote else None
    return {
        "workshop": workshop,
        "participant": participant,
        "framework": framework,
        "stop": stop,
        "progress": walk.progress(stop),
        "my_vote": mine.get(workshop.round),
        "my_comment": vote_row.comment if vote_row is not None else None,
        "previous_vote": mine.get(workshop.round - 1),
        "earlier": ws_query.earlier_rating(participant, stop) if with_my_vote else None,
        "vote_choices": ws_query.vote_choices(framework),
        "reveal": ws_query.reveal_for(workshop, stop) if live and workshop.revealed else None,
        "agreed": ws_query.agreed_for(assessment.id, stop) if live else None,
        "seconds_left": ws_query.countdown_left(workshop) if live else None,
        "max_comment": ws_service.MAX_COMMENT,
        "problem": None,
        "comment_problem": None,
    }


@bp.route("/workshop/<int:session_id>/live")
def live(session_id: int):
    workshop, participant = _participant_or_redirect(session_id)
    return render_template("workshop/live.html", **_panel_context(workshop, participant))


@bp.route("/workshop/<int:session_id>/live/panel")
def live_panel(session_id: int):
    workshop, participant = _participant_or_redirect(session_id)
    response = render_template("workshop/_panel.html", **_panel_context(workshop, participant))
    return response, 200, {"Cache-Control": "no-store"}


@bp.route("/workshop/<int:session_id>/live/state.json")
def live_state(session_id: int):
    # A guest's phone asking again while nothing changed is answered from Redis alone (when
    # configured): most of a room's polls (bench/notes.md, figure 6).
    joined = session.get(SESSION_KEY)
    if isinstance(joined, dict) and request.if_none_match:
        etag = live_marks.unchanged(session_id, joined, request.if_none_match, current_language())
        if etag is not None:
            return not_modified(etag)
    workshop = ws_query.workshop_for_phone(session_id)
    participant_id = _remembered_id(workshop) if workshop is not None else None
    if participant_id is None:
        abort(404)
    read_at = live_marks.counters(workshop.id, participant_id)
    walk = ws_query.walk_for(workshop.assessment)
    stop = ws_query.current_stop(workshop, walk)
    # Who they are, whether still in the room, and their vote: one statement (polled each second).
    room = ws_query.in_the_room(workshop, participant_id, stop)
    if room is None or not room.present or not _joined_this_session(workshop, room.participant):
        abort(404)
    participant = room.participant
    seconds_left = ws_query.countdown_left(workshop)
    response = conditional_json(
        {
            "step": workshop.step,
            "status": workshop.status,
            "revealed": workshop.revealed,
            "item": {
                "framework_id": stop.framework_id,
                "id": stop.item_id,
                "text": local(stop.item.text),
            },
            "round": workshop.round,
            "my_vote": room.vote,
            "seconds_left": seconds_left,
        }
    )
    # Kept for guests only (a member's phone is also checked against who is signed in), and not
    # while a countdown runs: its seconds change the state with no write.
    if participant.user_id is None and not seconds_left:
        live_marks.keep(
            workshop.id,
            participant.id,
            workshop.assessment_id,
            current_language(),
            response.get_etag()[0],
            read_at,
        )
    return response


@bp.route("/workshop/<int:session_id>/live/vote", methods=["POST"])
def vote(session_id: int):
    workshop, participant = _participant_or_redirect(session_id)
    # The panel is read before the vote is saved and kept through its commit, so a vote runs
    # only the statements it needs; reloading all it shows after the commit made saturated
    # voting on PostgreSQL a third of SQLite's rate (bench/notes.md, figure 2).
    context = _panel_context(workshop, participant, with_my_vote=False)
    stop = context["stop"]
    value = request.form.get("value", "")
    comment = request.form.get("comment")
    problem = None
    about_comment = False
    voted = False
    try:
        ws_service.take_vote(workshop, participant, stop, request.form.get("item"), value, comment)
        voted = True
    except ws_service.VoteRefused as refused:
        problem = str(refused)
        about_comment = getattr(refused, "about_comment", False)
    if request.headers.get("X-Requested-With") == "fetch":
        context["problem"] = problem
        if voted:
            context["my_vote"] = value
            context["my_comment"] = ws_service.clean_comment(comment)
        else:
            row = ws_query.my_vote_row(participant, stop, workshop)
            context["my_vote"] = row.value if row is not None else None
            # What they typed stays in the box, to shorten and send again.
            context["my_comment"] = comment
            if about_comment:
                context["comment_problem"] = problem
        return render_template("workshop/_panel.html", **context), (409 if problem else 200)
    if problem:
        flash(problem)
    return redirect(url_for("workshop.live", session_id=workshop.id))
