import ArgumentParser

/// The chat's limits (`ChatLimits`), each defaulting to the documented value there.
struct ChatLimitOptions: ParsableArguments {
    private static let defaults = ChatLimits()
    /// The spec's `maxLength` of a message's text, the most `--max-message-length` may be.
    static let specMaxMessageLength = 4000
    private static let bytesPerMiB = 1024 * 1024
    /// The most `--max-lobbies-per-user` may be: 97 entries of the longest codes and seqs fit the
    /// 8192 bytes of `Last-Event-ID` (see `ChatLimits.maxLobbiesPerUser`), and a user stream may
    /// hold a few more than the cap for a moment (a lobby joined right after another was left
    /// joins the cursor before the leave is delivered and takes the other out), so 7 are spare.
    static let maxLobbiesPerUserCeiling = 90

    @Option(help: "Most characters in a message (at most the spec's \(specMaxMessageLength)).")
    var maxMessageLength = Self.defaults.maxMessageLength

    @Option(help: "Events kept per lobby for resuming streams.")
    var historySize = Self.defaults.historySize

    @Option(help: "Silence before a stream gets a ': ping' comment.")
    var heartbeat = Self.defaults.heartbeat.seconds

    @Option(help: "The 'retry:' a stream starts with, in milliseconds.")
    var retry = Self.defaults.retryMilliseconds

    @Option(help: "Most users the store holds, over every instance sharing it (503 past it).")
    var maxUsers = Self.defaults.maxUsers

    @Option(help: "Most lobbies the store holds, over every instance sharing it (503 past it).")
    var maxLobbies = Self.defaults.maxLobbies

    @Option(help: "Seconds a lobby with no members and no event stays before it is retired and its code freed; 0 is never.")
    var emptyLobbyLifetime = Self.defaults.emptyLobbyLifetime.seconds

    @Option(help: "Seconds a user that never joined a lobby stays before it expires; 0 is never.")
    var unusedUserLifetime = Self.defaults.unusedUserLifetime.seconds

    @Option(help: "Most streams one user may hold open on this instance (429 past it).")
    var maxStreamsPerUser = Self.defaults.maxStreamsPerUser

    @Option(help: "Most lobbies one user may be a member of at once, over every instance (409 past it; at most \(maxLobbiesPerUserCeiling), so the user stream's cursor fits Last-Event-ID).")
    var maxLobbiesPerUser = Self.defaults.maxLobbiesPerUser

    @Option(help: "The memory store's budget for retained messages, in MiB; past it the oldest messages of the fullest lobbies go first.")
    var retainedMessagesMib = Self.defaults.retainedBytesBudget / Self.bytesPerMiB

    @Option(help: "Events a lobby may have waiting for its streams before posts to it are answered 503.")
    var maxDeliveryBacklog = Self.defaults.maxDeliveryBacklog

    func validate() throws {
        if maxMessageLength < 1 || maxMessageLength > Self.specMaxMessageLength {
            throw ValidationError("--max-message-length must be from 1 to \(Self.specMaxMessageLength) (the spec's maxLength)")
        }
        if historySize < 0 { throw ValidationError("--history-size must not be negative") }
        if !(heartbeat > 0) { throw ValidationError("--heartbeat must be positive") }
        for (name, value) in [("--empty-lobby-lifetime", emptyLobbyLifetime), ("--unused-user-lifetime", unusedUserLifetime)]
        where !(value >= 0) {
            throw ValidationError("\(name) must not be negative (0 is never)")
        }
        for (name, value) in [("--max-users", maxUsers), ("--max-lobbies", maxLobbies), ("--max-streams-per-user", maxStreamsPerUser),
                              ("--max-lobbies-per-user", maxLobbiesPerUser),
                              ("--retained-messages-mib", retainedMessagesMib), ("--max-delivery-backlog", maxDeliveryBacklog)]
        where value < 1 {
            throw ValidationError("\(name) must be positive")
        }
        if maxLobbiesPerUser > Self.maxLobbiesPerUserCeiling {
            throw ValidationError("--max-lobbies-per-user must be at most \(Self.maxLobbiesPerUserCeiling): a user stream's cursor then fits the 8192 bytes of Last-Event-ID")
        }
    }

    /// Sets these limits; the others keep their defaults.
    func apply(to chat: inout ChatLimits) {
        chat.maxMessageLength = maxMessageLength
        chat.historySize = historySize
        chat.heartbeat = .seconds(heartbeat)
        chat.retryMilliseconds = retry
        chat.maxUsers = maxUsers
        chat.maxLobbies = maxLobbies
        chat.maxStreamsPerUser = maxStreamsPerUser
        chat.maxLobbiesPerUser = maxLobbiesPerUser
        chat.emptyLobbyLifetime = .seconds(emptyLobbyLifetime)
        chat.unusedUserLifetime = .seconds(unusedUserLifetime)
        chat.retainedBytesBudget = retainedMessagesMib * Self.bytesPerMiB
        chat.maxDeliveryBacklog = maxDeliveryBacklog
    }
}
