extension PostgresSchema {
    /// Deleting a lobby. `chat_close_lobby` removes it with its members (their read positions
    /// go by cascade) and events, under the lobby row's lock, and leaves a tombstone in
    /// `closed_lobbies`: the `closed` event (the lobby's next seq, who closed it), keyed by the
    /// lobby row's `position`, so it names that lobby and no later one with the same code. The
    /// followers of other instances, woken by the announcement, read it from there (or after a
    /// reconnect); tombstones older than an hour are dropped by the next closing.
    static let version6 = """
        CREATE TABLE closed_lobbies (
            lobby bigint PRIMARY KEY,
            room text NOT NULL,
            seq bigint NOT NULL,
            user_id text NOT NULL,
            user_name text NOT NULL,
            closed_at timestamptz NOT NULL DEFAULT now());

        -- 'no-lobby', 'no-user', 'not-member' or 'closed' with the closed event's seq and the closer's name.
        CREATE FUNCTION chat_close_lobby(p_room text, p_user text, OUT outcome text, OUT seq bigint, OUT name text)
        LANGUAGE plpgsql AS $$
        DECLARE v_name text; v_lobby bigint; v_seq bigint;
        BEGIN
            SELECT l.position, l.last_seq + 1 INTO v_lobby, v_seq FROM lobbies l WHERE l.room = p_room FOR UPDATE;
            IF NOT FOUND THEN outcome := 'no-lobby'; RETURN; END IF;
            SELECT u.name INTO v_name FROM users u WHERE u.id = p_user;
            IF NOT FOUND THEN outcome := 'no-user'; RETURN; END IF;
            PERFORM 1 FROM members m WHERE m.room = p_room AND m.user_id = p_user;
            IF NOT FOUND THEN outcome := 'not-member'; RETURN; END IF;
            DELETE FROM closed_lobbies c WHERE c.closed_at < now() - interval '1 hour';
            INSERT INTO closed_lobbies (lobby, room, seq, user_id, user_name) VALUES (v_lobby, p_room, v_seq, p_user, v_name);
            DELETE FROM members m WHERE m.room = p_room;
            DELETE FROM events e WHERE e.room = p_room;
            DELETE FROM lobbies l WHERE l.room = p_room;
            PERFORM chat_announce(p_room, v_seq);
            outcome := 'closed';
            seq := v_seq;
            name := v_name;
        END $$;
        """
}
