"""Note bodies and reflections encrypted at rest, with the key ring of `core.crypto`."""

from django.db import models

from core.crypto import decrypt, encrypt


class EncryptedTextField(models.TextField):
    """Text stored encrypted. It cannot be searched or filtered on in SQL, by design."""

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(value)
