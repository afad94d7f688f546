import PostgresClient

/// The chat's tables and functions in PostgreSQL, created and migrated at start.
///
/// Migrations are numbered and applied in order, each in the same transaction as its entry in
/// `schema_migrations`, under a transaction-scoped advisory lock: running them again changes
/// nothing, and two instances starting at once apply each migration exactly once.
enum PostgresSchema {
    /// Each migration's SQL; index + 1 is its version. Append, never edit a released one.
    static let migrations: [String] = [version1, version2, version3, version4, version5, version6, version7, version8]

    /// A schema name the store accepts: plain lower-case SQL identifiers only, so it can be
    /// written into statements unquoted.
    static func isValidName(_ name: String) -> Bool {
        let scalars = name.unicodeScalars
        guard let first = scalars.first, scalars.count <= 48, !("0"..."9").contains(first) else { return false }
        return scalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
    }

    /// The channel `NOTIFY` uses for the events of `schema`: `<schema>_events`.
    static func channel(_ schema: String) -> String { "\(schema)_events" }

    /// Creates `schema` if needed and applies the migrations it lacks.
    static func migrate(_ connection: PostgresConnection, schema: String) async throws(PostgresError) {
        _ = try await connection.execute(script: """
            BEGIN;
            SELECT pg_advisory_xact_lock(hashtext('chat-migrations'));
            CREATE SCHEMA IF NOT EXISTS \(schema);
            SET LOCAL search_path TO \(schema);
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version int PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now());
            """)
        do throws(PostgresError) {
            let applied = try await connection.query("SELECT coalesce(max(version), 0) AS version FROM schema_migrations")
            let current = Int(applied.first("version") ?? "0") ?? 0
            for (index, sql) in migrations.enumerated() where index + 1 > current {
                _ = try await connection.execute(script: sql)
                _ = try await connection.query("INSERT INTO schema_migrations (version) VALUES ($1)", [String(index + 1)])
            }
            _ = try await connection.execute(script: "COMMIT")
        } catch {
            _ = try? await connection.execute(script: "ROLLBACK")
            throw error
        }
    }

    /// Users, lobbies with their event counter, members, and every event. An event's seq is
    /// taken from its lobby's `last_seq` in the transaction that stores it, under the lobby row's
    /// lock: gap-free, and committed in seq order. Each transaction announces each lobby it
    /// changed once, by `NOTIFY` with `room seq` (its last seq); the table is the truth.
    static let version1 = """
        CREATE TABLE users (
            id text PRIMARY KEY,
            name text NOT NULL,
            position bigserial UNIQUE);
        CREATE TABLE lobbies (
            room text PRIMARY KEY,
            created_at text NOT NULL,
            last_seq bigint NOT NULL DEFAULT 0,
            position bigserial UNIQUE);
        CREATE TABLE members (
            room text NOT NULL REFERENCES lobbies,
            user_id text NOT NULL REFERENCES users,
            position bigserial,
            PRIMARY KEY (room, user_id));
        CREATE INDEX members_by_position ON members (room, position);
        CREATE TABLE events (
            room text NOT NULL REFERENCES lobbies,
            seq bigint NOT NULL,
            kind text NOT NULL CHECK (kind IN ('join', 'leave', 'message')),
            user_id text NOT NULL,
            user_name text NOT NULL,
            message_id text,
            content text,
            sent_at text,
            PRIMARY KEY (room, seq));

        -- Takes the lobby's next seq and stores one event; the caller holds the lobby row and
        -- announces the event (NOTIFY 'room seq'; one per lobby and transaction is enough, since
        -- a follower reads everything after its cursor).
        CREATE FUNCTION chat_append(p_room text, p_kind text, p_user text, p_name text,
                                    p_message_id text, p_content text, p_sent_at text) RETURNS bigint
        LANGUAGE plpgsql AS $$
        DECLARE v_seq bigint;
        BEGIN
            UPDATE lobbies SET last_seq = last_seq + 1 WHERE room = p_room RETURNING last_seq INTO v_seq;
            INSERT INTO events (room, seq, kind, user_id, user_name, message_id, content, sent_at)
                VALUES (p_room, v_seq, p_kind, p_user, p_name, p_message_id, p_content, p_sent_at);
            RETURN v_seq;
        END $$;

        CREATE FUNCTION chat_announce(p_room text, p_seq bigint) RETURNS void LANGUAGE sql AS $$
            SELECT pg_notify(current_schema() || '_events', p_room || ' ' || p_seq);
        $$;

        -- Join or leave: 'no-lobby', 'no-user', 'unchanged' or 'changed' (with the event's seq).
        CREATE FUNCTION chat_membership(p_room text, p_user text, p_join boolean,
                                        OUT outcome text, OUT seq bigint) LANGUAGE plpgsql AS $$
        DECLARE v_name text;
        BEGIN
            PERFORM 1 FROM lobbies WHERE room = p_room FOR UPDATE;
            IF NOT FOUND THEN outcome := 'no-lobby'; RETURN; END IF;
            SELECT name INTO v_name FROM users WHERE id = p_user;
            IF NOT FOUND THEN outcome := 'no-user'; RETURN; END IF;
            IF p_join THEN
                INSERT INTO members (room, user_id) VALUES (p_room, p_user) ON CONFLICT DO NOTHING;
            ELSE
                DELETE FROM members WHERE room = p_room AND user_id = p_user;
            END IF;
            IF NOT FOUND THEN outcome := 'unchanged'; RETURN; END IF;
            outcome := 'changed';
            seq := chat_append(p_room, CASE WHEN p_join THEN 'join' ELSE 'leave' END, p_user, v_name, NULL, NULL, NULL);
            PERFORM chat_announce(p_room, seq);
        END $$;

        -- Posts, several at once (one transaction, one commit): item i gets 'no-lobby',
        -- 'no-user', 'not-member' or 'posted' with its seq and the poster's name. Lobby rows
        -- are locked in room order, so concurrent batches cannot deadlock.
        CREATE FUNCTION chat_post(p_rooms text[], p_users text[], p_ids text[], p_contents text[], p_sent_at text[])
        RETURNS TABLE (item int, outcome text, seq bigint, name text) LANGUAGE plpgsql AS $$
        DECLARE v_name text; v_room text;
        BEGIN
            FOR v_room IN SELECT DISTINCT r FROM unnest(p_rooms) AS r ORDER BY r LOOP
                PERFORM 1 FROM lobbies WHERE room = v_room FOR UPDATE;
            END LOOP;
            FOR i IN 1 .. coalesce(array_length(p_rooms, 1), 0) LOOP
                item := i; seq := NULL; name := NULL;
                PERFORM 1 FROM lobbies WHERE room = p_rooms[i];
                IF NOT FOUND THEN outcome := 'no-lobby'; RETURN NEXT; CONTINUE; END IF;
                SELECT u.name INTO v_name FROM users u WHERE u.id = p_users[i];
                IF NOT FOUND THEN outcome := 'no-user'; RETURN NEXT; CONTINUE; END IF;
                PERFORM 1 FROM members m WHERE m.room = p_rooms[i] AND m.user_id = p_users[i];
                IF NOT FOUND THEN outcome := 'not-member'; RETURN NEXT; CONTINUE; END IF;
                outcome := 'posted'; name := v_name;
                seq := chat_append(p_rooms[i], 'message', p_users[i], v_name, p_ids[i], p_contents[i], p_sent_at[i]);
                RETURN NEXT;
            END LOOP;
            -- One announcement per lobby: its last seq.
            PERFORM chat_announce(l.room, l.last_seq) FROM lobbies l WHERE l.room IN (SELECT DISTINCT unnest(p_rooms));
        END $$;
        """

    /// Each user's token digest (SHA-256 of the secret, lowercase hex). Users made before it
    /// have none, so no token is theirs: they sign up again.
    static let version2 = """
        ALTER TABLE users ADD COLUMN token_digest text;
        """

    /// Caps that hold and free themselves. Lobbies note when they last had an event
    /// (`active_at`); users note whether they never joined a lobby (`unused`; those from before
    /// count as used). `chat_reclaim` retires lobbies with no members idle past a lifetime, and
    /// deletes unused users past theirs. `chat_create_user` and `chat_create_lobby` count the
    /// rows under a transaction-scoped advisory lock (so instances creating at once cannot pass
    /// `--max-users` / `--max-lobbies` together), reclaim at the cap, and answer 'created',
    /// 'full' or (a lobby) 'taken'.
    static let version3 = """
        ALTER TABLE lobbies ADD COLUMN active_at timestamptz NOT NULL DEFAULT now();
        ALTER TABLE users ADD COLUMN created_at timestamptz NOT NULL DEFAULT now();
        ALTER TABLE users ADD COLUMN unused boolean NOT NULL DEFAULT false;

        CREATE OR REPLACE FUNCTION chat_append(p_room text, p_kind text, p_user text, p_name text,
                                               p_message_id text, p_content text, p_sent_at text) RETURNS bigint
        LANGUAGE plpgsql AS $$
        DECLARE v_seq bigint;
        BEGIN
            UPDATE lobbies SET last_seq = last_seq + 1, active_at = now() WHERE room = p_room RETURNING last_seq INTO v_seq;
            INSERT INTO events (room, seq, kind, user_id, user_name, message_id, content, sent_at)
                VALUES (p_room, v_seq, p_kind, p_user, p_name, p_message_id, p_content, p_sent_at);
            RETURN v_seq;
        END $$;

        -- As in version 1; a join also marks the user used, and the user row is held (KEY
        -- SHARE) so that chat_reclaim cannot delete it under the join.
        CREATE OR REPLACE FUNCTION chat_membership(p_room text, p_user text, p_join boolean,
                                                   OUT outcome text, OUT seq bigint) LANGUAGE plpgsql AS $$
        DECLARE v_name text;
        BEGIN
            PERFORM 1 FROM lobbies WHERE room = p_room FOR UPDATE;
            IF NOT FOUND THEN outcome := 'no-lobby'; RETURN; END IF;
            IF p_join THEN UPDATE users SET unused = false WHERE id = p_user AND unused; END IF;
            SELECT name INTO v_name FROM users WHERE id = p_user FOR KEY SHARE;
            IF NOT FOUND THEN outcome := 'no-user'; RETURN; END IF;
            IF p_join THEN
                INSERT INTO members (room, user_id) VALUES (p_room, p_user) ON CONFLICT DO NOTHING;
            ELSE
                DELETE FROM members WHERE room = p_room AND user_id = p_user;
            END IF;
            IF NOT FOUND THEN outcome := 'unchanged'; RETURN; END IF;
            outcome := 'changed';
            seq := chat_append(p_room, CASE WHEN p_join THEN 'join' ELSE 'leave' END, p_user, v_name, NULL, NULL, NULL);
            PERFORM chat_announce(p_room, seq);
        END $$;

        -- What went: ('lobby', room) and ('user', id) rows. A lifetime of 0 reclaims nothing.
        CREATE FUNCTION chat_reclaim(p_lobby_seconds double precision, p_user_seconds double precision)
        RETURNS TABLE (kind text, name text) LANGUAGE plpgsql AS $$
        DECLARE v_room text;
        BEGIN
            IF p_lobby_seconds > 0 THEN
                FOR v_room IN SELECT l.room FROM lobbies l
                              WHERE l.active_at < now() - make_interval(secs => p_lobby_seconds)
                                AND NOT EXISTS (SELECT 1 FROM members m WHERE m.room = l.room)
                              FOR UPDATE SKIP LOCKED LOOP
                    -- A join locks the lobby row first: under this lock no member can come.
                    CONTINUE WHEN EXISTS (SELECT 1 FROM members m WHERE m.room = v_room);
                    DELETE FROM events e WHERE e.room = v_room;
                    DELETE FROM lobbies l WHERE l.room = v_room;
                    kind := 'lobby'; name := v_room; RETURN NEXT;
                END LOOP;
            END IF;
            IF p_user_seconds > 0 THEN
                RETURN QUERY DELETE FROM users u
                    WHERE u.unused AND u.created_at < now() - make_interval(secs => p_user_seconds)
                    RETURNING 'user'::text, u.id;
            END IF;
        END $$;

        CREATE FUNCTION chat_create_user(p_id text, p_name text, p_digest text, p_cap bigint, p_lifetime double precision)
        RETURNS text LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_advisory_xact_lock(hashtext(current_schema() || ' users cap'));
            IF (SELECT count(*) FROM users) >= p_cap THEN
                PERFORM * FROM chat_reclaim(0, p_lifetime);
                IF (SELECT count(*) FROM users) >= p_cap THEN RETURN 'full'; END IF;
            END IF;
            INSERT INTO users (id, name, token_digest, unused) VALUES (p_id, p_name, p_digest, true);
            RETURN 'created';
        END $$;

        CREATE FUNCTION chat_create_lobby(p_room text, p_created_at text, p_cap bigint, p_lifetime double precision)
        RETURNS text LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_advisory_xact_lock(hashtext(current_schema() || ' lobbies cap'));
            IF (SELECT count(*) FROM lobbies) >= p_cap THEN
                PERFORM * FROM chat_reclaim(p_lifetime, 0);
                IF (SELECT count(*) FROM lobbies) >= p_cap THEN RETURN 'full'; END IF;
            END IF;
            INSERT INTO lobbies (room, created_at) VALUES (p_room, p_created_at) ON CONFLICT DO NOTHING;
            RETURN CASE WHEN FOUND THEN 'created' ELSE 'taken' END;
        END $$;
        """

    /// Read positions: one row per member and lobby (`read_positions`, gone with the
    /// membership by its foreign key), set to the member's join event by a trigger on `events`
    /// and moved forward only by `chat_mark_read`. Unread counts read the partial index
    /// `messages_by_room`, which covers the author: an index-only range scan of the messages
    /// after the read position, stopped after a cap, never of the lobby's other events. `members_by_user` lists a
    /// user's lobbies in join order.
    /// Members from before this migration have no row, and read from 0.
    static let version4 = """
        CREATE TABLE read_positions (
            room text NOT NULL,
            user_id text NOT NULL,
            seq bigint NOT NULL,
            PRIMARY KEY (room, user_id),
            FOREIGN KEY (room, user_id) REFERENCES members ON DELETE CASCADE);
        CREATE INDEX members_by_user ON members (user_id, position);
        CREATE INDEX messages_by_room ON events (room, seq) INCLUDE (user_id) WHERE kind = 'message';

        CREATE FUNCTION chat_read_from_join() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO read_positions AS r (room, user_id, seq) VALUES (NEW.room, NEW.user_id, NEW.seq)
                ON CONFLICT (room, user_id) DO UPDATE SET seq = excluded.seq;
            RETURN NULL;
        END $$;
        CREATE TRIGGER events_join_read AFTER INSERT ON events
            FOR EACH ROW WHEN (NEW.kind = 'join') EXECUTE FUNCTION chat_read_from_join();

        -- Other users' messages in p_room after p_after, counted up to p_cap.
        CREATE FUNCTION chat_unread(p_room text, p_user text, p_after bigint, p_cap bigint) RETURNS bigint
        LANGUAGE sql STABLE AS $$
            SELECT count(*) FROM (
                SELECT 1 FROM events e
                WHERE e.room = p_room AND e.kind = 'message' AND e.seq > p_after AND e.user_id <> p_user
                LIMIT p_cap) counted;
        $$;

        -- 'no-lobby', 'no-user', 'not-member' or 'read' with the lobby as the member reads it
        -- after moving the position up to p_seq (clamped to the lobby's last seq, never back).
        -- The member row is held (KEY SHARE) so a leave cannot remove it under the upsert.
        CREATE FUNCTION chat_mark_read(p_room text, p_user text, p_seq bigint, p_cap bigint,
                                       OUT outcome text, OUT created_at text, OUT last_seq bigint,
                                       OUT read_seq bigint, OUT unread bigint) LANGUAGE plpgsql AS $$
        BEGIN
            SELECT l.created_at, l.last_seq INTO created_at, last_seq FROM lobbies l WHERE l.room = p_room;
            IF NOT FOUND THEN outcome := 'no-lobby'; RETURN; END IF;
            PERFORM 1 FROM users u WHERE u.id = p_user;
            IF NOT FOUND THEN outcome := 'no-user'; RETURN; END IF;
            PERFORM 1 FROM members m WHERE m.room = p_room AND m.user_id = p_user FOR KEY SHARE;
            IF NOT FOUND THEN outcome := 'not-member'; RETURN; END IF;
            INSERT INTO read_positions AS r (room, user_id, seq) VALUES (p_room, p_user, least(p_seq, last_seq))
                ON CONFLICT (room, user_id) DO UPDATE SET seq = greatest(r.seq, excluded.seq)
                RETURNING r.seq INTO read_seq;
            unread := chat_unread(p_room, p_user, read_seq, p_cap);
            outcome := 'read';
        END $$;
        """

    /// Editing and deleting one's own messages. The message's row (kind 'message') holds its
    /// current content, `edited_at`, and `deleted` (a tombstone keeps its row and seq, its
    /// content emptied); each change is also an event of its own, kind 'edit' (the new content,
    /// `sent_at` the edit's time) or 'delete', naming the message by `message_id` and
    /// `target_seq`. `chat_change_message` does both in one transaction under the lobby row's
    /// lock, and announces the event like any other. A deletion also empties the content of
    /// the message's earlier edit events, so no copy of the text stays in the table.
    /// `events_by_message` finds a message and its edits by id; unread counts now skip deleted
    /// messages, through `unread_messages_by_room` (as `messages_by_room`, which history still
    /// reads, without the tombstones), still an index-only range scan.
    static let version5 = """
        ALTER TABLE events DROP CONSTRAINT events_kind_check;
        ALTER TABLE events ADD CONSTRAINT events_kind_check CHECK (kind IN ('join', 'leave', 'message', 'edit', 'delete'));
        ALTER TABLE events ADD COLUMN edited_at text, ADD COLUMN deleted boolean NOT NULL DEFAULT false, ADD COLUMN target_seq bigint;
        CREATE INDEX events_by_message ON events (room, message_id) WHERE message_id IS NOT NULL;
        CREATE INDEX unread_messages_by_room ON events (room, seq) INCLUDE (user_id) WHERE kind = 'message' AND NOT deleted;

        CREATE OR REPLACE FUNCTION chat_unread(p_room text, p_user text, p_after bigint, p_cap bigint) RETURNS bigint
        LANGUAGE sql STABLE AS $$
            SELECT count(*) FROM (
                SELECT 1 FROM events e
                WHERE e.room = p_room AND e.kind = 'message' AND NOT e.deleted AND e.seq > p_after AND e.user_id <> p_user
                LIMIT p_cap) counted;
        $$;

        -- Edits (p_content) or deletes (p_content NULL) p_user's message p_message_id in p_room
        -- at p_at: 'no-lobby', 'no-user', 'not-member', 'no-message', 'not-author', 'deleted'
        -- (an edit of a deleted message), 'unchanged' (a deletion of one) or 'changed' with
        -- the event's seq; but for the first three, the message as it is after.
        CREATE FUNCTION chat_change_message(p_room text, p_user text, p_message_id text, p_content text, p_at text,
                                            OUT outcome text, OUT event_seq bigint, OUT message_seq bigint,
                                            OUT author_name text, OUT body text, OUT posted_at text,
                                            OUT changed_at text, OUT is_deleted boolean) LANGUAGE plpgsql AS $$
        DECLARE v_author text;
        BEGIN
            PERFORM 1 FROM lobbies l WHERE l.room = p_room FOR UPDATE;
            IF NOT FOUND THEN outcome := 'no-lobby'; RETURN; END IF;
            PERFORM 1 FROM users u WHERE u.id = p_user;
            IF NOT FOUND THEN outcome := 'no-user'; RETURN; END IF;
            PERFORM 1 FROM members m WHERE m.room = p_room AND m.user_id = p_user;
            IF NOT FOUND THEN outcome := 'not-member'; RETURN; END IF;
            SELECT e.seq, e.user_id, e.user_name, e.content, e.sent_at, e.edited_at, e.deleted
                INTO message_seq, v_author, author_name, body, posted_at, changed_at, is_deleted
                FROM events e WHERE e.room = p_room AND e.message_id = p_message_id AND e.kind = 'message';
            IF NOT FOUND THEN outcome := 'no-message'; RETURN; END IF;
            IF v_author <> p_user THEN outcome := 'not-author'; RETURN; END IF;
            IF is_deleted THEN
                outcome := CASE WHEN p_content IS NULL THEN 'unchanged' ELSE 'deleted' END;
                RETURN;
            END IF;
            UPDATE lobbies l SET last_seq = l.last_seq + 1, active_at = now() WHERE l.room = p_room RETURNING l.last_seq INTO event_seq;
            INSERT INTO events (room, seq, kind, user_id, user_name, message_id, content, sent_at, target_seq)
                VALUES (p_room, event_seq, CASE WHEN p_content IS NULL THEN 'delete' ELSE 'edit' END,
                        p_user, author_name, p_message_id, p_content, p_at, message_seq);
            IF p_content IS NULL THEN
                UPDATE events e SET content = '', deleted = true WHERE e.room = p_room AND e.seq = message_seq;
                UPDATE events e SET content = '' WHERE e.room = p_room AND e.message_id = p_message_id AND e.kind = 'edit';
                body := ''; is_deleted := true;
            ELSE
                UPDATE events e SET content = p_content, edited_at = p_at WHERE e.room = p_room AND e.seq = message_seq;
                body := p_content; changed_at := p_at;
            END IF;
            PERFORM chat_announce(p_room, event_seq);
            outcome := 'changed';
        END $$;
        """
}
