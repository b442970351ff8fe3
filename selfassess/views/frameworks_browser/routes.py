from flask import abort, render_template

from selfassess.extensions import frameworks
from selfassess.views.frameworks_browser import bp

KIND_NAMES = {
    "rag": "Rated red, amber or green",
    "lens": "A view over other frameworks' answers",
    "survey": "National survey questionnaire",
}


@bp.route("/")
def index():
    return render_template(
        "frameworks/index.html", frameworks=list(frameworks()), kind_names=KIND_NAMES
    )


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
    return render_template(
        "frameworks/show.html",
        framework=framework,
        library=library,
        tagged=tagged,
        kind_names=KIND_NAMES,
        versions=library.versions(framework_id),
    )
