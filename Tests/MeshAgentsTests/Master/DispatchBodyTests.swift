import A2A
import Foundation
@testable import MeshAgents
import Testing

/// `POST /dispatch` reads its body with the fast reader when it can, to the same request and skill as `Codable`.
@Suite struct DispatchBodyTests {
    static let message = #"{"messageId":"m","role":"ROLE_USER","parts":[{"text":"hi"}],"metadata":{"k":1}}"#

    @Test(arguments: [
        #"{"skill":"plan","message":\#(message)}"#,
        #"{"message":\#(message),"metadata":{"skill":"plan"},"configuration":{"historyLength":2}}"#,
        #"{"skill":"plan","message":\#(message),"tenant":"t"}"#,
    ])
    func theFastReaderReadsWhatCodableReads(_ body: String) throws {
        let bytes = Data(body.utf8)
        let fast = try #require(DispatchRoute.fastRead(bytes))
        guard case .success(let slow) = DispatchRoute.read(bytes) else {
            Issue.record("Codable refused \(body)")
            return
        }
        #expect(fast.skill == slow.skill)
        #expect(fast.request == slow.request)
    }

    /// Bodies the fast reader is not sure of go to `Codable`, which reads them or words the 400.
    @Test(arguments: [
        #"{"skill":"plan","skill":"retrieve","message":\#(message)}"#,
        #"{"skill":5,"message":\#(message)}"#,
        #"{"skill":"plan"}"#,
        #"{"skill":"plan","message":{"messageId":"m","role":"user","parts":[]}}"#,
        #"["not an object"]"#,
    ])
    func doubtfulBodiesAreLeftToCodable(_ body: String) {
        #expect(DispatchRoute.fastRead(Data(body.utf8)) == nil)
    }

    @Test func aBodyWithoutAMessageIsRefused() {
        guard case .failure(let response) = DispatchRoute.read(Data(#"{"skill":"plan"}"#.utf8)) else {
            Issue.record("a body without a message was read")
            return
        }
        #expect(response.status == .badRequest)
    }
}
