"""Locust users for `make load`: anonymous visitors, facilitators and board members over the
synthetic city. Which pages (and the ids in them) come from the plan file that load/run.py
writes from the database before the run (LOAD_PLAN), so this file needs no Django.

Production mode sets Secure cookies, which a client over plain http on loopback would not send
back; the users present themselves as behind a TLS-terminating proxy (X-Forwarded-Proto) and
keep their cookies as the browser behind that proxy would."""

import json
import os
import re

from locust import HttpUser, between

PLAN = json.loads(open(os.environ["LOAD_PLAN"], encoding="utf-8").read())  # noqa: SIM115
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class _Visitor(HttpUser):
    abstract = True
    wait_time = between(1, 3)
    pages: list[list[str]] = []  # [name, path] pairs

    def on_start(self) -> None:
        origin = f"https://{self.host.split('://', 1)[1]}"
        self.client.headers.update(
            {"X-Forwarded-Proto": "https", "Origin": origin, "Referer": f"{origin}/"}
        )

    def _keep_cookies(self) -> None:
        for cookie in self.client.cookies:
            cookie.secure = False

    def visit(self, name: str, path: str) -> None:
        with self.client.get(path, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code} on {path}")
        self._keep_cookies()


class _Staff(_Visitor):
    abstract = True
    username = ""

    def on_start(self) -> None:
        super().on_start()
        page = self.client.get("/sign-in/", name="sign in (form)")
        self._keep_cookies()
        token = CSRF.search(page.text)
        with self.client.post(
            "/sign-in/",
            data={
                "username": self.username,
                "password": PLAN["password"],
                "csrfmiddlewaretoken": token.group(1) if token else "",
            },
            name="sign in",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"sign-in answered {response.status_code}")
        self._keep_cookies()


def _tasks(role: str):
    pages = PLAN["pages"][role]

    def make(name: str, path: str):
        def visit(user: _Visitor) -> None:
            user.visit(name, path)

        visit.__name__ = f"visit {name}"
        return visit

    return [make(name, path) for name, path in pages]


class Anonymous(_Visitor):
    weight = 3
    tasks = _tasks("anonymous")


class Facilitator(_Staff):
    weight = 5
    username = PLAN["users"]["facilitator"]
    tasks = _tasks("facilitator")


class Board(_Staff):
    weight = 2
    username = PLAN["users"]["board"]
    tasks = _tasks("board")
