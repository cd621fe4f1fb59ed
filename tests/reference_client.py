"""The README's reference client as the README has it: the code block after the
`<!-- reference-client -->` marker, run as it stands, for the tests to call its parts."""

import re
from pathlib import Path

from django.conf import settings

MARKER = "<!-- reference-client -->"


def reference_client() -> dict:
    """The names the README's code block defines (`Milestones`, `sync`, `verify_webhook`, …)."""
    readme = (Path(settings.BASE_DIR) / "README.md").read_text()
    after_marker = readme.split(MARKER, 1)[1]
    code = re.match(r"\s*```python\n(.*?)\n```", after_marker, re.DOTALL).group(1)
    names = {"__name__": "reference_client"}
    exec(compile(code, "README.md (reference client)", "exec"), names)
    return names
