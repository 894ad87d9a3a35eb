import A2A
import Foundation
import Testing

@Suite struct IdentifierTests {
    @Test func idsAreLowercaseVersion4UUIDs() throws {
        for _ in 0..<1000 {
            let id = Identifier.make()
            #expect(id.utf8.count == 36)
            #expect(id == id.lowercased())
            let uuid = try #require(UUID(uuidString: id), "\(id) is not a UUID")
            #expect(uuid.uuidString.lowercased() == id)
            let bytes = withUnsafeBytes(of: uuid.uuid) { Array($0) }
            #expect(bytes[6] >> 4 == 4, "version nibble of \(id)")
            #expect(bytes[8] >> 6 == 0b10, "variant bits of \(id)")
        }
    }

    /// Far more ids than one 4 KiB draw holds, from several threads at once: none repeats.
    @Test func idsDoNotRepeatAcrossRefillsAndThreads() async {
        let ids = await withTaskGroup(of: [String].self) { group in
            for _ in 0..<4 {
                group.addTask { (0..<2_000).map { _ in Identifier.make() } }
            }
            var all: [String] = []
            for await batch in group { all += batch }
            return all
        }
        #expect(ids.count == 8_000)
        #expect(Set(ids).count == ids.count)
    }

    /// Each hex digit position takes many values, so no digit is stuck (e.g. by a wrong shift).
    @Test func everyRandomDigitVaries() {
        let ids = (0..<500).map { _ in Array(Identifier.make().utf8) }
        for position in 0..<36 where ![8, 13, 14, 18, 19, 23].contains(position) {
            let values = Set(ids.map { $0[position] })
            #expect(values.count > 8, "position \(position) took only \(values.count) values")
        }
    }
}
