from django.apps import AppConfig
from django.db.models.signals import post_delete


class DeliverablesConfig(AppConfig):
    name = "deliverables"
    verbose_name = "Deliverables"

    def ready(self) -> None:
        from deliverables.models import ProofFile
        from deliverables.services.versions import forget_stored_file, previews_wanted
        from deliverables.tasks import on_previews_wanted

        previews_wanted.connect(
            on_previews_wanted, weak=False, dispatch_uid="deliverables.on_previews_wanted"
        )
        # A row deleted by a cascade (its milestone or project went) is seen only here:
        # the services that delete those know nothing of files.
        post_delete.connect(
            forget_stored_file, sender=ProofFile, dispatch_uid="deliverables.forget_stored_file"
        )
