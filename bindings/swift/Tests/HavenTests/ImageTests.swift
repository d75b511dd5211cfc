// XCTest suite for Haven's image checks in Swift, driven by the tiny synthetic models in fixtures/models/ whose
// outputs are fixed (no real explicit imagery anywhere), on a benign fixture photo.
import Foundation
import Haven
import XCTest

final class ImageTests: XCTestCase {
    private let photo = try! Data(contentsOf: repoRoot.appendingPathComponent("fixtures/images/chelsea_cat.jpg"))

    private func engine(model name: String) throws -> HavenEngine {
        let engine = try HavenEngine(config: EngineConfig(userAge: 15, region: "US", languages: ["en"]))
        let dir = repoRoot.appendingPathComponent("fixtures/models")
        let manifest = try String(contentsOf: dir.appendingPathComponent("\(name).json"), encoding: .utf8)
        try engine.loadImageModel(source: .bytes(bytes: try Data(contentsOf: dir.appendingPathComponent("\(name).onnx"))),
                                  manifestJson: manifest)
        return engine
    }

    /// Plays the sextortion fixture up to the teen's photo (an image request and "I'll send first" are live).
    private func riskyConversation(on engine: HavenEngine) throws -> String {
        let fixture = try Fixture.load("sx-full-script-01")
        try engine.setContact(conversationId: fixture.id, contact: fixture.contactContext!)
        let messages = fixture.havenMessages
        let photoIndex = messages.firstIndex { $0.direction == .fromUser && $0.attachments == [.image] }!
        for message in messages.prefix(photoIndex) {
            _ = try engine.observe(conversationId: fixture.id, message: message)
        }
        return fixture.id
    }

    func testAnExplicitPhotoInARiskyConversationIsAHardPause() throws {
        let engine = try engine(model: "synthetic-explicit")
        let id = try riskyConversation(on: engine)
        let check = try engine.assessOutgoingImage(conversationId: id, image: .encoded(bytes: photo))
        XCTAssertEqual(check.nudity.verdict, .explicit)
        XCTAssertTrue(check.pause)
        XCTAssertTrue([InterventionKind.warning, .crisis].contains(check.intervention.kind))
        XCTAssertEqual(check.intervention.topic, .outgoingImage)
        XCTAssertTrue(check.intervention.actions.contains { $0.action == .dontSend })
        XCTAssertNotEqual(check.conversation?.stage, .exchange, "a check is not a send: the teen may cancel")
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let sent = try engine.observe(conversationId: id,
                                      message: Message(direction: .fromUser, text: "", timestampMs: now,
                                                       attachments: [.image]))
        XCTAssertTrue(sent.evidence.contains { $0.kind == .imageShared })
        XCTAssertTrue(sent.evidence.contains { $0.kind == .explicitImageSent }, "the sent photo carries its verdict")
    }

    func testASafePhotoChangesNothing() throws {
        let engine = try engine(model: "synthetic-safe")
        let check = try engine.assessOutgoingImage(conversationId: nil, image: .encoded(bytes: photo))
        XCTAssertEqual(check.nudity.verdict, .safe)
        XCTAssertFalse(check.pause)
        XCTAssertEqual(check.intervention.kind, InterventionKind.none)
        XCTAssertNil(check.conversation)
    }

    func testARawBGRABufferIsCheckedLikeAFile() throws {
        let engine = try engine(model: "synthetic-suggestive")
        let width: UInt32 = 64, height: UInt32 = 48, stride = width * 4 + 16
        let pixels = Data(repeating: 128, count: Int(stride * height))
        let incoming = try engine.assessIncomingImage(
            conversationId: nil,
            image: .pixels(data: pixels, width: width, height: height, rowStride: stride, format: .bgra8)
        )
        XCTAssertEqual(incoming.nudity.verdict, .suggestive)
        XCTAssertTrue(incoming.blur)
    }

    func testImageErrors() throws {
        let bare = try HavenEngine(config: EngineConfig())
        XCTAssertThrowsError(try bare.assessOutgoingImage(conversationId: nil, image: .encoded(bytes: photo))) {
            guard case .NoImageModel? = $0 as? HavenError else { return XCTFail("\($0)") }
        }
        XCTAssertThrowsError(try bare.loadImageModel(source: .bytes(bytes: Data("not onnx".utf8)), manifestJson: "{}")) {
            guard case .ImageModel? = $0 as? HavenError else { return XCTFail("\($0)") }
        }
        let engine = try engine(model: "synthetic-safe")
        XCTAssertThrowsError(try engine.assessOutgoingImage(conversationId: nil, image: .encoded(bytes: photo.prefix(200)))) {
            guard case .InvalidImage? = $0 as? HavenError else { return XCTFail("\($0)") }
        }
        XCTAssertThrowsError(try engine.assessOutgoingImage(
            conversationId: nil,
            image: .pixels(data: Data(count: 10), width: 64, height: 64, rowStride: 256, format: .rgba8))) {
            guard case .InvalidImage? = $0 as? HavenError else { return XCTFail("\($0)") }
        }
    }
}
