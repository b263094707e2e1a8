"""`hct simulate SCENARIO [--seed N]`: run a scenario in the foreground and print its results.

With the seed it was run with, the numbers are the same as the ones stored (the simulation is a
pure function of its inputs and seeds).
"""

import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from hct.flexibility import exchange, services, simulation
from hct.flexibility.models import Scenario


class Command(BaseCommand):
    help = "Run a flexibility scenario again and print its inputs and results as JSON"

    def add_arguments(self, parser):
        parser.add_argument("scenario", type=int)
        parser.add_argument("--seed", type=int, default=None)
        parser.add_argument("--no-save", action="store_true")

    def handle(self, *args, scenario, seed, no_save, **options):
        found = Scenario.objects.select_related("description__service").filter(pk=scenario).first()
        if found is None:
            raise CommandError(f"There is no scenario {scenario}")
        try:
            if no_save:
                inputs = services.inputs_for(found, seed=seed)
                over = simulation.overload(inputs)
                if over is not None:
                    raise ValidationError(over.sentence())
                document = {"inputs": inputs.as_dict(), "results": simulation.run(inputs)}
            else:
                services.scenario_simulate(actor=None, scenario=found, seed=seed)
                document = exchange.scenario_document(found)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(json.dumps(document, indent=2))
