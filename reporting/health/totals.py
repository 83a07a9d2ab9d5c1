"""Consultancy-wide totals of the stored health (`HealthTotal`, `MonthTotal`): what every active
record and every engagement month add up to, so an admin's unfiltered dashboard reads a few rows
whatever the number of engagements.

They change only by difference, in the transaction that changes what they count:
`store.refresh` passes the records and months it replaces and their replacements to `add_change`;
deleting an engagement (which deletes its record and months) subtracts them (`reporting.signals`).
Rows are updated in key order, so two refreshes at once queue, never deadlock. `recount` sets them
from scratch (after `rebuild`, and in the migration); a property test checks they always equal a
recount.
"""

from collections import Counter
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Count, Q, Sum

from reporting.models import EngagementHealthRecord, EngagementMonth, HealthTotal, MonthTotal

MONTH_FIELDS = ["held", "held_on_time", "missed", "ratings", "usefulness_total", "trust_total"]
COUNT_KEYS = ["active", "overdue", "at_risk", "phase:initial", "phase:steady"]


def keys_of(is_active: bool, phase: str, is_overdue: bool, score: int) -> list[str]:
    """The totals one record counts in."""
    if not is_active:
        return []
    keys = ["active", f"phase:{phase}"]
    if is_overdue:
        keys.append("overdue")
    if score > 0:
        keys.append("at_risk")
    return keys


def _record_keys(record) -> list[str]:
    if isinstance(record, dict):
        return keys_of(record["is_active"], record["phase"], record["is_overdue"], record["score"])
    return keys_of(record.is_active, record.phase, record.is_overdue, record.score)


def _month_values(month) -> tuple:
    if isinstance(month, dict):
        return month["month"], [month[field] for field in MONTH_FIELDS]
    return month.month, [getattr(month, field) for field in MONTH_FIELDS]


def add_change(*, old_records: Iterable, new_records: Iterable, old_months: Iterable, new_months: Iterable) -> None:
    """Move the totals from what the old records and months counted to what the new ones count
    (records and months as model instances or `values()` dicts). Two queries at most."""
    counts: Counter = Counter()
    for record in new_records:
        counts.update(_record_keys(record))
    for record in old_records:
        counts.subtract(_record_keys(record))
    months: dict = {}
    for sign, rows in ((1, new_months), (-1, old_months)):
        for row in rows:
            month, values = _month_values(row)
            totals = months.setdefault(month, [0] * len(MONTH_FIELDS))
            for index, value in enumerate(values):
                totals[index] += sign * value
    _add("reporting_healthtotal", "key", ["count"], {key: [n] for key, n in counts.items() if n})
    _add("reporting_monthtotal", "month", MONTH_FIELDS, {m: v for m, v in months.items() if any(v)})


def _add(table: str, key_column: str, columns: list[str], deltas: dict) -> None:
    """Add `deltas` ({key: [value per column]}) to the rows, made when missing, in key order."""
    if not deltas:
        return
    row = "(" + ", ".join(["%s"] * (len(columns) + 1)) + ")"
    updates = ", ".join(f"{column} = {table}.{column} + EXCLUDED.{column}" for column in columns)
    # Table and column names are this module's constants; the values are parameters.
    sql = (
        f"INSERT INTO {table} ({key_column}, {', '.join(columns)}) VALUES {', '.join([row] * len(deltas))} "  # noqa: S608
        f"ON CONFLICT ({key_column}) DO UPDATE SET {updates}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [value for key in sorted(deltas) for value in (key, *deltas[key])])


def counts() -> dict[str, int]:
    """The counts of the active records: active, initial, steady, overdue, at_risk."""
    stored = dict(HealthTotal.objects.values_list("key", "count"))
    return {
        "active": stored.get("active", 0),
        "initial": stored.get("phase:initial", 0),
        "steady": stored.get("phase:steady", 0),
        "overdue": stored.get("overdue", 0),
        "at_risk": stored.get("at_risk", 0),
    }


def months_between(first, last) -> dict:
    """{month: {held, on_time, missed, ratings, usefulness, trust}} of the months stored."""
    return {
        row.month: {
            "held": row.held,
            "on_time": row.held_on_time,
            "missed": row.missed,
            "ratings": row.ratings,
            "usefulness": row.usefulness_total,
            "trust": row.trust_total,
        }
        for row in MonthTotal.objects.filter(month__gte=first, month__lte=last)
    }


def recounted() -> tuple[dict[str, int], dict]:
    """The totals counted afresh from the records and months (reads every row)."""
    active = Q(is_active=True)
    tally = EngagementHealthRecord.objects.aggregate(
        active=Count("pk", filter=active),
        overdue=Count("pk", filter=active & Q(is_overdue=True)),
        at_risk=Count("pk", filter=active & Q(score__gt=0)),
        initial=Count("pk", filter=active & Q(phase="initial")),
        steady=Count("pk", filter=active & Q(phase="steady")),
    )
    keys = {"initial": "phase:initial", "steady": "phase:steady"}
    by_key = {keys.get(name, name): count for name, count in tally.items() if count}
    months = {
        row["month"]: [row[field] for field in MONTH_FIELDS]
        for row in EngagementMonth.objects.values("month").annotate(**{field: Sum(field) for field in MONTH_FIELDS})
    }
    return by_key, {month: values for month, values in months.items() if any(values)}


def stored() -> tuple[dict[str, int], dict]:
    """The totals as stored, in the shape of `recounted` (zero rows left out)."""
    by_key = {key: count for key, count in HealthTotal.objects.values_list("key", "count") if count}
    months = {
        row.month: [getattr(row, field) for field in MONTH_FIELDS]
        for row in MonthTotal.objects.all()
        if any(getattr(row, field) for field in MONTH_FIELDS)
    }
    return by_key, months


@transaction.atomic
def recount() -> None:
    """Set the totals from scratch (after `store.rebuild`, in the migration). Locks both tables
    meanwhile, so no refresh adds a difference to a total being replaced."""
    with connection.cursor() as cursor:
        cursor.execute("LOCK TABLE reporting_healthtotal, reporting_monthtotal IN EXCLUSIVE MODE")
    by_key, months = recounted()
    HealthTotal.objects.all().delete()
    MonthTotal.objects.all().delete()
    HealthTotal.objects.bulk_create(HealthTotal(key=key, count=count) for key, count in by_key.items())
    MonthTotal.objects.bulk_create(
        MonthTotal(month=month, **dict(zip(MONTH_FIELDS, values, strict=True))) for month, values in months.items()
    )
