from django.apps import AppConfig
from django.db.models.signals import post_migrate


def sync_builtin_playbooks(sender, **kwargs) -> None:
    from projects.playbooks.services import playbooks_sync

    playbooks_sync()


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = "Projects"

    def ready(self) -> None:
        from milestones_site.web import conditional
        from projects.selectors.resources import workspace_versions
        from projects.web.workspaces import current_workspace_id

        # Built-in playbooks ship with the code: every migrate brings them up to date.
        post_migrate.connect(sync_builtin_playbooks, sender=self)
        conditional.add_part(workspace_versions)
        conditional.add_part(current_workspace_id, pages_only=True)
