import Foundation

/// A token bucket per key (a bearer token's hash, or a client address before login): `capacity`
/// requests at once, refilled at `capacity` per minute. State lives in this actor, per process.
actor RateLimiter {
    private struct Bucket {
        var tokens: Double
        var updated: Date
    }

    private let capacity: Double
    private var buckets: [String: Bucket] = [:]

    init(perMinute: Int) {
        capacity = Double(max(1, perMinute))
    }

    /// Takes one request from `key`'s bucket. Returns nil when allowed, else the seconds to wait.
    func take(_ key: String, now: Date) -> Int? {
        let perSecond = capacity / 60
        if buckets.count > 100_000 { prune(now: now) }
        var bucket = buckets[key] ?? Bucket(tokens: capacity, updated: now)
        let elapsed = max(0, now.timeIntervalSince(bucket.updated))
        bucket.tokens = min(capacity, bucket.tokens + elapsed * perSecond)
        bucket.updated = now
        let allowed = bucket.tokens >= 1
        if allowed { bucket.tokens -= 1 }
        buckets[key] = bucket
        return allowed ? nil : max(1, Int(((1 - bucket.tokens) / perSecond).rounded(.up)))
    }

    /// Forgets buckets untouched for a minute: they have refilled, so they behave like new ones.
    private func prune(now: Date) {
        buckets = buckets.filter { now.timeIntervalSince($0.value.updated) < 60 }
    }
}
