"""The chat page's checks that run once per viewport size (desktop 1280 x 800, phone 390 x 844).

Each takes a Checks (the server, the viewer's browser, the poster who sends through the API, the
lobby) and raises AssertionError with what it measured when the page is broken."""
import datetime, pathlib, re, time

from selenium.webdriver.common.by import By
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

from browser_harness import (SIZES, TIMEZONE, TIMEZONE_OFFSET, error_text, js, message_texts, rect, scroll_state, send,
                             snapshot, stored_identity, wait)

# The page marks a lobby read at most this often (markReadDelayMs in chat.html), plus a margin.
MARK_READ_DELAY = 1.5
# Other lobbies' counts are read every 10 s while the page is visible (countsEveryMs), plus a margin.
COUNTS_EVERY = 15

ROOT = pathlib.Path(__file__).resolve().parents[2]


def spec_message_limit():
    """PostMessageRequest.message.maxLength in api.yaml: the ceiling the page reads from the server."""
    spec = (ROOT / "api.yaml").read_text()
    block = spec[spec.index("\n    PostMessageRequest:"):]
    return int(re.search(r"\n        message:\n(?:          .*\n)*?          maxLength: (\d+)", block).group(1))


class Checks:
    def __init__(self, server, viewer, poster, room, screenshots, server_limit):
        self.server, self.viewer, self.poster, self.room = server, viewer, poster, room
        self.screenshots, self.server_limit = screenshots, server_limit
        self.width, self.height = SIZES[viewer.size_name][:2]

    def post(self, text):
        return self.server.post(self.poster, self.room, text)

    def wait_shown(self, text, what):
        wait(self.viewer, lambda d: text in message_texts(d), what)

    def snap(self, name):
        return snapshot(self.viewer, self.screenshots, name)

    def reading(self, room):
        """The viewer's read position in the lobby, as the server has it (listUserLobbies)."""
        return self.server.readings(stored_identity(self.viewer)).get(room)

    def wait_read(self, room, what, timeout=MARK_READ_DELAY + 5):
        """Waits until the server has the lobby read to its last event, and its badge is gone."""
        def read(d):
            reading = self.reading(room)
            return reading["unread"] == 0 and reading["readSeq"] == reading["lastSeq"] and badge(d, room) is None
        wait(self.viewer, read, what, timeout=timeout)

    def assert_fixed_frame(self):
        """Header at the top, composer inside the viewport, the document itself not scrollable."""
        v = self.viewer
        inner = js(v, "return {w: innerWidth, h: innerHeight}")
        assert inner == {"w": self.width, "h": self.height}, f"viewport {inner}, expected {self.width} x {self.height}"
        js(v, "window.scrollTo(0, 10000)")
        page = js(v, "return {y: scrollY, height: document.scrollingElement.scrollHeight}")
        assert page["y"] == 0 and page["height"] <= self.height, f"the page itself scrolls: {page}"
        header, composer = rect(v, "body > header"), rect(v, "#composer")
        assert header and header["top"] == 0 and header["height"] > 20, f"header at {header}"
        assert composer and composer["bottom"] <= self.height and composer["top"] > self.height - 200, \
            f"composer at {composer}, viewport height {self.height}"
        room_header = rect(v, "#room-header")
        assert room_header and room_header["top"] >= header["bottom"] - 1, f"lobby header at {room_header}"

    # ---- only the message list scrolls ----
    def layout(self):
        v = self.viewer
        js(v, "performance.clearResourceTimings()")  # to count the markRead requests below
        # 24 messages, some of several lines, and one long word that must wrap, not widen the list.
        for n in range(1, 25):
            self.post(f"message {n}" + ("\nwith a second line" if n % 5 == 0 else ""))
        self.post("x" * 600)
        wait(v, lambda d: len(message_texts(d)) >= 25 and "x" * 600 in message_texts(d), "25 messages")
        # At the end of the list, in a visible page: read, in a few requests rather than one per message.
        self.wait_read(self.room, "the 25 messages to be marked read")
        marks = js(v, "return performance.getEntriesByType('resource').filter(e => /\\/read$/.test(e.name)).length")
        print(f"     {v.size_name}: 25 messages arrived at the end of the list; the page sent {marks} PUT /read")
        assert 1 <= marks <= 6, f"{marks} markRead requests for 25 messages"
        self.assert_fixed_frame()
        scroll = scroll_state(v)
        assert scroll["height"] > scroll["client"] + 200, f"the message list does not overflow: {scroll}"
        assert scroll["fromBottom"] < 2, f"after new messages the list is not at its end: {scroll}"
        room = rect(v, "section#room")
        if v.size_name == "desktop":
            aside = rect(v, "aside")
            assert aside and aside["width"] >= 250, f"the lobby list is squeezed: {aside}"
            assert room["left"] >= aside["right"] - 1 and room["right"] <= self.width + 0.5, f"room at {room}"
        else:
            assert rect(v, "aside") is None, "on a phone the conversation view also shows the lobby list"
            assert room["left"] == 0 and room["width"] == self.width, f"the conversation is not full width: {room}"
        self.snap("1-conversation")

    def phone_views(self):
        """A phone: the back button shows the lobby list, full size; a tap returns to the lobby."""
        v = self.viewer
        v.find_element(By.ID, "back").click()
        wait(v, lambda d: rect(d, "aside") is not None, "the lobby list view")
        aside = rect(v, "aside")
        assert aside["width"] == self.width and aside["height"] > self.height / 2, f"the lobby list view is {aside}"
        assert rect(v, "section#room") is None, "the conversation still shows beside the list"
        assert js(v, "return location.hash") == "", "the back button left the lobby in the URL"
        item = rect(v, f'#lobbies li[data-room="{self.room}"]')
        assert item and item["width"] > self.width * 0.8, f"the lobby's list item is {item}"
        self.snap("2-lobby-list")
        v.find_element(By.CSS_SELECTOR, f'#lobbies li[data-room="{self.room}"]').click()
        wait(v, lambda d: d.find_element(By.ID, "connection").text == "live", "the reopened lobby's stream")
        self.assert_fixed_frame()
        v.back()  # the browser's back button: the list again
        wait(v, lambda d: rect(d, "aside") is not None and rect(d, "section#room") is None, "the list after history.back()")
        v.forward()
        wait(v, lambda d: d.find_element(By.ID, "connection").text == "live", "the lobby after history.forward()")

    def desktop_reopen(self):
        """A desktop: reopening a lobby (another one with the longest name, then back) keeps the
        lobby list at its width."""
        v = self.viewer
        other = (self.room + "-other-").ljust(64, "o")
        self.server.call("POST", "/chat", {"room": other})
        js(v, "refreshLobbies()")  # rather than wait for the page's next look at the list
        wait(v, lambda d: d.find_elements(By.CSS_SELECTOR, f'#lobbies li[data-room="{other}"]'), f"lobby {other} listed")
        for room in (other, self.room):
            v.find_element(By.CSS_SELECTOR, f'#lobbies li[data-room="{room}"]').click()
            wait(v, lambda d: d.find_element(By.ID, "room-title").text == f"#{room}", f"#{room} open")
            wait(v, lambda d: d.find_elements(By.CSS_SELECTOR, "#messages .message, #messages .hint"), "its history")
            aside, header = rect(v, "aside"), rect(v, "#room-header")
            assert aside["width"] >= 250, f"after reopening #{room} the lobby list is {aside}"
            assert header["right"] <= self.width + 0.5, f"the lobby's header overflows: {header}"
        wait(v, lambda d: d.find_element(By.ID, "connection").text == "live", "the stream")
        self.assert_fixed_frame()

    # ---- the URL names the lobby ----
    def reload_resumes(self):
        v = self.viewer
        assert js(v, "return location.hash") == f"#{self.room}", f"URL is {v.current_url}"
        before = len(message_texts(v))
        v.refresh()  # no click after this
        wait(v, lambda d: d.find_element(By.ID, "room-title").text == f"#{self.room}", "the lobby after the reload")
        wait(v, lambda d: d.find_element(By.ID, "connection").text == "live", "the stream after the reload")
        assert len(message_texts(v)) == before, f"{before} messages before the reload, {len(message_texts(v))} after"
        self.post(f"after the reload at {v.size_name}")
        self.wait_shown(f"after the reload at {v.size_name}", "a message on the resumed stream")
        self.assert_fixed_frame()
        self.snap("3-after-reload")

    # ---- a new message does not yank a reader ----
    def no_yank(self):
        v = self.viewer
        self.wait_read(self.room, "the lobby read before scrolling up")
        js(v, "document.getElementById('messages').scrollTop = 0")
        time.sleep(0.2)
        assert scroll_state(v)["top"] == 0
        assert not v.find_element(By.ID, "jump").is_displayed(), "the new-messages button shows before anything arrived"
        for n in (1, 2):
            self.post(f"while reading {n} ({v.size_name})")
        self.wait_shown(f"while reading 2 ({v.size_name})", "the messages sent while reading")
        time.sleep(0.2)
        scroll = scroll_state(v)
        assert scroll["top"] == 0, f"the view moved while reading: {scroll}"
        jump = v.find_element(By.ID, "jump")
        assert jump.is_displayed() and "2 new messages" in jump.text, f"new-messages button: {jump.text!r}"
        button, timeline = rect(v, "#jump"), rect(v, ".timeline")
        assert timeline["top"] <= button["top"] and button["bottom"] <= timeline["bottom"], f"button {button} outside {timeline}"
        self.snap("4-new-messages")
        time.sleep(MARK_READ_DELAY + 0.5)
        reading = self.reading(self.room)
        assert reading["unread"] == 2, f"scrolled up, the lobby was marked read: {reading}"
        assert badge(v, self.room) == "2", f"the open lobby's badge while scrolled up: {badge(v, self.room)!r}"
        after = js(v, "const d = document.querySelectorAll('.first-unread'); return d.length === 1 && "
                      "d[0].nextElementSibling.querySelector('.content').textContent")
        assert after == f"while reading 1 ({v.size_name})", f"the divider is not at the first message that came unseen: {after!r}"
        jump.click()
        wait(v, lambda d: scroll_state(d)["fromBottom"] < 2, "the list at its end after the click")
        self.wait_read(self.room, "the lobby marked read at its end")
        assert not jump.is_displayed(), "the button stays after jumping"
        self.post(f"at the bottom ({v.size_name})")
        self.wait_shown(f"at the bottom ({v.size_name})", "a message while at the bottom")
        time.sleep(0.1)
        scroll = scroll_state(v)
        assert scroll["fromBottom"] < 2, f"at the bottom, a new message left the view behind: {scroll}"
        assert not jump.is_displayed(), "the button shows though the reader is at the bottom"

    # ---- day separators ----
    def day_separators(self):
        v = self.viewer
        zone = datetime.timezone(TIMEZONE_OFFSET)
        expected = []
        for message in self.server.messages(self.room):
            sent = datetime.datetime.fromisoformat(message["sentAt"].replace("Z", "+00:00")).astimezone(zone)
            if not expected or expected[-1] != sent.date().isoformat():
                expected.append(sent.date().isoformat())
        shown = js(v, "return [...document.querySelectorAll('#messages .day')].map(e => [e.dataset.day, e.textContent])")
        assert [d for d, _ in shown] == expected, f"separators {shown}, days of the messages in {TIMEZONE}: {expected}"
        today = datetime.datetime.now(zone).date().isoformat()
        assert all(label == "Today" for day, label in shown if day == today), f"today's separator: {shown}"
        first = js(v, "const m = document.getElementById('messages'); return m.querySelector('.day, .message').className")
        assert first == "day", f"the first message has no separator above it: {first}"
        # The server stamps sentAt itself, so messages of other days cannot be posted: here the page's
        # one path for history and stream renders three, 14:30, 15:30 and 16:00 UTC on 1 March: one
        # day in UTC, two in Tokyo (23:30 | 00:30, 01:00).
        days_room = self.room + "-days"
        self.server.call("POST", "/chat", {"room": days_room})
        js(v, "showLobby(arguments[0])", days_room)
        wait(v, lambda d: d.find_element(By.ID, "room-title").text == f"#{days_room}", "the days lobby")
        wait(v, lambda d: d.find_elements(By.CSS_SELECTOR, "#messages .hint"), "its empty history")
        js(v, """for (const [seq, at] of [[1, '14:30'], [2, '15:30'], [3, '16:00']])
                   addMessage({id: 'day-' + seq, seq, room: arguments[0], userId: 'someone', name: 'carol',
                               content: 'sent ' + at + ' UTC', sentAt: '2026-03-01T' + at + ':00.000Z'});""", days_room)
        order = js(v, """return [...document.getElementById('messages').children].map(e =>
                         e.classList.contains('day') ? 'day ' + e.dataset.day : e.querySelector('.content').textContent)""")
        assert order == ["day 2026-03-01", "sent 14:30 UTC", "day 2026-03-02", "sent 15:30 UTC", "sent 16:00 UTC"], \
            f"days in {TIMEZONE}: {order}"
        labels = [e.text for e in v.find_elements(By.CSS_SELECTOR, "#messages .day")]
        assert len(set(labels)) == 2 and all("March" in label for label in labels), f"day labels {labels}"
        self.snap("5-day-separators")
        js(v, "showLobby(arguments[0])", self.room)
        wait(v, lambda d: d.find_element(By.ID, "connection").text == "live", "back in the lobby")

    # ---- multi-line input ----
    def multi_line(self):
        v = self.viewer
        box = v.find_element(By.ID, "message")
        one_line = rect(v, "#message")["height"]
        box.send_keys(f"first line ({v.size_name})", Keys.SHIFT, Keys.ENTER, Keys.NULL, "second line")
        assert box.get_property("value") == f"first line ({v.size_name})\nsecond line", \
            f"Shift+Enter did not break the line: {box.get_property('value')!r}"
        assert rect(v, "#message")["height"] > one_line + 8, "the text area did not grow with its second line"
        self.assert_fixed_frame()
        box.send_keys(Keys.ENTER)
        text = f"first line ({v.size_name})\nsecond line"
        wait(v, lambda d: text in [e.get_property("textContent") for e in d.find_elements(By.CSS_SELECTOR, "#messages .content")],
             "the two-line message")
        assert box.get_property("value") == "", "the composer was not emptied"
        assert self.server.messages(self.room)[-1]["content"] == text, "the server stored other content"
        lines = js(v, """const c = [...document.querySelectorAll('#messages .content')].pop();
                         return Math.round(c.getBoundingClientRect().height / parseFloat(getComputedStyle(c).lineHeight))""")
        assert lines == 2, f"the message shows {lines} lines"
        assert scroll_state(v)["fromBottom"] < 2, "one's own message is not in view"

    # ---- errors that name the limit; whitespace refused ----
    def refusals(self):
        v = self.viewer
        box = v.find_element(By.ID, "message")
        stored = len(self.server.messages(self.room))
        box.send_keys("   ", Keys.SHIFT, Keys.ENTER, Keys.NULL, "  ", Keys.ENTER)
        wait(v, lambda d: "only spaces" in error_text(d), "the page to refuse a blank message")
        spec_limit = spec_message_limit()
        assert js(v, "return state.maxMessageLength") == spec_limit, "the page did not read the limit from /openapi.yaml"
        js(v, "const b = document.getElementById('message'); b.value = arguments[0]; b.dispatchEvent(new Event('input'))",
           "z" * (spec_limit + 1))
        box.send_keys(Keys.ENTER)
        wait(v, lambda d: f"at most {spec_limit} characters" in error_text(d), "the page to refuse a too long message")
        assert f"has {spec_limit + 1}" in error_text(v), error_text(v)
        self.assert_fixed_frame()
        scroll = scroll_state(v)  # the composer grew and the error bar came: the reader stays at the end
        assert scroll["fromBottom"] < 2, f"the list left its end when the composer grew: {scroll}"
        self.snap("6-too-long")
        # Under the spec's ceiling but over this server's --max-message-length: the server's words.
        js(v, "const b = document.getElementById('message'); b.value = arguments[0]; b.dispatchEvent(new Event('input'))",
           "w" * (self.server_limit + 1))
        box.send_keys(Keys.ENTER)
        wait(v, lambda d: error_text(d) == f"message must be at most {self.server_limit} characters",
             "the server's limit in the page's error")
        time.sleep(0.3)
        assert len(self.server.messages(self.room)) == stored, "a refused message was stored"
        assert box.get_property("value") == "w" * (self.server_limit + 1), "a refused message was thrown away"
        js(v, "const b = document.getElementById('message'); b.value = ''; b.dispatchEvent(new Event('input'))")
        send_ok = f"fine again ({v.size_name})"
        box.send_keys(send_ok, Keys.ENTER)
        self.wait_shown(send_ok, "a good message after the refusals")
        wait(v, lambda d: error_text(d) == "", "the error to clear")


    # ---- unread counts, the first-unread divider, marking read ----
    def to_list(self):
        """Shows the lobby list (a phone: its own view, which refreshes the counts; a desktop: it is beside)."""
        if self.viewer.size_name == "phone":
            self.viewer.find_element(By.ID, "back").click()
            wait(self.viewer, lambda d: rect(d, "aside") is not None, "the lobby list view")

    def open_from_list(self, room):
        self.viewer.find_element(By.CSS_SELECTOR, f'#lobbies li[data-room="{room}"]').click()
        wait(self.viewer, lambda d: d.find_element(By.ID, "room-title").text == f"#{room}", f"#{room} to open")
        wait(self.viewer, lambda d: d.find_element(By.ID, "connection").text == "live", f"#{room}'s stream")

    def wait_badge(self, room, text):
        """Waits for the lobby's badge to say `text`, from the page's own refresh (no help from the test)."""
        try:
            wait(self.viewer, lambda d: badge(d, room) == text, f"#{room}'s badge to say {text!r}", timeout=COUNTS_EVERY)
        except AssertionError as error:
            raise AssertionError(f"{error}; it says {badge(self.viewer, room)!r}") from None
        shown = rect(self.viewer, f'#lobbies li[data-room="{room}"] .unread')
        assert shown and shown["width"] >= 16 and shown["height"] >= 12, f"the badge is not shown: {shown}"

    def assert_title(self):
        """The window's title counts the unread messages of every lobby, as the server counts them."""
        def agrees(d):
            total = sum(r["unread"] for r in self.server.readings(stored_identity(d)).values())
            expected = "Chat" if total == 0 else f"({total if total <= 999 else '999+'}) Chat"
            return d.title == expected
        wait(self.viewer, agrees, f"the title to count the unread messages (it is {self.viewer.title!r})")

    def unread_counts(self):
        """Another user's messages in a lobby not open: the badge counts them; opening the lobby
        shows the divider at the first unread message and, at the end of the list, clears it."""
        v, me, carol = self.viewer, stored_identity(self.viewer), self.poster
        other = self.room + "-unread"
        self.server.call("POST", "/chat", {"room": other})
        self.server.join(carol, other)
        for n in (1, 2):  # before the viewer joined: never unread
            self.server.post(carol, other, f"before {n}")
        self.server.join(me, other)
        self.server.post(me, other, "my own, never unread")
        for n in (1, 2, 3):
            self.server.post(carol, other, f"unread {n}")
        assert self.reading(other)["unread"] == 3, f"the server counts {self.reading(other)}"
        self.to_list()
        self.wait_badge(other, "3")
        assert badge(v, self.room) is None, f"the read lobby has a badge: {badge(v, self.room)!r}"
        self.assert_title()
        self.snap("8-unread-badge")

        self.open_from_list(other)
        order = js(v, """return [...document.getElementById('messages').children].filter(e => !e.classList.contains('day'))
                         .map(e => e.classList.contains('first-unread') ? '--' + e.textContent :
                                   e.querySelector('.content').textContent)""")
        assert order == ["before 1", "before 2", "my own, never unread", "--New messages", "unread 1", "unread 2", "unread 3"], \
            f"the divider is not at the first unread message: {order}"
        self.wait_read(other, "the opened lobby to be marked read and its badge to clear")
        assert js(v, "return document.querySelectorAll('.first-unread').length") == 1, "the divider went or doubled"
        self.assert_title()
        self.snap("9-first-unread")

        # More than the server counts: "999+"; opened, the view starts at the divider and the lobby
        # stays unread until the reader reaches the end.
        many = self.room + "-many"
        self.server.call("POST", "/chat", {"room": many})
        self.server.join(carol, many)
        self.server.join(me, many)
        js(v, "showLobby(arguments[0])", self.room)
        wait(v, lambda d: d.find_element(By.ID, "connection").text == "live", "back in the viewer's lobby")
        for n in range(1, 1002):
            self.server.post(carol, many, f"many {n}")
        assert self.reading(many)["unread"] == 1000, f"the server's cap: {self.reading(many)}"
        self.to_list()
        self.wait_badge(many, "999+")
        self.snap("10-unread-cap")
        self.open_from_list(many)
        # The stream is live before the history drawn under it is (a hundred messages).
        wait(v, lambda d: js(d, "return document.querySelector('#messages .first-unread') !== null"), "the first-unread divider")
        first = js(v, """const m = document.getElementById('messages'), d = m.querySelector('.first-unread');
                         const next = d && d.nextElementSibling;
                         return d && {next: next.querySelector('.content').textContent,
                                      top: d.getBoundingClientRect().top - m.getBoundingClientRect().top}""")
        assert first and first["next"] == "many 902" and 0 <= first["top"] <= 40, \
            f"the divider (before the first of the 100 messages shown, at the top of the view): {first}"
        jump = v.find_element(By.ID, "jump")
        assert jump.is_displayed() and jump.text == "↓ 100 new messages", f"the new-messages button: {jump.text!r}"
        time.sleep(MARK_READ_DELAY + 0.5)
        assert self.reading(many)["unread"] == 1000, f"marked read before the reader reached the end: {self.reading(many)}"
        self.snap("11-opened-at-divider")
        jump.click()
        self.wait_read(many, "the lobby marked read once scrolled to its end")
        js(v, "showLobby(arguments[0])", self.room)
        wait(v, lambda d: d.find_element(By.ID, "connection").text == "live", "back in the viewer's lobby")


def badge(driver, room):
    """The lobby's unread badge in the list: its text, or None when it is hidden (read from the DOM,
    so it answers on a phone whose list is out of view too)."""
    return js(driver, """const item = [...document.querySelectorAll('#lobbies li')].find(li => li.dataset.room === arguments[0]);
        const b = item && item.querySelector('.unread');
        return b && !b.hidden ? b.textContent : null;""", room)


def cleared(driver, what):
    """The page forgot the identity and everything shown for it: sign-up, no lobby, no messages."""
    wait(driver, lambda d: d.find_element(By.ID, "user-form").is_displayed(), f"{what}: the sign-up form", timeout=20)
    stored = js(driver, "return localStorage.getItem('chat.identity')")
    assert stored is None, f"{what}: the identity is still stored: {stored}"
    wait(driver, lambda d: not d.find_elements(By.CSS_SELECTOR, "#lobbies li"), f"{what}: the empty lobby list")
    assert driver.find_element(By.ID, "no-lobbies").is_displayed(), f"{what}: the empty list says nothing"
    assert not driver.find_elements(By.CSS_SELECTOR, "#messages .message"), f"{what}: messages still shown"
    assert js(driver, "return location.hash") == "", f"{what}: the URL still names a lobby: {driver.current_url}"
    assert driver.find_element(By.ID, "room-title").text in ("", "No lobby open"), f"{what}: a lobby is still open"
    assert driver.find_element(By.ID, "user-form").is_displayed() and rect(driver, "#user-form")["bottom"] <= SIZES[driver.size_name][1]


# ---- editing and deleting one's own messages (two pages in one lobby, and a third user by the API) ----
def bubble(driver, text):
    """The message whose content is `text`: its id, whether it is a tombstone, its "(edited)" mark's
    tooltip, whether it has the edit and delete buttons; None when no message shows that text."""
    return js(driver, """const m = [...document.querySelectorAll('#messages .message')]
                           .find(b => b.querySelector('.content').textContent === arguments[0]);
        const mark = m && m.querySelector('.edited');
        return m && {id: m.dataset.id, deleted: m.classList.contains('deleted'), edited: mark ? mark.title : null,
                     actions: !!m.querySelector('.actions .edit, .actions .delete, .menu')};""", text)


def bubble_by_id(driver, message_id):
    return js(driver, """const m = document.querySelector('#messages .message[data-id="' + arguments[0] + '"]');
        const mark = m && m.querySelector('.edited');
        return m && {text: m.querySelector('.content').textContent, deleted: m.classList.contains('deleted'),
                     edited: mark ? mark.title : null, shown: m.querySelector('.content').getClientRects().length > 0,
                     actions: !!m.querySelector('.actions .edit, .actions .delete, .menu')};""", message_id)


def message_button(driver, message_id, name, hidden_first=False):
    """Shows the message's actions as a person would (a desktop: the pointer over the message; a
    phone: its "⋯" button) and answers the named one ("edit" or "delete"). `hidden_first`: they must
    not show before that (no pointer, no focus on the message, the ⋯ not tapped)."""
    selector = f'#messages .message[data-id="{message_id}"]'
    message = driver.find_element(By.CSS_SELECTOR, selector)
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", message)
    if driver.size_name == "phone":
        button = message.find_element(By.CSS_SELECTOR, f".actions .{name}")
        assert not hidden_first or not button.is_displayed(), f"on a phone the {name} button shows before the ⋯ tap"
        menu = message.find_element(By.CSS_SELECTOR, ".menu")
        assert menu.is_displayed(), "the ⋯ button of one's own message is not shown"
        if menu.get_attribute("aria-expanded") != "true":
            menu.click()
    else:
        assert not hidden_first or js(driver, "return getComputedStyle(arguments[0].querySelector('.actions')).opacity",
                                      message) == "0", \
            "the actions show on a desktop without hover or focus"
        ActionChains(driver).move_to_element(message).perform()
    button = message.find_element(By.CSS_SELECTOR, f".actions .{name}")
    wait(driver, lambda d: button.is_displayed() and
         js(d, "return getComputedStyle(arguments[0].parentElement).opacity", button) == "1", f"the {name} button")
    return button


def edit_and_delete(server, pages, identities, room, proxy, screenshots):
    """Each page edits and deletes its own message and the other sees it live; a third user's
    changes arrive live too; nobody is offered actions on another's message; a reload and a resumed
    stream show the current text and the tombstones."""
    carol = server.user("carol-edits")
    server.join(carol, room)
    path = f"/chat/{room}/messages"
    for page in pages:
        other = next(p for p in pages if p is not page)
        size = page.size_name
        original = f"my own words ({size})"
        send(page, original)
        wait(other, lambda d: bubble(d, original), f"the other page to get {size}'s message")
        mid = bubble(page, original)["id"]
        assert bubble(page, original)["actions"], f"{size}: no edit or delete on one's own message"
        assert not bubble(other, original)["actions"], f"{size}'s message offers actions in the other page"

        # Escape cancels, a blank edit is refused, Enter saves with Shift+Enter's line break.
        message_button(page, mid, "edit", hidden_first=True).click()
        box = wait(page, lambda d: d.find_element(By.CSS_SELECTOR, f'.message[data-id="{mid}"] .edit-form textarea'), "the edit box")
        assert js(page, "return document.activeElement === arguments[0]", box), "the edit box does not have the focus"
        assert box.get_property("value") == original, f"the edit box starts with {box.get_property('value')!r}"
        box.send_keys(" not this", Keys.ESCAPE)
        wait(page, lambda d: not d.find_elements(By.CSS_SELECTOR, ".edit-form"), "Escape to close the edit box")
        assert bubble_by_id(page, mid)["text"] == original and bubble_by_id(page, mid)["shown"], "Escape changed the message"
        focus = "edit" if size == "desktop" else "menu"  # a phone: Edit hides again behind the ⋯, which has the focus
        assert js(page, "return document.activeElement.classList.contains(arguments[0])", focus), \
            f"after Escape the focus left the message: {js(page, 'return document.activeElement.outerHTML.slice(0, 80)')}"
        message_button(page, mid, "edit").click()
        box = wait(page, lambda d: d.find_element(By.CSS_SELECTOR, ".edit-form textarea"), "the edit box again")
        js(page, "arguments[0].value = '  \\n '", box)
        box.send_keys(Keys.ENTER)
        wait(page, lambda d: "only spaces" in error_text(d), f"{size}: a blank edit refused")
        js(page, "arguments[0].value = ''", box)
        one_line = rect(page, ".edit-form textarea")["height"]
        box.send_keys(f"edited ({size})", Keys.SHIFT, Keys.ENTER, Keys.NULL, "on two lines")
        assert rect(page, ".edit-form textarea")["height"] > one_line + 8, "the edit box did not grow with its second line"
        snapshot(page, screenshots, "12-editing")
        box.send_keys(Keys.ENTER)
        edited = f"edited ({size})\non two lines"
        for viewer in pages:
            wait(viewer, lambda d: (bubble_by_id(d, mid) or {}).get("text") == edited and bubble_by_id(d, mid)["edited"],
                 f"{viewer.size_name} to show {size}'s edit with its mark")
            assert bubble_by_id(viewer, mid)["edited"].startswith("edited "), bubble_by_id(viewer, mid)
        assert error_text(page) == "", f"the error stays after a good edit: {error_text(page)!r}"
        stored = next(m for m in server.messages(room) if m["id"] == mid)
        assert stored["content"] == edited and stored.get("editedAt"), f"the server has {stored}"
        snapshot(other, screenshots, "13-edited-elsewhere")

        message_button(page, mid, "delete").click()
        time.sleep(0.2)
        assert not bubble_by_id(page, mid)["deleted"], "one click deleted (Delete asks once more)"
        message_button(page, mid, "delete").click()
        for viewer in pages:
            wait(viewer, lambda d: (bubble_by_id(d, mid) or {}).get("deleted"), f"{viewer.size_name} to show the tombstone")
            shown = bubble_by_id(viewer, mid)
            assert shown["text"] == "message deleted" and not shown["actions"] and not shown["edited"], shown
        assert next(m for m in server.messages(room) if m["id"] == mid)["deleted"], "the server did not delete it"
        snapshot(other, screenshots, "14-tombstone")

    # Carol, through the API: her message offers no action; her edit and deletion arrive live.
    posted = server.post(carol, room, "carol's words")
    for viewer in pages:
        wait(viewer, lambda d: bubble(d, "carol's words"), "carol's message")
        assert not bubble(viewer, "carol's words")["actions"], f"{viewer.size_name}: actions on carol's message"
    server.call("PATCH", f"{path}/{posted['id']}", {"userId": carol["id"], "content": "carol, edited"}, token=carol["token"])
    kept = server.post(carol, room, "carol's kept words")
    for viewer in pages:
        wait(viewer, lambda d: (bubble_by_id(d, posted["id"]) or {}).get("text") == "carol, edited", "carol's edit live")
    # While the streams are down: a message posted, edited and deleted. The resumed stream replays
    # its original text, then the edit, then the deletion: the pages show the tombstone.
    assert proxy.drop_streams(down_for=1.5) >= 2, "expected both pages' streams to be open"
    gone = server.post(carol, room, "soon gone")
    server.call("PATCH", f"{path}/{gone['id']}", {"userId": carol["id"], "content": "soon gone, edited"}, token=carol["token"])
    server.call("DELETE", f"{path}/{gone['id']}?userId={carol['id']}", token=carol["token"])
    server.call("DELETE", f"{path}/{posted['id']}?userId={carol['id']}", token=carol["token"])
    for viewer in pages:
        wait(viewer, lambda d: (bubble_by_id(d, gone["id"]) or {}).get("deleted") and bubble_by_id(d, posted["id"])["deleted"],
             f"{viewer.size_name}: the tombstones after the resumed stream", timeout=15)
        texts = message_texts(viewer)
        assert not [t for t in texts if "soon gone" in t], f"{viewer.size_name}: deleted text on screen: {texts}"

    # A reload: history shows the current text, the marks and the tombstones.
    expected = {m["id"]: m for m in server.messages(room)}
    for viewer in pages:
        viewer.refresh()
        wait(viewer, lambda d: d.find_element(By.ID, "connection").text == "live", f"{viewer.size_name} reloaded")
        wait(viewer, lambda d: bubble_by_id(d, kept["id"]), "the history")
        for mid, message in expected.items():
            shown = bubble_by_id(viewer, mid)
            if shown is None:
                continue  # a message from before the last 100
            if message.get("deleted"):
                assert shown["deleted"] and shown["text"] == "message deleted", f"after a reload {shown} for {message}"
            else:
                assert shown["text"] == message["content"] and bool(shown["edited"]) == bool(message.get("editedAt")), \
                    f"after a reload {shown} for {message}"
        assert sum(1 for m in expected.values() if m.get("deleted")) >= 4
        snapshot(viewer, screenshots, "15-after-reload")


def typing_line(driver):
    return driver.find_element(By.ID, "typing").text


def typing_requests(proxy, room):
    return proxy.requests[f"POST /chat/{room}/typing"]


def typing_fetches(driver):
    """The typing requests the page has completed, by its resource timing."""
    return js(driver, "return performance.getEntriesByType('resource').filter(e => e.name.endsWith('/typing')).length")


def typing(server, pages, identities, room, proxy, screenshots):
    """Typing in one page shows "NAME is typing…" in the other (never in the typer's own), a sent
    message clears it at once, it fades by itself a few seconds after the typing stops, many
    keystrokes send a request at most each 2 s, and two or more typers are named together, on one
    line that keeps the composer in view."""
    for page in pages:
        other = next(p for p in pages if p is not page)
        size, name = page.size_name, identities[page.size_name]["name"]
        box = page.find_element(By.ID, "message")
        before, fetched = typing_requests(proxy, room), typing_fetches(page)
        started = time.monotonic()
        keystrokes = 0
        for word in "typing slowly here".split():  # 18 keystrokes over about 3 s
            for key in word + " ":
                box.send_keys(key)
                keystrokes += 1
                time.sleep(0.15)
                assert typing_line(page) == "", f"{size}'s own page shows {typing_line(page)!r} while it types"
        elapsed = time.monotonic() - started
        # The other page names the typer, on one line above the composer, which stays in view.
        wait(other, lambda d: typing_line(d) == f"{name} is typing…", f"the other page to show {name} typing")
        snapshot(other, screenshots, "8-typing")
        line, composer = rect(other, "#typing"), rect(other, "#composer")
        height = SIZES[other.size_name][1]
        assert line and composer and line["bottom"] <= composer["top"] + 1 and composer["bottom"] <= height, \
            f"{other.size_name}: typing line at {line}, composer at {composer}, viewport height {height}"
        assert line["height"] <= 24, f"{other.size_name}: the typing line is {line['height']} px high"
        # Each request the page completed (its resource timing) has passed the proxy by now.
        wait(page, lambda d: typing_requests(proxy, room) - before >= typing_fetches(d) - fetched, "the proxy's count")
        sent = typing_requests(proxy, room) - before
        most = int(elapsed // 2) + 1
        assert 1 <= sent <= most, f"{size}: {keystrokes} keystrokes over {elapsed:.1f} s sent {sent} typing requests (at most {most})"
        print(f"     {size}: {keystrokes} keystrokes over {elapsed:.1f} s sent {sent} POST /typing")
        box.send_keys("done", Keys.ENTER)
        text = "typing slowly here done"
        wait(other, lambda d: text in message_texts(d), f"the other page to get {size}'s message")
        assert typing_line(other) == "", f"{other.size_name}: {typing_line(other)!r} after {name}'s message arrived"
        assert typing_line(page) == "", f"{size}'s own page shows {typing_line(page)!r}"

    # Typing then emptying the box: the line fades by itself about 4 s after the last event.
    page, other = pages
    time.sleep(2.1)  # past the previous request's 2 s
    before = typing_requests(proxy, room)
    box = page.find_element(By.ID, "message")
    box.send_keys("ab")
    wait(other, lambda d: typing_line(d) != "", "the typing line")
    seen = time.monotonic()
    box.send_keys(Keys.BACKSPACE, Keys.BACKSPACE)
    wait(other, lambda d: typing_line(d) == "", "the typing line to fade", timeout=8)
    faded = time.monotonic() - seen
    assert 2.5 <= faded <= 6, f"the typing line faded {faded:.1f} s after it showed (about 4 s expected)"
    print(f"     {other.size_name}: the typing line faded {faded:.1f} s after it showed")
    assert typing_requests(proxy, room) - before == 1, f"typing 2 keys then emptying sent {typing_requests(proxy, room) - before} requests"

    # Others, through the API: two typers are named, three or more are "several people".
    watcher = pages[1]
    typers = []
    for n in range(3):
        user = server.user(f"typer-{n}")
        server.join(user, room)
        typers.append(user)
    expected = [f"{typers[0]['name']} is typing…", f"{typers[0]['name']} and {typers[1]['name']} are typing…",
                "several people are typing…"]
    for user, line in zip(typers, expected):
        server.call("POST", f"/chat/{room}/typing", {"userId": user["id"]}, token=user["token"])
        wait(watcher, lambda d: typing_line(d) == line, f"{watcher.size_name} to show {line!r}")
    snapshot(watcher, screenshots, "8-typing-several")
    composer = rect(watcher, "#composer")
    assert composer["bottom"] <= SIZES[watcher.size_name][1], f"{watcher.size_name}: composer at {composer}"
    server.post(typers[2], room, "my message ends my typing")
    wait(watcher, lambda d: typing_line(d) == expected[1], f"{watcher.size_name}: the line after typer-2's message")
    wait(watcher, lambda d: typing_line(d) == "", "the others' typing to fade", timeout=8)


def one_stream(checks, proxy):
    """A lobby not open: another user's messages there raise its badge live, over the user's one
    stream (the page's count reads are switched off meanwhile), and the page holds one event stream
    however many lobbies the user is in."""
    v, me, carol = checks.viewer, stored_identity(checks.viewer), checks.poster
    other = checks.room + "-live"
    checks.server.call("POST", "/chat", {"room": other})
    checks.server.join(carol, other)
    checks.server.join(me, other)  # heard over the stream: the page lists the lobby
    checks.to_list()
    wait(v, lambda d: d.find_elements(By.CSS_SELECTOR, f'#lobbies li[data-room="{other}"]'), f"#{other} in the list")
    wait(v, lambda d: d.find_element(By.ID, "connection").text == "live", "the user's stream")
    lobbies = len(checks.server.readings(me))
    streams = proxy.open_streams(me["id"])
    assert lobbies >= 3 and len(streams) == 1 and "/chat/users/" in streams[0], \
        f"{lobbies} lobbies, and the page's open streams are {streams}"
    js(v, "window.__fetchCounts = fetchCounts; fetchCounts = async () => {}")
    try:
        for n in (1, 2):
            checks.server.post(carol, other, f"live {n}")
        checks.wait_badge(other, "2")
    finally:
        js(v, "fetchCounts = window.__fetchCounts")
    checks.snap("16-one-stream-badge")
    js(v, "showLobby(arguments[0])", checks.room)
    wait(v, lambda d: d.find_element(By.ID, "room-title").text == f"#{checks.room}", "back in the viewer's lobby")

