import Foundation
import GlossHTTP
import GlossStorage

// Answers turned into client errors (`SyncError`, `<what happened> (<what to do>)`), and pulled
// pages verified before they are applied.
extension HTTPRemote {
    /// Throws the client error for a response that is not a success.
    func check(_ response: HTTPResponse) throws {
        guard !(200..<300).contains(response.status) else { return }
        throw failure(response)
    }

    func failure(_ response: HTTPResponse) -> SyncError {
        let detail = (try? Wire.decoder().decode(WireErrorBody.self, from: response.body))?.error
        let message = detail?.message ?? "HTTP \(response.status)"
        let relogin = "log in again with `gloss login \(name) --user \(credential?.user ?? "USER")`"
        switch detail?.code {
        case .tokenExpired?:
            let when = credential.map { " on \($0.expiresAt.formatted(.iso8601))" } ?? ""
            return SyncError(.auth, "your login to \(name) has expired\(when)", hint: relogin)
        case .unauthorized?:
            return SyncError(.auth, "\(name) refused the login token: \(message)", hint: relogin)
        case .forbidden?:
            return SyncError(.auth, "\(name) does not allow this: \(message)", hint: relogin)
        case .seqGap?:
            return SyncError(.gap, "\(name) refused a batch: \(message)", hint: "sync again; if it persists, report it")
        case .siteForked?:
            return SyncError(
                .forked, "\(name) holds a different log for this site: \(message)",
                hint: "two libraries wrote under one site id; keep syncing from the original library")
        case .rateLimited?, .unavailable?, .internal?:
            return SyncError(
                .unavailable, "\(name) is unavailable: \(message) (HTTP \(response.status), \(options.maxAttempts) attempts)",
                hint: "try again later; local changes are kept and sync then")
        case .notFound?:
            return notAGlossServer(response)
        case let code?:
            return SyncError(
                .refused, "\(name) refused the request: \(message) (\(code.rawValue))",
                hint: "this is a bug in Gloss or the server; report it with this message")
        case nil:
            switch response.status {
            case 401, 403: return SyncError(.auth, "\(name) refused access (HTTP \(response.status))", hint: relogin)
            case 404, 405: return notAGlossServer(response)
            case 429, 500...599:
                return SyncError(
                    .unavailable, "\(name) is unavailable (HTTP \(response.status), \(options.maxAttempts) attempts)",
                    hint: "try again later; local changes are kept and sync then")
            case 300...399:
                return SyncError(
                    .config, "\(baseURL) redirects (HTTP \(response.status)) to \(response.headers["Location"] ?? "elsewhere")",
                    hint: "add the remote with the server's final URL")
            default:
                return SyncError(.refused, "\(name) refused the request (HTTP \(response.status))", hint: "check that \(baseURL) is a Gloss server")
            }
        }
    }

    func notAGlossServer(_ response: HTTPResponse) -> SyncError {
        SyncError(
            .config, "\(response.url.absoluteString) is not a Gloss sync endpoint (HTTP \(response.status))",
            hint: "check the remote's URL: the base address of `gloss serve`, without /v1")
    }

    func notLoggedIn() -> SyncError {
        SyncError(.auth, "not logged in to \(name) (\(baseURL))", hint: "log in with `gloss login \(name) --user USER`")
    }

    func transportFailure(_ error: HTTPError, attempts: Int) -> SyncError {
        let tries = attempts > 1 ? " (\(attempts) attempts)" : ""
        if error.kind == .tls {
            let hint = caCertFile == nil
                ? "if the server uses a self-signed certificate, add the remote with `--ca-cert FILE` (gloss remote rm \(name); gloss remote add \(name) \(baseURL) --ca-cert FILE)"
                : "the server's certificate verifies neither against the system CAs nor against this remote's CA certificate; check the file given to --ca-cert"
            return SyncError(.unavailable, "cannot verify the TLS certificate of \(name) (\(baseURL)): \(error.message)", hint: hint)
        }
        if Self.isTransient(error) || error.kind == .dns {
            return SyncError(
                .unavailable, "cannot reach \(name) (\(baseURL)): \(error.message)\(tries)",
                hint: "check that the server is running and the URL is right; local changes are kept and sync later")
        }
        return SyncError(.unavailable, "the exchange with \(name) failed: \(error.message)\(tries)", hint: error.hint)
    }

    func decode<T: Decodable>(_ type: T.Type, _ response: HTTPResponse, else kind: SyncError.Kind) throws -> T {
        if T.self == PullResponse.self, let page = ChangeJSON.decodePull(response.body) as? T { return page }
        do {
            return try Wire.decoder().decode(T.self, from: response.body)
        } catch {
            throw SyncError(
                kind, "\(name) answered \(response.url.path) with something that is not a Gloss reply",
                hint: "check that \(baseURL) is a Gloss server of a compatible version")
        }
    }

    /// A page must continue the log exactly where it was asked to, with valid records.
    func verify(_ page: PullResponse, site: String, after: Int64, previous: Change?) throws {
        var expected = after + 1
        var prev = previous?.hash
        for change in page.changes {
            let ref = "\(change.site):\(change.seq)"
            var problem: String?
            if change.site != site || page.site != site {
                problem = "it belongs to another site"
            } else if change.seq != expected {
                problem = "expected seq \(expected)"
            } else if !change.hashIsValid {
                problem = "its hash does not match its content"
            } else if let prev, change.prev != prev {
                problem = "it does not chain onto the change before it"
            }
            if let problem {
                throw SyncError(
                    .damaged, "\(name) sent change \(ref) that fails verification: \(problem); \(site) not pulled further",
                    hint: "the server's store may be damaged; tell its operator")
            }
            prev = change.hash
            expected += 1
        }
    }
}
