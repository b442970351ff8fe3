from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user
from werkzeug.routing import BuildError

from selfassess.domain.i18n import N_
from selfassess.extensions import limiter
from selfassess.models import Invitation, Partnership, User
from selfassess.queries.invitations import (
    invitation_details,
    invitation_or_none,
    pending_invitations,
)
from selfassess.queries.memberships import partnership_or_none
from selfassess.queries.partnerships import (
    all_partnerships,
    is_last_lead,
    members,
    membership_or_none,
)
from selfassess.queries.people import users_by_id
from selfassess.services import invitations, partnerships
from selfassess.services.invitations import (
    EmailTakenError,
    InvitationError,
    WrongEmailError,
    accept,
    check_who_accepts,
    create_account_from_invitation,
    create_invitation,
    load_invitation,
    token_for,
    withdraw,
)
from selfassess.views.partnerships import bp
from selfassess.views.partnerships.forms import (
    AcceptForm,
    ConfirmForm,
    InviteForm,
    LeadInvitationForm,
    PartnershipForm,
    RoleForm,
)
from selfassess.web.access import LEAD_ROLES, analyst_required, my_partnerships, partnership_or_404
from selfassess.web.sessions import remember_generation

ROLE_NAMES = {"lead": N_("Lead"), "member": N_("Member"), "observer": N_("Observer")}
LAST_LEAD = N_("A partnership needs at least one lead. Make someone else a lead first.")


def _role_name(role: str) -> str:
    """ "member", "lead" in the reader's language, as a sentence says it."""
    return _(ROLE_NAMES[role]).lower() if role in ROLE_NAMES else role


def _me() -> User:
    return current_user._get_current_object()


def _link(invitation: Invitation) -> str:
    return url_for("partnerships.accept_invitation", token=token_for(invitation), _external=True)


def _assessments_url(partnership: Partnership) -> str | None:
    """The partnership's assessments page, when that part of the service is there."""
    if "assessments.index" not in current_app.view_functions:
        return None
    try:
        return url_for("assessments.index", partnership_id=partnership.id)
    except BuildError:
        try:
            return url_for("assessments.index")
        except BuildError:
            return None


def _invitation_or_404(partnership: Partnership, invitation_id: int) -> Invitation:
    invitation = invitation_or_none(partnership.id, invitation_id)
    if invitation is None:
        abort(404)
    return invitation


def _any_partnership_or_404(partnership_id: int) -> Partnership:
    """Any partnership, for analysts (who belong to none)."""
    partnership = partnership_or_none(partnership_id)
    if partnership is None:
        abort(404)
    return partnership


@bp.route("/partnerships/")
@login_required
def index():
    return render_template(
        "partnerships/index.html",
        mine=my_partnerships(),
        everyone=all_partnerships() if current_user.is_analyst else [],
        role_names=ROLE_NAMES,
    )


@bp.route("/partnerships/new", methods=["GET", "POST"])
@analyst_required
def new():
    form = PartnershipForm()
    if form.validate_on_submit():
        try:
            partnership, made = partnerships.create_partnership(
                form.name.data,
                form.code.data,
                form.region.data,
                form.police_force_area.data,
                by=_me(),
                lead_name=form.lead_name.data,
                lead_email=form.lead_email.data,
            )
        except partnerships.CodeTakenError:
            form.code.errors = [*form.code.errors, _("A partnership already uses this code")]
        else:
            return redirect(
                url_for(
                    "partnerships.lead_link",
                    partnership_id=partnership.id,
                    invitation_id=made.invitation.id,
                    created=1,
                )
            )
    return render_template("partnerships/new.html", form=form)


@bp.route("/partnerships/<int:partnership_id>/invite-lead", methods=["GET", "POST"])
@analyst_required
def invite_lead(partnership_id: int):
    partnership = _any_partnership_or_404(partnership_id)
    form = LeadInvitationForm()
    if form.validate_on_submit():
        made = create_invitation(
            partnership,
            "lead",
            _me(),
            note=f"{form.lead_name.data} ({form.lead_email.data})",
            for_name=form.lead_name.data,
            for_email=form.lead_email.data,
        )
        return redirect(
            url_for(
                "partnerships.lead_link",
                partnership_id=partnership.id,
                invitation_id=made.invitation.id,
            )
        )
    return render_template("partnerships/invite_lead.html", form=form, partnership=partnership)


@bp.route("/partnerships/<int:partnership_id>/lead-invitations/<int:invitation_id>")
@analyst_required
def lead_link(partnership_id: int, invitation_id: int):
    partnership = _any_partnership_or_404(partnership_id)
    invitation = _invitation_or_404(partnership, invitation_id)
    if invitation.role != "lead" or invitation not in pending_invitations(partnership.id):
        abort(404)
    return render_template(
        "partnerships/link.html",
        partnership=partnership,
        invitation=invitation,
        details=invitation_details([invitation.id]).get(invitation.id, {}),
        link=_link(invitation),
        created=bool(request.args.get("created")),
        back_url=url_for("partnerships.index"),
        back_text=_("Back to your partnerships"),
        role_names=ROLE_NAMES,
    )


@bp.route("/partnerships/<int:partnership_id>")
@login_required
def show(partnership_id: int):
    partnership = partnership_or_404(partnership_id)
    role = current_user.role_in(partnership.id)
    pending = pending_invitations(partnership.id)
    return render_template(
        "partnerships/show.html",
        partnership=partnership,
        role=role,
        is_lead=role == "lead",
        members=members(partnership.id),
        pending=pending,
        details=invitation_details([i.id for i in pending]),
        inviters={u.id: u for u in _users({i.invited_by_id for i in pending})},
        assessments_url=_assessments_url(partnership),
        role_names=ROLE_NAMES,
        remove_form=ConfirmForm(),
    )


def _users(ids: set[int | None]) -> list[User]:
    ids = {i for i in ids if i is not None}
    if not ids:
        return []
    return users_by_id(ids)


@bp.route("/partnerships/<int:partnership_id>/invite", methods=["GET", "POST"])
@login_required
def invite(partnership_id: int):
    partnership = partnership_or_404(partnership_id, LEAD_ROLES)
    form = InviteForm()
    if form.validate_on_submit():
        made = create_invitation(
            partnership,
            form.role.data,
            _me(),
            note=form.note.data,
            for_email=form.email.data,
            language=InviteForm.email_language(form.language.data),
        )
        return redirect(
            url_for(
                "partnerships.invitation_link",
                partnership_id=partnership.id,
                invitation_id=made.invitation.id,
            )
        )
    return render_template("partnerships/invite.html", form=form, partnership=partnership)


@bp.route("/partnerships/<int:partnership_id>/invitations/<int:invitation_id>")
@login_required
def invitation_link(partnership_id: int, invitation_id: int):
    partnership = partnership_or_404(partnership_id, LEAD_ROLES)
    invitation = _invitation_or_404(partnership, invitation_id)
    if invitation not in pending_invitations(partnership.id):
        flash(_("That invitation has been used, withdrawn or has expired."))
        return redirect(url_for("partnerships.show", partnership_id=partnership.id))
    return render_template(
        "partnerships/link.html",
        partnership=partnership,
        invitation=invitation,
        details=invitation_details([invitation.id]).get(invitation.id, {}),
        link=_link(invitation),
        created=False,
        back_url=url_for("partnerships.show", partnership_id=partnership.id),
        back_text=_("Back to %(partnership)s", partnership=partnership.name),
        role_names=ROLE_NAMES,
    )


@bp.route(
    "/partnerships/<int:partnership_id>/invitations/<int:invitation_id>/withdraw",
    methods=["POST"],
)
@login_required
def withdraw_invitation(partnership_id: int, invitation_id: int):
    partnership = partnership_or_404(partnership_id, LEAD_ROLES)
    invitation = _invitation_or_404(partnership, invitation_id)
    form = ConfirmForm()
    if form.validate_on_submit() and invitation in pending_invitations(partnership.id):
        withdraw(invitation, _me())
        flash(_("Invitation withdrawn: the link no longer works."), "success")
    return redirect(url_for("partnerships.show", partnership_id=partnership.id))


def _keep_my_session(changed_user_id: int) -> None:
    """A lead who changed their own role or left keeps this session; other copies end."""
    if changed_user_id == current_user.id:
        remember_generation(_me())


def _membership_or_404(partnership: Partnership, membership_id: int):
    membership = membership_or_none(partnership.id, membership_id)
    if membership is None:
        abort(404)
    return membership


@bp.route(
    "/partnerships/<int:partnership_id>/members/<int:membership_id>/role",
    methods=["GET", "POST"],
)
@login_required
def change_role(partnership_id: int, membership_id: int):
    partnership = partnership_or_404(partnership_id, LEAD_ROLES)
    membership = _membership_or_404(partnership, membership_id)
    form = RoleForm(data={"role": membership.role})
    if form.validate_on_submit():
        try:
            if partnerships.change_role(membership, form.role.data, _me()):
                _keep_my_session(membership.user_id)
                flash(
                    _(
                        "%(name)s is now %(role)s.",
                        name=membership.user.name,
                        role=_role_name(membership.role),
                    ),
                    "success",
                )
            return redirect(url_for("partnerships.show", partnership_id=partnership.id))
        except partnerships.LastLeadError:
            form.role.errors = [*form.role.errors, _(LAST_LEAD)]
    return render_template(
        "partnerships/change_role.html", form=form, partnership=partnership, membership=membership
    )


@bp.route(
    "/partnerships/<int:partnership_id>/members/<int:membership_id>/remove",
    methods=["GET", "POST"],
)
@login_required
def remove_member(partnership_id: int, membership_id: int):
    partnership = partnership_or_404(partnership_id, LEAD_ROLES)
    membership = _membership_or_404(partnership, membership_id)
    form = ConfirmForm()
    last_lead = is_last_lead(membership)
    if form.validate_on_submit() and not last_lead:
        name = membership.user.name
        member_id = membership.user_id
        leaving = member_id == current_user.id
        partnerships.remove_member(membership, _me())
        _keep_my_session(member_id)
        flash(
            _(
                "%(name)s is no longer a member of %(partnership)s.",
                name=name,
                partnership=partnership.name,
            ),
            "success",
        )
        if leaving:
            return redirect(url_for("partnerships.index"))
        return redirect(url_for("partnerships.show", partnership_id=partnership.id))
    return render_template(
        "partnerships/remove.html",
        form=form,
        partnership=partnership,
        membership=membership,
        last_lead=last_lead,
        last_lead_message=_(LAST_LEAD),
        role_names=ROLE_NAMES,
    )


@bp.route("/invitations/<token>", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def accept_invitation(token: str):
    try:
        invitation = load_invitation(token)
    except InvitationError as error:
        return _unusable(error)
    partnership = invitation.partnership
    role_name = _role_name(invitation.role)

    if current_user.is_authenticated:
        try:
            check_who_accepts(invitation, _me())
        except InvitationError as error:
            return _not_yours(error)
        if current_user.role_in(partnership.id):
            flash(_("You are already a member of %(partnership)s.", partnership=partnership.name))
            return redirect(url_for("partnerships.show", partnership_id=partnership.id))
        form = ConfirmForm()
        if form.validate_on_submit():
            try:
                accept(invitation, _me())
            except InvitationError as error:
                return _not_yours(error)
            flash(
                _(
                    "You have joined %(partnership)s as %(role)s.",
                    partnership=partnership.name,
                    role=role_name,
                ),
                "success",
            )
            return redirect(url_for("partnerships.show", partnership_id=partnership.id))
        return render_template(
            "partnerships/join.html", form=form, partnership=partnership, role_name=role_name
        )

    form = AcceptForm()
    if not form.is_submitted():
        details = invitation_details([invitation.id]).get(invitation.id, {})
        form.name.data = details.get("for_name")
        form.email.data = details.get("for_email")
    sign_in_url = url_for("auth.sign_in", next=url_for(".accept_invitation", token=token))
    existing_account = False
    if form.validate_on_submit():
        try:
            user = create_account_from_invitation(
                invitation, form.name.data, form.email.data, form.agency.data, form.password.data
            )
        except WrongEmailError:
            form.email.errors = [
                *form.email.errors,
                _(
                    "This invitation is for a different email address. Use the address it was "
                    "sent for, or ask whoever sent it for a new one"
                ),
            ]
        except EmailTakenError:
            existing_account = True
            form.email.errors = [
                *form.email.errors,
                _(
                    "An account already uses this email address. Sign in first, then open "
                    "your invitation link again to join"
                ),
            ]
        except InvitationError as error:
            return _unusable(error)
        else:
            login_user(user)
            flash(
                _(
                    "Your account is ready and you have joined %(partnership)s.",
                    partnership=partnership.name,
                ),
                "success",
            )
            return redirect(url_for("partnerships.show", partnership_id=partnership.id))
    return render_template(
        "partnerships/accept.html",
        form=form,
        partnership=partnership,
        role_name=role_name,
        sign_in_url=sign_in_url,
        existing_account=existing_account,
    )


def _not_yours(error: InvitationError):
    """Someone else's invitation, or an analyst's: nothing changes, and the page says why."""
    if error.reason in (invitations.SOMEONE_ELSE, invitations.ANALYST):
        return (
            render_template("partnerships/invitation_not_yours.html", reason=error.reason),
            error.status,
        )
    return _unusable(error)


def _unusable(error: InvitationError):
    return (
        render_template("partnerships/invitation_unusable.html", reason=error.reason),
        error.status,
    )
