from django.core.management.base import BaseCommand
from django.utils.module_loading import autodiscover_modules


class Command(BaseCommand):
    help = "Run the background task worker (huey consumer) with its periodic reminders."

    def add_arguments(self, parser):
        parser.add_argument("--workers", type=int, default=2)

    def handle(self, *args, **options):
        from casereview.core.huey_app import huey

        # Each app's periodic.py declares its scheduled jobs (reminders, chasers) on the same huey.
        autodiscover_modules("periodic")
        # Letters attached to emails are rendered here too: load the PDF renderer once, now.
        from casereview.lib.pdf import warm_up

        warm_up()
        consumer = huey.create_consumer(workers=options["workers"], worker_type="thread", periodic=True)
        self.stdout.write(f"Task worker running with {options['workers']} threads. Ctrl-C stops it.")
        consumer.run()
