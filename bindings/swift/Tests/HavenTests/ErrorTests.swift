// XCTest suite of the errors Haven's Swift API throws: each is a HavenError naming what was wrong, and a refused
// call changes nothing. The same cases as the Kotlin ErrorTest.
import Foundation
import Haven
import XCTest

final class ErrorTests: XCTestCase {
    private func hello(at t: Int64 = 1_700_000_000_000, _ text: String = "hi") -> Message {
        Message(direction: .fromContact, text: text, timestampMs: t, attachments: [])
    }

    func testABadConfigurationIsRefusedWithTheFieldNamed() {
        let max = limits().maxConversations
        let bad: [(EngineConfig, String)] = [
            (EngineConfig(region: "USA"), "region"),
            (EngineConfig(region: ""), "region"),
            (EngineConfig(userAge: 3), "user_age"),
            (EngineConfig(userAge: 200), "user_age"),
            (EngineConfig(maxConversations: 0), "max_conversations"),
            (EngineConfig(maxConversations: max + 1), "max_conversations"),
        ]
        for (config, field) in bad {
            XCTAssertThrowsError(try HavenEngine(config: config), field) {
                guard case .InvalidConfig(let message)? = $0 as? HavenError else { return XCTFail("\(field): \($0)") }
                XCTAssertTrue(message.contains(field), message)
            }
        }
    }

    func testConversationIdsMustBe1To256Bytes() throws {
        let engine = try HavenEngine(config: EngineConfig())
        let longest = String(repeating: "x", count: Int(limits().maxConversationIdBytes))
        _ = try engine.observe(conversationId: longest, message: hello())
        for id in ["", longest + "x", String(repeating: "é", count: 129)] {
            func refused(_ call: () throws -> Void) {
                XCTAssertThrowsError(try call(), "\(id.utf8.count) bytes") {
                    guard case .InvalidConversationId(let message)? = $0 as? HavenError else { return XCTFail("\($0)") }
                    XCTAssertTrue(message.contains("conversation id"), message)
                }
            }
            refused { _ = try engine.observe(conversationId: id, message: hello()) }
            refused { try engine.setContact(conversationId: id, contact: ContactContext()) }
            refused { _ = try engine.currentAssessment(conversationId: id) }
        }
        XCTAssertEqual(try engine.conversationCount(), 1)
    }

    func testAbsurdTimestampsAreRefusedAndChangeNothing() throws {
        let engine = try HavenEngine(config: EngineConfig())
        _ = try engine.observe(conversationId: "c", message: hello(_: "hey"))
        let before = try engine.currentAssessment(conversationId: "c")
        for t in [-1, limits().maxTimestampMs + 1, Int64.min, Int64.max] {
            XCTAssertThrowsError(try engine.observe(conversationId: "c", message: hello(at: t, "i have ur pics"))) {
                guard case .InvalidTimestamp(let message)? = $0 as? HavenError else { return XCTFail("\($0)") }
                XCTAssertTrue(message.contains(String(t)), message)
            }
        }
        XCTAssertEqual(try engine.currentAssessment(conversationId: "c"), before)
    }

    func testAnUnknownConversationIsReported() throws {
        let engine = try HavenEngine(config: EngineConfig())
        XCTAssertThrowsError(try engine.currentAssessment(conversationId: "never-seen")) {
            guard case .UnknownConversation(let message)? = $0 as? HavenError else { return XCTFail("\($0)") }
            XCTAssertTrue(message.contains("never-seen"), message)
        }
    }

    func testEveryErrorDescribesItselfForTheApp() {
        XCTAssertThrowsError(try HavenEngine(config: EngineConfig(region: "??"))) { error in
            XCTAssertTrue(error is HavenError)
            XCTAssertTrue(String(describing: error).contains("invalid configuration"), "\(error)")
        }
    }
}
