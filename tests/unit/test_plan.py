"""RunPlan: who a run settles over the whole window, who only after the last batch."""
import pytest

from workbench.domain.month import Month as M
from workbench.domain.plan import AFTER, NEXT, WINDOW, RunPlan

MONTH = M(2026, 9)


def never():
    raise AssertionError("these changes are not needed")


def decide(**given):
    arguments = dict(full=False, has_draft=False, changed_since_draft=never, previous=MONTH - 1,
                     changed_since_previous=lambda: {3, 4})
    arguments.update(given)
    return RunPlan.decide(MONTH, **arguments)


def test_the_first_run_and_a_full_run_settle_everyone_over_the_window():
    assert decide(previous=None, changed_since_previous=never).everyone
    assert decide(full=True, changed_since_previous=never).everyone
    assert decide(full=True, has_draft=True, changed_since_previous=never).everyone  # the draft is not asked
    plan = decide(changed_since_previous=lambda: None)  # a standard changed since the last batch
    assert plan.everyone and plan.how(1) == WINDOW and plan.recomputed() is None


def test_the_changed_get_their_window_and_the_rest_only_the_new_month():
    plan = decide()
    assert (plan.window, plan.settled_through) == ({3, 4}, MONTH - 1)
    assert [plan.how(person) for person in (1, 3)] == [NEXT, WINDOW]
    assert plan.recomputed() == 2


def test_after_a_month_without_a_batch_the_rest_are_settled_after_the_last_batch():
    plan = decide(previous=MONTH - 3)
    assert plan.how(1) == AFTER and plan.how(4) == WINDOW


def test_a_draft_computed_again_redoes_only_the_people_changed_since():
    plan = decide(has_draft=True, changed_since_draft=lambda: {7}, changed_since_previous=never)
    assert plan.redo == {7} and plan.how(7) == WINDOW and plan.recomputed() == 1
    # A change concerning everyone since the draft: everyone again (as since the last batch).
    assert decide(has_draft=True, changed_since_draft=lambda: None, changed_since_previous=lambda: None).everyone


@pytest.mark.parametrize("opened", [set(), {1}, {3, 9}])
def test_months_still_open_before_the_last_batch_open_a_persons_window(opened):
    plan = decide().opened(opened)
    assert plan.window == {3, 4} | opened
    assert all(plan.how(person) == WINDOW for person in opened)
    assert plan.how(2) == NEXT
