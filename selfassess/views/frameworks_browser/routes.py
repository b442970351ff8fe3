from flask import abort, render_template, request
from flask_babel import lazy_gettext
from flask_login import current_user

from selfassess.extensions import frameworks
from selfassess.views.frameworks_browser import bp
from selfassess.web.language import current_language

KIND_NAMES = {
    "rag": lazy_gettext("Rated red, amber or green"),
    "lens": lazy_gettext("A view over other frameworks' answers"),
    "survey": lazy_gettext("National survey questionnaire"),
}
WELSH = "cy"


@bp.route("/")
def index():
    return render_template(
        "frameworks/index.html", frameworks=list(frameworks()), kind_names=KIND_NAMES
    )


def _reviews_translations() -> bool:
    """National analysts check the Welsh: they see each text's review, others see none."""
    return bool(current_user.is_authenticated and getattr(current_user, "is_analyst", False))


@bp.route("/<framework_id>")
def show(framework_id: str):
    library = frameworks()
    framework = library.get(framework_id)
    if framework is None:
        abort(404)
    # For a lens (the hallmarks), list the items of other frameworks tagged with each of its items.
    tagged: dict[str, list] = {}
    if framework.kind == "lens":
        for other in library:
            for tag, source in other.tag_sources.items():
                if source != framework.id:
                    continue
                for item in other.items:
                    for value in item.tags.get(tag, ()):
                        tagged.setdefault(value, []).append((other, item))
    reviewing = _reviews_translations() and WELSH in framework.texts.languages
    welsh = [p.translation for p in framework.texts.placed(WELSH)]
    return render_template(
        "frameworks/show.html",
        framework=framework,
        library=library,
        tagged=tagged,
        kind_names=KIND_NAMES,
        versions=library.versions(framework_id),
        reviewing=reviewing,
        # In English, a reviewer may have the Welsh shown beside each text to check it.
        show_welsh=reviewing and current_language() != WELSH and request.args.get("welsh") == "1",
        awaiting=sum(1 for t in welsh if t.awaiting_review),
        signed_off=sum(1 for t in welsh if not t.awaiting_review),
    )
