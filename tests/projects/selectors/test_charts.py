"""SVG geometry of the timeline and the burn-up: plain arithmetic, no database."""

from datetime import date

from projects.selectors.charts import (
    BurnupPoint,
    DateScale,
    MilestoneMark,
    PhaseSpan,
    burnup,
    month_ticks,
    nice_step,
    step_path,
    timeline,
)

TODAY = date(2026, 11, 25)


def test_date_scale_maps_dates_linearly():
    scale = DateScale(date(2026, 11, 1), date(2026, 11, 11), 100, 200)
    assert scale.x(date(2026, 11, 1)) == 100
    assert scale.x(date(2026, 11, 6)) == 150
    assert scale.x(date(2026, 11, 11)) == 200


def test_month_ticks_label_each_first_of_month_and_years_at_january():
    scale = DateScale(date(2026, 11, 20), date(2027, 2, 10), 0, 1000)
    assert [t.label for t in month_ticks(scale)] == ["Dec 2026", "Jan 2027", "Feb"]
    long_plan = DateScale(date(2026, 1, 15), date(2028, 1, 15), 0, 1000)
    assert [t.label for t in month_ticks(long_plan)][:3] == ["Apr 2026", "Jul", "Oct"]


def test_timeline_rows_diamonds_ghosts_and_dependencies():
    phases = [PhaseSpan(1, "Production", date(2026, 11, 1), date(2026, 11, 30))]
    film = MilestoneMark(1, "Film locked", 1, date(2026, 12, 5), date(2026, 11, 28), "at_risk")
    launch = MilestoneMark(
        2, "Launch day", None, date(2026, 12, 10), date(2026, 12, 10), "on_track", depends_on=(1,)
    )
    chart = timeline(phases=phases, milestones=[film, launch], today=TODAY)

    assert [(r.kind, r.label) for r in chart.rows] == [
        ("phase", "Production"),
        ("milestone", "Film locked"),
        ("phase", "No phase"),
        ("milestone", "Launch day"),
    ]
    phase_row, film_row, _, launch_row = chart.rows
    # The range is padded by MARGIN_DAYS (4) around the earliest and latest dates.
    scale = DateScale(date(2026, 10, 28), date(2026, 12, 14), chart.plot_left, chart.plot_right)
    assert phase_row.bar_x == scale.x(date(2026, 11, 1))
    assert phase_row.bar_width == scale.x(date(2026, 11, 30)) - scale.x(date(2026, 11, 1))
    assert film_row.x == scale.x(date(2026, 12, 5))
    assert film_row.ghost_x == scale.x(date(2026, 11, 28))
    assert film_row.slip_days == 7 and film_row.ghost
    assert launch_row.ghost == "" and launch_row.ghost_x is None
    assert chart.today_x == scale.x(TODAY)
    [dependency] = chart.dependencies
    assert (dependency.source, dependency.target) == (film.id, launch.id)
    assert dependency.path.startswith(f"M{film_row.x + 7},{film_row.y} ")
    assert chart.height > launch_row.y


def test_timeline_blanks_the_month_label_under_today():
    mark = MilestoneMark(1, "A", None, date(2027, 3, 1), date(2027, 3, 1), "on_track")
    chart = timeline(phases=[], milestones=[mark], today=date(2026, 12, 2))
    labels = {tick.label for tick in chart.ticks}
    assert "Dec 2026" not in labels and "Jan 2027" in labels


def test_timeline_phase_without_dates_spans_its_milestones():
    phases = [PhaseSpan(1, "Launch", None, None)]
    marks = [
        MilestoneMark(1, "A", 1, date(2026, 12, 1), date(2026, 11, 20), "on_track"),
        MilestoneMark(2, "B", 1, date(2026, 12, 20), date(2026, 12, 20), "on_track"),
    ]
    chart = timeline(phases=phases, milestones=marks, today=TODAY)
    bar = chart.rows[0]
    assert bar.bar_x == chart.rows[1].ghost_x  # from the earliest baseline
    assert bar.bar_x + bar.bar_width == chart.rows[2].x


def test_nice_step_keeps_at_most_four_gridlines():
    assert [nice_step(n) for n in (1, 4, 5, 9, 12, 40, 400)] == [1, 1, 2, 5, 5, 10, 100]


def test_step_path_holds_a_value_until_it_changes():
    assert step_path([(0, 10), (5, 8), (9, 8)]) == "M0,10 L5,10 L5,8 L9,8 L9,8"
    assert step_path([]) == ""


def test_burnup_scales_scope_and_done_and_runs_to_the_target():
    points = [BurnupPoint(date(2026, 11, 1), 2, 0), BurnupPoint(date(2026, 11, 11), 4, 1)]
    chart = burnup(points=points, today=TODAY, end=date(2026, 12, 1))
    assert (chart.scope, chart.done) == (4, 1)
    assert [t.label for t in chart.y_ticks] == ["0", "1", "2", "3", "4"]
    bottom, top = chart.plot_bottom, chart.plot_top
    assert chart.y_ticks[0].x == bottom and chart.y_ticks[-1].x == top
    left, right = float(chart.plot_left), float(chart.plot_right)
    assert chart.scope_line.startswith(f"M{left},{(bottom + top) / 2}")
    assert chart.scope_line.endswith(f"L{right},{float(top)}")
    assert chart.today_x is not None and chart.plot_left < chart.today_x < chart.plot_right
    assert chart.done_area.endswith("Z")


def test_burnup_starts_at_the_project_start_and_needs_history():
    points = [BurnupPoint(TODAY, 3, 0)]
    chart = burnup(points=points, today=TODAY, start=date(2026, 11, 15))
    assert chart.scope_line.startswith(f"M{float(chart.plot_left)},{float(chart.plot_bottom)}")
    assert burnup(points=[], today=TODAY) is None


def test_burnup_axes_have_titles_outside_the_plot():
    points = [BurnupPoint(date(2026, 11, 1), 2, 0), BurnupPoint(date(2026, 11, 11), 4, 1)]
    chart = burnup(points=points, today=TODAY)
    assert (chart.y_title, chart.x_title) == ("Milestones", "Date")
    # The y title is turned along the left margin, centred on the plot's height; the x title
    # sits below the date labels (drawn 18 below the plot), inside the drawing.
    assert chart.y_title_centre == (chart.plot_top + chart.plot_bottom) / 2
    assert chart.plot_left >= 48  # room for the turned title beside the count labels
    assert chart.x_title_centre == (chart.plot_left + chart.plot_right) / 2
    assert chart.plot_bottom + 18 + 12 <= chart.height - 6 <= chart.height
