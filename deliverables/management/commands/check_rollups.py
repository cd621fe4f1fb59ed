"""`manage.py check_rollups [--repair]`: work out every stored roll-up from scratch and
report any that differs from what its rows say (with --repair, fix them). Exits with
status 1 when it found a difference and did not repair it. Beat runs it daily, repairing
(deliverables.tasks)."""

from django.core.management.base import BaseCommand

from deliverables.rollups import recompute_everything

SHOWN = 50


class Command(BaseCommand):
    help = "Recompute every stored roll-up and report (or --repair) any difference."

    def add_arguments(self, parser):
        parser.add_argument("--repair", action="store_true", help="Fix what differs.")

    def handle(self, *args, repair: bool = False, **options):
        differences = recompute_everything(repair=repair)
        for difference in differences[:SHOWN]:
            self.stdout.write(str(difference))
        if len(differences) > SHOWN:
            self.stdout.write(f"… and {len(differences) - SHOWN} more.")
        if not differences:
            self.stdout.write(self.style.SUCCESS("Every roll-up matches its rows."))
        elif repair:
            self.stdout.write(self.style.WARNING(f"Repaired {len(differences)} roll-ups."))
        else:
            self.stderr.write(f"{len(differences)} roll-ups differ; run with --repair.")
            raise SystemExit(1)
