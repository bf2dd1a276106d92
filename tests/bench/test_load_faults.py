"""bench/load_faults.py without its stack: the arguments, and how a run is judged and reported
(the run itself takes minutes and is not part of the suite)."""

import pytest

from bench.load_faults import (
    Check,
    Window,
    by_phase,
    format_report,
    parse_args,
    phase_checks,
    split_windows,
)

STOP, RESTART = 100.0, 112.0


def request(t, status=200, ms=100.0, clean=None):
    record = {"t": t, "name": "/", "method": "GET", "status": status, "ms": ms}
    if clean is not None:
        record["clean"] = clean
    return record


def test_the_defaults_are_the_issues_targets():
    args = parse_args([])
    assert (args.users, args.duration, args.workers, args.phases) == (50, 60, 2, "abc")


@pytest.mark.parametrize(
    "argv", [["--phases", "x"], ["--users", "3"], ["--fault-phase", "20", "--outage", "15"]]
)
def test_impossible_arguments_are_refused(argv):
    with pytest.raises(SystemExit):
        parse_args(argv)


def test_a_request_still_running_when_the_database_stops_counts_as_during_the_outage():
    windows = split_windows(
        [
            request(90, ms=1_000),  # ended before the stop
            request(98, status=503, ms=5_000, clean=True),  # began before, ended during
            request(115, status=503, clean=True),  # within the grace after the restart
            request(120),
        ],
        (STOP, RESTART),
        grace=5,
    )
    assert [windows[name].requests for name in ("before", "down", "after")] == [1, 2, 1]
    assert windows["down"].clean_503 == 2
    assert all(check.passed for check in phase_checks("b", windows))


@pytest.mark.parametrize(
    ("failure", "failed_check"),
    [
        (request(105, status=500), "while down"),
        (request(105, status=503, clean=False), "while down"),  # a traceback or another page
        (request(105, status=0), "while down"),  # connection refused or reset
        (request(130, status=503, clean=True), "recovered"),
        (request(50, status=502), "before the fault"),
    ],
)
def test_an_unclean_failure_or_one_outside_the_outage_fails_its_target(failure, failed_check):
    records = [request(50), request(105, status=503, clean=True), request(130), failure]
    checks = phase_checks("b", split_windows(records, (STOP, RESTART), grace=5))
    failed = [check.name for check in checks if not check.passed]
    assert len(failed) == 1 and failed_check in failed[0]


def test_without_a_fault_any_5xx_fails_the_load_phase():
    good = split_windows([request(1), request(2)], None, grace=5)
    bad = split_windows([request(1), request(2, status=500)], None, grace=5)
    assert phase_checks("a", good)[0].passed
    assert not phase_checks("a", bad)[0].passed


def test_the_report_prints_the_figures_and_each_target():
    window = Window("all")
    for t, ms in enumerate([100, 200, 300, 400, 1_000]):
        window.add(request(float(t), ms=ms))
    report = format_report(
        {"a load": {"windows": {"all": window}, "pages": {"/": window}}},
        [Check("a load: no 5xx", True, "5 requests"), Check("c redis: mails", False, "0 sent")],
    )
    assert "a load / all" in report
    row = next(line for line in report.splitlines() if line.startswith("a load / all"))
    assert row.split()[4:] == ["5", "5", "0", "0", "0", "300", "1000", "1.2"]
    assert "[PASS] a load: no 5xx: 5 requests" in report
    assert "[FAIL] c redis: mails: 0 sent" in report


def test_a_request_of_phase_a_cut_by_the_database_stopping_is_judged_with_the_outage():
    times = {"a": (0.0, 60.0), "b": (60.0, 100.0), "outage_b": (65.0, 77.0)}
    phased = by_phase(
        [
            request(10),
            request(59, status=503, ms=8_000, clean=True),  # begun in a, cut at 65 s
            request(61),
            request(70, status=503, clean=True),
            request(81),  # after the restart + grace (5 s)
            request(130),  # after the last phase: not judged
        ],
        times,
        grace=5,
    )
    assert [r["t"] for r in phased["a"]] == [10]
    assert [r["t"] for r in phased["b"]] == [59, 61, 70, 81]
