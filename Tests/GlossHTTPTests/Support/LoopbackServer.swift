import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A tiny HTTP/1.1 server on 127.0.0.1 (port chosen by the system) whose replies are written
/// byte for byte, so tests can send what real servers send and what they should not: chunked
/// bodies without Content-Length, endless streams, stalls, redirects to `file://`.
/// Shared by the GlossHTTP, GlossImport and CLI tests (the other copies are symlinks).
final class LoopbackServer: @unchecked Sendable {
    enum Reply: Sendable {
        /// These exact bytes, then close.
        case raw(Data)
        /// A 200 header with chunked encoding, then chunks of `chunkSize` bytes until the
        /// client hangs up (or 1 GB).
        case endlessChunks(contentType: String, chunkSize: Int)
        /// Reads the request and never answers (until the server stops).
        case stall
    }

    let port: Int
    private let listener: Int32
    private let routes: [String: Reply]
    private let lock = NSLock()
    private var stopped = false
    private let released = DispatchSemaphore(value: 0)
    private var stalls = 0
    /// Request heads received, in order (for assertions on what the client sent).
    var requests: [String] { lock.withLock { received } }
    private var received: [String] = []

    /// Serves `routes` (path without query → reply); unknown paths get a 404.
    init(routes: [String: Reply]) throws {
        self.routes = routes
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0, listen(fd, 64) == 0 else {
            close(fd)
            throw POSIXError(.EADDRINUSE)
        }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        listener = fd
        port = Int(UInt16(bigEndian: address.sin_port))
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    deinit { stop() }

    func url(_ path: String) -> URL { URL(string: "http://127.0.0.1:\(port)\(path)")! }

    /// Stops accepting, releases stalled connections.
    func stop() {
        let (wasStopped, stallCount): (Bool, Int) = lock.withLock {
            defer { stopped = true }
            return (stopped, stalls)
        }
        guard !wasStopped else { return }
        // Wakes the accept loop, which closes the socket itself: closing it here could hand
        // its descriptor number to another test's server while this loop still accepts on it.
        shutdown(listener, Int32(SHUT_RDWR))
        for _ in 0..<(stallCount + 64) { released.signal() }
    }

    /// Connections are served on their own threads (not GCD's small pool, which stalled
    /// connections could exhaust).
    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            if lock.withLock({ stopped }) {
                if client >= 0 { close(client) }
                close(listener)
                return
            }
            if client < 0 { continue }
            Thread { [self] in serve(client) }.start()
        }
    }

    private func serve(_ client: Int32) {
        defer { close(client) }
        var head = Data()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !head.contains(Data("\r\n\r\n".utf8)) && head.count < 65536 {
            let count = recv(client, &buffer, buffer.count, 0)
            if count <= 0 { return }
            head.append(buffer, count: count)
        }
        let text = String(decoding: head, as: UTF8.self)
        lock.withLock { received.append(text) }
        let target = text.split(separator: " ", maxSplits: 2).dropFirst().first.map(String.init) ?? "/"
        let path = String(target.split(separator: "?", maxSplits: 1).first ?? "/")
        switch routes[path] ?? .raw(Self.response(status: 404, body: Data("no such page".utf8))) {
        case .raw(let data):
            _ = write(client, data)
        case .endlessChunks(let contentType, let chunkSize):
            let header = "HTTP/1.1 200 OK\r\nContent-Type: \(contentType)\r\nTransfer-Encoding: chunked\r\n\r\n"
            guard write(client, Data(header.utf8)) else { return }
            let payload = Data(repeating: UInt8(ascii: "a"), count: chunkSize)
            var chunk = Data((String(chunkSize, radix: 16) + "\r\n").utf8)
            chunk.append(payload)
            chunk.append(Data("\r\n".utf8))
            var sent = 0
            while sent < 1 << 30, write(client, chunk) { sent += chunkSize }
        case .stall:
            lock.withLock { stalls += 1 }
            _ = released.wait(timeout: .now() + 60)
        }
    }

    /// Writes everything, without SIGPIPE; false when the peer has gone.
    private func write(_ fd: Int32, _ data: Data) -> Bool {
        data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let count = send(fd, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                if count <= 0 { return false }
                offset += count
            }
            return true
        }
    }

    /// A complete response with Content-Length.
    static func response(
        status: Int = 200, headers: [(String, String)] = [], body: Data = Data()
    ) -> Data {
        var head = "HTTP/1.1 \(status) \(status == 200 ? "OK" : "Status")\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        head += "Content-Length: \(body.count)\r\nConnection: close\r\n\r\n"
        return Data(head.utf8) + body
    }

    /// A redirect to `location`.
    static func redirect(_ location: String, status: Int = 302) -> Data {
        response(status: status, headers: [("Location", location)])
    }

    /// A chunked response (no Content-Length) of `body` in pieces of `chunkSize`.
    static func chunked(headers: [(String, String)], body: Data, chunkSize: Int = 1000) -> Data {
        var out = "HTTP/1.1 200 OK\r\n"
        for (name, value) in headers { out += "\(name): \(value)\r\n" }
        out += "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
        var data = Data(out.utf8)
        var index = body.startIndex
        while index < body.endIndex {
            let end = body.index(index, offsetBy: chunkSize, limitedBy: body.endIndex) ?? body.endIndex
            data.append(Data((String(end - index, radix: 16) + "\r\n").utf8))
            data.append(body[index..<end])
            data.append(Data("\r\n".utf8))
            index = end
        }
        data.append(Data("0\r\n\r\n".utf8))
        return data
    }

    /// `data` gzip-compressed by the system's gzip.
    static func gzip(_ data: Data) throws -> Data {
        try runTool("/bin/gzip", ["-c", "-n"], input: data)
    }

    /// Runs a tool with `input` on stdin and returns its stdout.
    static func runTool(_ path: String, _ arguments: [String], input: Data) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let inPipe = Pipe(), outPipe = Pipe()
        process.standardInput = inPipe
        process.standardOutput = outPipe
        try process.run()
        Thread {
            inPipe.fileHandleForWriting.write(input)
            try? inPipe.fileHandleForWriting.close()
        }.start()
        let output = outPipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return output
    }
}
