from workbench.store.uow import id_ranges


def test_ids_fold_into_runs():
    assert id_ranges([5, 3, 4, 9, 10, 12]) == [[3, 5], [9, 10], [12, 12]]
    assert id_ranges([]) == []
