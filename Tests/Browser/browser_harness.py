"""What the chat page test stands on: a live ChatServer (restartable on its port), a proxy that can
drop event streams, headless Chromium at a phone's and a desktop's size, and small page helpers."""
import collections, datetime, json, os, re, selectors, socket, subprocess, threading, time, urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait


STREAM_REQUEST = re.compile(rb"GET (/events/\S+|/chat/users/[^/\s]+/events\S*) HTTP")


class DroppingProxy:
    """Forwards loopback connections to the server; can drop the event streams and refuse new
    ones for a while, like a network that goes away and comes back."""

    def __init__(self, target_port):
        self.target_port = target_port
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.lock = threading.Lock()
        self.streams = []          # (client, upstream) pairs carrying an event stream (GET /events/…, /chat/users/…/events)
        self.stream_paths = {}     # each open stream's pair -> its request target
        self.refuse_until = 0.0
        self.dropped = 0
        self.requests = collections.Counter()  # "POST /chat/general/typing" -> how many passed through
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
                    if key.fileobj is client:
                        self.count(data)
                    stream = key.fileobj is client and STREAM_REQUEST.search(data)
                    if stream:
                        if time.monotonic() < self.refuse_until:
                            return  # the network is still down
                        with self.lock:
                            self.streams.append(pair)
                            self.stream_paths[pair] = stream.group(1).decode()
                    key.data.sendall(data)
        except OSError:
            return
        finally:
            with self.lock:
                if pair in self.streams:
                    self.streams.remove(pair)
                self.stream_paths.pop(pair, None)
            for s in pair:
                try:
                    s.close()
                except OSError:
                    pass

    def count(self, data):
        for method, path in re.findall(rb"(?m)^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) (\S+) HTTP/1\.[01]\r$", data):
            with self.lock:
                self.requests[f"{method.decode()} {path.decode().split('?')[0]}"] += 1

    def open_streams(self, containing=""):
        """The request targets of the event streams open now (those containing `containing`)."""
        with self.lock:
            return [path for pair, path in self.stream_paths.items() if pair in self.streams and containing in path]

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
    """A ChatServer on the memory store. `restart` stops it and starts a new one on the same port,
    as after a deploy: the page's origin stays, everything the server knew is gone."""

    def __init__(self, binary, arguments=(), port=0):
        self.binary, self.arguments = binary, list(arguments)
        self.process = subprocess.Popen(
            [binary, "--port", str(port), "--retry", "400", "--heartbeat", "2", *self.arguments],
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

    def user(self, name):
        """Signs up through the API; answers {id, name, token}."""
        return self.call("POST", "/chat/user", {"name": name})

    def post(self, user, room, text):
        return self.call("POST", f"/chat/{room}/message", {"userId": user["id"], "message": text}, token=user["token"])

    def join(self, user, room):
        return self.call("POST", f"/chat/{room}/join", {"userId": user["id"]}, token=user["token"])

    def messages(self, room):
        return self.call("GET", f"/chat/{room}/messages?limit=100")

    def readings(self, user):
        """The user's lobbies as listUserLobbies answers them (with their token): room -> reading."""
        answer = self.call("GET", f"/chat/users/{user['id']}/lobbies?limit=1000", token=user["token"])
        return {reading["room"]: reading for reading in answer}

    def stop(self):
        self.process.terminate()
        return self.process.wait(timeout=15)

    def restart(self):
        """Answers the old process's exit code and the new server (same port, same flags)."""
        code = self.stop()
        return code, Server(self.binary, self.arguments, port=self.port)


SIZES = {
    # name: (width, height, device pixel ratio, mobile)
    "desktop": (1280, 800, 1, False),
    "phone": (390, 844, 3, True),
}

# Messages are shown in the browser's local time; a zone far from UTC makes "local" testable.
TIMEZONE = "Asia/Tokyo"
TIMEZONE_OFFSET = datetime.timedelta(hours=9)  # Tokyo keeps no daylight saving: no tz database needed


def browser(size):
    """Headless Chromium with its viewport set through the DevTools protocol: at "phone" a real
    mobile emulation (mobile: true, so the viewport meta tag applies and the layout viewport is
    390 px; a plain headless window would be widened to 500 px)."""
    width, height, scale, mobile = SIZES[size]
    options = webdriver.ChromeOptions()
    options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     "--window-size=1280,900", "--lang=en-GB"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})  # for script_errors
    service = Service(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver"))
    driver = webdriver.Chrome(service=service, options=options)
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": height, "deviceScaleFactor": scale, "mobile": mobile})
    driver.execute_cdp_cmd("Emulation.setTimezoneOverride", {"timezoneId": TIMEZONE})
    driver.size_name = size
    return driver


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
    if driver.find_element(By.ID, "back").is_displayed():
        driver.find_element(By.ID, "back").click()  # a phone in a lobby: back to the list first
    wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, f'#lobbies li[data-room="{room}"]'), f"lobby {room} listed")
    driver.find_element(By.CSS_SELECTOR, f'#lobbies li[data-room="{room}"]').click()
    wait(driver, lambda d: d.find_element(By.ID, "room-title").text == f"#{room}", f"lobby {room} to open")


def join(driver):
    """Clicks Join once the open lobby has loaded, and waits for its stream."""
    button = wait(driver, lambda d: d.find_element(By.ID, "join") if d.find_element(By.ID, "join").is_displayed() else None, "the Join button")
    button.click()
    wait(driver, lambda d: d.find_element(By.ID, "connection").text == "live", "the stream to be live")


def open_and_join(driver, room):
    open_lobby(driver, room)
    join(driver)


def send(driver, text):
    box = driver.find_element(By.ID, "message")
    box.send_keys(text)
    driver.find_element(By.ID, "send").click()


def send_text(driver, text):
    """Types into the composer and presses Enter (which sends)."""
    driver.find_element(By.ID, "message").send_keys(text, Keys.ENTER)


def error_text(driver):
    return driver.find_element(By.ID, "error").text


def js(driver, script, *arguments):
    return driver.execute_script(script, *arguments)


def rect(driver, selector):
    """The element's getBoundingClientRect(), or None when it is not rendered."""
    return js(driver, """const e = document.querySelector(arguments[0]);
        if (!e || !e.getClientRects().length) return null;
        const r = e.getBoundingClientRect(); return {top: r.top, bottom: r.bottom, left: r.left, right: r.right,
        width: r.width, height: r.height};""", selector)


def scroll_state(driver):
    return js(driver, """const m = document.getElementById('messages');
        return {top: m.scrollTop, height: m.scrollHeight, client: m.clientHeight,
                fromBottom: m.scrollHeight - m.scrollTop - m.clientHeight};""")


def snapshot(driver, directory, name):
    path = os.path.join(directory, f"{driver.size_name}-{name}.png")
    driver.save_screenshot(path)
    return path


def script_errors(driver):
    """The page's uncaught script errors since the last call (failed requests, which the console
    also reports, are the network's and are left out)."""
    return [entry["message"] for entry in driver.get_log("browser")
            if entry["level"] == "SEVERE" and entry.get("source") == "javascript"]
