from django.core.management.base import BaseCommand

from lms.demo.seed import demo_seed


class Command(BaseCommand):
    help = "Load the demo content: catalogue, two French courses, accounts, cohorts, the farm."

    def handle(self, *args, **options):
        result = demo_seed()
        self.stdout.write("Demo content ready: " + ", ".join(c.title for c in result["courses"]))
