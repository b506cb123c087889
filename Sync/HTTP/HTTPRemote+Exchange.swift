import Foundation
import GlossHTTP

// One request: retries with backoff and jitter, Retry-After, clock-skew notes.
extension HTTPRemote {
    /// Sends one request, retrying transient failures; returns the final response whatever its
    /// status. Throws only when no response came (after the retries).
    func exchange(_ method: String, _ path: String, body: Data? = nil, authorized: Bool = true) async throws -> HTTPResponse {
        guard let url = URL(string: baseURL + path) else {
            throw SyncError(.config, "invalid server URL \(baseURL)", hint: "remove the remote and add it again")
        }
        var headers: HTTPHeaders = ["Accept": "application/json"]
        var payload = body
        if let body {
            headers.add(name: "Content-Type", value: "application/json")
            if body.count > options.gzipAbove, let packed = GzipEncoder.compress(body) {
                payload = packed
                headers.add(name: "Content-Encoding", value: "gzip")
            }
        }
        if authorized {
            guard let credential else { throw notLoggedIn() }
            headers.add(name: "Authorization", value: "Bearer \(credential.token)")
        }
        let request = HTTPRequest(method: method, url: url, headers: headers, body: payload)
        var attempt = 0
        while true {
            attempt += 1
            let sentAt = Date()
            let response: HTTPResponse
            do {
                response = try await client.send(request)
            } catch {
                if error.kind == .cancelled { throw CancellationError() }
                guard Self.isTransient(error), attempt < options.maxAttempts else {
                    throw transportFailure(error, attempts: attempt)
                }
                try await Task.sleep(for: .seconds(backoff(attempt)))
                continue
            }
            noteClock(response, sentAt: sentAt, receivedAt: Date())
            let retryable = response.status == 429 || (500...599).contains(response.status)
            guard retryable, attempt < options.maxAttempts else { return response }
            let wait = Self.retryAfter(response) ?? backoff(attempt)
            guard wait <= options.maxRetryAfter else { return response }
            try await Task.sleep(for: .seconds(wait))
        }
    }

    /// Seconds before retry `attempt` + 1: exponential, capped, with jitter (half to all of the
    /// step, so clients that failed together do not retry together).
    func backoff(_ attempt: Int) -> TimeInterval {
        let step = min(options.maxBackoff, options.initialBackoff * pow(2, Double(attempt - 1)))
        return step * Double.random(in: 0.5...1)
    }

    static func isTransient(_ error: HTTPError) -> Bool {
        error.kind == .connect || error.kind == .timeout || error.kind == .connection
    }

    /// `Retry-After` in seconds (the delay form; a date form is read against the local clock).
    static func retryAfter(_ response: HTTPResponse) -> TimeInterval? {
        guard let value = response.headers["Retry-After"]?.trimmingCharacters(in: .whitespaces) else { return nil }
        if let seconds = Double(value), seconds >= 0 { return seconds }
        return ClockSkew.parseHTTPDate(value).map { max(0, $0.timeIntervalSinceNow) }
    }

    func noteClock(_ response: HTTPResponse, sentAt: Date, receivedAt: Date) {
        guard let header = response.headers["Date"],
            let offset = ClockSkew.offset(dateHeader: header, sentAt: sentAt, receivedAt: receivedAt),
            let warning = ClockSkew.warning(offset: offset, remote: "\(name) (\(baseURL))")
        else { return }
        notices.add(warning, key: "clock")
    }
}
