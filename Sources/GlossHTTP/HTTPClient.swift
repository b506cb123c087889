import Foundation

/// Sends HTTP requests through libcurl under one set of `HTTPOptions`. Cheap to copy and safe
/// to share; each request gets its own libcurl handle and runs on a thread of its own, off the
/// Swift concurrency pool (the transfer blocks its thread). Not a dispatch queue: GCD's pool on
/// Linux is about as wide as the CPU count and grows slowly, so a few slow transfers (or other
/// blocking work) could hold every other request back. Cancelling the calling task aborts the
/// transfer.
public struct HTTPClient: Sendable {
    public var options: HTTPOptions

    public init(options: HTTPOptions = HTTPOptions()) {
        self.options = options
    }

    /// Sends `request` and returns the final response, whatever its status (use
    /// `requireSuccess()` to turn 4xx/5xx into an error).
    /// - Throws: `HTTPError` for every failure (DNS, connect, timeout, TLS, redirects, a refused
    ///   protocol, a body over `maxResponseBytes`, cancellation).
    public func send(_ request: HTTPRequest) async throws(HTTPError) -> HTTPResponse {
        let options = self.options
        let cancel = CancellationFlag()
        let result: Result<HTTPResponse, HTTPError> = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let thread = Thread {
                    let result = Result { () throws(HTTPError) -> HTTPResponse in
                        try Easy().perform(request, options: options, cancel: cancel)
                    }
                    continuation.resume(returning: result)
                }
                thread.name = "gloss.http"
                thread.start()
            }
        } onCancel: {
            cancel.set()
        }
        return try result.get()
    }

    /// GETs `url`.
    public func get(_ url: URL, headers: HTTPHeaders = [:]) async throws(HTTPError) -> HTTPResponse {
        try await send(.get(url, headers: headers))
    }
}
