"""The free times of a practical, computed once and cached until something changes them.

The booking page shows the free start times of every printer able to run the practical
(`slots.free_times`). They are cached per practical (its slot length, material and build
volume are part of the key, so a publish that changes them reads another entry) under
versions:

- the fleet's version: any change to a farm, its opening hours or closures, a printer
  (enabled, material, volume, farm, withdrawn for maintenance) gives a new one, since it
  may change which printers are able or what the grids are;
- each farm's version: a booking of one of its printers (made, cancelled, moved, released),
  or a downtime (blocked time, maintenance window) gives the farm a new one.

Versions are renewed at once and again on commit (`slots_invalidate`), and read before the
rows they guard: the fleet's before the printers, the farms' before the bookings. So an
entry computed while a change commits is stored under the version that the change
replaces, and never read again. A just-taken slot is never offered once the booking has
committed; the database constraint still decides a race.

An entry is computed with the time of its computation: on reading, slots that have ended
or are within the farm's minimum notice are dropped; the entry expires at the next local
midnight of any of its farms, when the booking window moves by a day.
"""

import datetime as dt
import uuid
from typing import NamedTuple

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from .models import Farm, PracticalPage
from .slots import FreeTime, able_printers_by_farm, free_times_of

_FLEET_KEY = "practicals-slots-fleet"
_FARM_KEY = "practicals-slots-farm-{}"
_ENTRY_KEY = "practicals-slots-{}-{}-{}-{}-{}-{}"
_TIMEOUT = 24 * 3600


def _versions_read(keys: list[str]) -> dict[str, str]:
    """The versions under `keys`, a new one stored for any missing (evicted or first)."""
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            cache.add(key, uuid.uuid4().hex, None)
            found[key] = cache.get(key)
    return found


def _renew(keys: list[str]) -> None:
    cache.set_many({key: uuid.uuid4().hex for key in keys}, None)


def slots_invalidate(*, farm_ids=(), fleet: bool = False) -> None:
    """New versions for these farms (or the whole fleet): at once, so that this
    transaction's own reads see the change, and again on commit, because another
    process may have computed the free times in between from the rows as they were."""
    keys = [_FARM_KEY.format(pk) for pk in set(farm_ids) if pk]
    if fleet:
        keys.append(_FLEET_KEY)
    if not keys:
        return
    _renew(keys)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: _renew(keys))


def _entry_key(practical: PracticalPage) -> str:
    return _ENTRY_KEY.format(
        practical.pk,
        practical.slot_minutes,
        practical.material_id or 0,
        practical.min_build_x,
        practical.min_build_y,
        practical.min_build_z,
    )


def _next_midnight(farm: Farm, now: dt.datetime) -> dt.datetime:
    tz = farm.tzinfo
    tomorrow = now.astimezone(tz).date() + dt.timedelta(days=1)
    return dt.datetime.combine(tomorrow, dt.time(), tzinfo=tz).astimezone(dt.UTC)


class FreePrinter(NamedTuple):
    """A free printer as the booking page needs it (a model instance costs ten times more
    to store and read back)."""

    pk: int
    name: str


class FreeOffer:
    """The cached free times in a compact form: the farms, the printers' names by id, and
    rows of (start, end as UTC timestamps, farm id, ids of the free printers), soonest
    first then by farm name. A `FreeTime` is made only for the rows a page shows
    (`time`), so reading the entry costs little whatever the number of farms and printers."""

    def __init__(self, *, farms: dict, printers: dict, rows: list):
        self.farms, self.printers, self.rows = farms, printers, rows

    @classmethod
    def of(cls, times: list[FreeTime]) -> "FreeOffer":
        farms, printers, rows = {}, {}, []
        for time in times:
            farms.setdefault(time.farm.pk, time.farm)
            for printer in time.printers:
                printers.setdefault(printer.pk, printer.name)
            rows.append(
                (
                    int(time.starts_at.timestamp()),
                    int(time.ends_at.timestamp()),
                    time.farm.pk,
                    tuple(p.pk for p in time.printers),
                )
            )
        for farm in farms.values():  # the hours were for the grid; the page needs none
            farm.__dict__.pop("_prefetched_objects_cache", None)
        return cls(farms=farms, printers=printers, rows=rows)

    def bookable(self, now: dt.datetime) -> "FreeOffer":
        """Without what has ended, or starts within its farm's minimum notice, since the
        entry was computed."""
        stamp = now.timestamp()
        notice = {pk: farm.min_notice_minutes * 60 for pk, farm in self.farms.items()}
        rows = [
            r
            for r in self.rows
            if r[1] > stamp and (not notice[r[2]] or r[0] >= stamp + notice[r[2]])
        ]
        return FreeOffer(farms=self.farms, printers=self.printers, rows=rows)

    def time(self, row) -> FreeTime:
        start, end, farm_id, printer_ids = row
        return FreeTime(
            self.farms[farm_id],
            dt.datetime.fromtimestamp(start, dt.UTC),
            dt.datetime.fromtimestamp(end, dt.UTC),
            [FreePrinter(pk, self.printers[pk]) for pk in printer_ids],
        )

    def times(self) -> list[FreeTime]:
        return [self.time(row) for row in self.rows]


def free_times_cached(*, practical: PracticalPage, now: dt.datetime | None = None) -> list:
    """`slots.free_times(practical=...)`, from the cache when nothing changed since."""
    return free_offer(practical=practical, now=now).times()


def free_offer(*, practical: PracticalPage, now: dt.datetime | None = None) -> FreeOffer:
    """The free times of `slots.free_times(practical=...)` as a `FreeOffer`, from the cache
    when nothing changed since.

    Two cache round trips and no query when the entry is valid; otherwise the six
    queries of `free_times`, and the entry stored.
    """
    now = now or timezone.now()
    entry_key = _entry_key(practical)
    found = cache.get_many([_FLEET_KEY, entry_key])
    entry = found.get(entry_key)
    fleet = found.get(_FLEET_KEY)
    fresh = entry is not None and fleet is not None and entry["fleet"] == fleet
    if fresh and entry["at"] <= now < entry["until"]:
        farm_keys = list(entry["farms"])
        if not farm_keys or cache.get_many(farm_keys) == entry["farms"]:
            return entry["offer"].bookable(now)

    fleet = _versions_read([_FLEET_KEY])[_FLEET_KEY]  # before the printers and farms
    farms, by_farm = able_printers_by_farm(practical=practical)
    farm_versions = _versions_read([_FARM_KEY.format(pk) for pk in farms])  # before bookings
    times = free_times_of(practical=practical, farms=farms, by_farm=by_farm, now=now)
    until = min(
        (_next_midnight(farm, now) for farm in farms.values()),
        default=now + dt.timedelta(hours=1),
    )
    offer = FreeOffer.of(times)
    cache.set(
        entry_key,
        {"fleet": fleet, "farms": farm_versions, "at": now, "until": until, "offer": offer},
        _TIMEOUT,
    )
    return offer
