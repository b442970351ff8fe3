"""Scheduling the board's workshop: the lead sets the date, time and place, and every member of
the partnership is emailed a calendar invitation (and its change or cancellation)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

from flask import flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from selfassess.models.base import as_utc
from selfassess.queries.mail import schedule_for
from selfassess.services import workshop_schedule as ws
from selfassess.views.workshop import bp
from selfassess.views.workshop.forms import CancelScheduleForm, ScheduleForm
from selfassess.web.access import LEAD_ROLES, assessment_or_404

LOCAL = ZoneInfo("Europe/London")


def _at(day, text: str) -> datetime:
    hours, minutes = (int(n) for n in re.split(r"[:.]", text))
    return datetime.combine(day, time(hours, minutes), tzinfo=LOCAL).astimezone(UTC)


def _people(count: int) -> str:
    return "1 person" if count == 1 else f"{count} people"


@bp.route("/assessments/<int:assessment_id>/workshop/schedule", methods=["GET", "POST"])
@login_required
def schedule(assessment_id: int):
    assessment = assessment_or_404(assessment_id, LEAD_ROLES)
    current = schedule_for(assessment.id)
    live = current if current is not None and current.cancelled_at is None else None
    form = ScheduleForm()
    if live is not None and not form.is_submitted():
        starts = as_utc(live.starts_at).astimezone(LOCAL)
        form.day.data = starts.date()
        form.starts.data = starts.strftime("%H:%M")
        form.ends.data = as_utc(live.ends_at).astimezone(LOCAL).strftime("%H:%M")
        form.place.data = live.place
        form.online_link.data = live.online_link
    if form.validate_on_submit():
        when = ws.WorkshopTime(
            _at(form.day.data, form.starts.data),
            _at(form.day.data, form.ends.data),
            form.place.data,
            form.online_link.data,
        )
        try:
            _, sent = ws.schedule(assessment, when, current_user._get_current_object())
        except ws.ScheduleError as error:
            form.day.errors = [*form.day.errors, str(error)]
        else:
            if sent:
                flash(
                    f"Workshop saved. We are emailing {_people(sent)} a calendar invitation.",
                    "success",
                )
            else:
                flash("Nothing changed, so no email was sent.")
            return redirect(url_for("workshop.overview", assessment_id=assessment.id))
    return render_template(
        "workshop/schedule.html", form=form, assessment=assessment, scheduled=live
    )


@bp.route("/assessments/<int:assessment_id>/workshop/schedule/cancel", methods=["GET", "POST"])
@login_required
def cancel_schedule(assessment_id: int):
    assessment = assessment_or_404(assessment_id, LEAD_ROLES)
    current = schedule_for(assessment.id)
    if current is None or current.cancelled_at is not None:
        return redirect(url_for("workshop.overview", assessment_id=assessment.id))
    form = CancelScheduleForm()
    if form.validate_on_submit():
        sent = ws.cancel(assessment, current_user._get_current_object())
        flash(f"Workshop cancelled. We are emailing {_people(sent)} the cancellation.", "success")
        return redirect(url_for("workshop.overview", assessment_id=assessment.id))
    return render_template(
        "workshop/cancel_schedule.html", form=form, assessment=assessment, scheduled=current
    )
