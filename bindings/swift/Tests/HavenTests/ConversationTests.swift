// XCTest suite for Haven's Swift API: whole conversations, contact context, state persistence, errors,
// concurrency and lifetimes, on the repository's fixtures. The same scenarios as the Python and Kotlin suites.
import Foundation
import Haven
import XCTest

final class ConversationTests: XCTestCase {
    func testSextortionScriptEndsOnAWarningOrCrisisCardWithHelp() throws {
        let fixture = try Fixture.load("sx-full-script-01")
        let engine = try HavenEngine(config: fixture.config)
        let assessments = try fixture.play(on: engine)

        let last = try XCTUnwrap(assessments.last)
        XCTAssertGreaterThanOrEqual(rank(last.level), rank(fixture.expect.min_level!))
        XCTAssertEqual(last.pattern, .sextortion)
        XCTAssertTrue([InterventionKind.warning, .crisis].contains(last.intervention.kind))
        XCTAssertEqual(last.intervention.topic, .sextortion)
        XCTAssertFalse(last.intervention.headline.isEmpty)
        XCTAssertTrue(last.intervention.actions.contains { $0.action == .dontPay })
        XCTAssertFalse(last.intervention.resources.isEmpty, "a sextortion card must list help")
        XCTAssertTrue(last.intervention.resources.contains { $0.phone != nil || $0.url != nil })
        // One assessment per message, indexed in the order observed.
        XCTAssertEqual(assessments.first?.messageIndex, 0)
        XCTAssertEqual(last.messageIndex, UInt32(fixture.messages.count - 1))
    }

    func testEvidenceSpansPointAtTheWordsInUTF16() throws {
        let fixture = try Fixture.load("sx-full-script-01")
        let engine = try HavenEngine(config: fixture.config)
        let last = try XCTUnwrap(try fixture.play(on: engine).last)
        let spanned = last.evidence.filter { $0.span != nil }
        XCTAssertFalse(spanned.isEmpty)
        for signal in spanned {
            let span = signal.span!
            let text = fixture.messages[Int(signal.messageIndex)].text as NSString
            XCTAssertLessThan(span.startUtf16, span.endUtf16)
            XCTAssertLessThanOrEqual(Int(span.endUtf16), text.length)
            XCTAssertFalse(text.substring(with: NSRange(location: Int(span.startUtf16),
                                                        length: Int(span.endUtf16 - span.startUtf16))).isEmpty)
        }
    }

    func testBenignConversationsStayWithinTheirExpectedLevel() throws {
        // Plain chats expect no card at all; chats with trap words ("send a pic" of homework) at most a tip.
        for id in ["bn-food-pic-05", "bn-memes-18", "bn-homework-pic-02", "bn-haircut-selfie-01"] {
            let fixture = try Fixture.load(id)
            let engine = try HavenEngine(config: fixture.config)
            for assessment in try fixture.play(on: engine) {
                XCTAssertLessThanOrEqual(rank(assessment.level), rank(fixture.expect.max_level!), id)
                if fixture.expect.max_level == "none" {
                    XCTAssertEqual(assessment.intervention.kind, InterventionKind.none, id)
                }
            }
        }
    }

    func testAStrangerIsRiskierThanAFriendForTheSameWords() throws {
        let fixture = try Fixture.load("sx-full-script-01")
        let engine = try HavenEngine(config: fixture.config)
        let early = Array(fixture.havenMessages.prefix(9))
        try engine.setContact(conversationId: "stranger",
                              contact: ContactContext(newContact: true, mutualConnections: 0, accountAgeDays: 3,
                                                      knownForDays: nil))
        try engine.setContact(conversationId: "friend",
                              contact: ContactContext(newContact: false, mutualConnections: 40, accountAgeDays: 1500,
                                                      knownForDays: 700))
        var stranger: Assessment?
        var friend: Assessment?
        for message in early {
            stranger = try engine.observe(conversationId: "stranger", message: message)
            friend = try engine.observe(conversationId: "friend", message: message)
        }
        XCTAssertGreaterThan(stranger!.score, friend!.score)
        XCTAssertGreaterThanOrEqual(rank(stranger!.level), rank(friend!.level))
    }

    func testAPhotoFromTheTeenAfterAnImageRequestIsTheExchangeStage() throws {
        let fixture = try Fixture.load("sx-full-script-01")
        let engine = try HavenEngine(config: fixture.config)
        try engine.setContact(conversationId: fixture.id, contact: fixture.contactContext!)
        let messages = fixture.havenMessages
        let photo = try XCTUnwrap(messages.firstIndex { $0.direction == .fromUser && $0.attachments == [.image] })
        var before: Assessment?
        for message in messages.prefix(photo) {
            before = try engine.observe(conversationId: fixture.id, message: message)
        }
        XCTAssertNotEqual(before?.stage, .exchange)
        let after = try engine.observe(conversationId: fixture.id, message: messages[photo])
        XCTAssertEqual(after.stage, .exchange)
        XCTAssertTrue(after.signals.contains { $0.kind == .imageShared && $0.span == nil && $0.rule.isEmpty })
    }

    func testStateSurvivesARestartThroughExportAndImport() throws {
        let fixture = try Fixture.load("sx-full-script-01")
        let messages = fixture.havenMessages
        let half = messages.count / 2

        let before = try HavenEngine(config: fixture.config)
        try before.setContact(conversationId: fixture.id, contact: fixture.contactContext!)
        for message in messages.prefix(half) {
            _ = try before.observe(conversationId: fixture.id, message: message)
        }
        let saved = try before.exportState()
        XCTAssertFalse(saved.isEmpty)

        let after = try HavenEngine(config: fixture.config)
        try after.importState(state: saved)
        XCTAssertEqual(try after.conversationCount(), 1)
        let restored = try after.currentAssessment(conversationId: fixture.id)
        let original = try before.currentAssessment(conversationId: fixture.id)
        XCTAssertEqual(restored.level, original.level)
        XCTAssertEqual(restored.stage, original.stage)
        XCTAssertEqual(restored.score, original.score, accuracy: 1e-6)

        // Both engines then continue identically: the evidence, not just the level, was restored.
        for message in messages.dropFirst(half) {
            let a = try before.observe(conversationId: fixture.id, message: message)
            let b = try after.observe(conversationId: fixture.id, message: message)
            XCTAssertEqual(a.level, b.level)
            XCTAssertEqual(a.score, b.score, accuracy: 1e-6)
        }
    }

    func testEveryErrorSaysWhatWasWrongAndChangesNothing() throws {
        func expect(_ call: () throws -> Void, _ check: (HavenError) -> Bool, _ what: String) {
            XCTAssertThrowsError(try call(), what) { error in
                guard let haven = error as? HavenError else { return XCTFail("\(what): not a HavenError: \(error)") }
                XCTAssertTrue(check(haven), "\(what): wrong variant \(haven)")
                XCTAssertFalse(String(describing: haven).isEmpty)
            }
        }
        let config = EngineConfig(userAge: 15, region: "US", languages: ["en"], sensitivity: nil, maxConversations: 10)
        expect({ _ = try HavenEngine(config: EngineConfig(userAge: 15, region: "USA", languages: [], sensitivity: nil,
                                                          maxConversations: 10)) },
               { if case .InvalidConfig = $0 { return true } else { return false } }, "region")
        expect({ _ = try HavenEngine(config: EngineConfig(userAge: 3, region: "US", languages: [], sensitivity: nil,
                                                          maxConversations: 10)) },
               { if case .InvalidConfig = $0 { return true } else { return false } }, "age")

        let engine = try HavenEngine(config: config)
        let hello = Message(direction: .fromContact, text: "hi", timestampMs: 1_000, attachments: [])
        _ = try engine.observe(conversationId: "kept", message: hello)
        expect({ _ = try engine.observe(conversationId: "", message: hello) },
               { if case .InvalidConversationId = $0 { return true } else { return false } }, "empty id")
        expect({ _ = try engine.observe(conversationId: String(repeating: "x", count: 300), message: hello) },
               { if case .InvalidConversationId = $0 { return true } else { return false } }, "long id")
        expect({ _ = try engine.observe(conversationId: "kept",
                                        message: Message(direction: .fromUser, text: "hi", timestampMs: -1,
                                                         attachments: [])) },
               { if case .InvalidTimestamp = $0 { return true } else { return false } }, "timestamp")
        expect({ _ = try engine.currentAssessment(conversationId: "never-seen") },
               { if case .UnknownConversation = $0 { return true } else { return false } }, "unknown")
        expect({ try engine.importState(state: Data("not haven state".utf8)) },
               { if case .InvalidState = $0 { return true } else { return false } }, "garbage state")
        var truncated = try engine.exportState()
        truncated.removeLast()
        expect({ try engine.importState(state: truncated) },
               { if case .InvalidState = $0 { return true } else { return false } }, "truncated state")
        // The refused calls left the engine as it was.
        XCTAssertEqual(try engine.conversationCount(), 1)
        XCTAssertEqual(try engine.currentAssessment(conversationId: "kept").messageIndex, 0)
    }

    func testOneEngineServesManyThreadsAtOnce() throws {
        let fixture = try Fixture.load("sx-full-script-01")
        let engine = try HavenEngine(config: fixture.config)
        let threads = 8
        var finals = [Level?](repeating: nil, count: threads)
        let lock = NSLock()
        DispatchQueue.concurrentPerform(iterations: threads) { i in
            let level = try? fixture.play(on: engine, as: "conversation-\(i)").last?.level
            lock.lock()
            finals[i] = level
            lock.unlock()
        }
        XCTAssertEqual(try engine.conversationCount(), UInt64(threads))
        let expected = try fixture.play(on: HavenEngine(config: fixture.config)).last!.level
        XCTAssertEqual(finals, [Level?](repeating: expected, count: threads))
    }

    func testThreadsSharingOneConversationLoseNoMessage() throws {
        let engine = try HavenEngine(config: EngineConfig())
        let threads = 8, perThread = 50
        DispatchQueue.concurrentPerform(iterations: threads) { i in
            for k in 0..<perThread {
                _ = try? engine.observe(conversationId: "shared",
                                        message: Message(direction: .fromContact, text: "msg \(i) \(k)",
                                                         timestampMs: 1_700_000_000_000 + Int64(k), attachments: []))
                _ = try? engine.currentAssessment(conversationId: "shared")
            }
        }
        XCTAssertEqual(try engine.currentAssessment(conversationId: "shared").messageIndex,
                       UInt32(threads * perThread - 1))
    }

    func testForgetDropsAConversation() throws {
        let engine = try HavenEngine(config: EngineConfig(userAge: nil, region: "GB", languages: ["en"],
                                                          sensitivity: nil, maxConversations: 10))
        _ = try engine.observe(conversationId: "chat",
                               message: Message(direction: .fromContact, text: "hey", timestampMs: 0, attachments: []))
        XCTAssertTrue(try engine.forget(conversationId: "chat"))
        XCTAssertFalse(try engine.forget(conversationId: "chat"))
        XCTAssertEqual(try engine.conversationCount(), 0)
        XCTAssertEqual(try engine.config().region, "GB")
    }

    func testEnginesAreFreedWhenTheLastReferenceGoes() throws {
        // Each engine's Rust side is dropped with its last Swift reference; many short-lived engines must not
        // accumulate state or fail.
        for i in 0..<200 {
            let engine = try HavenEngine(config: EngineConfig(userAge: nil, region: "US", languages: [],
                                                              sensitivity: nil, maxConversations: 10))
            _ = try engine.observe(conversationId: "c\(i)",
                                   message: Message(direction: .fromContact, text: "hi", timestampMs: 0,
                                                    attachments: []))
            XCTAssertEqual(try engine.conversationCount(), 1)
        }
    }
}
