"""How long a failed sign-in takes: a wrong password for a real account against an unknown email.

Not part of `make bench`: run it by hand (`.venv/bin/python bench/sign_in_timing.py`) to see
that the two answers take the same time within noise. Uses the production password hashing and
a SQLite file database, through the test client (no network), alternating the two kinds of
attempt so drift affects both alike. Each account is signed in wrongly at most four times, so
none locks during the run.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from werkzeug.security import generate_password_hash  # noqa: E402

from selfassess import create_app  # noqa: E402
from selfassess.config import TestConfig  # noqa: E402
from selfassess.extensions import db  # noqa: E402
from selfassess.models import User  # noqa: E402

ROUNDS = int(os.environ.get("ROUNDS", "40"))


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp}/timing.sqlite")
        with app.app_context():
            db.create_all()
            real_hash = generate_password_hash("the real password")
            accounts = [f"person{n}@timing.example" for n in range(ROUNDS // 4 + 1)]
            db.session.add_all(User(name=e, email=e, password_hash=real_hash) for e in accounts)
            db.session.commit()
        client = app.test_client()
        times: dict[str, list[float]] = {"wrong password": [], "unknown email": []}
        for n in range(ROUNDS):
            for kind in times:
                email = accounts[n // 4] if kind == "wrong password" else f"nobody{n}@x.example"
                start = time.perf_counter()
                response = client.post("/sign-in", data={"email": email, "password": "wrong"})
                times[kind].append(time.perf_counter() - start)
                assert response.status_code == 200
        for kind, values in times.items():
            print(
                f"{kind:15} median {statistics.median(values) * 1000:6.1f} ms  "
                f"mean {statistics.mean(values) * 1000:6.1f} ms  "
                f"stdev {statistics.stdev(values) * 1000:5.1f} ms  (n={len(values)})"
            )


if __name__ == "__main__":
    main()
