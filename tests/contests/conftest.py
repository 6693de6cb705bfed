"""Contest fixtures on top of the shared cast: three judges with accounts (expert role in Kon Tum)."""

import pytest

from tests.conftest import make_user

from . import factories as f


@pytest.fixture
def judges(cast):
    """Three judges of the Kon Tum registry, each with an account: Hà Văn Một, Lò Thị Hai, Vi Văn Ba."""
    names = [("gk1", "Hà Văn Một"), ("gk2", "Lò Thị Hai"), ("gk3", "Vi Văn Ba")]
    return [f.judge(cast.union, name, user=make_user(username, name, "expert", cast.union)) for username, name in names]
