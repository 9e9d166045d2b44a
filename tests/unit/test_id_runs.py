"""People asked for by id: runs of consecutive ids as spans, the rest listed; nobody lost or added."""
from hypothesis import given
from hypothesis import strategies as st

from workbench.store.bulk import runs_of


@given(st.sets(st.integers(min_value=1, max_value=400)), st.integers(min_value=1, max_value=70))
def test_runs_and_the_rest_hold_each_id_once(ids, least):
    runs, rest = runs_of(ids, least)
    spanned = [number for first, last in runs for number in range(first, last + 1)]
    assert sorted(spanned + rest) == sorted(ids)
    assert all(last - first + 1 >= least for first, last in runs)
    assert rest == sorted(rest)
    # A run left in the rest is shorter than `least`: no `least` consecutive ids stay listed.
    listed = set(rest)
    assert not any(all(number + step in listed for step in range(least)) for number in listed)


def test_an_import_s_new_people_are_one_span():
    runs, rest = runs_of(set(range(1001, 201001)) | {5, 7, 9}, 64)
    assert runs == [(1001, 201000)] and rest == [5, 7, 9]
