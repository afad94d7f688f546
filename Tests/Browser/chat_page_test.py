#!/usr/bin/env python3
"""The chat page in real headless Chromium, against a live ChatServer.

The page is loaded from the server's origin and talks to the API through a TCP proxy on another
loopback port (another origin), which exercises CORS and lets the test drop the event stream the
way a network would. Two browsers are two users, each signed up in the page: the page keeps its
identity (id, name, token) in localStorage, sends the token on everything that acts as the user, and
never offers other users to be.

    python3 Tests/Browser/chat_page_test.py [--binary .build/debug/ChatServer] [--screenshots screenshots]
"""
import argparse, json, os, pathlib, re, selectors, socket, subprocess, sys, threading, time, urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

ROOT = pathlib.Path(__file__).resolve().parents[2]


class DroppingProxy:
    """Forwards loopback connections to the server; can drop the event streams and refuse new
    ones for a while, like a network that goes away and comes back."""

    def __init__(self, target_port):
        self.target_port = target_port
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.lock = threading.Lock()
        self.streams = []          # (client, upstream) pairs carrying GET /events/…
        self.refuse_until = 0.0
        self.dropped = 0
        threading.Thread(target=self.accept_loop, daemon=True).start()

    def accept_loop(self):
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self.serve, args=(client,), daemon=True).start()

    def serve(self, client):
        try:
            upstream = socket.create_connection(("127.0.0.1", self.target_port))
        except OSError:
            client.close()
            return
        pair = (client, upstream)
        selector = selectors.DefaultSelector()
        selector.register(client, selectors.EVENT_READ, upstream)
        selector.register(upstream, selectors.EVENT_READ, client)
        try:
            while True:
                for key, _ in selector.select(timeout=60):
                    data = key.fileobj.recv(65536)
                    if not data:
                        return
                    # A browser may reuse a kept-alive connection for its stream: look at every request.
                    if key.fileobj is client and b"GET /events/" in data:
                        if time.monotonic() < self.refuse_until:
                            return  # the network is still down
                        with self.lock:
                            self.streams.append(pair)
                    key.data.sendall(data)
        except OSError:
            return
        finally:
            with self.lock:
                if pair in self.streams:
                    self.streams.remove(pair)
            for s in pair:
                try:
                    s.close()
                except OSError:
                    pass

    def drop_streams(self, down_for):
        """Closes every open event stream and refuses new ones for `down_for` seconds."""
        self.refuse_until = time.monotonic() + down_for
        with self.lock:
            streams, self.streams = self.streams, []
        for client, upstream in streams:
            for s in (client, upstream):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
        self.dropped += len(streams)
        return len(streams)


class Server:
    def __init__(self, binary):
        self.process = subprocess.Popen(
            [binary, "--port", "0", "--retry", "400", "--heartbeat", "2"],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        line = self.process.stdout.readline()
        if "listening on http://" not in line:
            raise RuntimeError(f"server did not start: {line!r}")
        self.base = line.strip().split("listening on ")[1]
        self.port = int(self.base.rsplit(":", 1)[1])

    def call(self, method, path, body=None, token=None):
        data = json.dumps(body).encode() if body is not None else None
        headers = {"Content-Type": "application/json"} if data else {}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        request = urllib.request.Request(self.base + path, data=data, method=method, headers=headers)
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read() or b"null")

    def stop(self):
        self.process.terminate()
        return self.process.wait(timeout=15)


def browser(width, height):
    options = webdriver.ChromeOptions()
    options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     f"--window-size={width},{height}"):
        options.add_argument(argument)
    service = Service(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver"))
    return webdriver.Chrome(service=service, options=options)


def wait(driver, condition, what, timeout=10):
    try:
        return WebDriverWait(driver, timeout, poll_frequency=0.05).until(lambda d: condition(d))
    except Exception:
        raise AssertionError(f"timed out waiting for {what}; page error: "
                             f"{driver.find_element(By.ID, 'error').text!r}")


def message_texts(driver):
    return [e.text for e in driver.find_elements(By.CSS_SELECTOR, "#messages .message .content")]


def stored_identity(driver):
    return driver.execute_script("return JSON.parse(localStorage.getItem('chat.identity'))")


def sign_up(driver, name):
    """Signs up in the page; returns the identity it stored."""
    driver.find_element(By.ID, "user-name").send_keys(name)
    driver.find_element(By.CSS_SELECTOR, "#user-form button").click()
    wait(driver, lambda d: d.find_element(By.ID, "me").text == name, f"{name} to be signed up")
    identity = stored_identity(driver)
    assert identity and identity["name"] == name, f"localStorage holds {identity!r}"
    assert re.fullmatch(re.escape(identity["id"]) + r"\.[A-Za-z0-9_-]{43}", identity["token"]), f"token {identity['token']!r}"
    return identity


def asks_to_sign_up(driver):
    return driver.find_element(By.ID, "user-form").is_displayed() and not driver.find_element(By.ID, "signed-in").is_displayed()


def open_lobby(driver, room):
    wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, f'#lobbies li[data-room="{room}"]'), f"lobby {room} listed")
    driver.find_element(By.CSS_SELECTOR, f'#lobbies li[data-room="{room}"]').click()
    wait(driver, lambda d: d.find_element(By.ID, "room-title").text == f"#{room}", f"lobby {room} to open")


def open_and_join(driver, room):
    open_lobby(driver, room)
    join = wait(driver, lambda d: d.find_element(By.ID, "join") if d.find_element(By.ID, "join").is_displayed() else None, "the Join button")
    join.click()
    wait(driver, lambda d: d.find_element(By.ID, "connection").text == "live", "the stream to be live")


def send(driver, text):
    box = driver.find_element(By.ID, "message")
    box.send_keys(text)
    driver.find_element(By.ID, "send").click()


def run(binary, screenshots):
    server = Server(binary)
    proxy = DroppingProxy(server.port)
    page = f"{server.base}/?api=http://127.0.0.1:{proxy.port}"  # API on another origin
    alice = browser(1200, 800)
    bob = browser(390, 844)  # a phone-sized window
    results = []

    def step(name, action):
        try:
            action()
            results.append((name, None))
            print(f"ok   {name}")
        except Exception as error:  # noqa: BLE001 - report every failing step
            results.append((name, error))
            print(f"FAIL {name}: {error}")
            raise

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
            fresh = browser(800, 600)
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
            alice.find_element(By.ID, "join").click()
            wait(alice, lambda d: d.find_element(By.ID, "connection").text == "live", "alice's stream")
            bob.refresh()
            open_and_join(bob, room)
        step("both join one lobby", create_lobby)

        step("alice sees bob join live", lambda: wait(
            alice, lambda d: any("bob joined" in n.text for n in d.find_elements(By.CSS_SELECTOR, ".notice")), "bob's join"))

        def live_message():
            send(alice, "hello from alice")
            wait(bob, lambda d: "hello from alice" in message_texts(d), "bob to see alice's message")
        step("a message arrives live in the other window", live_message)

        def resume():
            assert proxy.drop_streams(down_for=1.5) >= 2, "expected both windows' streams to be open"
            missed = [f"missed {n}" for n in range(1, 4)]
            for text in missed:  # posted while bob's stream is down, with alice's token
                server.call("POST", f"/chat/{room}/message", {"userId": identities["alice"]["id"], "message": text},
                            token=identities["alice"]["token"])
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

        def take_screenshots():
            pathlib.Path(screenshots).mkdir(parents=True, exist_ok=True)
            alice.save_screenshot(os.path.join(screenshots, "chat-desktop.png"))
            bob.save_screenshot(os.path.join(screenshots, "chat-phone.png"))
        step("screenshots saved", take_screenshots)

        def stream_sends_token():
            urls = bob.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
            streams = [u for u in urls if "/events/" in u]
            assert streams and all("access_token=" in u for u in streams), f"streams opened without access_token: {streams}"
        step("the stream carries the token as access_token", stream_sends_token)

        def refused_post():
            # The server no longer knows this token (as after a restart of the memory store).
            alice.execute_script("state.user.token = state.user.id + '.' + 'A'.repeat(43)")
            send(alice, "posted with a token the server never issued")
            wait(alice, asks_to_sign_up, "alice to be asked to sign up again")
            assert stored_identity(alice) is None, f"the refused identity is still stored: {stored_identity(alice)!r}"
            assert "sign up again" in alice.find_element(By.ID, "identity-note").text
            texts = server.call("GET", f"/chat/{room}/messages?limit=100")
            assert not [m for m in texts if "never issued" in m["content"]], "the refused post was stored"
        step("a post refused 401: the page forgets the identity and asks to sign up", refused_post)

        def refused_stream():
            forged = dict(identities["bob"], token=identities["bob"]["id"] + "." + "B" * 43)
            bob.execute_script("localStorage.setItem('chat.identity', arguments[0])", json.dumps(forged))
            bob.refresh()
            wait(bob, lambda d: d.find_element(By.ID, "me").text == "bob", "bob to be signed in with the stored identity")
            open_lobby(bob, room)  # bob is a member, so the page opens the stream, which answers 401
            wait(bob, asks_to_sign_up, "bob to be asked to sign up again")
            assert stored_identity(bob) is None, f"the refused identity is still stored: {stored_identity(bob)!r}"
            sign_up(bob, "bob again")
            bob.find_element(By.ID, "join").click()
            wait(bob, lambda d: d.find_element(By.ID, "connection").text == "live", "the new bob's stream")
        step("a stream refused 401: the page forgets the identity, and signing up again works", refused_stream)

        def sign_out():
            sign_up(alice, "alice again")
            alice.find_element(By.ID, "sign-out").click()
            wait(alice, asks_to_sign_up, "the sign-up form after signing out")
            assert stored_identity(alice) is None, "signing out left the identity in localStorage"
        step("signing out forgets the stored identity", sign_out)

    except Exception:
        pass
    finally:
        alice.quit()
        bob.quit()
        exit_code = server.stop()
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
