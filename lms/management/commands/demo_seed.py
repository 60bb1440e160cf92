from django.core.management.base import BaseCommand

from lms.demo.seed import demo_seed


class Command(BaseCommand):
    help = "Load the demo content: catalogue, a French course, demo accounts, the demo farm."

    def handle(self, *args, **options):
        result = demo_seed()
        self.stdout.write(f"Demo content ready: {result['course'].title}")
