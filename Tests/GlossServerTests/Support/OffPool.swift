import Foundation

/// Runs blocking work (waiting for a child process) on a thread of its own, off Swift's
/// cooperative pool — which has one thread per core (two here), so a blocked one stalls every
/// test running beside it.
func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread { continuation.resume(with: Result { try work() }) }
    }
}
