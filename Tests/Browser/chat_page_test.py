#!/usr/bin/env python3
"""The chat page in real headless Chromium, against a live ChatServer.

The page is loaded from the server's origin and talks to the API through a TCP proxy on another
loopback port (another origin), which exercises CORS and lets the test drop the event stream the
way a network would. Two browsers are two users, each signed up in the page: alice at a desktop's
1280 x 800, bob at a phone's 390 x 844 (mobile emulation through the DevTools protocol). The page
keeps its identity (id, name, token) in localStorage, sends the token on everything that acts as the
user, and never offers other users to be. The layout, URL, scrolling, day, composer and error checks
(page_checks.py) run at both sizes; screenshots go to the folder printed first.

    python3 Tests/Browser/chat_page_test.py [--binary .build/debug/ChatServer] [--screenshots screenshots]
"""
import argparse, json, os, pathlib, sys, time

from selenium.webdriver.common.by import By

from browser_harness import (DroppingProxy, Server, asks_to_sign_up, browser, join, message_texts, open_and_join,
                             open_lobby, script_errors, send, sign_up, snapshot, stored_identity, wait)
from page_checks import Checks, cleared, edit_and_delete, one_stream, typing
from presence_checks import PRESENCE_GRACE, presence

ROOT = pathlib.Path(__file__).resolve().parents[2]

# The server refuses messages over this many characters (under the spec's ceiling, which the page
# reads from /openapi.yaml): the page must show the server's own words for the lower limit.
SERVER_MESSAGE_LIMIT = 1000


def run(binary, screenshots):
    pathlib.Path(screenshots).mkdir(parents=True, exist_ok=True)
    print(f"screenshots: {os.path.abspath(screenshots)}")
    servers = [Server(binary, ["--max-message-length", str(SERVER_MESSAGE_LIMIT), "--rate-posts", "0",
                               "--presence-grace", str(PRESENCE_GRACE)])]
    proxy = DroppingProxy(servers[0].port)
    page = f"{servers[0].base}/?api=http://127.0.0.1:{proxy.port}"  # API on another origin
    alice = browser("desktop")
    bob = browser("phone")
    viewers = (alice, bob)
    results = []

    def step(name, action):
        try:
            action()
            results.append((name, None))
            print(f"ok   {name}")
        except Exception as error:  # noqa: BLE001 - report every failing step
            results.append((name, error))
            print(f"FAIL {name}: {error}")
            for viewer in viewers:
                print(f"     {viewer.size_name} at failure: {snapshot(viewer, screenshots, 'failure')}")
            raise

    def restart():
        code, fresh = servers[-1].restart()
        servers[-1] = fresh
        assert code == 0, f"the server exited {code} on SIGTERM"

    try:
        room = "browser-test"
        step("page loads from / and the API answers across origins", lambda: (
            alice.get(page), bob.get(page),
            wait(alice, lambda d: d.find_element(By.ID, "user-form").is_displayed(), "the page")))
        identities = {}

        def sign_up_both():
            identities["alice"] = sign_up(alice, "alice")
            identities["bob"] = sign_up(bob, "bob")
            assert identities["alice"]["id"] != identities["bob"]["id"]
        step("two users sign up in the page (POST /chat/user; id, name and token in localStorage)", sign_up_both)

        def persists():
            bob.refresh()
            wait(bob, lambda d: d.find_element(By.ID, "me").text == "bob", "bob to be signed in after the reload")
            assert not bob.find_element(By.ID, "user-form").is_displayed(), "the sign-up form shows after a reload"
            assert stored_identity(bob) == identities["bob"], f"the identity changed: {stored_identity(bob)!r}"
        step("the identity survives a reload (localStorage)", persists)

        def no_other_users():
            fresh = browser("desktop")
            try:
                fresh.get(page)
                wait(fresh, lambda d: d.find_element(By.ID, "user-form").is_displayed(), "the page")
                time.sleep(0.5)  # whatever the page fetches at start has arrived
                aside = fresh.find_element(By.TAG_NAME, "aside").text
                for name in ("alice", "bob"):
                    assert name not in aside, f"the page offers {name}: {aside!r}"
                assert not fresh.find_elements(By.ID, "users"), "the page still has a user list"
                fetched = fresh.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
                assert not [u for u in fetched if "/chat/users" in u], f"the page fetched the user list: {fetched}"
            finally:
                fresh.quit()
        step("a new visitor is offered no existing user to be", no_other_users)

        def create_lobby():
            alice.find_element(By.ID, "lobby-code").send_keys(room)
            alice.find_element(By.CSS_SELECTOR, "#lobby-form button").click()
            wait(alice, lambda d: d.find_element(By.ID, "room-title").text == f"#{room}", "the new lobby to open")
            join(alice)
            bob.refresh()
            open_and_join(bob, room)
        step("both join one lobby", create_lobby)

        step("alice sees bob join live", lambda: wait(
            alice, lambda d: any("bob joined" in n.text for n in d.find_elements(By.CSS_SELECTOR, ".notice")), "bob's join"))

        def live_message():
            send(alice, "hello from alice")
            wait(bob, lambda d: "hello from alice" in message_texts(d), "bob to see alice's message")
        step("a message arrives live in the other window", live_message)

        step("both sizes: typing shows \"… is typing\" in the other page only, at most one request each 2 s; a message "
             "clears it, it fades after ~4 s, two typers are named and more are \"several people\"",
             lambda: typing(servers[-1], viewers, {"desktop": identities["alice"], "phone": identities["bob"]}, room, proxy,
                            screenshots))

        step("both sizes: \"N online\" follows a third user's stream (expands to the names; a reconnect changes nothing, "
             "the close shows after the grace)", lambda: presence(servers[-1], viewers, room, screenshots))

        def resume():
            assert proxy.drop_streams(down_for=1.5) >= 2, "expected both windows' streams to be open"
            missed = [f"missed {n}" for n in range(1, 4)]
            for text in missed:  # posted while bob's stream is down, with alice's token
                servers[-1].post(identities["alice"], room, text)
            wait(bob, lambda d: all(t in message_texts(d) for t in missed), "bob to get the missed messages", timeout=15)
            wait(bob, lambda d: d.find_element(By.ID, "connection").text == "live", "bob's stream to be live again")
            time.sleep(0.5)  # anything repeated would have arrived by now
            texts = message_texts(bob)
            for text in ["hello from alice"] + missed:
                assert texts.count(text) == 1, f"{text!r} shown {texts.count(text)} times: {texts}"
            seqs = [int(e.get_attribute("data-seq")) for e in bob.find_elements(By.CSS_SELECTOR, "#messages .message")]
            assert seqs == sorted(seqs), f"messages out of order: {seqs}"
        step("after a dropped stream the browser resumes with nothing lost or repeated", resume)

        def script_is_text():
            hostile = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2"><b>bold</b>'
            send(alice, hostile)
            wait(bob, lambda d: hostile in message_texts(d), "bob to get the <script> message")
            assert bob.execute_script("return window.__pwned") is None, "markup in a message ran"
            assert not bob.find_elements(By.CSS_SELECTOR, "#messages .content b"), "markup in a message was rendered"
        step("a message with <script> shows as text", script_is_text)

        def stream_sends_token():
            urls = bob.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
            streams = [u for u in urls if "/events" in u]
            assert streams and all("access_token=" in u for u in streams), f"streams opened without access_token: {streams}"
        step("the stream carries the token as access_token", stream_sends_token)

        # ---- at each size, in a lobby of its own, with carol posting through the API ----
        for viewer in viewers:
            size = viewer.size_name
            own = f"page-{size}"
            carol = servers[-1].user(f"carol-{size}")

            def own_lobby():
                open_lobby(viewer, room)  # from a lobby: on a phone this goes through the list
                if size == "phone":
                    viewer.find_element(By.ID, "back").click()
                viewer.find_element(By.ID, "lobby-code").send_keys(own)
                viewer.find_element(By.CSS_SELECTOR, "#lobby-form button").click()
                wait(viewer, lambda d: d.find_element(By.ID, "room-title").text == f"#{own}", f"#{own} to open")
                join(viewer)
                servers[-1].join(carol, own)
            step(f"{size}: a lobby created and joined in the page", own_lobby)
            checks = Checks(servers[-1], viewer, carol, own, screenshots, SERVER_MESSAGE_LIMIT)
            step(f"{size}: after 25 messages only the message list scrolls; header and composer stay in view", checks.layout)
            if size == "phone":
                step("phone: the lobby list and the conversation are two full-size views (back button, browser back)",
                     checks.phone_views)
            else:
                step("desktop: reopening lobbies keeps the lobby list at its width", checks.desktop_reopen)
            step(f"{size}: the URL names the lobby; a reload reopens it and its stream without a click", checks.reload_resumes)
            step(f"{size}: scrolled up, new messages do not move the view; the button counts them and scrolls down",
                 checks.no_yank)
            step(f"{size}: day separators by local day ({checks.viewer.size_name}, Asia/Tokyo)", checks.day_separators)
            step(f"{size}: Shift+Enter breaks the line, Enter sends, the message shows its lines", checks.multi_line)
            step(f"{size}: blank and too-long messages refused, naming the limit (the spec's in the page, the server's flag in its answer)",
                 checks.refusals)
            step(f"{size}: unread counts in the lobby list (\"999+\" past 999), the first-unread divider, read at the list's end",
                 checks.unread_counts)
            step(f"{size}: one stream for all lobbies: a lobby not open gets its badge live over it",
                 lambda: one_stream(checks, proxy))

        def edits():
            for viewer in viewers:
                open_lobby(viewer, room)
                wait(viewer, lambda d: d.find_element(By.ID, "connection").text == "live", f"{viewer.size_name}: the stream")
            edit_and_delete(servers[-1], viewers, {"desktop": identities["alice"], "phone": identities["bob"]}, room, proxy,
                            screenshots)
        step("both sizes: one's own message edited (Escape cancels, blank refused, Enter saves) and deleted, live in the "
             "other page; none on others' messages; a third user's changes, a resumed stream and a reload show the current text",
             edits)

        def refused_post():
            # The server no longer knows this token (as after a restart of the memory store).
            alice.execute_script("state.user.token = state.user.id + '.' + 'A'.repeat(43)")
            send(alice, "posted with a token the server never issued")
            wait(alice, asks_to_sign_up, "alice to be asked to sign up again")
            assert stored_identity(alice) is None, f"the refused identity is still stored: {stored_identity(alice)!r}"
            assert "sign up again" in alice.find_element(By.ID, "identity-note").text
            texts = servers[-1].messages("page-desktop")
            assert not [m for m in texts if "never issued" in m["content"]], "the refused post was stored"
        step("a post refused 401: the page forgets the identity and asks to sign up", refused_post)

        def refused_stream():
            forged = dict(identities["bob"], token=identities["bob"]["id"] + "." + "B" * 43)
            bob.execute_script("localStorage.setItem('chat.identity', arguments[0])", json.dumps(forged))
            bob.refresh()  # the URL names bob's lobby, so the page opens it and its stream, which answers 401
            wait(bob, asks_to_sign_up, "bob to be asked to sign up again")
            assert stored_identity(bob) is None, f"the refused identity is still stored: {stored_identity(bob)!r}"
            sign_up(bob, "bob again")
            open_and_join(bob, room)
        step("a stream refused 401: the page forgets the identity, and signing up again works", refused_stream)

        def sign_out():
            sign_up(alice, "alice again")
            alice.find_element(By.ID, "sign-out").click()
            wait(alice, asks_to_sign_up, "the sign-up form after signing out")
            assert stored_identity(alice) is None, "signing out left the identity in localStorage"
        step("signing out forgets the stored identity", sign_out)

        def restart_while_open():
            sign_up(alice, "alice once more")
            open_and_join(alice, room)
            send(alice, "before the restart")
            wait(bob, lambda d: "before the restart" in message_texts(d), "bob to see it")
            restart()  # a memory server: users, lobbies and messages are gone
            for viewer in viewers:
                cleared(viewer, f"{viewer.size_name}, open during the restart")
                snapshot(viewer, screenshots, "7-after-restart")
        step("both sizes: a restarted memory server; the open pages forget the user, the lobby and its messages",
             restart_while_open)

        def restart_while_away():
            for viewer in viewers:
                sign_up(viewer, f"{viewer.size_name} user")
                lobby = f"gone-{viewer.size_name}"
                viewer.find_element(By.ID, "lobby-code").send_keys(lobby)
                viewer.find_element(By.CSS_SELECTOR, "#lobby-form button").click()
                wait(viewer, lambda d: d.find_element(By.ID, "room-title").text == f"#{lobby}", "the lobby")
                join(viewer)
                viewer.get("about:blank")
            restart()
            for viewer in viewers:
                viewer.get(page + f"#gone-{viewer.size_name}")
                cleared(viewer, f"{viewer.size_name}, reloaded after the restart")
        step("both sizes: a reload after a restart (URL naming a lobby gone, identity unknown) shows sign-up and no lobby",
             restart_while_away)

        def no_script_errors():
            errors = {viewer.size_name: script_errors(viewer) for viewer in viewers}
            assert not any(errors.values()), f"uncaught script errors: {errors}"
        step("both sizes: no uncaught script error in the page all along", no_script_errors)

    except Exception:
        pass
    finally:
        alice.quit()
        bob.quit()
        exit_code = servers[-1].stop()
        results.append(("the server exits 0 on SIGTERM", None if exit_code == 0 else AssertionError(f"exit {exit_code}")))
        if exit_code != 0:
            print(f"FAIL server exit code {exit_code}")

    failed = sum(1 for _, error in results if error)
    print(f"browser: {len(results) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=str(ROOT / ".build/debug/ChatServer"))
    parser.add_argument("--screenshots", default=str(ROOT / "screenshots"))
    arguments = parser.parse_args()
    sys.exit(run(arguments.binary, arguments.screenshots))
