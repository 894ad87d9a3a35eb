import Redis
import Testing

@Suite("Typed commands: scripts")
struct CommandsScriptsTests {
    @Test(
        "the script's SHA-1 matches known digests",
        arguments: [
            ("", "da39a3ee5e6b4b0d3255bfef95601890afd80709"),
            ("abc", "a9993e364706816aba3e25717850c26c9cd0d89d"),
            (
                "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
                "84983e441c3bd26ebaae4aa1f95129e5e54670f1"
            ),
            ("return 1", "e0e1f9fabfc9d4800c877a703b823ac0578ff8db"),
        ])
    func sha1(source: String, digest: String) {
        #expect(RedisScript(source).sha1 == digest)
    }

    @Test("a long source spans many blocks")
    func sha1Long() {
        #expect(RedisScript(String(repeating: "a", count: 1_000)).sha1 == "291e9a6c66994949b57ba5e650361e98fc36b1ba")
    }

    @Test("EVALSHA with keys and arguments")
    func evalsha() async throws {
        let script = RedisScript("return redis.call('GET', KEYS[1])")
        let runner = FakeRedisRunner(.bulk("v"))
        let reply = try await script.run(on: runner, keys: ["k"], arguments: ["a", 2])
        #expect(reply == .bulk("v"))
        #expect(runner.command == ["EVALSHA", script.sha1, "1", "k", "a", "2"])
    }

    @Test("NOSCRIPT loads the script and runs it again")
    func loadOnNoScript() async throws {
        let script = RedisScript("return 1")
        let runner = FakeRedisRunner(
            .error("NOSCRIPT No matching script. Please use EVAL."), .bulk(script.sha1), .integer(1))
        #expect(try await runner.evalScript(script) == .integer(1))
        #expect(
            runner.commands == [
                ["EVALSHA", script.sha1, "0"], ["SCRIPT", "LOAD", "return 1"], ["EVALSHA", script.sha1, "0"],
            ])
    }

    @Test("a script error is thrown, not retried")
    func scriptError() async throws {
        let runner = FakeRedisRunner(.error("ERR user_script:1: boom"))
        await #expect(throws: RedisError.server("ERR user_script:1: boom")) {
            try await runner.evalScript(RedisScript("error"))
        }
        #expect(runner.commands.count == 1)
    }

    @Test("SCRIPT LOAD naming a different SHA-1 is a protocol error")
    func mismatchedSHA() async throws {
        let runner = FakeRedisRunner(.bulk("0000"))
        await #expect(throws: RedisError.self) { try await runner.scriptLoad(RedisScript("return 1")) }
    }
}
