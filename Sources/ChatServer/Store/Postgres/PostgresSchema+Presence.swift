extension PostgresSchema {
    /// Presence over every instance: a row per (lobby, user, instance) while that instance
    /// counts the user online there (from their first local stream until the grace after their
    /// last), each instance's heartbeat in `presence_instances`, and each lobby's count of
    /// online users in `presence_counts`. `chat_presence` writes one instance's change under the
    /// lobby's count row, so a lobby's changes are decided one at a time; a change over every
    /// instance (the user's first row, or last) moves the count and is announced on the events
    /// channel as `room presence 1|0 online userId name`, in that order. `chat_presence_expire`
    /// retires the rows of instances whose heartbeat is older than the expiry (killed ones), as
    /// if each had gone offline there, and rows of an instance with no heartbeat row (only the
    /// heartbeat makes it: an instance that finds it made anew was expired, and writes again). Both keep the schema's search path, whoever calls them.
    /// Numbered after the closing migration (6).
    static let version7 = """
        CREATE TABLE presence_instances (
            id text PRIMARY KEY,
            seen_at timestamptz NOT NULL DEFAULT now());
        CREATE TABLE presence (
            room text NOT NULL,
            user_id text NOT NULL,
            instance text NOT NULL,
            PRIMARY KEY (room, user_id, instance));
        CREATE INDEX presence_by_instance ON presence (instance);
        CREATE TABLE presence_counts (
            room text PRIMARY KEY,
            online int NOT NULL DEFAULT 0);

        \(presenceFunctions(create: "CREATE", lockCount: version7LockCount, afterExpiry: ""))
        """

    /// How version 7's `chat_presence` sets `v_online`: from its lobby's count row (made if
    /// missing), locked.
    static let version7LockCount = """
            INSERT INTO presence_counts (room) VALUES (p_room) ON CONFLICT DO NOTHING;
            SELECT c.online INTO v_online FROM presence_counts c WHERE c.room = p_room FOR UPDATE;
        """

    /// `chat_presence` and `chat_presence_expire` as `create` ("CREATE", "CREATE OR REPLACE")
    /// makes them: `lockCount` sets `v_online` from the lobby's count row, locked;
    /// `afterExpiry` ends an expiry.
    static func presenceFunctions(create: String, lockCount: String, afterExpiry: String) -> String {
        """
        \(create) FUNCTION chat_presence(p_instance text, p_room text, p_user text, p_online boolean) RETURNS boolean
        LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
        DECLARE
            v_online int;
            v_changed boolean;
            v_name text;
        BEGIN
        \(lockCount)
            IF p_online THEN
                INSERT INTO presence (room, user_id, instance) VALUES (p_room, p_user, p_instance) ON CONFLICT DO NOTHING;
                v_changed := FOUND AND NOT EXISTS (
                    SELECT 1 FROM presence p WHERE p.room = p_room AND p.user_id = p_user AND p.instance <> p_instance);
            ELSE
                DELETE FROM presence p WHERE p.room = p_room AND p.user_id = p_user AND p.instance = p_instance;
                v_changed := FOUND AND NOT EXISTS (SELECT 1 FROM presence p WHERE p.room = p_room AND p.user_id = p_user);
            END IF;
            IF v_changed THEN
                v_online := greatest(0, v_online + CASE WHEN p_online THEN 1 ELSE -1 END);
                UPDATE presence_counts c SET online = v_online WHERE c.room = p_room;
                SELECT u.name INTO v_name FROM users u WHERE u.id = p_user;
                PERFORM pg_notify(current_schema() || '_events',
                    p_room || ' presence ' || CASE WHEN p_online THEN '1' ELSE '0' END || ' ' || v_online || ' ' || p_user
                    || ' ' || coalesce(v_name, ''));
            END IF;
            RETURN v_changed;
        END $$;

        \(create) FUNCTION chat_presence_expire(p_expiry double precision) RETURNS int
        LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
        DECLARE
            v_row record;
            v_count int := 0;
        BEGIN
            -- One instance expires at a time (another one's run would find the same rows).
            IF NOT pg_try_advisory_xact_lock(hashtext('chat-presence-expire')) THEN RETURN 0; END IF;
            FOR v_row IN
                SELECT p.room, p.user_id, p.instance FROM presence p LEFT JOIN presence_instances i ON i.id = p.instance
                WHERE i.id IS NULL OR i.seen_at < now() - make_interval(secs => p_expiry) ORDER BY p.room, p.user_id
            LOOP
                PERFORM chat_presence(v_row.instance, v_row.room, v_row.user_id, false);
                v_count := v_count + 1;
            END LOOP;
            DELETE FROM presence_instances i WHERE i.seen_at < now() - make_interval(secs => p_expiry);
        \(afterExpiry)
            RETURN v_count;
        END $$;
        """
    }
}
