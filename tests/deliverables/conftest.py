import pytest


@pytest.fixture(autouse=True)
def proof_storage(settings, tmp_path):
    """Proof files of each test in a folder of its own (the local storage of `make run`)."""
    location = tmp_path / "proofs"
    settings.STORAGES = {
        **settings.STORAGES,
        "proofs": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(location), "base_url": None},
        },
    }
    return location
