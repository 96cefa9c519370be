"""The closed vocabularies: the fast member lookup answers exactly as ``Enum(value)`` does."""

from __future__ import annotations

from enum import Enum
from typing import Any

import pytest
from flashpoint.domain.dates import Precision
from flashpoint.domain.vocabulary import ActorType, Damage, Party, Qualifier, ReportKind, Side, Stance, member
from hypothesis import given
from hypothesis import strategies as st

ENUMS: list[type[Enum]] = [ReportKind, Damage, Stance, Party, Qualifier, Side, ActorType, Precision]


def answer(call: Any) -> Any:
    try:
        return ("member", call())
    except Exception as error:  # the same exception type, whatever it is
        return ("refused", type(error))


@pytest.mark.parametrize("enum", ENUMS, ids=lambda enum: enum.__name__)
def test_every_value_and_member_is_found(enum: type[Enum]) -> None:
    for item in enum:
        assert member(enum, item.value) is item
        assert member(enum, item) is item


@pytest.mark.parametrize("enum", ENUMS, ids=lambda enum: enum.__name__)
@given(
    value=st.one_of(
        st.text(max_size=20),
        st.sampled_from(["Drone_Attack", "drone_attack ", "", "exact", "killed"]),
        st.integers(),
        st.none(),
        st.lists(st.text(max_size=3), max_size=2),
    )
)
def test_anything_else_is_refused_as_enum_refuses_it(enum: type[Enum], value: object) -> None:
    assert answer(lambda: member(enum, value)) == answer(lambda: enum(value))
