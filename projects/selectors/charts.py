"""Server-side SVG geometry for the project timeline and the burn-up chart.

Everything here is plain arithmetic on dates and counts, so it is unit-tested without a
database; templates only draw the shapes these functions place."""

import itertools
from dataclasses import dataclass, field
from datetime import date, timedelta

MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class BurnupPoint:
    day: date
    scope: int
    done: int


@dataclass(frozen=True)
class PhaseSpan:
    id: int | None
    name: str
    start: date | None
    end: date | None


@dataclass(frozen=True)
class MilestoneMark:
    id: int
    title: str
    phase_id: int | None
    due: date
    baseline: date
    health: str
    depends_on: tuple[int, ...] = ()


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclass
class TimelineRow:
    kind: str  # "phase" or "milestone"
    y: float
    label: str
    id: int | None = None
    bar_x: float = 0
    bar_width: float = 0
    x: float = 0
    ghost_x: float | None = None
    diamond: str = ""
    ghost: str = ""
    health: str = ""
    due: date | None = None
    baseline: date | None = None
    slip_days: int = 0


@dataclass(frozen=True)
class Dependency:
    """A curve from a prerequisite (`source`) to the milestone waiting for it (`target`)."""

    source: int
    target: int
    path: str


@dataclass
class Timeline:
    width: int
    height: int
    plot_left: int
    plot_right: int
    axis_y: int
    today_x: float | None
    ticks: list[Tick]
    rows: list[TimelineRow]
    dependencies: list[Dependency] = field(default_factory=list)

    # Milestones' labels are drawn whole and fade out over these x, before the plot.
    @property
    def label_fade_start(self) -> int:
        return self.plot_left - 48

    @property
    def label_fade_end(self) -> int:
        return self.plot_left - 10


class DateScale:
    """Maps dates onto [left, right] pixels over [start, end]."""

    def __init__(self, start: date, end: date, left: float, right: float):
        self.start, self.end, self.left, self.right = start, end, left, right
        self.days = max((end - start).days, 1)

    def x(self, day: date) -> float:
        return round(self.left + (day - self.start).days * (self.right - self.left) / self.days, 1)


def month_ticks(scale: DateScale) -> list[Tick]:
    """The first of each month in range; every third month on plans longer than 18 months."""
    step = 3 if scale.days > 548 else 1
    year, month = scale.start.year, scale.start.month
    ticks = []
    while True:
        month += 1
        if month > 12:
            year, month = year + 1, 1
        day = date(year, month, 1)
        if day > scale.end:
            return ticks
        if (month - 1) % step == 0:
            label = f"{MONTH_ABBR[month - 1]} {year}" if month == 1 or not ticks else ""
            ticks.append(Tick(scale.x(day), label or MONTH_ABBR[month - 1]))


def short_date(day: date) -> str:
    return f"{day.day} {MONTH_ABBR[day.month - 1]}"


def diamond(x: float, y: float, size: float = 7) -> str:
    return f"{x},{y - size} {x + size},{y} {x},{y + size} {x - size},{y}"


TIMELINE_WIDTH = 960
LABEL_WIDTH = 210
ROW_HEIGHT = 26
AXIS_HEIGHT = 28
MARGIN_DAYS = 4
TODAY_LABEL_CLEARANCE = 36


def timeline(
    *,
    phases: list[PhaseSpan],
    milestones: list[MilestoneMark],
    today: date,
    start: date | None = None,
    end: date | None = None,
) -> Timeline:
    """Phases as bars, each followed by its milestones as diamonds at the current due date,
    a ghost diamond at the baseline when they differ, a today line and dependency curves
    (each naming the two milestones it joins, so that the page can show those of the
    milestone pointed at or focused only).

    A phase without dates spans its milestones. Milestones without a phase come last."""
    dates = [today] + [d for d in (start, end) if d]
    dates += [d for p in phases for d in (p.start, p.end) if d]
    dates += [d for m in milestones for d in (m.due, m.baseline)]
    scale = DateScale(
        min(dates) - timedelta(days=MARGIN_DAYS),
        max(dates) + timedelta(days=MARGIN_DAYS),
        LABEL_WIDTH,
        TIMELINE_WIDTH - 20,
    )
    by_phase: dict[int | None, list[MilestoneMark]] = {}
    for milestone in milestones:
        by_phase.setdefault(milestone.phase_id, []).append(milestone)
    known = {phase.id for phase in phases}
    lanes = list(phases)
    orphans = [m for phase_id, ms in by_phase.items() if phase_id not in known for m in ms]
    rows: list[TimelineRow] = []
    centres: dict[int, tuple[float, float]] = {}
    y = AXIS_HEIGHT + ROW_HEIGHT / 2
    for phase in [*lanes, PhaseSpan(None, "No phase", None, None)]:
        members = by_phase.get(phase.id, []) if phase.id is not None else orphans
        if phase.id is None and not members:
            continue
        spans = [d for d in (phase.start, phase.end) if d]
        spans = spans or [d for m in members for d in (m.due, m.baseline)]
        first, last = (min(spans), max(spans)) if spans else (None, None)
        rows.append(
            TimelineRow(
                kind="phase",
                y=y,
                label=phase.name,
                id=phase.id,
                bar_x=scale.x(first) if first else 0,
                bar_width=max(scale.x(last) - scale.x(first), 4) if first else 0,
            )
        )
        y += ROW_HEIGHT
        for milestone in members:
            x = scale.x(milestone.due)
            moved = milestone.baseline != milestone.due
            ghost_x = scale.x(milestone.baseline) if moved else None
            rows.append(
                TimelineRow(
                    kind="milestone",
                    y=y,
                    label=milestone.title,
                    id=milestone.id,
                    x=x,
                    ghost_x=ghost_x,
                    diamond=diamond(x, y),
                    ghost=diamond(ghost_x, y) if moved else "",
                    health=milestone.health,
                    due=milestone.due,
                    baseline=milestone.baseline,
                    slip_days=(milestone.due - milestone.baseline).days,
                )
            )
            centres[milestone.id] = (x, y)
            y += ROW_HEIGHT
    dependencies = [
        Dependency(
            prerequisite,
            milestone.id,
            dependency_curve(centres[prerequisite], centres[milestone.id]),
        )
        for milestone in milestones
        for prerequisite in milestone.depends_on
        if prerequisite in centres and milestone.id in centres
    ]
    plot_left, plot_right = int(scale.left), int(scale.right)
    today_x = scale.x(today)
    # A month label under the "Today" label would be unreadable: leave that one blank.
    ticks = [
        tick if abs(tick.x - today_x) >= TODAY_LABEL_CLEARANCE else Tick(tick.x, "")
        for tick in month_ticks(scale)
    ]
    return Timeline(
        width=TIMELINE_WIDTH,
        height=int(y - ROW_HEIGHT / 2 + 8),
        plot_left=plot_left,
        plot_right=plot_right,
        axis_y=AXIS_HEIGHT,
        today_x=today_x,
        ticks=ticks,
        rows=rows,
        dependencies=dependencies,
    )


def dependency_curve(source: tuple[float, float], target: tuple[float, float]) -> str:
    """A curve from the prerequisite's diamond to the dependent's."""
    (x1, y1), (x2, y2) = source, target
    bend = max(abs(x2 - x1) / 2, 18)
    return f"M{x1 + 7},{y1} C{x1 + 7 + bend},{y1} {x2 - 7 - bend},{y2} {x2 - 7},{y2}"


@dataclass
class BurnupChart:
    width: int
    height: int
    plot_left: int
    plot_right: int
    plot_top: int
    plot_bottom: int
    scope_line: str
    done_line: str
    done_area: str
    y_ticks: list[Tick]
    x_ticks: list[Tick]
    today_x: float | None
    scope: int
    done: int

    # The axes' titles sit outside the plot: the y axis's turned along its left edge.
    y_title = "Milestones"
    x_title = "Date"

    @property
    def y_title_centre(self) -> float:
        return (self.plot_top + self.plot_bottom) / 2

    @property
    def x_title_centre(self) -> float:
        return (self.plot_left + self.plot_right) / 2


# The chart scales to its card's width (viewBox, width 100 %): this size keeps its text
# readable from a phone's card (~340 px) to a desk's half-width card (~560 px).
BURNUP_WIDTH, BURNUP_HEIGHT = 480, 240
BURNUP_MARGIN = {"left": 52, "right": 24, "top": 12, "bottom": 44}


def nice_step(maximum: int, lines: int = 4) -> int:
    """A round step (1, 2, 5, 10, 20, 50, …) giving at most `lines` gridlines up to maximum."""
    magnitude = 1
    while True:
        for base in (1, 2, 5):
            if maximum <= base * magnitude * lines:
                return base * magnitude
        magnitude *= 10


def step_path(points: list[tuple[float, float]]) -> str:
    """A staircase through the points: a count holds until the day it changes."""
    if not points:
        return ""
    parts = [f"M{points[0][0]},{points[0][1]}"]
    for (_, y_prev), (x, y) in itertools.pairwise(points):
        parts.append(f"L{x},{y_prev}")
        parts.append(f"L{x},{y}")
    return " ".join(parts)


def burnup(
    *, points: list[BurnupPoint], today: date, start: date | None = None, end: date | None = None
) -> BurnupChart | None:
    """Scope and completed milestones over time; None when there is no history yet.

    The x axis runs from `start` (the project's start, when before the first event) to the
    latest of today, the last event and `end` (the target date), so the runway shows."""
    if not points:
        return None
    if start is not None and start < points[0].day:
        points = [BurnupPoint(start, 0, 0), *points]
    left = BURNUP_MARGIN["left"]
    right = BURNUP_WIDTH - BURNUP_MARGIN["right"]
    top = BURNUP_MARGIN["top"]
    bottom = BURNUP_HEIGHT - BURNUP_MARGIN["bottom"]
    start, end = points[0].day, max(points[-1].day, today, end or today)
    if end == start:
        start = start - timedelta(days=1)
    scale = DateScale(start, end, left, right)
    top_value = max(max(p.scope for p in points), 1)
    step = nice_step(top_value)
    top_value = -(-top_value // step) * step

    def y(value: int) -> float:
        return round(bottom - value * (bottom - top) / top_value, 1)

    scope = [(scale.x(p.day), y(p.scope)) for p in points]
    done = [(scale.x(p.day), y(p.done)) for p in points]
    if points[-1].day < end:
        scope.append((scale.x(end), scope[-1][1]))
        done.append((scale.x(end), done[-1][1]))
    done_line = step_path(done)
    return BurnupChart(
        width=BURNUP_WIDTH,
        height=BURNUP_HEIGHT,
        plot_left=left,
        plot_right=right,
        plot_top=top,
        plot_bottom=bottom,
        scope_line=step_path(scope),
        done_line=done_line,
        done_area=f"{done_line} L{done[-1][0]},{bottom} L{done[0][0]},{bottom} Z",
        y_ticks=[Tick(y(v), str(v)) for v in range(0, top_value + 1, step)],
        x_ticks=month_ticks(scale) or [Tick(left, short_date(start)), Tick(right, short_date(end))],
        today_x=scale.x(today) if start <= today <= end else None,
        scope=points[-1].scope,
        done=points[-1].done,
    )
