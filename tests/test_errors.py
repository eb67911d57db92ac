"""A message's typed values survive a copy and a pickle (``dataclasses.asdict`` deep-copies
a result; the release assessment's basis holds an :class:`~nucmed.errors.Amount`, and its
API answered 500 until they did)."""

from __future__ import annotations

import copy
import pickle
from datetime import UTC, datetime

import pytest

from nucmed.errors import N_, Amount, Message, Moment, Word

AT = datetime(2026, 12, 1, 18, 18, tzinfo=UTC)


@pytest.mark.parametrize("clone", [copy.deepcopy, lambda m: pickle.loads(pickle.dumps(m))])
def test_a_message_with_typed_values_copies_whole(clone: object) -> None:
    message = Message.of_parts(
        (
            N_("{what}: {amount} at {at}"),
            {"what": Word("activity"), "amount": Amount(4.2e9, "Bq"), "at": Moment(AT)},
        )
    )
    copied = clone(message)  # type: ignore[operator]
    values = copied.parts[0][1]
    assert str(copied) == str(message) == "activity: 4200 MBq at 01.12.2026 18:18 UTC"
    assert (values["amount"].value, values["amount"].unit) == (4.2e9, "Bq")
    assert values["at"].at == AT and isinstance(values["what"], Word)
