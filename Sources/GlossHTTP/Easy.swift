import CCurl
import Foundation

/// One libcurl easy handle — the only code that calls libcurl (STYLE.md 1). Made in `init`,
/// cleaned up in `deinit`; one handle per request. Not thread-safe: use it on one thread.
final class Easy {
    private let handle: UnsafeMutableRawPointer
    /// libcurl writes its detailed error message here.
    private let errorBuffer: UnsafeMutablePointer<CChar>

    /// `curl_global_init`, run once before the first handle (a `static let` runs once).
    private static let globalInit: CURLcode = curl_global_init(Int(CURL_GLOBAL_DEFAULT))

    init() throws(HTTPError) {
        guard Easy.globalInit == CURLE_OK, let handle = curl_easy_init() else {
            throw HTTPError(
                kind: .other, message: "libcurl could not start",
                hint: "check that libcurl is installed correctly")
        }
        self.handle = handle
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
    }

    deinit {
        curl_easy_cleanup(handle)
        errorBuffer.deallocate()
    }

    /// Runs `request` to completion on the calling thread (blocking), honouring `options`;
    /// `cancel` aborts the transfer when set from another thread.
    func perform(
        _ request: HTTPRequest, options: HTTPOptions, cancel: CancellationFlag
    ) throws(HTTPError) -> HTTPResponse {
        let url = request.url.absoluteString
        let protocols = options.allowedProtocols.map { $0.lowercased() }
            .filter { $0 == "http" || $0 == "https" }.sorted()
        let scheme = request.url.scheme?.lowercased() ?? ""
        guard protocols.contains(scheme) else {
            throw HTTPError(
                kind: .protocolRefused, message: "refused to fetch \(url)",
                hint: "only \(Easy.allowedList(protocols)) URLs are allowed")
        }

        let transfer = Transfer(limit: options.maxResponseBytes, cancel: cancel)
        let context = Unmanaged.passUnretained(transfer).toOpaque()
        var headerList: UnsafeMutablePointer<curl_slist>? = nil
        defer { curl_slist_free_all(headerList) }

        set(CURLOPT_URL, url)
        set(CURLOPT_NOSIGNAL, 1)
        set(CURLOPT_USERAGENT, options.userAgent)
        set(CURLOPT_PROTOCOLS_STR, protocols.joined(separator: ","))
        set(CURLOPT_REDIR_PROTOCOLS_STR, protocols.joined(separator: ","))
        set(CURLOPT_FOLLOWLOCATION, options.maxRedirects > 0 ? 1 : 0)
        set(CURLOPT_MAXREDIRS, max(0, options.maxRedirects))
        set(CURLOPT_CONNECTTIMEOUT_MS, Int(options.connectTimeout * 1000))
        set(CURLOPT_TIMEOUT_MS, Int(options.timeout * 1000))
        set(CURLOPT_SSL_VERIFYPEER, 1)
        set(CURLOPT_SSL_VERIFYHOST, 2)
        _ = ccurl_setopt_off(handle, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(options.maxResponseBytes))
        if options.acceptCompressed { set(CURLOPT_ACCEPT_ENCODING, "gzip, deflate") }
        if let caFile = options.extraCAFile {
            let pem = try Easy.trustBundle(extraCAFile: caFile, systemBundle: string(CURLINFO_CAINFO))
            _ = pem.withUnsafeBytes { ccurl_setopt_blob(handle, CURLOPT_CAINFO_BLOB, $0.baseAddress, $0.count) }
        }
        _ = ccurl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer)

        // Method and body.
        let method = request.method.uppercased()
        switch method {
        case "GET": set(CURLOPT_HTTPGET, 1)
        case "HEAD": set(CURLOPT_NOBODY, 1)
        case "POST": set(CURLOPT_POST, 1)
        default: set(CURLOPT_CUSTOMREQUEST, method)
        }
        if let body = request.body {
            _ = ccurl_setopt_off(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count))
            _ = body.withUnsafeBytes {
                ccurl_setopt_pointer(handle, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: $0.baseAddress))
            }
            headerList = curl_slist_append(headerList, "Expect:")
        }
        for (name, value) in request.headers {
            headerList = curl_slist_append(headerList, "\(name): \(value)")
        }
        if headerList != nil { _ = ccurl_setopt_slist(handle, CURLOPT_HTTPHEADER, headerList) }

        // Callbacks: body (capped while streaming), headers (last response only), cancellation.
        _ = ccurl_setopt_pointer(handle, CURLOPT_WRITEDATA, context)
        _ = ccurl_setopt_data_callback(handle, CURLOPT_WRITEFUNCTION) { pointer, size, count, userdata in
            let transfer = Unmanaged<Transfer>.fromOpaque(userdata!).takeUnretainedValue()
            let length = size * count
            guard transfer.body.count + length <= transfer.limit else {
                transfer.exceededLimit = true
                return 0  // libcurl stops with CURLE_WRITE_ERROR
            }
            if let pointer, length > 0 {
                transfer.body.append(UnsafeRawPointer(pointer).assumingMemoryBound(to: UInt8.self), count: length)
            }
            return length
        }
        _ = ccurl_setopt_pointer(handle, CURLOPT_HEADERDATA, context)
        _ = ccurl_setopt_data_callback(handle, CURLOPT_HEADERFUNCTION) { pointer, size, count, userdata in
            let transfer = Unmanaged<Transfer>.fromOpaque(userdata!).takeUnretainedValue()
            let length = size * count
            guard let pointer else { return length }
            let line = String(decoding: UnsafeRawBufferPointer(start: pointer, count: length), as: UTF8.self)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            transfer.receivedHeaderLine(line)
            return length
        }
        set(CURLOPT_NOPROGRESS, 0)
        _ = ccurl_setopt_pointer(handle, CURLOPT_XFERINFODATA, context)
        _ = ccurl_setopt_xferinfo_callback(handle) { userdata, _, _, _, _ in
            let transfer = Unmanaged<Transfer>.fromOpaque(userdata!).takeUnretainedValue()
            return transfer.cancel.isSet ? 1 : 0
        }

        let code = withExtendedLifetime(transfer) { curl_easy_perform(handle) }
        let effectiveURL = string(CURLINFO_EFFECTIVE_URL) ?? url
        guard code == CURLE_OK else {
            throw HTTPError(
                curlCode: code, detail: String(cString: errorBuffer).trimmingCharacters(in: .whitespacesAndNewlines), request: request,
                effectiveURL: effectiveURL, redirectURL: string(CURLINFO_REDIRECT_URL),
                options: options, transfer: transfer)
        }
        var status = 0
        _ = ccurl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        return HTTPResponse(
            status: status, headers: transfer.headers, body: transfer.body,
            url: URL(string: effectiveURL) ?? request.url)
    }

    /// The PEM trusted when an extra CA file is given. libcurl lets a CA blob override the CA
    /// bundle file (only CApath stays), so the blob is the system bundle followed by the extra
    /// file: the system's authorities stay trusted.
    static func trustBundle(extraCAFile: String, systemBundle: String?) throws(HTTPError) -> Data {
        guard let extra = FileManager.default.contents(atPath: extraCAFile), !extra.isEmpty else {
            throw HTTPError(
                kind: .tls, message: "cannot read the CA certificate file \(extraCAFile)",
                hint: "give a readable PEM file")
        }
        var pem = systemBundle.flatMap { FileManager.default.contents(atPath: $0) } ?? Data()
        pem.append(Data("\n".utf8))
        pem.append(extra)
        return pem
    }

    /// The built-in CA bundle path libcurl was configured with.
    static var defaultCABundle: String? {
        (try? Easy())?.string(CURLINFO_CAINFO)
    }

    static func allowedList(_ protocols: [String]) -> String {
        protocols.isEmpty ? "no" : protocols.joined(separator: " and ")
    }

    private func set(_ option: CURLoption, _ value: Int) {
        _ = ccurl_setopt_long(handle, option, value)
    }

    private func set(_ option: CURLoption, _ value: String) {
        _ = ccurl_setopt_string(handle, option, value)
    }

    private func string(_ info: CURLINFO) -> String? {
        var pointer: UnsafeMutablePointer<CChar>? = nil
        guard ccurl_getinfo_string(handle, info, &pointer) == CURLE_OK, let pointer else { return nil }
        return String(cString: pointer)
    }
}

@available(*, unavailable)
extension Easy: Sendable {}

/// What one transfer has received so far; shared with libcurl's callbacks through an opaque
/// pointer, on the thread running `curl_easy_perform`.
final class Transfer {
    let limit: Int
    let cancel: CancellationFlag
    var body = Data()
    var headers = HTTPHeaders()
    var exceededLimit = false

    init(limit: Int, cancel: CancellationFlag) {
        self.limit = limit
        self.cancel = cancel
    }

    /// A status line starts a new response (after a redirect or a 100 Continue): only the last
    /// response's headers are kept.
    func receivedHeaderLine(_ line: String) {
        if line.hasPrefix("HTTP/") {
            headers = HTTPHeaders()
        } else if let colon = line.firstIndex(of: ":") {
            let name = line[..<colon].trimmingCharacters(in: .whitespaces)
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            if !name.isEmpty { headers.add(name: name, value: value) }
        }
    }
}

/// Set once from any thread to abort a running transfer.
final class CancellationFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false

    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}
