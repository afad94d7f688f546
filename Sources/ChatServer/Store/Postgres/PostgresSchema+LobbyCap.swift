extension PostgresSchema {
    /// The per-user lobby cap (`--max-lobbies-per-user`) over every instance. `chat_membership`
    /// takes the cap and, for a join, holds the user's row `FOR NO KEY UPDATE` before it counts
    /// the user's memberships: two joins of one user (on any instances, into any lobbies) are
    /// decided one after the other, each counting what the other committed, so none passes the
    /// cap. (`NO KEY UPDATE` does not wait for the `KEY SHARE` that foreign-key checks and leaves
    /// take.) A member joining again is 'unchanged' before the count; past the cap the answer is
    /// 'too-many' and nothing is written. The three-argument version goes, so that no caller can
    /// join around the cap. Numbered after the presence migration (7).
    static let version8 = """
        DROP FUNCTION chat_membership(text, text, boolean);
        CREATE FUNCTION chat_membership(p_room text, p_user text, p_join boolean, p_cap bigint,
                                        OUT outcome text, OUT seq bigint) LANGUAGE plpgsql AS $$
        DECLARE v_name text;
        BEGIN
            PERFORM 1 FROM lobbies WHERE room = p_room FOR UPDATE;
            IF NOT FOUND THEN outcome := 'no-lobby'; RETURN; END IF;
            IF p_join THEN
                UPDATE users SET unused = false WHERE id = p_user AND unused;
                SELECT name INTO v_name FROM users WHERE id = p_user FOR NO KEY UPDATE;
            ELSE
                SELECT name INTO v_name FROM users WHERE id = p_user FOR KEY SHARE;
            END IF;
            IF NOT FOUND THEN outcome := 'no-user'; RETURN; END IF;
            IF p_join THEN
                PERFORM 1 FROM members WHERE room = p_room AND user_id = p_user;
                IF FOUND THEN outcome := 'unchanged'; RETURN; END IF;
                IF (SELECT count(*) FROM members WHERE user_id = p_user) >= p_cap THEN outcome := 'too-many'; RETURN; END IF;
                INSERT INTO members (room, user_id) VALUES (p_room, p_user);
            ELSE
                DELETE FROM members WHERE room = p_room AND user_id = p_user;
                IF NOT FOUND THEN outcome := 'unchanged'; RETURN; END IF;
            END IF;
            outcome := 'changed';
            seq := chat_append(p_room, CASE WHEN p_join THEN 'join' ELSE 'leave' END, p_user, v_name, NULL, NULL, NULL);
            PERFORM chat_announce(p_room, seq);
        END $$;
        """
}
