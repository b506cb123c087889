import Foundation

/// Clock skew against a server's `Date` header (SYNC-NOTES R4). The header has one-second
/// resolution; the estimate takes the middle of the exchange as the server's moment, so it is
/// good to about a second plus half the round trip — plenty against a 60 s threshold.
enum ClockSkew {
    /// The edits of a machine whose clock is off by more than this are stamped out of order
    /// against other devices' (the replica bounds adoption of remote stamps at the same 60 s).
    static let threshold: TimeInterval = 60

    /// Server time minus local time, in seconds, or nil when `dateHeader` does not parse.
    static func offset(dateHeader: String, sentAt: Date, receivedAt: Date) -> TimeInterval? {
        guard let serverDate = parseHTTPDate(dateHeader) else { return nil }
        let localMiddle = sentAt.timeIntervalSince1970 + receivedAt.timeIntervalSince(sentAt) / 2
        // The header truncates to the second: its true moment is on average half a second later.
        return serverDate.timeIntervalSince1970 + 0.5 - localMiddle
    }

    /// The warning for `offset`, or nil when it is within the threshold.
    static func warning(offset: TimeInterval, remote: String) -> String? {
        guard abs(offset) > threshold else { return nil }
        let direction = offset > 0 ? "behind" : "ahead of"
        return "this machine's clock is \(describe(abs(offset))) \(direction) the clock of \(remote) (from its Date header)"
            + " (set the system clock, e.g. enable NTP: edits stamped with a wrong clock order wrongly against other devices' edits)"
    }

    /// `1 h 3 min`, `2 min 5 s`, `75 s`.
    static func describe(_ seconds: TimeInterval) -> String {
        let total = Int(seconds.rounded())
        if total >= 86400 { return "\(total / 86400) d \(total % 86400 / 3600) h" }
        if total >= 3600 { return "\(total / 3600) h \(total % 3600 / 60) min" }
        if total >= 120 { return "\(total / 60) min \(total % 60) s" }
        return "\(total) s"
    }

    /// An IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`, RFC 9110 §5.6.7), the only form servers
    /// send today.
    static func parseHTTPDate(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: text.trimmingCharacters(in: .whitespaces))
    }
}
