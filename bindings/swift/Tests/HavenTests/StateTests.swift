// XCTest suite of Haven's persisted state in Swift: a round trip restores every conversation, the bytes hold no
// message text, and corrupt bytes are refused without touching what the engine held. As in the Kotlin StateTest.
import Foundation
import Haven
import XCTest

final class StateTests: XCTestCase {
    func testExportThenImportRestoresEveryConversation() throws {
        let ids = ["sx-full-script-01", "gr-meetup-04", "bn-food-pic-05"]
        let fixtures = try ids.map(Fixture.load)
        let before = try HavenEngine(config: fixtures[0].config)
        for fixture in fixtures { _ = try fixture.play(on: before) }
        let after = try HavenEngine(config: fixtures[0].config)
        try after.importState(state: try before.exportState())
        XCTAssertEqual(try after.conversationCount(), UInt64(ids.count))
        for id in ids {
            let a = try before.currentAssessment(conversationId: id)
            let b = try after.currentAssessment(conversationId: id)
            XCTAssertEqual(a.level, b.level, id)
            XCTAssertEqual(a.stage, b.stage, id)
            XCTAssertEqual(a.pattern, b.pattern, id)
            XCTAssertEqual(a.score, b.score, accuracy: 1e-6, id)
            XCTAssertEqual(a.evidence.map(\.kind), b.evidence.map(\.kind), id)
        }
    }

    func testExportedStateHoldsNoMessageText() throws {
        let fixture = try Fixture.load("sx-full-script-01")
        let engine = try HavenEngine(config: fixture.config)
        _ = try fixture.play(on: engine)
        let blob = try engine.exportState()
        for line in fixture.messages {
            let words = line.text.split(separator: " ")
            for (a, b) in zip(words, words.dropFirst()) {
                XCTAssertNil(blob.range(of: Data("\(a) \(b)".utf8)), "\(a) \(b)")
            }
        }
    }

    func testCorruptStateIsRefusedAndTheEngineKeepsWhatItHeld() throws {
        let fixture = try Fixture.load("gr-meetup-04")
        let engine = try HavenEngine(config: fixture.config)
        _ = try fixture.play(on: engine)
        let blob = try engine.exportState()
        let before = try engine.currentAssessment(conversationId: fixture.id)
        var flipped = blob
        flipped[flipped.startIndex] ^= 0xFF
        var bitInTheMiddle = blob
        bitInTheMiddle[blob.startIndex + blob.count / 2] ^= 0x01
        let corrupt: [(String, Data)] = [
            ("empty", Data()),
            ("text", Data("not a haven state".utf8)),
            ("half", blob.prefix(blob.count / 2)),
            ("first byte flipped", flipped),
            ("a bit flipped in the middle", bitInTheMiddle),
        ]
        for (what, bad) in corrupt {
            XCTAssertThrowsError(try engine.importState(state: bad), what) { error in
                guard case .InvalidState(let message)? = error as? HavenError else {
                    return XCTFail("\(what): \(error)")
                }
                XCTAssertTrue(message.contains("state"), "\(what): \(message)")
            }
        }
        XCTAssertEqual(try engine.conversationCount(), 1)
        XCTAssertEqual(try engine.currentAssessment(conversationId: fixture.id), before)
    }
}
