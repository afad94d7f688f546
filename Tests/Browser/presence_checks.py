"""Who is online, in the chat page at both sizes: the open lobby's "N online" follows the users who
hold a stream on it (a third user's stream opened and closed through the API), expands to the names,
a reconnect within the server's grace changes nothing, and the close shows after the grace."""
import socket, time, urllib.parse

from selenium.webdriver.common.by import By

from browser_harness import js, rect, snapshot, wait

# The test's server runs with --presence-grace PRESENCE_GRACE (seconds) and the default 1 s interval.
PRESENCE_GRACE = 1


def online_text(driver):
    return js(driver, "const b = document.getElementById('online'); return b.hidden ? '' : b.textContent")


def online_names(driver):
    return js(driver, "return [...document.querySelectorAll('#online-list li')].map(li => li.textContent)")


class ApiStream:
    """A user's event stream on a lobby, opened through the API (not a page), as another client."""

    def __init__(self, server, user, room):
        query = urllib.parse.urlencode({"userId": user["id"], "access_token": user["token"]})
        self.socket = socket.create_connection(("127.0.0.1", server.port), timeout=10)
        self.socket.sendall(f"GET /events/{room}?{query} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n".encode())
        head = b""
        while b"\r\n\r\n" not in head:  # the head is sent once the stream is admitted
            chunk = self.socket.recv(4096)
            assert chunk, "the stream closed before its head"
            head += chunk
        assert head.startswith(b"HTTP/1.1 200"), f"the stream answered {head[:40]!r}"

    def close(self):
        self.socket.close()


def presence(server, pages, room, screenshots):
    """Both pages are in `room` with their streams open (2 online); dave's stream through the API
    makes it 3 at both sizes, the count expands to the names, a reconnect is no change, and the
    close goes back to 2 once the grace has passed."""
    for page in pages:
        wait(page, lambda d: online_text(d) == "2 online", f"{page.size_name} to show 2 online")
    dave = server.user("dave")
    server.join(dave, room)
    stream = ApiStream(server, dave, room)
    for page in pages:
        wait(page, lambda d: online_text(d) == "3 online", f"{page.size_name} to show dave online")
        page.find_element(By.ID, "online").click()
        wait(page, lambda d: "dave" in online_names(d), f"{page.size_name}: dave in the list")
        names = online_names(page)
        assert len(names) == 3 and names[-1].endswith("(you)"), f"{page.size_name}: the list is {names}"
        button, listed, header = rect(page, "#online"), rect(page, "#online-list"), rect(page, "#room-header")
        width = js(page, "return innerWidth")
        assert header["height"] <= 90, f"{page.size_name}: the header grew to {header['height']} px with the count"
        assert button["top"] >= header["top"] and button["bottom"] <= header["bottom"], f"{page.size_name}: count at {button}"
        assert listed["left"] >= 0 and listed["right"] <= width, f"{page.size_name}: list at {listed}, viewport {width}"
        snapshot(page, screenshots, "9-online")
        page.find_element(By.ID, "messages").click()  # a click elsewhere folds it
        wait(page, lambda d: rect(d, "#online-list") is None, f"{page.size_name}: the list to fold")

    # A reconnect: closed and opened again at once; nothing changes through the grace and an interval.
    stream.close()
    stream = ApiStream(server, dave, room)
    deadline = time.monotonic() + PRESENCE_GRACE + 1.5
    while time.monotonic() < deadline:
        for page in pages:
            assert online_text(page) == "3 online", f"{page.size_name} shows {online_text(page)!r} during dave's reconnect"
        time.sleep(0.1)
    print(f"     both sizes: 3 online all through a reconnect and {PRESENCE_GRACE + 1.5:.1f} s after")

    closed = time.monotonic()
    stream.close()
    for page in pages:
        wait(page, lambda d: online_text(d) == "2 online", f"{page.size_name} to show dave offline")
    after = time.monotonic() - closed
    assert after >= PRESENCE_GRACE * 0.9, f"dave went offline {after:.1f} s after his stream closed (grace {PRESENCE_GRACE} s)"
    print(f"     both sizes: 2 online {after:.1f} s after dave's stream closed (grace {PRESENCE_GRACE} s)")
    for page in pages:
        page.find_element(By.ID, "online").click()
        wait(page, lambda d: len(online_names(d)) == 2 and "dave" not in online_names(d), f"{page.size_name}: dave gone from the list")
        snapshot(page, screenshots, "9-online-after")
        page.find_element(By.ID, "online").click()
    server.call("POST", f"/chat/{room}/leave", {"userId": dave["id"]}, token=dave["token"])
