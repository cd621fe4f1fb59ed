"""Offsets to dates, forward and backward, with and without the weekend rule."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from projects.playbooks.planning import (
    Direction,
    Step,
    friday_before,
    is_weekend,
    monday_after,
    plan_calendar,
    schedule,
)


@st.composite
def plans(draw):
    """Random plans whose dependencies point to steps with smaller or equal offsets."""
    size = draw(st.integers(min_value=1, max_value=12))
    offsets = sorted(draw(st.lists(st.integers(-30, 200), min_size=size, max_size=size)))
    anchor = draw(st.sampled_from(range(size)))
    steps = []
    for key, offset in enumerate(offsets):
        earlier = list(range(key))
        depends = (
            draw(st.lists(st.sampled_from(earlier), max_size=3, unique=True)) if earlier else []
        )
        steps.append(Step(key, offset, tuple(depends), key == anchor))
    return steps


on_dates = st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31))
directions = st.sampled_from(list(Direction))


def dates_of(steps, direction, on, skip_weekends):
    calendar = plan_calendar(steps, direction=direction, on=on, skip_weekends=skip_weekends)
    return schedule(steps, calendar=calendar)


@given(plans(), on_dates, st.booleans())
def test_backward_plan_puts_the_anchor_exactly_on_the_event_date(steps, on, skip_weekends):
    dates = dates_of(steps, Direction.BACKWARD, on, skip_weekends)
    anchor = next(step for step in steps if step.is_anchor)
    assert dates[anchor.key] == on


@given(plans(), on_dates)
def test_forward_plan_counts_offsets_from_the_start_date(steps, on):
    dates = dates_of(steps, Direction.FORWARD, on, False)
    assert all(dates[s.key] == on + timedelta(days=s.offset_days) for s in steps)


@given(plans(), on_dates, directions, st.booleans())
def test_order_of_offsets_is_preserved(steps, on, direction, skip_weekends):
    dates = dates_of(steps, direction, on, skip_weekends)
    for a in steps:
        for b in steps:
            if a.offset_days <= b.offset_days:
                assert dates[a.key] <= dates[b.key]


@given(plans(), on_dates, directions, st.booleans())
def test_no_milestone_is_due_before_what_it_depends_on(steps, on, direction, skip_weekends):
    dates = dates_of(steps, direction, on, skip_weekends)
    for step in steps:
        for prerequisite in step.depends_on:
            assert dates[prerequisite] <= dates[step.key]


@given(plans(), on_dates, directions)
def test_weekend_rule_moves_every_date_but_the_anchor_to_a_weekday(steps, on, direction):
    dates = dates_of(steps, direction, on, True)
    for step in steps:
        if direction == Direction.BACKWARD and dates[step.key] == on:
            continue  # the anchor's own day is fixed, and so is whatever shares it
        assert not is_weekend(dates[step.key])


@given(plans(), on_dates)
def test_weekend_rule_moves_backward_plans_earlier_before_the_event(steps, on):
    plain = dates_of(steps, Direction.BACKWARD, on, False)
    moved = dates_of(steps, Direction.BACKWARD, on, True)
    for step in steps:
        if plain[step.key] < on:
            assert plain[step.key] - timedelta(days=2) <= moved[step.key] <= plain[step.key]


def test_weekend_helpers():
    saturday, sunday, wednesday = date(2026, 11, 28), date(2026, 11, 29), date(2026, 11, 25)
    assert friday_before(saturday) == friday_before(sunday) == date(2026, 11, 27)
    assert monday_after(saturday) == monday_after(sunday) == date(2026, 11, 30)
    assert friday_before(wednesday) == monday_after(wednesday) == wednesday


def test_a_step_planned_before_its_prerequisite_waits_for_it():
    steps = [Step(1, 10), Step(2, 5, depends_on=(1,))]
    dates = dates_of(steps, Direction.FORWARD, date(2026, 11, 2), False)
    assert dates == {1: date(2026, 11, 12), 2: date(2026, 11, 12)}
