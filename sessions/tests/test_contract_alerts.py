"""Contract alerts through the reminder machinery: to the admins and the contract's mentors at
75 % use, when the package is used up, and a month before the contract ends — each once, even
with two sweeps at once, in the recipient's language, without money."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse

from core.tests.helpers import days_from_now
from demo.factories import make_contract, make_session
from mentorship.contracts import services as contracts
from sessions import usage
from sessions.models import ReminderLog, ReminderStatus, SessionStatus
from sessions.reminders import sweep as reminders

pytestmark = pytest.mark.clock


@pytest.fixture
def run_sweep(django_capture_on_commit_callbacks):
    def run(now=None):
        with django_capture_on_commit_callbacks(execute=True):
            return reminders.sweep(now)

    return run


@pytest.fixture
def package(engagement, organisation):
    """Alder's eight-session package, running half a year more, price 4 321.77; the individual
    engagement (mentor Bob) draws on it."""
    today = usage.consultancy_today()
    contract = make_contract(
        organisation=organisation,
        quantity=8,
        price=Decimal("4321.77"),
        reference="PO-ALDER-8",
        start_date=today - datetime.timedelta(days=90),
        end_date=today + datetime.timedelta(days=180),
    )
    engagement.contract = contract
    engagement.save()
    return contract


def hold(engagement, count, *, first_days_ago=60):
    for index in range(count):
        make_session(
            engagement=engagement, start=days_from_now(-first_days_ago + index * 3), status=SessionStatus.COMPLETED
        )


def contract_mails():
    """The contract alerts sent (the engagements' own reminders may go out too)."""
    return [message for message in mail.outbox if message.subject.startswith("Alder Freight AB: ")]


def alert_mails(fragment):
    return sorted(message.to[0] for message in contract_mails() if fragment in message.subject)


@pytest.mark.django_db
def test_no_alert_below_three_quarters(package, engagement, consultancy_admin, run_sweep):
    hold(engagement, 5)
    run_sweep()
    assert not ReminderLog.objects.filter(contract=package).exists()
    assert usage.contract_alerts() == []


@pytest.mark.django_db
def test_three_quarters_used_alerts_admins_and_the_mentor_once(
    package, engagement, consultancy_admin, mentor, run_sweep
):
    hold(engagement, 6)
    run_sweep()
    assert alert_mails("75 % of the package used") == [consultancy_admin.email, mentor.email]
    run_sweep()
    assert len(contract_mails()) == 2
    body = next(m for m in contract_mails() if m.to == [mentor.email]).body
    assert "6 of 8 sessions used, 0 booked ahead." in body
    for money in ("4321", "4 321", "PO-ALDER-8", "SEK"):
        assert money not in body
    admin_body = next(m for m in contract_mails() if m.to == [consultancy_admin.email]).body
    assert "PO-ALDER-8" in admin_body
    assert package.get_absolute_url() in admin_body
    assert "4321" not in admin_body


@pytest.mark.django_db
def test_used_up_alerts_once_more_then_not_again(package, engagement, consultancy_admin, mentor, run_sweep):
    hold(engagement, 6)
    run_sweep()
    hold(engagement, 2, first_days_ago=20)
    run_sweep()
    assert alert_mails("the package is used up") == [consultancy_admin.email, mentor.email]
    run_sweep()
    assert len(contract_mails()) == 4


@pytest.mark.django_db
def test_a_package_used_up_at_once_gets_one_alert_not_two(package, engagement, consultancy_admin, run_sweep):
    hold(engagement, 8)
    run_sweep()
    assert alert_mails("used up")
    assert not alert_mails("75 %")


@pytest.mark.django_db
def test_extending_the_package_arms_the_alerts_again(package, engagement, consultancy_admin, mentor, run_sweep):
    hold(engagement, 6)
    run_sweep()
    contracts.extend_contract(
        contract=package,
        actor=consultancy_admin,
        new_end=package.end_date + datetime.timedelta(days=1),
        more_quantity=None,
    )
    run_sweep()
    assert len(contract_mails()) == 2  # same package size: nothing new
    contracts.update_contract(contract=package, actor=consultancy_admin, quantity=Decimal(7))
    run_sweep()
    assert len(alert_mails("75 % of the package used")) == 4  # 6 of 7 is a new 75 %


@pytest.mark.django_db
def test_a_month_before_the_end(package, engagement, consultancy_admin, mentor, run_sweep):
    package.end_date = usage.consultancy_today() + datetime.timedelta(days=30)
    package.save()
    run_sweep()
    assert alert_mails("the contract ends") == [consultancy_admin.email, mentor.email]
    run_sweep()
    assert len(contract_mails()) == 2


@pytest.mark.django_db
def test_no_end_alert_earlier_or_for_a_closed_contract(package, consultancy_admin, run_sweep):
    package.end_date = usage.consultancy_today() + datetime.timedelta(days=31)
    package.save()
    run_sweep()
    assert contract_mails() == []
    package.end_date = usage.consultancy_today() + datetime.timedelta(days=3)
    package.status = "closed"
    package.save()
    run_sweep()
    assert contract_mails() == []


@pytest.mark.django_db
def test_only_the_mentors_of_its_engagements_hear(package, engagement, outsider_engagement, other_mentor, run_sweep):
    hold(engagement, 6)
    run_sweep()
    assert alert_mails("75 %")
    assert other_mentor.email not in alert_mails("")


@pytest.mark.django_db
def test_the_alert_is_in_the_recipients_language(package, engagement, mentor, run_sweep):
    mentor.language = "sv"
    mentor.save()
    hold(engagement, 6)
    run_sweep()
    message = next(m for m in contract_mails() if m.to == [mentor.email])
    assert "75 % av paketet använt" in message.subject
    assert "6 av 8 träffar använda" in message.body


@pytest.mark.django_db
def test_an_alert_no_longer_true_when_sent_is_skipped(
    package, engagement, consultancy_admin, django_capture_on_commit_callbacks
):
    hold(engagement, 6)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        reminders.sweep()
    contracts.update_contract(contract=package, actor=consultancy_admin, quantity=Decimal(20))
    for callback in callbacks:
        callback()
    assert contract_mails() == []
    assert set(ReminderLog.objects.filter(contract=package).values_list("status", flat=True)) == {
        ReminderStatus.SKIPPED
    }


@pytest.mark.once
@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_send_each_alert_once(package, engagement, consultancy_admin, mentor):
    hold(engagement, 6)
    package.end_date = usage.consultancy_today() + datetime.timedelta(days=10)
    package.save()
    barrier = threading.Barrier(2)

    def run():
        try:
            barrier.wait(timeout=10)
            reminders.sweep()
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted((m.to[0], "ends" in m.subject) for m in contract_mails()) == sorted(
        [(consultancy_admin.email, False), (mentor.email, False), (consultancy_admin.email, True), (mentor.email, True)]
    )
    assert ReminderLog.objects.filter(contract=package, status=ReminderStatus.SENT).count() == 4


@pytest.mark.django_db
def test_the_admin_home_lists_contracts_needing_attention(client, package, engagement, consultancy_admin, mentor):
    hold(engagement, 6)
    client.force_login(consultancy_admin)
    page = client.get(reverse("overview:home")).content.decode()
    assert "Contracts needing attention" in page
    assert "6 of 8 sessions used" in page
    assert package.get_absolute_url() in page
    client.force_login(mentor)
    assert "Contracts needing attention" not in client.get(reverse("overview:home")).content.decode()


@pytest.mark.django_db
def test_many_contracts_are_checked_in_a_fixed_number_of_queries(
    organisation, engagement, django_assert_max_num_queries
):
    for _ in range(20):
        make_contract(organisation=organisation, end_date=usage.consultancy_today() + datetime.timedelta(days=5))
    with django_assert_max_num_queries(2):
        alerts = usage.contract_alerts()
    assert len(alerts) == 20


@pytest.mark.django_db
def test_grouped_usage_agrees_with_one_contracts_usage(package, engagement, team_engagement):
    team_engagement.contract = package
    team_engagement.save()
    hold(engagement, 3)
    make_session(engagement=team_engagement, start=days_from_now(-2), status=SessionStatus.NO_SHOW)
    make_session(engagement=engagement, start=days_from_now(-1), status=SessionStatus.CANCELLED, late_cancellation=True)
    make_session(engagement=engagement, start=days_from_now(4))
    assert usage.usage_by_contract([package])[package.pk] == usage.usage_of(package)
