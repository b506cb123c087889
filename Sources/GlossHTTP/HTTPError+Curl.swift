import CCurl
import Foundation

extension HTTPError {
    /// The error for a failed `curl_easy_perform`, worded for the user.
    init(
        curlCode code: CURLcode, detail: String, request: HTTPRequest, effectiveURL: String,
        redirectURL: String?, options: HTTPOptions, transfer: Transfer
    ) {
        let url = request.url.absoluteString
        let host = request.url.host ?? url
        let place = request.url.port.map { "\(host):\($0)" } ?? host
        let curl = Int(code.rawValue)
        func make(_ kind: Kind, _ message: String, _ hint: String) -> HTTPError {
            HTTPError(kind: kind, message: message, hint: hint, curlCode: curl)
        }
        let error: HTTPError
        switch code {
        case CURLE_COULDNT_RESOLVE_HOST:
            error = make(.dns, "could not find the host \(host)", "check the address and your network connection")
        case CURLE_COULDNT_RESOLVE_PROXY:
            error = make(.dns, "could not find the proxy host", "check your proxy settings")
        case CURLE_COULDNT_CONNECT:
            error = make(.connect, "could not connect to \(place)", "check the address; is the server running and reachable?")
        case CURLE_OPERATION_TIMEDOUT:
            if detail.lowercased().contains("connection timed out")
                || detail.lowercased().contains("connect") && !detail.contains("received")
            {
                error = make(
                    .timeout, "timed out connecting to \(place) after \(Self.seconds(options.connectTimeout))",
                    "check the address and your network connection, or try again later")
            } else {
                error = make(
                    .timeout, "timed out after \(Self.seconds(options.timeout)) fetching \(effectiveURL)",
                    "the server is too slow; try again later")
            }
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM,
            CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH,
            CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_CIPHER, CURLE_SSL_ENGINE_NOTFOUND,
            CURLE_SSL_SHUTDOWN_FAILED, CURLE_SSL_CRL_BADFILE, CURLE_USE_SSL_FAILED:
            let what = detail.isEmpty ? "TLS failed" : detail
            let hint = options.extraCAFile == nil
                ? "the server's certificate is not trusted; for a self-signed server pass its CA certificate (--ca-cert FILE)"
                : "the server's certificate does not verify against the system CAs or \(options.extraCAFile!)"
            error = make(.tls, "secure connection to \(place) failed: \(what)", hint)
        case CURLE_TOO_MANY_REDIRECTS:
            error = make(
                .tooManyRedirects, "too many redirects (more than \(options.maxRedirects)) fetching \(url)",
                "the page redirects in a loop; check the address")
        case CURLE_UNSUPPORTED_PROTOCOL:
            let target = redirectURL ?? effectiveURL
            let allowed = Easy.allowedList(options.allowedProtocols.sorted())
            let message = target != url
                ? "refused a redirect from \(url) to \(target)"
                : "refused to fetch \(url)"
            error = make(.protocolRefused, message, "only \(allowed) URLs are allowed")
        case CURLE_FILESIZE_EXCEEDED:
            error = make(
                .tooLarge, "the response from \(effectiveURL) is larger than \(Self.bytes(options.maxResponseBytes))",
                "the size limit guards against runaway downloads; check the address")
        case CURLE_WRITE_ERROR where transfer.exceededLimit:
            error = make(
                .tooLarge, "the response from \(effectiveURL) is larger than \(Self.bytes(options.maxResponseBytes))",
                "the size limit guards against runaway downloads; check the address")
        case CURLE_ABORTED_BY_CALLBACK where transfer.cancel.isSet:
            error = make(.cancelled, "cancelled fetching \(url)", "nothing was fetched")
        case CURLE_URL_MALFORMAT:
            error = make(.invalidURL, "not a valid URL: \(url)", "check the address")
        case CURLE_GOT_NOTHING, CURLE_RECV_ERROR, CURLE_SEND_ERROR, CURLE_PARTIAL_FILE,
            CURLE_HTTP2, CURLE_HTTP2_STREAM, CURLE_WEIRD_SERVER_REPLY, CURLE_BAD_CONTENT_ENCODING:
            error = make(
                .connection, "the connection to \(place) failed: \(detail.isEmpty ? "no usable reply" : detail)",
                "try again later")
        default:
            let reason = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
            error = make(.other, "fetching \(url) failed: \(reason) (curl error \(curl))", "try again later")
        }
        self = error
    }

    static func seconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value)) s" : "\(value) s"
    }

    static func bytes(_ count: Int) -> String {
        if count >= 1024 * 1024, count % (1024 * 1024) == 0 { return "\(count / (1024 * 1024)) MB" }
        if count >= 1024, count % 1024 == 0 { return "\(count / 1024) KB" }
        return "\(count) bytes"
    }
}
