import Foundation
import GlossStorage
import GlossSync
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// The handlers of `/v1`: HTTP in, store calls, HTTP out. Knows nothing of SQL; every vault
/// access goes through the `VaultID` of the authenticated token's user.
struct SyncAPI: Sendable {
    let store: any ServerStore
    let configuration: ServerConfiguration
    let hasher: PasswordHasher
    /// Password checks per client address.
    let loginLimiter: RateLimiter
    /// At most one scrypt per core at a time; more logins wait their turn.
    let passwordChecks: WorkSlots

    func register(on router: Router<ServerContext>) {
        for endpoint in Endpoint.allCases {
            router.on(RouterPath(endpoint.routerPath), method: endpoint.method) { request, context in
                try await withDeadline { try await handle(endpoint, request, context) }
            }
        }
    }

    private func handle(_ endpoint: Endpoint, _ request: Request, _ context: ServerContext) async throws -> Response {
        switch endpoint {
        case .health:
            return try json(HealthResponse())
        case .login:
            return try await login(request, context)
        case .logout:
            let (_, tokenHash) = try await authenticate(request)
            try await store.revokeToken(hash: tokenHash)
            return Response(status: .noContent)
        case .vector:
            let (user, _) = try await authenticate(request)
            return try json(VectorResponse(vector: try await store.versionVector(vault: user.vault)))
        case .push:
            return try await push(request)
        case .pull:
            return try await pull(request, context)
        }
    }

    // MARK: Endpoints

    private func login(_ request: Request, _ context: ServerContext) async throws -> Response {
        let body = try decode(LoginRequest.self, from: try await readBody(request))
        guard (1...256).contains(body.user.utf8.count), (1...1024).contains(body.password.utf8.count) else {
            throw APIError(.badRequest, "user must be 1–256 bytes and password 1–1024 bytes")
        }
        if let wait = await loginLimiter.take("login:" + (context.clientAddress ?? "unknown"), now: configuration.clock()) {
            throw APIError(.rateLimited, "too many login attempts; retry in \(wait) s", retryAfter: wait)
        }
        let user = try await store.user(named: body.user)
        await passwordChecks.acquire()
        let ok = await offPool { [hasher] in
            guard let user else {
                hasher.dummyVerify(body.password)
                return false
            }
            return PasswordHasher.verify(body.password, against: user.passwordHash)
        }
        await passwordChecks.release()
        guard ok, let user else { throw APIError(.unauthorized, "wrong user name or password") }
        let token = BearerToken.generate()
        let now = configuration.clock()
        let expires = now.addingTimeInterval(configuration.tokenLifetime)
        try await store.addToken(hash: BearerToken.hash(token), user: user.id, createdAt: now, expiresAt: expires)
        return try json(LoginResponse(token: token, expiresAt: expires, user: user.name))
    }

    private func push(_ request: Request) async throws -> Response {
        let (user, _) = try await authenticate(request)
        let batch = try decode(PushRequest.self, from: try await readBody(request))
        do {
            try PushCheck.validate(batch, maxChanges: configuration.maxBatchChanges)
        } catch {
            throw error.apiError
        }
        let result = try await store.append(vault: user.vault, site: batch.site, changes: batch.changes)
        return try json(
            PushResponse(site: batch.site, accepted: result.accepted, skipped: result.skipped, seq: result.head))
    }

    private func pull(_ request: Request, _ context: ServerContext) async throws -> Response {
        let (user, _) = try await authenticate(request)
        guard let site = context.parameters.get("site"), Site.isValid(site) else {
            throw APIError(.badRequest, "site must be 32 lowercase hex digits")
        }
        let query = request.uri.queryParameters
        var after: Int64 = 0
        if let text = query["after"] {
            guard let value = Int64(String(text)), value >= 0 else {
                throw APIError(.badRequest, "after must be a whole number, 0 or more")
            }
            after = value
        }
        var limit = 1000
        if let text = query["limit"] {
            guard let value = Int(String(text)), value >= 1 else {
                throw APIError(.badRequest, "limit must be a whole number, 1 or more")
            }
            limit = value
        }
        limit = min(limit, configuration.maxPullChanges)
        let page = try await store.changes(
            vault: user.vault, site: site, after: after, limit: limit, maxBytes: configuration.maxPullBytes)
        return try json(PullResponse(site: site, changes: page.changes, more: page.more))
    }

    // MARK: Helpers

    /// The user and token hash behind the request's bearer token.
    private func authenticate(_ request: Request) async throws -> (UserRecord, String) {
        guard let token = BearerToken.parse(authorization: request.headers[.authorization]) else {
            throw APIError(.unauthorized, "missing bearer token; log in first")
        }
        let hash = BearerToken.hash(token)
        switch try await store.tokenStatus(hash: hash, now: configuration.clock()) {
        case .valid(let user): return (user, hash)
        case .expired: throw APIError(.tokenExpired, "the token has expired; log in again")
        case .unknown: throw APIError(.unauthorized, "unknown or revoked token; log in again")
        }
    }

    /// The request body, at most `maxBodyBytes` (after gzip decoding too).
    private func readBody(_ request: Request) async throws -> [UInt8] {
        let limit = configuration.maxBodyBytes
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limit {
            throw APIError(.tooLarge, "the body is \(length) bytes; the limit is \(limit)")
        }
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw APIError(.tooLarge, "the body is larger than the limit of \(limit) bytes")
        }
        let bytes = Array(buffer.readableBytesView)
        let encoding = request.headers[.contentEncoding]?.trimmingCharacters(in: .whitespaces).lowercased()
        switch encoding {
        case nil, "", "identity":
            return bytes
        case "gzip", "x-gzip":
            do {
                return try Gzip.decompress(bytes, limit: limit)
            } catch Gzip.Failure.tooLarge {
                throw APIError(.tooLarge, "the body decompresses to more than \(limit) bytes")
            } catch {
                throw APIError(.invalidJSON, "the body is not valid gzip")
            }
        default:
            throw APIError(.badRequest, "Content-Encoding \(encoding ?? "") is not supported; use gzip or none")
        }
    }

    private func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        let data = Data(bytes)
        // A push in the writer's plain form is read by the fast reader; anything else, and every
        // error, goes through `Wire.decoder()`.
        if T.self == PushRequest.self, let push = ChangeJSON.decodePush(data) as? T { return push }
        do {
            return try Wire.decoder().decode(T.self, from: data)
        } catch let DecodingError.dataCorrupted(context) where context.codingPath.isEmpty {
            throw APIError(.invalidJSON, "the body is not valid UTF-8 JSON (\(Self.underlying(context)))")
        } catch let DecodingError.dataCorrupted(context) {
            throw APIError(.badRequest, "invalid value at \(Self.path(context.codingPath)): \(context.debugDescription)")
        } catch let DecodingError.typeMismatch(expected, context) {
            throw APIError(.badRequest, "wrong type at \(Self.path(context.codingPath)): expected \(expected)")
        } catch let DecodingError.valueNotFound(_, context) {
            throw APIError(.badRequest, "missing value at \(Self.path(context.codingPath))")
        } catch let DecodingError.keyNotFound(key, context) {
            throw APIError(.badRequest, "missing field \(Self.path(context.codingPath + [key]))")
        } catch {
            throw APIError(.invalidJSON, "the body is not valid JSON")
        }
    }

    private static func underlying(_ context: DecodingError.Context) -> String {
        String((context.underlyingError.map { "\($0)" } ?? context.debugDescription).prefix(200))
    }

    private static func path(_ codingPath: [any CodingKey]) -> String {
        codingPath.isEmpty
            ? "the top level"
            : codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
    }

    private func json<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) throws -> Response {
        // A page of changes (the bulk of what is sent) goes through the fast writer.
        let data = try (value as? PullResponse).map(ChangeJSON.encode) ?? Wire.encoder().encode(value)
        return Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// Runs `work` with the configured request timeout; past it the client gets 503 unavailable.
    /// The answer does not wait for `work` to notice its cancellation: a handler stuck reading a
    /// body that never ends (a slow client) must not hold the response back.
    private func withDeadline(_ work: @escaping @Sendable () async throws -> Response) async throws -> Response {
        let timeout = configuration.requestTimeout
        let once = ResumeOnce<Response>()
        return try await withCheckedThrowingContinuation { continuation in
            once.set(continuation)
            let worker = Task {
                do { once.resume(with: .success(try await work())) } catch { once.resume(with: .failure(error)) }
            }
            Task {
                try? await Task.sleep(for: timeout)
                if once.resume(with: .failure(APIError(.unavailable, "the request took longer than \(timeout); retry"))) {
                    worker.cancel()
                }
            }
        }
    }

    /// Runs CPU-heavy work (scrypt) off the cooperative pool.
    private func offPool<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: work()) }
        }
    }
}

/// Resumes a continuation at most once, from whichever side finishes first. `set` is called
/// before either side starts.
private final class ResumeOnce<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<T, any Error>?

    func set(_ continuation: CheckedContinuation<T, any Error>) {
        lock.withLock { self.continuation = continuation }
    }

    /// True when this call resumed the continuation (it came first).
    @discardableResult
    func resume(with result: Result<T, any Error>) -> Bool {
        let target: CheckedContinuation<T, any Error>? = lock.withLock {
            defer { continuation = nil }
            return continuation
        }
        target?.resume(with: result)
        return target != nil
    }
}
