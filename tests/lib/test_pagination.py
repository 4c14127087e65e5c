from lib.pagination import CappedPaginator


class Rows(list):
    """A list that slices and counts like a queryset."""

    def count(self):
        return len(self)

    def __getitem__(self, item):
        result = super().__getitem__(item)
        return Rows(result) if isinstance(item, slice) else result


def test_below_the_cap_the_count_is_exact():
    paginator = CappedPaginator(Rows(range(120)), 50)
    assert (paginator.count, paginator.capped, paginator.num_pages) == (120, False, 3)


def test_above_the_cap_counting_stops_and_says_so():
    CappedPaginator.CAP = 100
    try:
        paginator = CappedPaginator(Rows(range(5000)), 50)
        assert (paginator.count, paginator.capped) == (101, True)
        assert list(paginator.page(2).object_list) == list(range(50, 100))
    finally:
        CappedPaginator.CAP = 1000
