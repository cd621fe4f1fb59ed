"""Every CSS class a template uses is styled by the app's stylesheets (static/css/), so no
page renders as raw bullet lists and native buttons because of a class nobody defined.
Classes that only hook scripts start with `js-` and need no rule."""

import re
from pathlib import Path

from django.conf import settings
from django.template import engines

ROOT = Path(settings.BASE_DIR)
SCRIPT_HOOK_PREFIX = "js-"


def stylesheet_classes() -> set[str]:
    css = "".join(path.read_text() for path in (ROOT / "static/css").glob("*.css"))
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    css = re.sub(r"url\([^)]*\)", "", css)
    return set(re.findall(r"\.(-?[_a-zA-Z][\w-]*)", css))


def template_classes() -> dict[str, set[str]]:
    """{class: templates using it}, in the templates of the site and of its apps (not of
    the libraries). A class built from a variable (`badge--{{ status }}`)
    is listed by its fixed start and a trailing `*`; one wholly from a variable is left out."""
    used: dict[str, set[str]] = {}
    ours = [
        Path(folder)
        for folder in engines["django"].template_dirs
        if Path(folder).is_relative_to(ROOT) and "site-packages" not in Path(folder).parts
    ]
    for folder in ours:
        for path in folder.rglob("*.html"):
            for value in re.findall(r'\bclass="([^"]*)"', path.read_text()):
                value = re.sub(r"{%.*?%}", " ", value)  # {% if %} … {% endif %} around a class
                value = re.sub(r"{{.*?}}", "*", value)
                for name in value.split():
                    if name != "*":
                        used.setdefault(name.split("*")[0] + "*" * ("*" in name), set()).add(
                            str(path.relative_to(ROOT))
                        )
    return used


def test_the_templates_of_the_site_and_every_app_are_read():
    used = template_classes()
    assert {"btn", "card", "pagehead", "badge"} <= set(used)
    read = {path.split("/")[0] for paths in used.values() for path in paths}
    assert read == {"templates", "projects", "deliverables", "notifications"}


def test_every_class_a_template_uses_is_in_the_stylesheets():
    defined = stylesheet_classes()
    missing = {
        name: sorted(templates)
        for name, templates in template_classes().items()
        if not name.startswith(SCRIPT_HOOK_PREFIX)
        and not (
            any(css.startswith(name[:-1]) for css in defined)
            if name.endswith("*")
            else name in defined
        )
    }
    assert missing == {}
