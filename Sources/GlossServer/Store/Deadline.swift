import Foundation

/// Runs async work with a time limit that holds even when the work itself cannot be
/// interrupted (a query on a connection whose peer went silent): the caller gets
/// `Deadline.Expired` when time runs out and the work is cancelled and left to finish alone.
enum Deadline {
    struct Expired: Error {}

    static func run<T: Sendable>(_ timeout: Duration, _ work: @escaping @Sendable () async throws -> T)
        async throws -> T
    {
        let outcome = Outcome<T>()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                outcome.start(continuation)
                let worker = Task {
                    do {
                        outcome.finish(.success(try await work()))
                    } catch {
                        outcome.finish(.failure(error))
                    }
                }
                let timer = Task {
                    try? await Task.sleep(for: timeout)
                    if !Task.isCancelled, outcome.finish(.failure(Expired())) { worker.cancel() }
                }
                outcome.onFinish { timer.cancel() }
                outcome.onCancel { worker.cancel() }
            }
        } onCancel: {
            outcome.cancel()
        }
    }

    /// Resumes the continuation once, with whichever result comes first.
    private final class Outcome<T: Sendable>: @unchecked Sendable {
        private let lock = NSLock()
        private var continuation: CheckedContinuation<T, any Error>?
        private var finished = false
        private var cancelled = false
        private var finishHandlers: [@Sendable () -> Void] = []
        private var cancelHandlers: [@Sendable () -> Void] = []

        func start(_ continuation: CheckedContinuation<T, any Error>) {
            lock.withLock { self.continuation = continuation }
        }

        /// Returns true if this call delivered the result.
        @discardableResult
        func finish(_ result: Result<T, any Error>) -> Bool {
            let (continuation, handlers): (CheckedContinuation<T, any Error>?, [@Sendable () -> Void]) = lock.withLock {
                guard !finished else { return (nil, []) }
                finished = true
                defer { self.continuation = nil; finishHandlers = [] }
                return (self.continuation, finishHandlers)
            }
            guard let continuation else { return false }
            continuation.resume(with: result)
            handlers.forEach { $0() }
            return true
        }

        func onFinish(_ handler: @escaping @Sendable () -> Void) {
            let runNow = lock.withLock {
                if finished { return true }
                finishHandlers.append(handler)
                return false
            }
            if runNow { handler() }
        }

        func onCancel(_ handler: @escaping @Sendable () -> Void) {
            let runNow = lock.withLock {
                if cancelled { return true }
                cancelHandlers.append(handler)
                return false
            }
            if runNow { handler() }
        }

        func cancel() {
            let handlers = lock.withLock {
                cancelled = true
                defer { cancelHandlers = [] }
                return cancelHandlers
            }
            handlers.forEach { $0() }
        }
    }
}
