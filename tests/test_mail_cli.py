"""The email commands: `reminders run` (idempotent), `mail send` and `mail status`, and the
worker loop stopping when asked."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest

from selfassess.cli import cli, register_commands
from selfassess.services.invitations import create_invitation
from selfassess.services.mail import delivery
from selfassess.services.mail.senders import sender_for
from selfassess.services.workshop_schedule import WorkshopTime, schedule
from tests.factories import make_assessment, make_partnership, make_user


@pytest.fixture
def cli_runner(app, runner):
    register_commands()
    return runner


def _run(runner, *args):
    result = runner.invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_reminders_run_twice_queues_once_and_mail_send_delivers(cli_runner, smtp_server):
    p = make_partnership()
    lead = make_user(p, "lead")
    make_user(p, "member")
    a = make_assessment(p)
    starts = datetime.now(UTC).replace(microsecond=0) + timedelta(days=3)
    schedule(a, WorkshopTime(starts, starts + timedelta(hours=1), "Hall", None), lead)
    assert "rating reminder: 2 queued" in _run(cli_runner, "reminders", "run")
    assert "No reminders due." in _run(cli_runner, "reminders", "run")
    assert "4 queued, 0 sending, 0 sent, 0 failed, 0 withdrawn" in _run(
        cli_runner, "mail", "status"
    )
    assert "4 sent, 0 to try again, 0 failed" in _run(cli_runner, "mail", "send")
    assert "0 sent" in _run(cli_runner, "mail", "send")
    assert len(smtp_server.recorder.messages) == 4


def test_mail_status_lists_failures_with_their_errors(cli_runner, smtp_server):
    p = make_partnership()
    create_invitation(p, "member", make_user(p, "lead"), for_email="gone@test.example")
    smtp_server.recorder.refuse_permanently = True
    assert "1 failed" in _run(cli_runner, "mail", "send")
    out = _run(cli_runner, "mail", "status")
    assert "to gone@test.example" in out and "550" in out


def test_a_wrong_mail_url_is_a_clear_error(cli_runner, app):
    app.config["MAIL_URL"] = "http://not-smtp"
    result = cli_runner.invoke(cli, ["mail", "send"])
    assert result.exit_code == 1 and "MAIL_URL must look like smtp://" in result.output


def test_the_worker_sends_as_messages_arrive_and_stops_when_asked(app, smtp_server):
    p = make_partnership()
    lead = make_user(p, "lead")
    stop = threading.Event()
    passes = []

    def on_pass(result):
        passes.append(result)
        if sum(r.sent for r in passes) >= 2:
            stop.set()

    def work():
        with app.app_context():
            delivery.run_worker(sender_for(app), interval=0.05, stop=stop, on_pass=on_pass)

    worker = threading.Thread(target=work)
    worker.start()
    create_invitation(p, "member", lead, for_email="a@test.example")
    create_invitation(p, "member", lead, for_email="b@test.example")
    worker.join(30)
    assert not worker.is_alive()
    assert sorted(r for m in smtp_server.recorder.messages for r in m.rcpt_tos) == [
        "a@test.example",
        "b@test.example",
    ]
