"""Keep the cached free times true (`slot_cache`): a booking or a downtime gives its farm a
new version; a change to a farm, its hours or closures, or a printer, the whole fleet.
Connected in `PracticalsConfig.ready`. Updates that bypass `save()` call
`slots_invalidate` themselves (`services.maintenance.printers_usage_check`)."""

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from .slot_cache import slots_invalidate


@receiver(pre_save, sender="practicals.Booking")
def booking_will_change(sender, instance, update_fields=None, **kwargs):
    """A booking moved to another farm frees a slot at the farm it leaves."""
    if instance.pk and (update_fields is None or "printer" in update_fields):
        instance._farm_before = (
            sender.objects.filter(pk=instance.pk).values_list("printer__farm_id", flat=True).first()
        )


@receiver(post_save, sender="practicals.Booking")
@receiver(post_delete, sender="practicals.Booking")
def booking_changed(sender, instance, **kwargs):
    farm_id = instance.printer.farm_id if instance.printer_id else None
    slots_invalidate(farm_ids=[farm_id, getattr(instance, "_farm_before", None)])


@receiver(post_save, sender="practicals.Downtime")
@receiver(post_delete, sender="practicals.Downtime")
def downtime_changed(sender, instance, **kwargs):
    slots_invalidate(farm_ids=[instance.farm_id])


@receiver(post_save, sender="practicals.Farm")
@receiver(post_delete, sender="practicals.Farm")
@receiver(post_save, sender="practicals.OpeningHours")
@receiver(post_delete, sender="practicals.OpeningHours")
@receiver(post_save, sender="practicals.Closure")
@receiver(post_delete, sender="practicals.Closure")
@receiver(post_save, sender="practicals.Printer")
@receiver(post_delete, sender="practicals.Printer")
def fleet_changed(sender, instance, **kwargs):
    slots_invalidate(fleet=True)
