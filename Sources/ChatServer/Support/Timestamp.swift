import Foundation

/// Timestamps as the API writes them: RFC 3339, UTC, milliseconds (`2026-11-25T12:00:00.123Z`).
enum Timestamp {
    private static let style = Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt)

    static func rfc3339(_ date: Date) -> String {
        date.formatted(style)
    }
}
