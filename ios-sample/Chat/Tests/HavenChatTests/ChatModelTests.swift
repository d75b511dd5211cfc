// XCTest suite of the iOS sample's chat logic against the real Haven library: the scripted conversations, state
// across restarts, a corrupt state file, blocking, and photos with and without an image model (the synthetic models
// of fixtures/models: fixed outputs, no real imagery). The same scenarios as the Android sample's JVM tests.
import Foundation
import Haven
import HavenChat
import XCTest

/// The repository root: HAVEN_REPO when scripts/test-swift.sh runs the suite, else found from this file's path
/// (ios-sample/Chat/Tests/HavenChatTests/ChatModelTests.swift).
private let repoRoot: URL = ProcessInfo.processInfo.environment["HAVEN_REPO"].map { URL(fileURLWithPath: $0) }
    ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

private let benignPhoto = try! Data(contentsOf: repoRoot.appendingPathComponent("fixtures/images/chelsea_cat.jpg"))
private let baseMs: Int64 = 1_764_000_000_000

/// One "launch" of the sample app: a service opened from the state file in `dir`, and a chat model for `script`
/// whose clock is the script's own time.
@MainActor
private final class AppRun {
    let stateURL: URL
    let haven: HavenService
    let model: ChatModel
    var now = baseMs

    init(dir: URL, script: Script, imageModel: ImageModelFiles? = nil) throws {
        stateURL = dir.appendingPathComponent("haven-state.bin")
        haven = try HavenService(config: EngineConfig(userAge: 15, region: "US", languages: ["en"],
                                                      sensitivity: nil, maxConversations: 100),
                                 stateURL: stateURL, imageModel: imageModel)
        var clockNow: () -> Int64 = { baseMs }
        model = ChatModel(script: script, haven: haven, clock: { clockNow() })
        clockNow = { [unowned self] in self.now }
    }

    /// Plays the script's lines before `until` through the model as the contact and the teen would, waiting for
    /// each to be observed; the teen's photo lines send a benign photo.
    func play(until: Int? = nil, after: (ScriptLine) -> Void = { _ in }) async {
        await model.start(contactGap: 0).value
        for line in model.script.lines.prefix(until ?? model.script.lines.count) {
            now = baseMs + line.at * 1000
            if line.sender == .contact {
                await model.receive(line.text, withImage: line.withImage)
            } else if line.withImage {
                await model.sendPhoto(benignPhoto).value
            } else {
                await model.send(line.text).value
            }
            after(line)
        }
    }

    /// The conversation's assessment as the engine holds it now; fails the test when it holds none.
    func assessment(file: StaticString = #filePath, line: UInt = #line) async throws -> Assessment {
        let held = try await haven.current(model.script.conversationId)
        return try XCTUnwrap(held, "the engine holds no conversation", file: file, line: line)
    }

    static func synthetic(_ name: String) -> ImageModelFiles {
        let dir = repoRoot.appendingPathComponent("fixtures/models")
        return ImageModelFiles(model: dir.appendingPathComponent("\(name).onnx"),
                               manifest: dir.appendingPathComponent("\(name).json"))
    }
}

@MainActor
final class ChatModelTests: XCTestCase {
    private var dir: URL!

    override func setUp() async throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("haven-chat-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDown() async throws {
        try? FileManager.default.removeItem(at: dir)
    }

    func testTheSextortionScriptEndsOnACrisisCardWithItsActionsAndHelp() async throws {
        let run = try AppRun(dir: dir, script: .sextortion)
        await run.play()
        let card = try XCTUnwrap(run.model.card, "no card at the end of the script")
        XCTAssertEqual(card.kind, .crisis)
        XCTAssertFalse(card.headline.isEmpty || card.body.isEmpty)
        XCTAssertTrue(card.actions.contains { $0.action == .dontPay }, "\(card.actions)")
        XCTAssertTrue(card.actions.allSatisfy { !$0.label.isEmpty })
        XCTAssertTrue(card.resources.contains { $0.kind == .talkToSomeone }, "\(card.resources)")
        XCTAssertTrue(card.resources.allSatisfy { $0.phone != nil || $0.sms != nil || $0.url != nil })
        XCTAssertEqual(run.model.items.filter { $0.sender != .system }.count, Script.sextortion.lines.count)
    }

    func testCardsRiseWithTheScriptBeforeTheMoneyDemand() async throws {
        let run = try AppRun(dir: dir, script: .sextortion)
        var kinds: [InterventionKind?] = []
        await run.play { _ in kinds.append(run.model.card?.kind) }
        XCTAssertNotEqual(kinds.first ?? nil, .crisis, "\(kinds)")
        XCTAssertNotEqual(kinds.first ?? nil, .warning, "\(kinds)")
        let firstCard = try XCTUnwrap(kinds.firstIndex { $0 != nil })
        let demand = try XCTUnwrap(Script.sextortion.lines.firstIndex { $0.text.contains("gift cards") })
        XCTAssertLessThan(firstCard, demand, "\(kinds)")
    }

    func testAnOrdinaryChatWithAFriendShowsNoCardAtAnyPoint() async throws {
        let run = try AppRun(dir: dir, script: .friend)
        await run.play { line in XCTAssertNil(run.model.card, "card after \"\(line.text)\"") }
        XCTAssertEqual(run.model.items.count, Script.friend.lines.count)
    }

    func testStateSurvivesARestartThroughTheSavedFile() async throws {
        let first = try AppRun(dir: dir, script: .sextortion)
        await first.play(until: 12)
        XCTAssertGreaterThan(try Data(contentsOf: first.stateURL).count, 0, "state saved after each message")
        let before = try await first.assessment()
        XCTAssertTrue([Level.high, .critical].contains(before.level), "\(before.level)")

        let second = try AppRun(dir: dir, script: .sextortion)
        await second.model.start(contactGap: 0).value
        let restored = try await second.assessment()
        XCTAssertEqual(restored.level, before.level)
        XCTAssertEqual(restored.stage, before.stage)
        XCTAssertEqual(restored.score, before.score, accuracy: 1e-6)
        XCTAssertEqual(second.model.card?.kind, before.intervention.kind)
        XCTAssertEqual(second.model.items.map(\.sender), [.system], "no message text comes back")
    }

    func testACorruptStateFileIsDroppedAndTheEngineStartsEmpty() async throws {
        try Data("not haven state".utf8).write(to: dir.appendingPathComponent("haven-state.bin"))
        let run = try AppRun(dir: dir, script: .friend)
        let known = try await run.haven.current(Script.friend.conversationId)
        XCTAssertNil(known)
        await run.play()
        let after = try await run.haven.current(Script.friend.conversationId)
        XCTAssertNotNil(after)
    }

    func testBlockingStopsTheScriptAndTheComposer() async throws {
        let run = try AppRun(dir: dir, script: .sextortion)
        await run.play(until: 4)
        run.model.act(.block)
        XCTAssertTrue(run.model.blocked)
        XCTAssertEqual(run.model.items.last?.sender, .system)
    }

    func testWithoutAModelAPhotoIsObservedAndMovesTheScriptToExchange() async throws {
        let run = try AppRun(dir: dir, script: .sextortion)
        XCTAssertFalse(run.haven.photoChecks)
        let photoLine = try XCTUnwrap(Script.sextortion.lines.firstIndex { $0.sender == .teen && $0.withImage })
        await run.play(until: photoLine)
        let before = try await run.assessment()
        XCTAssertNotEqual(before.stage, .exchange)

        run.now = baseMs + Script.sextortion.lines[photoLine].at * 1000
        await run.model.sendPhoto(benignPhoto).value
        let after = try await run.assessment()
        XCTAssertEqual(after.stage, .exchange)
        XCTAssertTrue(after.evidence.contains { $0.kind == .imageShared }, "\(after.evidence)")
        XCTAssertEqual(run.model.items.last?.photo, benignPhoto)
    }

    func testAnExplicitPhotoInARiskyChatIsHeldAndDontSendDropsItUnrecorded() async throws {
        let run = try AppRun(dir: dir, script: .sextortion, imageModel: AppRun.synthetic("synthetic-explicit"))
        let photoLine = try XCTUnwrap(Script.sextortion.lines.firstIndex { $0.sender == .teen && $0.withImage })
        await run.play(until: photoLine)
        let itemsBefore = run.model.items.count
        await run.model.sendPhoto(benignPhoto).value

        XCTAssertEqual(run.model.pendingPhoto, benignPhoto, "the photo was not held")
        let card = try XCTUnwrap(run.model.card)
        XCTAssertTrue([InterventionKind.warning, .crisis].contains(card.kind), "\(card.kind)")
        XCTAssertTrue(card.actions.contains { $0.action == .dontSend }, "\(card.actions)")
        XCTAssertEqual(run.model.items.count, itemsBefore, "a held photo is not on screen")

        run.model.act(.dontSend)
        XCTAssertNil(run.model.pendingPhoto)
        XCTAssertTrue(run.model.items.allSatisfy { $0.photo == nil })
        let evidence = try await run.assessment().evidence
        XCTAssertFalse(evidence.contains { $0.kind == .imageShared || $0.kind == .explicitImageSent },
                       "a photo not sent is not recorded: \(evidence)")
    }

    func testAHeldPhotoSentAnywayIsRecordedAsAnExplicitImageSent() async throws {
        let run = try AppRun(dir: dir, script: .sextortion, imageModel: AppRun.synthetic("synthetic-explicit"))
        let photoLine = try XCTUnwrap(Script.sextortion.lines.firstIndex { $0.sender == .teen && $0.withImage })
        await run.play(until: photoLine)
        await run.model.sendPhoto(benignPhoto).value
        XCTAssertNotNil(run.model.pendingPhoto)
        await run.model.sendPendingPhotoAnyway()?.value
        XCTAssertNil(run.model.pendingPhoto)
        XCTAssertEqual(run.model.items.last?.photo, benignPhoto)
        let evidence = try await run.assessment().evidence
        XCTAssertTrue(evidence.contains { $0.kind == .explicitImageSent }, "\(evidence)")
    }

    func testASafePhotoToAFriendGoesAtOnceWithoutACard() async throws {
        let run = try AppRun(dir: dir, script: .friend, imageModel: AppRun.synthetic("synthetic-safe"))
        XCTAssertTrue(run.haven.photoChecks)
        await run.play()
        XCTAssertNil(run.model.pendingPhoto)
        XCTAssertNil(run.model.card)
        XCTAssertEqual(run.model.items.filter { $0.photo != nil }.count, 1)
    }
}
