"""The ledger rule: differences, never double payment, late news settles itself."""
from datetime import date
from decimal import Decimal as D
from unittest.mock import patch

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.unit.test_entitlement import preset
from workbench.domain.age import age_at_month_end
from workbench.domain.entitlement import EnrollmentSpan, Entitlement, PersonRecord, Situation, StandardBook, annual_installment
from workbench.domain.history import Fact, StatusHistory
from workbench.domain import ledger
from workbench.domain.ledger import (
    BACK_PAY, CURRENT, RECOVERY, Paid, Remembered, RememberedWindows, _age_classes, opening_payments, settle, settle_alike, settle_next, window_start,
)
from workbench.domain.month import Month as M
from workbench.domain.policy import parse_policy
from workbench.domain.vocabulary import NONE_VALUE, STATUS_KINDS

POLICY = preset("yangcheng")
PRESET_STANDARDS = [(spec.name, key, POLICY.effective_from, amount) for spec in POLICY.standards for key, amount in spec.amounts.items()]


def book(extra=()):
    return Entitlement(POLICY, StandardBook([*PRESET_STANDARDS, *extra]))


def record(birth=date(1940, 3, 3), death=None, facts=(), items=("GLBT",), start=M(2024, 1), paid_through=None):
    history = StatusHistory([Fact(kind, value, month, seq) for seq, (kind, value, month) in enumerate(facts)])
    return PersonRecord(7, birth, history, tuple(EnrollmentSpan(code, start, None, paid_through) for code in items), death_date=death)


def approve(paid, lines):
    for line in lines:
        held = paid.get((line.item_code, line.period), Paid(D(0)))
        assert line.seq == held.last_seq + 1
        paid[(line.item_code, line.period)] = Paid(held.amount + line.amount, line.seq)


def test_first_month_pays_current_and_back_pay_within_the_window():
    lines, missing = settle(book(), record(start=M(2025, 1)), M(2025, 3), 12, {})
    assert missing == []
    assert [(line.period, line.kind, line.amount) for line in lines] == [
        (M(2025, 1), BACK_PAY, D("66.67")), (M(2025, 2), BACK_PAY, D("66.66")), (M(2025, 3), CURRENT, D("66.67")),
    ]


def test_a_death_reported_two_months_late_becomes_recoveries():
    eng, paid = book(), {}
    alive = record()
    for month in M(2025, 1).until(M(2025, 5)):
        approve(paid, settle(eng, alive, month, 12, paid)[0])
    dead = record(death=date(2025, 3, 20))
    lines, _ = settle(eng, dead, M(2025, 6), 12, paid)
    assert [(line.period, line.kind, line.amount) for line in lines] == [
        (M(2025, 4), RECOVERY, -annual_installment(D("800"), 4)),
        (M(2025, 5), RECOVERY, -annual_installment(D("800"), 5)),
    ]
    assert "死亡" in lines[0].reason


def test_a_retroactive_standard_raise_pays_the_difference_once():
    paid = {}
    for month in M(2025, 1).until(M(2025, 3)):
        approve(paid, settle(book(), record(), month, 12, paid)[0])
    raised = book([("高龄补贴", "80-89", date(2025, 1, 1), D("960"))])
    lines, _ = settle(raised, record(), M(2025, 4), 12, paid)
    assert [(line.period, line.kind, line.amount) for line in lines] == [
        (M(2025, 1), BACK_PAY, D("80.00") - D("66.67")),
        (M(2025, 2), BACK_PAY, D("80.00") - D("66.66")),
        (M(2025, 3), BACK_PAY, D("80.00") - D("66.67")),
        (M(2025, 4), CURRENT, D("80.00")),
    ]
    approve(paid, lines)
    assert settle(raised, record(), M(2025, 4), 12, paid)[0] == []  # computing again pays nothing twice


def opening(eng, who):
    """What an earlier system paid `who`, as recorded at import: the ledger's paid map."""
    return {(code, first + offset): Paid(amount, 0, D(0), True)
            for code, (first, amounts) in opening_payments(eng, who, 12).items() for offset, amount in enumerate(amounts)}


def test_migrated_months_count_as_paid_and_a_late_death_recovers_what_was_paid():
    migrated = record(paid_through=M(2025, 5))
    paid = opening(book(), migrated)
    assert min(period for _, period in paid) == M(2024, 6) and max(period for _, period in paid) == M(2025, 5)
    lines, _ = settle(book(), migrated, M(2025, 6), 12, paid)
    assert [(line.period, line.kind) for line in lines] == [(M(2025, 6), CURRENT)]
    dead = record(paid_through=M(2025, 5), death=date(2025, 3, 2))
    lines, _ = settle(book(), dead, M(2025, 6), 12, paid)
    assert [(line.period, line.kind, line.amount) for line in lines] == [
        (M(2025, 4), RECOVERY, -paid[("GLBT", M(2025, 4))].amount), (M(2025, 5), RECOVERY, -paid[("GLBT", M(2025, 5))].amount)]


def test_what_an_earlier_system_paid_is_valued_when_recorded_not_at_the_run():
    migrated = record(paid_through=M(2025, 5))
    paid = opening(book(), migrated)  # recorded at 800 a year
    raised = book([("高龄补贴", "80-89", date(2024, 1, 1), D("960"))])
    lines, _ = settle(raised, migrated, M(2025, 6), 12, paid)
    back = {line.period: line.amount for line in lines if line.kind == BACK_PAY}
    assert back == {period: annual_installment(D(960), period.month) - annual_installment(D(800), period.month)
                    for period in M(2024, 6).until(M(2025, 5))}


def test_months_paid_elsewhere_before_what_was_recorded_are_closed():
    # Paid by the earlier system through 2025-05, nothing recorded of it (beyond any window then):
    # a raise does not pay those months again, a death does not recover them.
    raised = book([("高龄补贴", "80-89", date(2024, 1, 1), D("960"))])
    dead = record(paid_through=M(2025, 5), death=date(2025, 3, 2))
    assert settle(raised, dead, M(2025, 5), 12, {}) == ([], [])


def test_a_missing_standard_closes_the_months_it_leaves_unvalued():
    who = record(items=("FSGY",), facts=[("hukou", "农村", M(2024, 1)), ("tekun", "分散", M(2024, 1)), ("self_care", "全自理", M(2024, 1))],
                 paid_through=M(2025, 5))
    assert opening_payments(book(), who, 12) == {}
    entered = book([("低保标准", "农村", date(2025, 3, 1), D("520"))])
    (first, amounts), = opening_payments(entered, who, 12).values()
    assert first == M(2025, 3) and len(amounts) == 3


def test_people_alike_in_what_their_items_read_through_the_window_are_valued_once():
    supported = [("hukou", "农村", M(2024, 1)), ("tekun", "分散", M(2024, 1)), ("self_care", "全自理", M(2024, 1))]
    entered = [("低保标准", "农村", date(2024, 1, 1), D("520"))]

    def who(*more):
        return record(items=("FSGY",), facts=[*supported, *more], paid_through=M(2025, 5))

    people = [
        who(),
        who(("ability", "重度失能", M(2025, 1))),  # a kind 分散供养 does not read
        who(("self_care", "全护理", M(2023, 1)), ("self_care", "全自理", M(2023, 6))),  # before the window, then as before
        who(("self_care", "全护理", M(2025, 1))),  # inside the window: owed more from then on
    ]
    eng, alike = book(entered), {}
    valued = [opening_payments(eng, person, 12, alike) for person in people]
    assert valued == [opening_payments(book(entered), person, 12) for person in people]
    assert valued[0] == valued[1] == valued[2] != valued[3]
    assert len(alike) == 2


def test_people_whose_ages_fall_in_the_same_brackets_through_the_window_are_valued_once():
    def born(day):  # 高龄补贴 paid through 2025-05 by an earlier system: valued 2024-06 to 2025-05
        return record(birth=day, start=M(2023, 1), paid_through=M(2025, 5))

    people = [
        born(date(1941, 3, 3)),  # 83 to 84
        born(date(1944, 5, 31)),  # 80 to 81
        born(date(1935, 8, 8)),  # 88 to 89: 90 only in 2025-08
        born(date(1944, 12, 12)),  # 80 in 2024-12: paid from 2025-01
        born(date(1934, 9, 9)),  # 90 in 2024-09: the 90-99 bracket from 2024-10
        born(date(1946, 2, 2)),  # 78 to 79: never old enough
    ]
    eng, alike = book(), {}
    valued = [opening_payments(eng, person, 12, alike) for person in people]
    assert valued == [opening_payments(book(), person, 12) for person in people]
    assert valued[0] == valued[1] == valued[2]
    assert len({str(each) for each in valued}) == 4
    assert len(alike) == 4


def test_age_classes_through_a_window_are_those_of_each_month():
    eng = book()
    for first in (M(2024, 1), M(2024, 5), M(2024, 12)):
        for length in (1, 2, 12, 13, 14, 25):
            last = first + (length - 1)
            for birth in (date(year, month, 28) for year in (1934, 1935, 1944, 1945, 1946) for month in range(1, 13)):
                start, changes = _age_classes(eng, birth, first, last)
                changed, current, decoded = dict(changes), start, []
                for offset in range(length):
                    current = changed.get(offset, current)
                    decoded.append(current)
                assert decoded == [eng.age_class(age_at_month_end(birth, month)) for month in first.until(last)], (birth, first, last)


def test_back_pay_reaches_back_only_through_the_window():
    lines, _ = settle(book(), record(start=M(2023, 1)), M(2025, 6), 12, {})
    assert min(line.period for line in lines) == M(2024, 6)
    assert len(lines) == 13


def test_missing_standard_holds_the_period_back_and_says_which():
    who = record(items=("FSGY",), facts=[("hukou", "农村", M(2024, 1)), ("tekun", "分散", M(2024, 1)), ("self_care", "全自理", M(2024, 1))])
    lines, missing = settle(book(), who, M(2025, 1), 0, {})
    assert lines == [] and [(entry.item_code, entry.standard) for entry in missing] == [("FSGY", "低保标准/农村")]


# --- properties --------------------------------------------------------------------------------

MONTHS = list(M(2024, 1).until(M(2026, 6)))


@st.composite
def histories(draw):
    birth = draw(st.dates(date(1925, 1, 1), date(1947, 12, 31)))
    toggles = draw(st.lists(st.tuples(st.integers(0, len(MONTHS) - 1), st.booleans(), st.integers(0, 3)), max_size=4))
    died = draw(st.one_of(st.none(), st.tuples(st.integers(0, len(MONTHS) - 1), st.integers(1, 28), st.integers(0, 4))))
    raise_at = draw(st.one_of(st.none(), st.tuples(st.integers(0, len(MONTHS) - 1), st.integers(0, 6), st.sampled_from(["880", "960", "1000.50"]))))
    return birth, toggles, died, raise_at


def known_at(case, month):
    """The person and the standards as the office knew them when running `month` (news arrives late)."""
    birth, toggles, died, raise_at = case
    facts = [("dibao", "是" if value else "否", MONTHS[index], ) for index, value, lag in toggles if MONTHS[index] + lag <= month]
    death = None
    if died and MONTHS[died[0]] + died[2] <= month:
        death = MONTHS[died[0]].first_day().replace(day=died[1])
    extra = []
    if raise_at and MONTHS[raise_at[0]] + raise_at[1] <= month:
        extra = [("高龄补贴", "80-89", MONTHS[raise_at[0]].first_day(), D(raise_at[2]))]
    return book(extra), record(birth=birth, death=death, facts=facts, items=("GLBT", "YLFW"))


@settings(max_examples=60, deadline=None)
@given(histories())
def test_running_every_month_in_order_settles_every_period_exactly(case):
    paid: dict = {}
    for month in MONTHS:
        eng, who = known_at(case, month)
        lines, missing = settle(eng, who, month, 12, paid)
        assert missing == []
        assert settle(eng, who, month, 12, paid) == (lines, missing)  # re-running a draft changes nothing
        assert all(line.kind != RECOVERY or line.amount < 0 for line in lines)
        approve(paid, lines)
    eng, who = known_at(case, MONTHS[-1])
    for month in MONTHS[-13:]:
        owed = eng.month(who, month)
        for code in ("GLBT", "YLFW"):
            assert paid.get((code, month), Paid(D(0))).amount == owed[code].amount


@settings(max_examples=40, deadline=None)
@given(st.dates(date(1925, 1, 1), date(1947, 12, 31)))
def test_without_late_news_each_owed_period_is_paid_once(birth):
    paid: dict = {}
    eng, who = book(), record(birth=birth, items=("GLBT",))
    for month in MONTHS:
        lines = settle(eng, who, month, 12, paid)[0]
        assert all(line.kind == CURRENT and line.period == month for line in lines)
        approve(paid, lines)
    assert all(held.last_seq == 1 for held in paid.values())


@given(st.decimals(min_value=0, max_value=100000, places=2))
def test_a_full_year_of_an_annual_standard_sums_to_it(annual):
    assert sum(annual_installment(annual, month) for month in range(1, 13)) == annual


def quarterly_book():
    policy = parse_policy(POLICY.source_text.replace('rule = "age_bracket"', 'rule = "age_bracket"\npayment_months = [3, 6, 9, 12]', 1))
    versions = [(spec.name, key, policy.effective_from, amount) for spec in policy.standards for key, amount in spec.amounts.items()]
    return Entitlement(policy, StandardBook(versions))


def test_a_quarterly_item_pays_the_quarter_in_its_payment_month_even_after_incremental_runs():
    eng, paid = quarterly_book(), {}
    who = record(start=M(2025, 1))
    assert settle(eng, who, M(2025, 1), 12, paid)[0] == []
    assert settle(eng, who, M(2025, 2), 12, paid, after=M(2025, 1))[0] == []
    lines = settle(eng, who, M(2025, 3), 12, paid, after=M(2025, 2))[0]
    assert [(line.period, line.kind) for line in lines] == [(M(2025, 1), BACK_PAY), (M(2025, 2), BACK_PAY), (M(2025, 3), CURRENT)]


def test_settle_next_refuses_an_item_not_paid_monthly():
    # Its months before the run are open until the payment month, and only what was paid of
    # them tells what is still owed: settle_next, which knows nothing paid, must not guess.
    with pytest.raises(ValueError):
        settle_next(quarterly_book(), record(start=M(2025, 1)), M(2025, 6), 12, Remembered())


def test_end_rule_month_before_stops_in_the_month_of_death():
    policy = parse_policy(POLICY.source_text.replace('rule = "age_bracket"', 'rule = "age_bracket"\nend_rule = "month_before"', 1))
    eng = Entitlement(policy, StandardBook(PRESET_STANDARDS))
    who = record(death=date(2025, 5, 17))
    assert eng.month(who, M(2025, 4))["GLBT"].amount > 0
    assert eng.month(who, M(2025, 5))["GLBT"].amount == 0


KIND_VALUES = [(kind, value) for kind, (_, values, _) in STATUS_KINDS.items() for value in (*values, NONE_VALUE)]
RUN = M(2026, 7)


@st.composite
def people(draw):
    """A person drawn from few births, items, dates and facts, so that many share a situation."""
    birth = draw(st.sampled_from([date(1936, 7, 1), date(1936, 7, 30), date(1946, 7, 15), date(1944, 2, 29)]))
    spans = draw(st.lists(st.tuples(st.sampled_from(["GLBT", "HLBT", "FSGY", "YLFW"]), st.sampled_from([-30, -12, -1, 0, 2]),
                                    st.sampled_from([None, None, -2, 4]), st.sampled_from([None, None, -1, 0, 1])),
                          max_size=2))
    facts = draw(st.lists(st.tuples(st.sampled_from([*KIND_VALUES[:12], ("dibao", "是"), ("tekun", "分散"), ("self_care", "全护理")]),
                                    st.sampled_from([-40, -3, 0, 2])), max_size=3))
    died = draw(st.one_of(st.none(), st.sampled_from([date(2026, 7, 9), date(2026, 5, 31), date(2026, 9, 1), date(2025, 3, 10)])))
    moved = draw(st.one_of(st.none(), st.just(date(2026, 6, 20))))
    checked = draw(st.sampled_from([frozenset(), frozenset({2026}), frozenset({2025})]))
    history = StatusHistory([Fact(kind, value, RUN + offset, seq) for seq, ((kind, value), offset) in enumerate(facts)])
    enrollments = tuple(EnrollmentSpan(code, RUN + start, None if end is None else RUN + start + end,
                                       None if through is None else RUN + through) for code, start, end, through in spans)
    return PersonRecord(draw(st.integers(1, 10**6)), birth, history, enrollments, died, moved, checked)


@st.composite
def neighbours(draw):
    """People, each a variant of a few drawn ones: another birth day in the same month, enrollments
    starting earlier, months an earlier system paid, a check recorded, a status fact more (of a
    kind the items may not read, or from a month before the window). Many share a situation
    while differing in what the situation leaves out."""
    bases = draw(st.lists(people(), min_size=1, max_size=3))
    population = []
    for _ in range(draw(st.integers(1, 20))):
        who = draw(st.sampled_from(bases))
        if draw(st.booleans()):
            who = who._replace(birth_date=who.birth_date.replace(day=draw(st.integers(1, 28))))
        spans = []
        for span in who.enrollments:
            if draw(st.booleans()):
                span = span._replace(start=span.start - draw(st.integers(0, 3)))
            if draw(st.booleans()):
                span = span._replace(paid_through=draw(st.sampled_from([None, RUN - 1, RUN, RUN + 2])))
            spans.append(span)
        who = who._replace(enrollments=tuple(spans), person_id=draw(st.integers(1, 10**6)))
        if draw(st.booleans()):
            who = who._replace(checked_years=who.checked_years | {RUN.year})
        if draw(st.booleans()):
            kind, value = draw(st.sampled_from([*KIND_VALUES[:12], ("dibao", "是"), ("tekun", "分散"), ("self_care", "全护理")]))
            extra = Fact(kind, value, RUN + draw(st.sampled_from([-40, -13, -12, -3, 0])), 100)
            who = who._replace(history=StatusHistory([*(fact for known in who.history.kinds() for fact in who.history.facts(known)), extra]))
        population.append(who)
    return population


@settings(max_examples=200, deadline=None)
@given(neighbours(), st.sampled_from([None, 6]))
def test_people_settled_through_last_month_get_the_lines_settle_gives_each_alone(population, deadline):
    shared, remembered = book(), Remembered()
    shared.liveness_deadline = deadline
    for who in population:
        alone = book()
        alone.liveness_deadline = deadline
        if any(span.paid_through is not None and span.paid_through >= RUN for span in who.enrollments):
            with pytest.raises(ValueError):  # what an earlier system paid for RUN is needed: settle's
                settle_next(shared, who, RUN, 12, remembered)
            continue
        expected = settle(alone, who, RUN, 12, {}, after=RUN - 1)
        lines, missing = settle_next(shared, who, RUN, 12, remembered)
        assert (list(lines), list(missing)) == expected
    assert len(remembered.lines) <= len(population)


PAID_SHAPES = [  # what approved batches may hold for a person's periods: (offset from RUN, Paid)
    (), ((-1, Paid(D("100"), 1)),), ((-1, Paid(D("100"), 1)), (-2, Paid(D("100"), 1))),
    ((-3, Paid(D("0"), 2, D("100"))),), ((-5, Paid(D("300"), 1, D("0"), True)),), ((-12, Paid(D("75"), 3)), (0, Paid(D("20"), 1))),
]


@st.composite
def window_neighbours(draw):
    """Variants of one or two people in what the window's lines may or may not depend on: the birth
    day, month and year, a start before the window (this year, last year, long ago) or in it, facts of kinds read
    or not, before the window or in it, a 生存认证 year."""
    bases = draw(st.lists(people(), min_size=1, max_size=2))
    population = []
    for _ in range(draw(st.integers(2, 16))):
        who = draw(st.sampled_from(bases))
        born = M.of(who.birth_date) - draw(st.sampled_from([0, 0, 1, 2, 6, 11, 12, 13, 120]))  # the same age classes, or not
        who = who._replace(birth_date=date(born.year, born.month, draw(st.integers(1, 28))), person_id=draw(st.integers(1, 10**6)))
        starts = [RUN - 40, RUN - 19, RUN - 13, RUN - 12, RUN - 11, RUN - 7, RUN - 2]
        who = who._replace(enrollments=tuple(span._replace(start=draw(st.sampled_from(starts))) if draw(st.booleans()) else span
                                             for span in who.enrollments))
        if draw(st.booleans()):
            kind, value = draw(st.sampled_from([("dibao", "是"), ("tekun", "分散"), ("disability_grade", "一级"), ("hukou", "农村")]))
            facts = [(fact.kind, fact.value, fact.from_month) for known in sorted(who.history.kinds()) for fact in who.history.facts(known)]
            facts.append((kind, value, RUN - draw(st.sampled_from([30, 13, 12, 4, 0]))))
            who = who._replace(history=StatusHistory([Fact(*fact, seq) for seq, fact in enumerate(facts)]))
        if draw(st.booleans()):
            who = who._replace(checked_years=draw(st.sampled_from([frozenset(), frozenset({RUN.year - 1}), frozenset({RUN.year})])))
        population.append(who)
    return population


@settings(max_examples=300, deadline=None)
@given(st.one_of(neighbours(), window_neighbours()),
       st.lists(st.tuples(st.sampled_from(["GLBT", "HLBT", "FSGY"]), st.sampled_from(range(len(PAID_SHAPES)))), min_size=1, max_size=3),
       st.sampled_from([None, 6, 11]), st.data())
def test_people_settled_over_the_window_together_get_the_lines_settle_gives_each_alone(population, shapes, deadline, data):
    """`settle_alike` keys people by what the lines depend on; each person's lines are those
    `settle` gives the person alone, whatever the others settled before."""
    _settled_together_as_alone(population, shapes, deadline, data)


@settings(max_examples=100, deadline=None)
@given(st.one_of(neighbours(), window_neighbours()),
       st.lists(st.tuples(st.sampled_from(["GLBT", "HLBT", "FSGY"]), st.sampled_from(range(len(PAID_SHAPES)))), min_size=1, max_size=3),
       st.sampled_from([None, 6]), st.data(), st.integers(1, 4))
def test_people_settled_over_the_window_get_their_own_lines_when_what_was_kept_is_let_go(population, shapes, deadline, data, kept):
    """The same, with `settle_alike` starting afresh after a few windows: nothing kept before
    stands for anything after."""
    with patch.object(ledger, "WINDOWS_REMEMBERED", kept):
        _settled_together_as_alone(population, shapes, deadline, data)


def test_what_a_window_kept_is_let_go_whole():
    """Settled one window kept at a time, people get the lines `settle` gives each alone: a number
    given to a value before starting afresh never stands for another value after."""
    people = [record(birth=birth, start=start, facts=(("dibao", "是", M(2020, 1)),) if dibao else ())._replace(person_id=person_id)
              for person_id, (birth, start, dibao) in enumerate([
                  (date(1936, 7, 1), M(2020, 1), False), (date(1944, 2, 29), M(2025, 11), False), (date(1946, 7, 15), M(2020, 1), True),
                  (date(1944, 2, 29), M(2026, 4), False), (date(1944, 2, 29), M(2026, 4), True), (date(1944, 2, 29), M(2025, 11), True)])]
    eng, remembered = book(), RememberedWindows()
    with patch.object(ledger, "WINDOWS_REMEMBERED", 1):
        for who in people:
            assert settle_alike(eng, who, RUN, 12, (), lambda _: {}, remembered) == tuple(map(tuple, settle(book(), who, RUN, 12, {})))


def _settled_together_as_alone(population, shapes, deadline, data):
    shared, remembered = book(), RememberedWindows()
    shared.liveness_deadline = deadline
    paid_by_person, keys = {}, {}
    for index, who in enumerate(population):
        code, shape = data.draw(st.sampled_from(shapes))
        paid = {(code, RUN + offset): held for offset, held in PAID_SHAPES[shape]}
        paid_by_person[who.person_id] = paid
        keys[who.person_id] = (code, shape)
    for who in population:
        alone = book()
        alone.liveness_deadline = deadline
        expected = settle(alone, who, RUN, 12, paid_by_person[who.person_id])
        lines, missing = settle_alike(shared, who, RUN, 12, keys[who.person_id], paid_by_person.__getitem__, remembered)
        assert (list(lines), list(missing)) == expected
    assert sum(isinstance(kept, tuple) for kept in remembered.lines.values()) <= len(population)  # windows kept, not where


@pytest.mark.parametrize("first, second", [
    # a status the item reads, before the window
    (dict(items=("YLFW",), facts=(("dibao", "是", M(2023, 1)),)), dict(items=("YLFW",))),
    # a status the item reads, from a month in the window
    (dict(items=("YLFW",), facts=(("dibao", "是", RUN - 4),)), dict(items=("YLFW",), facts=(("dibao", "是", RUN - 5),))),
    # the birth month (the age in each month's reason)
    (dict(birth=date(1940, 3, 3)), dict(birth=date(1940, 9, 3))),
    # a start the year before the window's first month, and one in that year: 2025 unchecked or not
    (dict(start=M(2024, 1)), dict(start=M(2025, 4))),
    # a start before the window and one in it
    (dict(start=M(2025, 6)), dict(start=M(2025, 8))),
])
def test_people_differing_in_what_the_window_reads_are_settled_apart(first, second):
    eng, remembered = book(), RememberedWindows()
    eng.liveness_deadline = 6
    pair = [record(**fields)._replace(person_id=person_id) for person_id, fields in enumerate((first, second), start=1)]
    expected = []
    for who in pair:
        alone = book()
        alone.liveness_deadline = 6
        lines, missing = settle(alone, who, RUN, 12, {})
        expected.append((tuple(lines), tuple(missing)))
    assert expected[0] != expected[1]
    assert [settle_alike(eng, who, RUN, 12, (), lambda _: {}, remembered) for who in pair] == expected


def test_people_alike_over_the_window_are_settled_once():
    """Birth days in one month, enrollments starting in different years before the window's year,
    and facts of kinds the item does not read: one computation, with or without a 生存认证 deadline."""
    calls = []
    eng, remembered = book(), RememberedWindows()
    eng.liveness_deadline = 6

    def paid(person_id):
        calls.append(person_id)
        return {}

    for person_id, day, start, facts in [(1, 3, M(2019, 5), ()), (2, 28, M(2024, 12), (("tekun", "分散", M(2020, 1)),)),
                                         (3, 15, M(2023, 1), (("disability_grade", "一级", M(2026, 3)),))]:
        who = record(birth=date(1940, 3, day), start=start, facts=facts)._replace(person_id=person_id)
        settle_alike(eng, who, RUN, 12, (), paid, remembered)
    assert calls == [1]
    later = record(birth=date(1940, 3, 3), start=M(2026, 1))._replace(person_id=4)  # starts inside the window
    alone = book()
    alone.liveness_deadline = 6
    assert settle_alike(eng, later, RUN, 12, (), paid, remembered) == tuple(map(tuple, settle(alone, later, RUN, 12, {})))
    assert calls == [1, 4]


def test_an_earlier_system_s_month_before_the_window_is_read_as_one_and_not_as_none():
    """已发放至 before the window closes none of its months, whichever month it is; but of two
    enrollments in one item the later one's counts, so it is not the same as having none."""
    eng, remembered, calls = book(), RememberedWindows(), []
    earlier = EnrollmentSpan("GLBT", M(2024, 1), M(2025, 12), RUN - 3)  # its 已发放至 is in the window
    people = [record()._replace(person_id=person_id, enrollments=(earlier, EnrollmentSpan("GLBT", M(2026, 1), None, through)))
              for person_id, through in ((1, RUN - 20), (2, RUN - 30), (3, None))]

    def paid(person_id):
        calls.append(person_id)
        return {}

    found = [settle_alike(eng, who, RUN, 12, (), paid, remembered) for who in people]
    assert found == [tuple(map(tuple, settle(book(), who, RUN, 12, {}))) for who in people]
    assert found[0] == found[1] != found[2]
    assert calls == [1, 3]


def test_births_in_the_same_age_classes_share_a_window_whose_lines_are_the_month_s_only():
    """Births months apart, all 80–89 through the window: paid as owed before the run's month, their
    lines are the month's own, computed once for each age in the month (the reason names it); with
    back pay, whose reasons name the age of each month, each birth month is settled apart."""
    births = [date(1944, 2, 3), date(1944, 3, 10), date(1944, 5, 20), date(1944, 8, 3)]  # 82, 82, 82, 81 in June 2026
    everyone = [record(birth=birth)._replace(person_id=person_id) for person_id, birth in enumerate(births, start=1)]
    owed = book()
    paid_as_owed = {("GLBT", period): Paid(owed.month(everyone[0], period)["GLBT"].amount, 1)
                    for period in window_start(RUN, 12).until(RUN - 1)}
    for paid, settled in ((paid_as_owed, [1, 4]), ({}, [1, 2, 3, 4])):
        eng, remembered, calls = book(), RememberedWindows(), []

        def paid_of(person_id, paid=paid):
            calls.append(person_id)
            return paid

        for who in everyone:
            expected = settle(book(), who, RUN, 12, paid)
            assert settle_alike(eng, who, RUN, 12, (), paid_of, remembered) == tuple(map(tuple, expected))
            if paid:
                assert {line.period for line in expected[0]} == {RUN}
        assert calls == settled


@settings(max_examples=150, deadline=None)
@given(people(), st.integers(-14, 14))
def test_a_situation_reads_the_person_as_the_direct_rules_do(who, offset):
    month = RUN + offset
    situation = Situation.of(who, month)
    assert situation.ages == (age_at_month_end(who.birth_date, month - 1), age_at_month_end(who.birth_date, month))
    statuses = dict(situation.statuses)
    for kind, (_, _, default) in STATUS_KINDS.items():
        assert situation.status(kind) == who.history.value(kind, month)
        assert (kind in statuses) == (who.history.value(kind, month) != default)
    assert dict(situation.enrolled) == {
        span.item_code: any(other.covers(month) for other in who.enrollments if other.item_code == span.item_code)
        for span in who.enrollments}
    first = min((span.start for span in who.enrollments), default=None)
    assert situation.unchecked == (first is not None and first.year < month.year and month.year not in who.checked_years)


RAISES = [("高龄补贴", "80-89", date(2025, 3, 1), D("960")), ("高龄补贴", "90-99", date(2026, 1, 1), D("3000")),
          ("护理补贴", "重度失能", date(2025, 11, 1), D("150"))]


@settings(max_examples=120, deadline=None)
@given(people(), st.lists(st.sampled_from(RAISES), max_size=2, unique=True),
       st.one_of(st.none(), st.sampled_from([date(2026, 1, 31), date(2026, 4, 1), date(2024, 12, 5)])))
def test_a_migrated_person_and_one_paid_by_us_get_the_same_lines_after_any_change(who, raises, died):
    """One person, two histories until RUN − 1: paid by us month by month, or by an earlier system
    through RUN − 1 (recorded at import with the same rules). After a retroactive raise and a late
    death, the run of RUN writes the same lines for both, and recovers no more than was paid."""
    who = who._replace(death_date=None, moved_out_date=None, checked_years=frozenset(range(2020, 2030)))
    spans = tuple(span._replace(paid_through=None, end=None) for span in who.enrollments)
    ours, migrated = who._replace(enrollments=spans), who._replace(
        enrollments=tuple(span._replace(paid_through=RUN - 1) for span in spans))
    before, paid = book(), {}
    for month in min((span.start for span in spans), default=RUN).until(RUN - 1):
        approve(paid, settle(before, ours, month, 12, paid)[0])
    recorded = opening(before, migrated)
    after = book(raises)
    end = {"death_date": died}
    ours_lines, ours_missing = settle(after, ours._replace(**end), RUN, 12, paid)
    their_lines, their_missing = settle(after, migrated._replace(**end), RUN, 12, recorded)
    assert ours_missing == their_missing

    def same(lines):
        return sorted((line.item_code, line.period, line.amount, line.kind) for line in lines)

    assert same(ours_lines) == same(their_lines)
    for line in their_lines:
        if line.kind == RECOVERY:
            assert -line.amount <= recorded[(line.item_code, line.period)].amount


@settings(max_examples=150, deadline=None)
@given(neighbours())
def test_what_an_earlier_system_paid_is_the_same_valued_alone_or_with_people_alike(population):
    eng, alike = book(), {}
    for who in population:
        assert opening_payments(eng, who, 12, alike) == opening_payments(book(), who, 12)
