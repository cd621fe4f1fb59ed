"""Sign-in, sign-out, password change and reset by email, and the workspace switcher."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from projects.models import Role
from tests.factories import MembershipFactory, ProjectFactory, WorkspaceFactory

pytestmark = pytest.mark.django_db

PASSWORD = "pass-1234-word"  # tests.factories.UserFactory's password
# Letters rare in names, so the similarity check never refuses it whatever Faker names people.
NEW_PASSWORD = "zqvx-7905-kjwy-42"


def test_pages_ask_anonymous_visitors_to_sign_in(client):
    for name in ("projects:dashboard", "projects:my_work", "projects:project_create"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login") + "?next=")


def test_sign_in_lands_on_the_portfolio(client, manager, project):
    page = client.get(reverse("login"))
    assert b'<label for="id_username">Username' in page.content
    assert b"<title>Sign in" in page.content

    response = client.post(
        reverse("login"), {"username": manager.username, "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("projects:dashboard")
    assert project.name in response.content.decode()


def test_wrong_password_is_refused_with_a_message(client, manager):
    response = client.post(reverse("login"), {"username": manager.username, "password": "nope"})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_sign_out_is_a_post_and_returns_to_sign_in(signed_in, manager):
    client = signed_in(manager)
    response = client.post(reverse("logout"))
    assert response["Location"] == reverse("login")
    assert "_auth_user_id" not in client.session


def test_password_change(signed_in, manager):
    client = signed_in(manager)
    assert client.get(reverse("password_change")).status_code == 200
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    # A refusal would re-render the form: show why (the factories' names are random).
    assert response.status_code == 302, response.context["form"].errors
    assert response["Location"] == reverse("password_change_done")
    manager.refresh_from_db()
    assert manager.check_password(NEW_PASSWORD)


def test_password_reset_by_email(client, manager):
    response = client.post(reverse("password_reset"), {"email": manager.email})
    assert response["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Choose a new Milestones password"
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+/)", message.body).group(1)

    form_page = client.get(link, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "spring-launch-2027", "new_password2": "spring-launch-2027"},
    )
    assert response["Location"] == reverse("password_reset_complete")
    manager.refresh_from_db()
    assert manager.check_password("spring-launch-2027")


def test_switcher_lists_workspaces_and_switches_between_them(signed_in, workspace, manager):
    other = WorkspaceFactory(name="Zenith Agency")
    MembershipFactory(workspace=other, user=manager, role=Role.VIEWER)
    ProjectFactory(workspace=workspace, name="Home campaign")
    ProjectFactory(workspace=other, name="Zenith campaign")
    client = signed_in(manager)

    page = client.get(reverse("projects:dashboard")).content.decode()
    assert 'name="workspace"' in page
    assert "Zenith Agency</option>" in page
    assert "Home campaign" in page and "Zenith campaign" not in page

    client.post(reverse("projects:switch_workspace"), {"workspace": other.pk})
    page = client.get(reverse("projects:dashboard")).content.decode()
    assert "Zenith campaign" in page and "Home campaign" not in page
    assert "New project" not in page  # a viewer there


def test_switching_to_a_workspace_one_is_not_in_is_refused(signed_in, manager, outsider):
    foreign = outsider.memberships.get().workspace
    client = signed_in(manager)
    response = client.post(
        reverse("projects:switch_workspace"), {"workspace": foreign.pk}, follow=True
    )
    assert "You are not a member of that workspace." in response.content.decode()
    assert foreign.name not in response.content.decode().split("<main")[1].split("</main>")[0]


def test_a_user_without_workspace_sees_an_explanation(signed_in, django_user_model):
    user = django_user_model.objects.create_user("newcomer", password=PASSWORD)
    response = signed_in(user).get(reverse("projects:dashboard"))
    assert "You are not in a workspace yet" in response.content.decode()


def test_refusals_and_missing_pages_use_the_site_layout(signed_in, viewer, outsider, project):
    refused = signed_in(viewer).get(reverse("projects:project_edit", args=[project.pk]))
    assert refused.status_code == 403
    assert "do that here" in refused.content.decode()
    assert "does not allow this (project.update)" in refused.content.decode()
    missing = signed_in(outsider).get(reverse("projects:project_detail", args=[project.pk]))
    assert missing.status_code == 404
    assert "find that page" in missing.content.decode()
