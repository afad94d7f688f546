extension PostgresSchema {
    /// A lobby's `presence_counts` row goes once nobody is online there: `chat_presence_expire`
    /// (each instance's heartbeat, one at a time) deletes the rows at 0 that no `presence` row
    /// names, so lobbies that once had a stream (deleted, retired or quiet ones) leave nothing
    /// behind. `chat_presence` takes its lobby's row again if a delete took it while it waited
    /// for the row's lock (the wait then ends with no row), so no change is lost to it; a
    /// delete that waited for a change sees the count it wrote, and keeps a row that is not 0.
    /// Otherwise both functions are version 7's. Numbered after the lobby cap (8).
    static let version9 = presenceFunctions(
        create: "CREATE OR REPLACE",
        lockCount: """
            LOOP
                INSERT INTO presence_counts (room) VALUES (p_room) ON CONFLICT DO NOTHING;
                SELECT c.online INTO v_online FROM presence_counts c WHERE c.room = p_room FOR UPDATE;
                EXIT WHEN FOUND;
            END LOOP;
            """,
        afterExpiry: """
            DELETE FROM presence_counts c WHERE c.online = 0 AND NOT EXISTS (SELECT 1 FROM presence p WHERE p.room = c.room);
            """)
}
