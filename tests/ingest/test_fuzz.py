"""Every parser entry point under hypothesis, briefly: mutated seed files, random bytes and
structured inputs either become well-formed located chunks or an IngestError naming the
file (tests/fuzz.py has the inputs and the property; bench/fuzz.py runs it for minutes).

Deterministic (derandomized, no example database), so a failure here is a real finding
to turn into a regression test in the parser's own test file and fix there.
"""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings

from tests.fuzz import PARSERS, check, inputs, make_seeds

EXAMPLES = 250   # per parser: about two seconds each on one core

_SETTINGS = settings(max_examples=EXAMPLES, derandomize=True, database=None, deadline=None,
                     suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                            HealthCheck.large_base_example])


@pytest.fixture(scope="module")
def seeds(tmp_path_factory):
    return make_seeds(tmp_path_factory.mktemp("seeds"))


@pytest.mark.parametrize("name", list(PARSERS))
def test_parser_refuses_or_reads_well(name, seeds, tmp_path_factory):
    seed = seeds[name]
    path = tmp_path_factory.mktemp(name) / seed.name
    path.write_bytes(seed.data)
    assert check(path) == "stored"   # the seed itself is a good file
    outcomes = {"stored": 0, "refused": 0}

    @_SETTINGS
    @given(inputs(name, seed))
    def run(data: bytes) -> None:
        path.write_bytes(data)
        outcomes[check(path)] += 1

    run()
    assert outcomes["refused"] and outcomes["stored"], outcomes   # both paths exercised
