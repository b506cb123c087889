import Foundation

/// Why a request failed, in words a user can act on: `description` reads
/// `<what happened> (<what to do>)`. A struct over an open set of kinds (STYLE.md 3), so new
/// kinds do not break callers.
public struct HTTPError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The category of failure; compare with the static members (`error.kind == .timeout`).
    public struct Kind: Hashable, Sendable, CustomStringConvertible {
        public let description: String
        private init(_ name: String) { description = name }

        /// The host name did not resolve.
        public static let dns = Kind("dns")
        /// Nothing accepted the connection.
        public static let connect = Kind("connect")
        /// The connect or total time limit passed.
        public static let timeout = Kind("timeout")
        /// TLS failed: handshake, or a certificate that does not verify.
        public static let tls = Kind("tls")
        /// More redirects than allowed.
        public static let tooManyRedirects = Kind("tooManyRedirects")
        /// A URL (given or redirected to) whose scheme is not allowed, e.g. `file://`.
        public static let protocolRefused = Kind("protocolRefused")
        /// The body exceeded the size cap.
        public static let tooLarge = Kind("tooLarge")
        /// The server answered with a 4xx or 5xx status (see `requireSuccess()`).
        public static let status = Kind("status")
        /// The URL is not one libcurl can use.
        public static let invalidURL = Kind("invalidURL")
        /// The connection broke or the server sent something unreadable.
        public static let connection = Kind("connection")
        /// The task was cancelled.
        public static let cancelled = Kind("cancelled")
        /// Any other libcurl failure.
        public static let other = Kind("other")
    }

    public let kind: Kind
    /// What happened, e.g. `could not connect to 127.0.0.1:8080`.
    public let message: String
    /// What to do about it.
    public let hint: String
    /// The HTTP status, for `.status`.
    public let status: Int?
    /// The libcurl result code, when libcurl reported the failure.
    public let curlCode: Int?

    public init(kind: Kind, message: String, hint: String, status: Int? = nil, curlCode: Int? = nil) {
        self.kind = kind
        self.message = message
        self.hint = hint
        self.status = status
        self.curlCode = curlCode
    }

    public var description: String { "\(message) (\(hint))" }

    /// The error for an HTTP status of 400 or more.
    public static func status(_ status: Int, url: String) -> HTTPError {
        let reason = HTTPError.reasonPhrases[status].map { " \($0)" } ?? ""
        let hint: String
        switch status {
        case 401, 403: hint = "the server refused access; check the address or your credentials"
        case 404, 410: hint = "check the address; the page may have moved or been removed"
        case 408, 429: hint = "the server is busy; try again later"
        case 400..<500: hint = "the server rejected the request; check the address"
        default: hint = "the server failed; try again later"
        }
        return HTTPError(
            kind: .status, message: "HTTP \(status)\(reason) from \(url)", hint: hint, status: status)
    }

    private static let reasonPhrases: [Int: String] = [
        400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found",
        405: "Method Not Allowed", 408: "Request Timeout", 409: "Conflict", 410: "Gone",
        413: "Content Too Large", 415: "Unsupported Media Type", 422: "Unprocessable Content",
        429: "Too Many Requests", 500: "Internal Server Error", 501: "Not Implemented",
        502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout",
    ]
}
