"""Calendar: Swedish public and de facto holidays, weekdays and off days."""

from __future__ import annotations

import datetime as dt

import pytest

from simulation.calendar import Calendar, easter_sunday, swedish_holidays

D = dt.date


@pytest.mark.parametrize(
    ("year", "easter"),
    [
        (2000, D(2000, 4, 23)),
        (2008, D(2008, 3, 23)),
        (2019, D(2019, 4, 21)),
        (2020, D(2020, 4, 12)),
        (2021, D(2021, 4, 4)),
        (2022, D(2022, 4, 17)),
        (2024, D(2024, 3, 31)),
        (2025, D(2025, 4, 20)),
        (2038, D(2038, 4, 25)),
    ],
)
def test_easter_sunday(year: int, easter: dt.date) -> None:
    assert easter_sunday(year) == easter
    assert easter.weekday() == 6


@pytest.mark.parametrize(
    ("year", "good_friday", "easter_monday", "ascension", "whitsun"),
    [
        (2019, D(2019, 4, 19), D(2019, 4, 22), D(2019, 5, 30), D(2019, 6, 9)),
        (2020, D(2020, 4, 10), D(2020, 4, 13), D(2020, 5, 21), D(2020, 5, 31)),
        (2021, D(2021, 4, 2), D(2021, 4, 5), D(2021, 5, 13), D(2021, 5, 23)),
        (2024, D(2024, 3, 29), D(2024, 4, 1), D(2024, 5, 9), D(2024, 5, 19)),
    ],
)
def test_easter_based_holidays(
    year: int, good_friday: dt.date, easter_monday: dt.date, ascension: dt.date, whitsun: dt.date
) -> None:
    h = swedish_holidays(year)
    assert h[good_friday] == "Långfredagen"
    assert h[easter_sunday(year)] == "Påskdagen"
    assert h[easter_monday] == "Annandag påsk"
    assert h[ascension] == "Kristi himmelsfärdsdag"
    assert h[whitsun] == "Pingstdagen"
    assert good_friday.weekday() == 4 and easter_monday.weekday() == 0
    assert ascension.weekday() == 3 and whitsun.weekday() == 6


@pytest.mark.parametrize(
    ("year", "midsummer_eve", "all_saints"),
    [
        (2019, D(2019, 6, 21), D(2019, 11, 2)),
        (2020, D(2020, 6, 19), D(2020, 10, 31)),
        (2021, D(2021, 6, 25), D(2021, 11, 6)),
        (2022, D(2022, 6, 24), D(2022, 11, 5)),
        (2024, D(2024, 6, 21), D(2024, 11, 2)),
    ],
)
def test_midsummer_and_all_saints(year: int, midsummer_eve: dt.date, all_saints: dt.date) -> None:
    h = swedish_holidays(year)
    assert h[midsummer_eve] == "Midsommarafton"
    assert h[midsummer_eve + dt.timedelta(days=1)] == "Midsommardagen"
    assert h[all_saints] == "Alla helgons dag"
    assert midsummer_eve.weekday() == 4 and all_saints.weekday() == 5
    # Exactly one Midsummer Eve and one All Saints' Day a year.
    assert list(h.values()).count("Midsommarafton") == 1
    assert list(h.values()).count("Alla helgons dag") == 1


@pytest.mark.parametrize("year", [2019, 2020, 2021, 2024])
def test_fixed_date_holidays(year: int) -> None:
    h = swedish_holidays(year)
    for month, day in [(1, 1), (1, 6), (5, 1), (6, 6), (12, 24), (12, 25), (12, 26), (12, 31)]:
        assert D(year, month, day) in h
    assert len(h) == 16  # no two holidays coincide in these years
    # Ordinary working days are not holidays.
    for month, day in [(2, 14), (3, 12), (9, 17), (11, 20)]:
        assert D(year, month, day) not in h


def test_calendar_weekdays_holidays_and_off_days() -> None:
    cal = Calendar(D(2019, 1, 1), 365)  # a Tuesday and a holiday
    assert cal.date(0) == D(2019, 1, 1)
    assert cal.date(364) == D(2019, 12, 31)
    assert cal.weekday[0] == 1
    assert cal.is_off(0)  # Nyårsdagen
    assert not cal.is_off(1)  # Wednesday 2 January
    assert cal.is_off(4) and cal.is_off(5)  # Saturday 5, Sunday 6 January (also Trettondedag)
    assert not cal.is_off(6)  # Monday 7 January
    midsummer_eve = (D(2019, 6, 21) - D(2019, 1, 1)).days
    assert cal.holiday[midsummer_eve] and cal.is_off(midsummer_eve) and cal.weekday[midsummer_eve] == 4
    christmas_eve = (D(2019, 12, 24) - D(2019, 1, 1)).days
    assert cal.is_off(christmas_eve) and cal.weekday[christmas_eve] == 1
    # 104 weekend days and the holidays falling on weekdays (11 in 2019).
    weekday_holidays = sum(1 for d in swedish_holidays(2019) if d.weekday() < 5)
    assert int(cal.off_day[:365].sum()) == 104 + weekday_holidays == 115


def test_calendar_spanning_new_year_knows_both_years() -> None:
    cal = Calendar(D(2019, 12, 20), 30)
    for date in (D(2019, 12, 24), D(2019, 12, 31), D(2020, 1, 1), D(2020, 1, 6)):
        assert cal.holiday[(date - D(2019, 12, 20)).days]
    # The look-ahead margin covers events scheduled past the horizon, including next year's Easter.
    good_friday_2020 = (D(2020, 4, 10) - D(2019, 12, 20)).days
    assert len(cal.dates) > good_friday_2020 and cal.holiday[good_friday_2020]
