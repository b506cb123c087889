import Foundation
import Testing

@testable import GlossHTTP

/// GlossHTTP against a real server on loopback: each failure must come back as the right
/// `HTTPError` kind with a message a user can act on.
@Suite struct HTTPClientTests {
    let page = Data("<html><body><p>Hello</p></body></html>".utf8)

    func fetch(
        _ server: LoopbackServer, _ path: String, options: HTTPOptions = HTTPOptions()
    ) async -> Result<HTTPResponse, HTTPError> {
        do throws(HTTPError) {
            return .success(try await HTTPClient(options: options).get(server.url(path)))
        } catch {
            return .failure(error)
        }
    }

    func failure(_ result: Result<HTTPResponse, HTTPError>) -> HTTPError? {
        if case .failure(let error) = result { return error }
        return nil
    }

    @Test func getsBodyStatusAndHeaders() async throws {
        let server = try LoopbackServer(routes: [
            "/page": .raw(LoopbackServer.response(
                headers: [("Content-Type", "text/html; charset=\"Shift_JIS\""), ("X-Thing", "one")],
                body: page))
        ])
        defer { server.stop() }
        let response = try await fetch(server, "/page").get()
        #expect(response.status == 200)
        #expect(response.body == page)
        #expect(response.headers["x-thing"] == "one")
        #expect(response.headers["CONTENT-TYPE"] == "text/html; charset=\"Shift_JIS\"")
        #expect(response.mediaType == "text/html")
        #expect(response.charset == "Shift_JIS")
        #expect(response.url == server.url("/page"))
        let head = try #require(server.requests.first)
        #expect(head.contains("User-Agent: Gloss/0.1"))
    }

    @Test func followsRedirectsAndKeepsTheLastHeaders() async throws {
        let server = try LoopbackServer(routes: [
            "/old": .raw(LoopbackServer.redirect("/middle", status: 301)),
            "/middle": .raw(LoopbackServer.response(
                status: 302, headers: [("Location", "/new"), ("X-Hop", "middle")])),
            "/new": .raw(LoopbackServer.response(headers: [("Content-Type", "text/html")], body: page)),
        ])
        defer { server.stop() }
        let response = try await fetch(server, "/old").get()
        #expect(response.status == 200)
        #expect(response.body == page)
        #expect(response.url == server.url("/new"))
        #expect(response.headers["X-Hop"] == nil)
        #expect(response.headers["Content-Type"] == "text/html")
    }

    @Test func refusesARedirectToFile() async throws {
        let server = try LoopbackServer(routes: ["/sneaky": .raw(LoopbackServer.redirect("file:///etc/passwd"))])
        defer { server.stop() }
        let error = try #require(failure(await fetch(server, "/sneaky")))
        #expect(error.kind == .protocolRefused)
        #expect(error.description.contains("file:///etc/passwd"))
        #expect(error.description.contains("only http and https URLs are allowed"))
    }

    @Test(arguments: ["file:///etc/passwd", "ftp://127.0.0.1/x", "gopher://127.0.0.1/"])
    func refusesOtherSchemes(_ address: String) async throws {
        do throws(HTTPError) {
            _ = try await HTTPClient().get(URL(string: address)!)
            Issue.record("fetched \(address)")
        } catch {
            #expect(error.kind == .protocolRefused)
            #expect(error.description == "refused to fetch \(address) (only http and https URLs are allowed)")
        }
    }

    @Test func stopsARedirectLoop() async throws {
        let server = try LoopbackServer(routes: ["/loop": .raw(LoopbackServer.redirect("/loop"))])
        defer { server.stop() }
        var options = HTTPOptions()
        options.maxRedirects = 3
        let error = try #require(failure(await fetch(server, "/loop", options: options)))
        #expect(error.kind == .tooManyRedirects)
        #expect(error.description.contains("too many redirects (more than 3)"))
    }

    @Test func capsAStreamWithoutContentLength() async throws {
        let server = try LoopbackServer(routes: [
            "/endless": .endlessChunks(contentType: "text/html", chunkSize: 8192)
        ])
        defer { server.stop() }
        var options = HTTPOptions()
        options.maxResponseBytes = 64 * 1024
        let error = try #require(failure(await fetch(server, "/endless", options: options)))
        #expect(error.kind == .tooLarge)
        #expect(error.description.contains("larger than 64 KB"))
        #expect(server.requests.first?.contains("Content-Length") == false)
    }

    @Test func capsADeclaredContentLength() async throws {
        let server = try LoopbackServer(routes: [
            "/big": .raw(LoopbackServer.response(body: Data(count: 5000)))
        ])
        defer { server.stop() }
        var options = HTTPOptions()
        options.maxResponseBytes = 4000
        let error = try #require(failure(await fetch(server, "/big", options: options)))
        #expect(error.kind == .tooLarge)
        #expect(error.description.contains("larger than 4000 bytes"))
    }

    @Test func acceptsABodyAtTheCap() async throws {
        let server = try LoopbackServer(routes: [
            "/exact": .raw(LoopbackServer.chunked(headers: [], body: Data(count: 4000), chunkSize: 700))
        ])
        defer { server.stop() }
        var options = HTTPOptions()
        options.maxResponseBytes = 4000
        let response = try await fetch(server, "/exact", options: options).get()
        #expect(response.body.count == 4000)
    }

    @Test func timesOutOnAStalledServer() async throws {
        let server = try LoopbackServer(routes: ["/stall": .stall])
        defer { server.stop() }
        var options = HTTPOptions()
        options.timeout = 0.5
        let error = try #require(failure(await fetch(server, "/stall", options: options)))
        #expect(error.kind == .timeout)
        #expect(error.description.contains("timed out after 0.5 s"))
    }

    @Test func reportsAStatusOnlyWhenAsked() async throws {
        let server = try LoopbackServer(routes: [:])
        defer { server.stop() }
        let response = try await fetch(server, "/missing").get()
        #expect(response.status == 404)
        #expect(throws: HTTPError.self) { try response.requireSuccess() }
        do {
            try response.requireSuccess()
        } catch {
            #expect(error.kind == .status)
            #expect(error.status == 404)
            #expect(error.description.hasPrefix("HTTP 404 Not Found from \(server.url("/missing"))"))
            #expect(error.description.contains("check the address"))
        }
    }

    @Test func reportsARefusedConnection() async throws {
        let server = try LoopbackServer(routes: [:])
        let url = server.url("/")
        server.stop()
        do throws(HTTPError) {
            _ = try await HTTPClient().get(url)
            Issue.record("connected to a closed port")
        } catch {
            #expect(error.kind == .connect)
            #expect(error.description.contains("could not connect to 127.0.0.1:\(server.port)"))
        }
    }

    @Test func decodesGzip() async throws {
        let text = Data(String(repeating: "<p>compressible</p>", count: 500).utf8)
        let server = try LoopbackServer(routes: [
            "/gz": .raw(LoopbackServer.response(
                headers: [("Content-Type", "text/html"), ("Content-Encoding", "gzip")],
                body: try LoopbackServer.gzip(text)))
        ])
        defer { server.stop() }
        let response = try await fetch(server, "/gz").get()
        #expect(response.body == text)
        #expect(server.requests.first?.contains("Accept-Encoding: gzip, deflate") == true)
    }

    @Test func sendsMethodHeadersAndBody() async throws {
        let server = try LoopbackServer(routes: ["/echo": .raw(LoopbackServer.response(status: 201))])
        defer { server.stop() }
        var request = HTTPRequest(method: "POST", url: server.url("/echo"), body: Data("{}".utf8))
        request.headers.set(name: "Authorization", value: "Bearer abc")
        request.headers.set(name: "Content-Type", value: "application/json")
        let response = try await HTTPClient().send(request)
        #expect(response.status == 201)
        let head = try #require(server.requests.first)
        #expect(head.hasPrefix("POST /echo HTTP/1.1"))
        #expect(head.contains("Authorization: Bearer abc"))
        #expect(head.contains("Content-Length: 2"))
    }

    @Test func cancellingTheTaskAbortsTheTransfer() async throws {
        let server = try LoopbackServer(routes: ["/stall": .stall])
        defer { server.stop() }
        var options = HTTPOptions()
        options.timeout = 30  // a cancellation that did not work would end as a timeout
        let client = HTTPClient(options: options)
        let url = server.url("/stall")
        let task = Task { () -> HTTPError? in
            do throws(HTTPError) {
                _ = try await client.get(url)
                return nil
            } catch {
                return error
            }
        }
        task.cancel()
        let error = try #require(await task.value)
        #expect(error.kind == .cancelled)
    }

    @Test func runsRequestsInParallel() async throws {
        let server = try LoopbackServer(routes: ["/p": .raw(LoopbackServer.response(body: page))])
        defer { server.stop() }
        let client = HTTPClient()
        let url = server.url("/p")
        let bodies = try await withThrowingTaskGroup(of: Data.self) { group in
            for _ in 0..<8 { group.addTask { try await client.get(url).body } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(bodies == Array(repeating: page, count: 8))
    }
}
