import GlossHTTP

/// Why an import failed: `description` reads `<what happened> (<what to do>)` (STYLE.md 3).
public struct ImportError: Error, CustomStringConvertible, Sendable, Equatable {
    public struct Kind: Hashable, Sendable, CustomStringConvertible {
        public let description: String
        private init(_ name: String) { description = name }

        /// The source is neither an http(s) URL, a file path nor `-`.
        public static let unsupportedSource = Kind("unsupportedSource")
        /// A local file or stdin could not be read.
        public static let unreadable = Kind("unreadable")
        /// Fetching failed; `http` holds the details.
        public static let fetch = Kind("fetch")
        /// The content is not an HTML page.
        public static let notHTML = Kind("notHTML")
        /// The page or file is over the size cap.
        public static let tooLarge = Kind("tooLarge")
        /// The extractor found no article.
        public static let extraction = Kind("extraction")
    }

    public let kind: Kind
    public let message: String
    public let hint: String
    /// The underlying HTTP failure, for `.fetch` (and `.tooLarge` from the network).
    public let http: HTTPError?

    public init(kind: Kind, message: String, hint: String, http: HTTPError? = nil) {
        self.kind = kind
        self.message = message
        self.hint = hint
        self.http = http
    }

    /// Wraps an HTTP failure, keeping its wording (with an import-specific hint for size).
    public init(_ error: HTTPError) {
        if error.kind == .tooLarge {
            self.init(kind: .tooLarge, message: error.message, hint: "that is too large to import", http: error)
        } else {
            self.init(kind: .fetch, message: error.message, hint: error.hint, http: error)
        }
    }

    public var description: String { "\(message) (\(hint))" }
}
