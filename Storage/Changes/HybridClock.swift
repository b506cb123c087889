/// The replica's hybrid logical clock (SYNC-NOTES §1, R1–R3): the last stamp it issued or
/// adopted. Local ticks are monotonic; received stamps move it forward, but by at most
/// `maxDrift` past the wall clock, so one fast replica cannot drag every other one ahead (R2).
/// Received records are never rewritten: only this clock is bounded.
struct HybridClock {
    var last: HLC

    /// A stamp for a local write at wall time `wall` (Unix ms) that also exceeds `floor` (the
    /// greatest stamp the write replaces, R3). Never wraps the counter: it spills into the next
    /// millisecond instead. A stamp raised above the clock by `floor` is not adopted by the clock,
    /// so a fast replica's value can be overwritten without dragging this clock ahead.
    mutating func tick(wall: Int64, after floor: HLC? = nil) -> HLC {
        if wall > last.millis {
            last = HLC(millis: wall, counter: 0)
        } else {
            last = HLC(rawValue: last.rawValue + 1)  // counter + 1, or the next ms on overflow
        }
        if let floor, last <= floor { return HLC(rawValue: floor.rawValue + 1) }
        return last
    }

    /// Advances past a received stamp, but no further than `wall + maxDrift`. Returns how many
    /// ms the stamp is ahead of `wall + maxDrift` (0 when it is within bounds).
    mutating func observe(_ stamp: HLC, wall: Int64, maxDrift: Int64) -> Int64 {
        let ceiling = HLC(millis: wall + maxDrift, counter: UInt16.max)
        let adopted = min(stamp, ceiling)
        if adopted > last { last = adopted }
        return stamp.millis > wall + maxDrift ? stamp.millis - wall : 0
    }
}
