"""What every factory shares: a number no other made object has, and saving what was built."""

import itertools

_numbers = itertools.count(1)


def saved(instance):
    instance.save()
    return instance


def number() -> int:
    return next(_numbers)
