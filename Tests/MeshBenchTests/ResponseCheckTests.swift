import NIOCore
import Testing

@testable import MeshBench

@Suite struct ResponseCheckTests {
    @Test func errorMemberIsFoundAcrossChunks() {
        var scanner = ErrorMemberScanner()
        scanner.scan(ByteBuffer(string: #"{"jsonrpc":"2.0","id":1,"err"#))
        scanner.scan(ByteBuffer(string: #"or":{"code":-32603}}"#))
        let found = scanner.finish()
        #expect(found)
    }

    @Test(arguments: [
        #"{"result":{"parts":[{"text":"\"error\": and \"\"error"}]}}"#,
        #"{"jsonrpc":"2.0","result":{"metadata":{"error":1}},"id":"error"}"#,
        #"{"jsonrpc":"error","id":1,"result":{}}"#,
    ])
    func errorOutsideTheTopLevelMembersIsNotAnError(body: String) {
        var scanner = ErrorMemberScanner()
        scanner.scan(ByteBuffer(string: body))
        let found = scanner.finish()
        #expect(!found)
    }

    @Test func errorMemberInOnePieceIsFound() {
        var scanner = ErrorMemberScanner()
        scanner.scan(ByteBuffer(string: #"{"jsonrpc":"2.0","id":1,"error":{"code":-32603,"message":"boom"}}"#))
        let found = scanner.finish()
        #expect(found)
    }

    @Test func errorMemberIsFoundAtEveryOffset() {
        for padding in 0..<40 {
            var scanner = ErrorMemberScanner()
            let body = #"{"id":""# + String(repeating: "x", count: padding) + #"","error":{"code":1}}"#
            scanner.scan(ByteBuffer(string: body))
            let found = scanner.finish()
            #expect(found, "padding \(padding)")
        }
    }

    @Test func spacedErrorMemberIsFound() {
        var scanner = ErrorMemberScanner()
        scanner.scan(ByteBuffer(string: "{ \"id\": 1,\n  \"error\" : {\"code\": -32601} }"))
        let found = scanner.finish()
        #expect(found)
    }

    @Test func residentMemoryParsesVmRSS() {
        let status = "Name:\tmesh\nVmPeak:\t  100 kB\nVmRSS:\t   67616 kB\nThreads:\t4\n"
        #expect(ResidentMemory.parseVmRSS(status) == 67_616 * 1024)
        #expect(ResidentMemory.parseVmRSS("Name:\tkthreadd\n") == nil)
    }
}
