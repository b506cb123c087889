import Foundation
import GlossServer
import GlossStorage
import GlossSync
import Testing

@Suite("Server accounts and tokens")
struct AuthTests {
    @Test(arguments: StoreKind.allCases)
    func loginGivesAWorkingToken(kind: StoreKind) async throws {
        try await Harness.with(kind) { h in
            try await h.addUser("alice")
            let result = try await h.request(
                "POST", Wire.Path.login, body: try Wire.encoder().encode(LoginRequest(user: "alice", password: "correct horse")))
            #expect(result.status == 200)
            let login = try result.decode(LoginResponse.self)
            #expect(login.token.count == 43)
            #expect(login.user == "alice")
            #expect(abs(login.expiresAt.timeIntervalSince(h.clock.now) - 90 * 86400) < 2)
            #expect(try await h.vector(login.token) == [:])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func wrongPasswordAndUnknownUserAreRefused(kind: StoreKind) async throws {
        try await Harness.with(kind) { h in
            try await h.addUser("alice")
            for (user, password) in [("alice", "wrong"), ("mallory", "correct horse"), ("ALICE", "correct horse")] {
                let result = try await h.request(
                    "POST", Wire.Path.login, body: try Wire.encoder().encode(LoginRequest(user: user, password: password)))
                #expect(result.status == 401)
                #expect(result.errorCode == "unauthorized")
                #expect(result.headers["www-authenticate"]?.hasPrefix("Bearer") == true)
            }
        }
    }

    @Test(arguments: StoreKind.allCases)
    func passwordGuessingIsLimitedPerAddress(kind: StoreKind) async throws {
        try await Harness.with(kind, configure: { $0.loginAttemptsPerMinute = 2 }) { h in
            try await h.addUser("alice")
            let wrong = try Wire.encoder().encode(LoginRequest(user: "alice", password: "guess"))
            let right = try Wire.encoder().encode(LoginRequest(user: "alice", password: "correct horse"))
            for _ in 0..<2 { #expect(try await h.request("POST", Wire.Path.login, body: wrong).status == 401) }
            let limited = try await h.request("POST", Wire.Path.login, body: right)
            #expect(limited.status == 429)
            #expect(limited.errorCode == "rate_limited")
            #expect(limited.headers["retry-after"] != nil)
            h.clock.advance(by: 30)
            #expect(try await h.request("POST", Wire.Path.login, body: right).status == 200)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func everyVaultEndpointNeedsAValidToken(kind: StoreKind) async throws {
        try await Harness.with(kind) { h in
            let site = Site.random()
            let cases: [(String, String)] = [
                ("GET", Wire.Path.vector), ("POST", Wire.Path.push), ("GET", Wire.Path.pull(site: site)),
                ("POST", Wire.Path.logout),
            ]
            for (method, path) in cases {
                for token in [nil, "not-a-token", BearerToken.generate()] {
                    let body = method == "POST" ? Data("{}".utf8) : nil
                    let result = try await h.request(method, path, token: token, body: body)
                    #expect(result.status == 401, "\(method) \(path)")
                    #expect(result.errorCode == "unauthorized", "\(method) \(path)")
                }
            }
            // A malformed Authorization header is no token either.
            let result = try await h.request("GET", Wire.Path.vector, headers: ["Authorization": "Basic YWxpY2U6eA=="])
            #expect(result.errorCode == "unauthorized")
        }
    }

    @Test(arguments: StoreKind.allCases)
    func anExpiredTokenIsRefused(kind: StoreKind) async throws {
        try await Harness.with(kind, configure: { $0.tokenLifetime = 60 }) { h in
            let token = try await h.account("alice")
            #expect(try await h.vector(token) == [:])
            h.clock.advance(by: 59)
            #expect(try await h.request("GET", Wire.Path.vector, token: token).status == 200)
            h.clock.advance(by: 2)
            let result = try await h.request("GET", Wire.Path.vector, token: token)
            #expect(result.status == 401)
            #expect(result.errorCode == "token_expired")
            // Logging in again works.
            let fresh = try await h.login("alice")
            #expect(try await h.vector(fresh) == [:])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func longExpiredTokensAreForgottenAtTheNextLogin(kind: StoreKind) async throws {
        try await Harness.with(kind, configure: { $0.tokenLifetime = 60 }) { h in
            let old = try await h.account("alice")
            h.clock.advance(by: 8 * 86400)
            #expect(try await h.request("GET", Wire.Path.vector, token: old).errorCode == "token_expired")
            _ = try await h.login("alice")
            #expect(try await h.request("GET", Wire.Path.vector, token: old).errorCode == "unauthorized")
        }
    }

    @Test(arguments: StoreKind.allCases)
    func logoutRevokesOnlyThatToken(kind: StoreKind) async throws {
        try await Harness.with(kind) { h in
            let token = try await h.account("alice")
            let other = try await h.login("alice")
            let result = try await h.request("POST", Wire.Path.logout, token: token)
            #expect(result.status == 204)
            let after = try await h.request("GET", Wire.Path.vector, token: token)
            #expect(after.status == 401)
            #expect(after.errorCode == "unauthorized")
            #expect(try await h.request("GET", Wire.Path.vector, token: other).status == 200)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func oneUsersTokenNeverReachesAnothersVault(kind: StoreKind) async throws {
        try await Harness.with(kind) { h in
            let alice = try await h.account("alice")
            let bob = try await h.account("bob")
            let log = Log.make(count: 3)
            let site = log[0].site
            #expect(try await h.push(alice, site: site, log).status == 200)

            #expect(try await h.vector(bob) == [:])
            let pulled = try await h.pull(bob, site: site)
            #expect(pulled.status == 200)
            #expect(try pulled.decode(PullResponse.self).changes.isEmpty)

            // Bob writing the same site lands in Bob's vault only; Alice's log is untouched.
            let bobs = Log.make(site: site, count: 1, value: { _ in "bob's" })
            #expect(try await h.push(bob, site: site, bobs).status == 200)
            #expect(try await h.vector(alice) == [site: 3])
            #expect(try await h.vector(bob) == [site: 1])
            let alicePull = try await h.pull(alice, site: site).decode(PullResponse.self)
            #expect(alicePull.changes == log)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func removingAUserRemovesItsTokensAndVault(kind: StoreKind) async throws {
        try await Harness.with(kind) { h in
            let token = try await h.account("alice")
            let log = Log.make(count: 2)
            #expect(try await h.push(token, site: log[0].site, log).status == 200)
            #expect(try await h.store.removeUser(named: "alice"))
            #expect(try await h.request("GET", Wire.Path.vector, token: token).status == 401)
            // A new account with the same name starts empty and cannot use the old token.
            let fresh = try await h.account("alice")
            #expect(try await h.vector(fresh) == [:])
            #expect(try await h.store.removeUser(named: "nobody") == false)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func userNamesAreUniqueAndChecked(kind: StoreKind) async throws {
        try await Harness.with(kind) { h in
            try await h.addUser("alice")
            await #expect(throws: ServerStoreError.userExists("alice")) { try await h.addUser("alice") }
            await #expect(throws: ServerStoreError.invalidUserName("a b")) { try await h.addUser("a b") }
            let names = try await h.store.userSummaries().map(\.name)
            #expect(names == ["alice"])
        }
    }
}

@Suite("Password hashes and tokens")
struct CredentialTests {
    @Test func passwordHashesVerifyAndCarryTheirParameters() throws {
        let hasher = PasswordHasher(logN: 4)
        let hash = try hasher.hash("s3cret")
        #expect(hash.hasPrefix("scrypt$4$8$1$"))
        #expect(PasswordHasher.verify("s3cret", against: hash))
        #expect(!PasswordHasher.verify("s3cret ", against: hash))
        #expect(try hash != hasher.hash("s3cret"))  // salted
        for broken in ["", "scrypt$4$8$1$", "bcrypt$4$8$1$AAAA$AAAA", "scrypt$99$8$1$AAAA$AAAA"] {
            #expect(!PasswordHasher.verify("s3cret", against: broken))
        }
    }

    @Test func tokensAreRandomAndHashed() {
        let a = BearerToken.generate(), b = BearerToken.generate()
        #expect(a != b)
        #expect(a.count == 43)
        #expect(a.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
        #expect(BearerToken.hash(a).count == 64)
        #expect(BearerToken.parse(authorization: "Bearer \(a)") == a)
        #expect(BearerToken.parse(authorization: "bearer \(a)") == a)
        #expect(BearerToken.parse(authorization: "Basic \(a)") == nil)
        #expect(BearerToken.parse(authorization: "Bearer") == nil)
    }
}
