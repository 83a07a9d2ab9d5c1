"""Signals for a person's own data, sent by `privacy` and answered by apps beside it that it may
not import (`progress`): each app adds what it holds of the person to their export, and deletes
it when the person is erased."""

from django.dispatch import Signal

# send(sender=User, user=user): each receiver returns (key, JSON-ready data) for the export.
personal_data_export = Signal()

# send(sender=User, person=person), inside the erasure's transaction, before the account row is
# emptied: each receiver deletes what it holds of the person.
person_erasing = Signal()
