"""Dates from day offsets: the arithmetic behind playbooks, kept free of the database.

A plan has a day 0. Planning forward puts day 0 on the start date; planning backward puts
it where the anchor milestone lands exactly on the event date. With `skip_weekends`, a
date on a weekend moves to the Monday after when planning forward (nothing starts before
the start date) and, planning backward, to the Friday before when it comes before the
event (work is done before the event), to the Monday after when it comes after it. The
anchor itself never moves. Every rule is monotone, so the order of offsets is kept, and a
milestone is never due before the milestones it depends on.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

SATURDAY = 5


class Direction(StrEnum):
    FORWARD = "forward"
    BACKWARD = "backward"


@dataclass(frozen=True)
class Step:
    """One milestone of a plan: its offset from day 0 and the steps it waits for."""

    key: int
    offset_days: int
    depends_on: tuple[int, ...] = field(default=())
    is_anchor: bool = False


def is_weekend(day: date) -> bool:
    return day.weekday() >= SATURDAY


def friday_before(day: date) -> date:
    return day - timedelta(days=day.weekday() - 4) if is_weekend(day) else day


def monday_after(day: date) -> date:
    return day + timedelta(days=7 - day.weekday()) if is_weekend(day) else day


def anchor_of(steps: Iterable[Step]) -> Step:
    """The marked anchor, else the last step (a plan builds up to its final milestone)."""
    steps = list(steps)
    marked = [step for step in steps if step.is_anchor]
    return marked[0] if marked else max(steps, key=lambda step: (step.offset_days, step.key))


@dataclass(frozen=True)
class PlanCalendar:
    """Turns offsets into dates for one plan."""

    zero: date
    direction: Direction
    skip_weekends: bool
    pinned: date | None

    def date_of(self, offset_days: int) -> date:
        day = self.zero + timedelta(days=offset_days)
        if not self.skip_weekends or day == self.pinned:
            return day
        if self.pinned is not None and day < self.pinned:
            return friday_before(day)
        return monday_after(day)

    def not_before(self, day: date, floor: date) -> date:
        if day >= floor:
            return day
        return monday_after(floor) if self.skip_weekends and floor != self.pinned else floor


def plan_calendar(
    steps: Iterable[Step], *, direction: Direction, on: date, skip_weekends: bool = False
) -> PlanCalendar:
    if direction == Direction.FORWARD:
        return PlanCalendar(on, direction, skip_weekends, None)
    anchor = anchor_of(steps)
    return PlanCalendar(on - timedelta(days=anchor.offset_days), direction, skip_weekends, on)


def in_dependency_order(steps: list[Step]) -> list[Step]:
    """Prerequisites before the steps that wait for them; ValueError on a cycle."""
    by_key = {step.key: step for step in steps}
    ordered: list[Step] = []
    state: dict[int, str] = {}

    def visit(step: Step) -> None:
        if state.get(step.key) == "done":
            return
        if state.get(step.key) == "visiting":
            raise ValueError("The plan's dependencies form a cycle.")
        state[step.key] = "visiting"
        for key in step.depends_on:
            if key in by_key:
                visit(by_key[key])
        state[step.key] = "done"
        ordered.append(step)

    for step in sorted(steps, key=lambda s: (s.offset_days, s.key)):
        visit(step)
    return ordered


def schedule(steps: Iterable[Step], *, calendar: PlanCalendar) -> dict[int, date]:
    """The due date of every step; a step that its offsets put before one of its
    prerequisites (possible in a template saved from a slipped project) waits for it."""
    dates: dict[int, date] = {}
    for step in in_dependency_order(list(steps)):
        due = calendar.date_of(step.offset_days)
        floor = max((dates[key] for key in step.depends_on if key in dates), default=None)
        dates[step.key] = due if floor is None else calendar.not_before(due, floor)
    return dates
