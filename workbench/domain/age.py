"""Age in completed years (周岁) by the Civil Code's period rule."""
from __future__ import annotations

import calendar
from datetime import date

from workbench.domain.month import Month


def anniversary(birth: date, year: int) -> date:
    """The day in `year` on which a person born on `birth` completes a year of age.

    A 29 February birthday falls on 28 February in a year without one (民法典第二百零二条:
    no corresponding day, the last day of the month).
    """
    if birth.month == 2 and birth.day == 29 and not calendar.isleap(year):
        return date(year, 2, 28)
    return date(year, birth.month, birth.day)


def age_on(birth: date, day: date) -> int:
    """Completed years on `day`; the age is reached on the anniversary itself."""
    years = day.year - birth.year
    if day < anniversary(birth, day.year):
        years -= 1
    return years


def month_reaching(birth: date, age: int) -> Month:
    """The month in which a person reaches `age`."""
    return Month.of(anniversary(birth, birth.year + age))


def age_at_month_end(birth: date, month: Month) -> int:
    """Completed years on the last day of `month`.

    Every anniversary falls on or before the last day of its month (29 February moves to the
    28th), so only the months need comparing.
    """
    return month.year - birth.year - (1 if birth.month > month.month else 0)
