from pathlib import Path

import pytest

SEED = Path(__file__).resolve().parents[3] / "shared" / "seeds" / "000_0c5fa8de9f2c9a36.txt"
OWN = Path(__file__).resolve().parent / "fixtures" / "legacy_minutes.txt"


@pytest.fixture
def seed_text() -> str:
    if not SEED.exists():
        pytest.skip(f"the seed minutes are not at {SEED} (CI has ../shared beside the checkout)")
    return SEED.read_text(encoding="utf-8")


@pytest.fixture
def own_text() -> str:
    return OWN.read_text(encoding="utf-8")
