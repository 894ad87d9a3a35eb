import A2A
import Foundation
import Testing

/// `A2AJSON.decodeValue` gives what `JSONDecoder` gives for a `JSONValue`, values and errors alike.
@Suite("JSON value decoding")
struct JSONValueDecodingTests {
    static let documents = [
        #"{"input":"Explain the A2A protocol","skill":"finalize"}"#,
        #"{"input":"x","metadata":{"snake_key":1,"n":-2.5e3,"list":[true,null,"s",{"a":{}}]},"webhook":"https://h/x"}"#,
        #"{"dup":1,"dup":2}"#, #"{"a":{"dup":"first","dup":"second"}}"#, #"[1,2,3]"#, #""just a string""#,
        #"{"text":"quote \" slash \/ unicode \u00e9 \ud83d\ude80"}"#, #"{"big":1e308,"tiny":1e-300,"zero":-0.0}"#,
        #"{"rounds to zero":1e-400}"#, "{\"bad utf8\":\"\u{FFFD}\"}", #"  {"spaced" : [ ] }  "#,
        // Foundation takes a trailing comma in an array (and so must the fast path), not in an object.
        #"{"a":[1,]}"#, #"{"a":1,}"#,
    ]

    @Test func valuesMatchJSONDecoder() throws {
        for text in Self.documents {
            let data = Data(text.utf8)
            let foundation = Result { try JSONDecoder().decode(JSONValue.self, from: data) }
            let fast = Result { try A2AJSON.decodeValue(data) }
            switch (foundation, fast) {
            case (.success(let expected), .success(let value)): #expect(value == expected, "\(text)")
            case (.failure, .failure): break
            default: Issue.record("\(text): Foundation \(foundation), fast \(fast)")
            }
        }
    }

    @Test func invalidDocumentsStillFail() {
        for text in ["", "{", #"{"a":}"#, #"{"a":1} trailing"#, "nul"] {
            #expect(throws: (any Error).self, "\(text)") { try A2AJSON.decodeValue(Data(text.utf8)) }
        }
        let invalidUTF8 = Data([0x7B, 0x22, 0x61, 0x22, 0x3A, 0x22, 0xFF, 0x22, 0x7D])
        #expect(
            (try? A2AJSON.decodeValue(invalidUTF8)) == (try? JSONDecoder().decode(JSONValue.self, from: invalidUTF8)))
    }
}
