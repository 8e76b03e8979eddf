"""Pickling the many small records a reader's worker sends back, cheaply.

dataclasses pickles a frozen slotted class through a generic ``__setstate__`` that looks up the
class's fields again for every object (the issues of 1,000 returns cost the run's parent a good
part of a second to unpickle), and a slotted one through a setattr per field. Pickled by
`pickled_as_values`, such a record is its class and its field values (trailing defaults left
out), rebuilt through its own ``__init__``: the 30,000 task records of 1,000 returns unpickle
in less than half the time. Its reducer is also entered in copyreg's table, where the pickler
looks first, so that each record costs one call to pickle (`pipeline.document` does the same for
a `Place`). The statuses and kinds the records hold are enums `pickled_by_name`: unpickled by
looking the member up, in C, not by calling the enum with its value, in Python.
"""

from __future__ import annotations

import copyreg
from dataclasses import MISSING, fields
from enum import Enum
from operator import attrgetter
from typing import Any, TypeVar

Record = TypeVar("Record", bound=type)
Members = TypeVar("Members", bound=type[Enum])


def pickled_by_name(cls: Members) -> Members:
    """Class decorator for an enum: pickle a member as ``getattr(the enum, its name)``.

    An enum pickles a member as a call of the enum with its value, which runs `EnumType.__call__`
    and `Enum.__new__` in Python when unpickled; looked up by name, it is one `getattr` in C
    (a worker's answer holds a few: its tasks' statuses, its kind, its state, its issues'
    severities)."""

    def reduce(member: Enum) -> tuple[Any, tuple[type[Enum], str]]:
        return getattr, (cls, member._name_)

    cls.__reduce_ex__ = lambda member, _protocol: reduce(member)  # type: ignore[method-assign,assignment]
    copyreg.pickle(cls, reduce)  # looked up first, as for a record (`pickled_as_values`)
    return cls


def pickled_as_values(cls: Record) -> Record:
    """Class decorator for a dataclass whose fields are all given to ``__init__`` (and whose
    ``__init__`` only stores them): pickle it as its class and its field values, those left at a
    plain default at the end left out."""
    if any(not f.init for f in fields(cls)):
        raise TypeError(f"{cls.__name__} has a field not given to __init__")
    names = [f.name for f in fields(cls)]
    getter = attrgetter(*names)
    values_of = getter if len(names) > 1 else (lambda record: (getter(record),))
    defaults = tuple(f.default for f in fields(cls))

    def __reduce__(self: Any) -> tuple[type, tuple[Any, ...]]:
        values = values_of(self)
        end = len(values)
        while end:
            # A default of the same type too (False is not a default of 0); written out, not a
            # call: this runs for every place a worker sends back.
            value, default = values[end - 1], defaults[end - 1]
            if default is MISSING or type(value) is not type(default) or value != default:
                break
            end -= 1
        return cls, values if end == len(values) else values[:end]

    cls.__reduce__ = __reduce__  # type: ignore[method-assign,assignment]
    # Also in copyreg's table, which the pickler looks in first: one direct call a record, not
    # an attribute lookup, a bound method and `object.__reduce_ex__` calling `__reduce__`.
    copyreg.pickle(cls, __reduce__)
    return cls
