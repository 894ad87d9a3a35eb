import A2A
import Foundation
import NIOCore
import Testing

@testable import MeshBench

@Suite struct SendMessageTemplateTests {
    let target = BenchTarget(host: "127.0.0.1", port: 8080, path: "/")

    @Test func splicedBodyIsASendMessageRequestWithTheFreshId() throws {
        let template = try SendMessageTemplate(target: target, text: "hello")
        let body = template.body(runID: 0xABC, sequence: 42, allocator: ByteBufferAllocator())
        #expect(body.readableBytes == template.bodyLength)
        #expect(template.head.headers["Content-Length"] == [String(template.bodyLength)])
        #expect(template.head.headers["A2A-Version"] == ["1.0"])
        #expect(template.head.headers["Host"] == ["127.0.0.1:8080"])

        let request = try A2AJSON.decode(JSONRPCRequest<SendMessageRequest>.self, from: Data(body.readableBytesView))
        #expect(request.method == "SendMessage")
        let message = try #require(request.params?.message)
        #expect(message.messageId == "0000000000000abc-000000000000002a")
        #expect(message.messageId == SendMessageTemplate.messageID(runID: 0xABC, sequence: 42))
        #expect(message.role == Role.user)
        #expect(message.text == "hello")
    }

    @Test func everyBodyHasTheSameLength() throws {
        let template = try SendMessageTemplate(target: target, text: "a \"quoted\" text")
        let allocator = ByteBufferAllocator()
        let first = template.body(runID: 0, sequence: 0, allocator: allocator)
        let last = template.body(runID: .max, sequence: .max, allocator: allocator)
        #expect(first.readableBytes == last.readableBytes)
    }

    @Test func targetParsesURLs() throws {
        let parsed = try BenchTarget(url: "http://localhost:9999/a2a?x=1")
        #expect(parsed == BenchTarget(host: "localhost", port: 9999, path: "/a2a?x=1"))
        #expect(try BenchTarget(url: "http://127.0.0.1").path == "/")
        #expect(throws: BenchError.self) { try BenchTarget(url: "https://example.com/") }
    }
}
