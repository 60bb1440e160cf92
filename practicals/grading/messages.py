"""What a check says, stored as a code with parameters and rendered in the reader's language
(the pattern of `practicals.messages`): an assessment keeps the code, never a sentence."""

from django.utils import formats
from django.utils.translation import gettext_lazy as _

CHECK_MESSAGES = {
    "finished_ok": _("The print completed without error."),
    "finished_not": _("The print did not complete (%(state)s)."),
    "finished_error": _("The print ended with an error: %(detail)s"),
    "heatup_ok": _("Target ±3 °C reached in %(value)s s (at most %(threshold)s s)."),
    "heatup_slow": _("Target ±3 °C reached in %(value)s s, more than %(threshold)s s."),
    "heatup_never": _("The heaters never reached their target ±3 °C."),
    "band_ok": _("%(value)s %% of the printing time outside ±5 °C (at most %(threshold)s %%)."),
    "band_over": _("%(value)s %% of the printing time outside ±5 °C, more than %(threshold)s %%."),
    "time_ok": _(
        "Printed in %(measured)s s for an estimate of %(estimate)s s: %(value)s %% "
        "(within ±%(threshold)s %%)."
    ),
    "time_off": _(
        "Printed in %(measured)s s for an estimate of %(estimate)s s: %(value)s %%, "
        "beyond ±%(threshold)s %%."
    ),
    "first_layer_ok": _(
        "First layer in %(measured)s s for %(estimate)s s computed: %(value)s %% "
        "(within ±%(threshold)s %%)."
    ),
    "first_layer_off": _(
        "First layer in %(measured)s s for %(estimate)s s computed: %(value)s %%, "
        "beyond ±%(threshold)s %%."
    ),
    "filament_ok": _("%(value)s m of filament used (at most %(threshold)s m)."),
    "filament_over": _("%(value)s m of filament used, more than %(threshold)s m."),
    # Not measurable: said plainly, never a guessed verdict.
    "no_telemetry": _("Not measurable: no temperature readings were kept for this print."),
    "no_target": _("Not measurable: the printer reported no target temperature."),
    "no_estimate": _("Not measurable: the G-code gives no time estimate."),
    "not_completed": _("Not measurable: the print did not complete."),
    "no_layers": _("Not measurable: the layer changes were not recorded."),
    "no_gcode": _("Not measurable: the print's G-code could not be read."),
    "no_filament": _("Not measurable: the G-code extrudes no filament."),
    "unknown_check": _("Not measurable: this check no longer exists."),
}


# What a check is called where a trainee reads it (the admin's choices say more: units).
CHECK_NAMES = {
    "finished": _("Finished without error"),
    "heatup": _("Heat-up"),
    "band": _("Steady temperatures"),
    "print_time": _("Print time"),
    "first_layer": _("First layer time"),
    "filament": _("Filament used"),
}


def check_message(code: str, params: dict | None = None) -> str:
    """The check's message in the active language, numbers in the language's format."""
    template = CHECK_MESSAGES.get(code)
    if template is None:
        return code
    shown = {
        key: formats.number_format(int(value) if float(value).is_integer() else value)
        if isinstance(value, int | float) and not isinstance(value, bool)
        else value
        for key, value in (params or {}).items()
    }
    try:
        return str(template) % shown
    except (KeyError, TypeError, ValueError):
        return str(template)
