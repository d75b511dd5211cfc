// XCTest suite for Haven's image checks in Swift: the tiny synthetic models in fixtures/models/ whose outputs are
// fixed (no real explicit imagery anywhere) on benign fixture photos, raw pixel buffers with their format and row
// stride, every image error, several threads at once, and NudeNet on benign photos when scripts/fetch-models.sh
// has fetched it. The same scenarios as the Kotlin ImageTest.
import Foundation
import Haven
import XCTest

final class ImageTests: XCTestCase {
    private let images = repoRoot.appendingPathComponent("fixtures/images")
    private let models = repoRoot.appendingPathComponent("fixtures/models")

    private func encoded(_ name: String) throws -> ImageInput {
        .encoded(bytes: try Data(contentsOf: images.appendingPathComponent(name)))
    }

    private func engine(model name: String, fromBytes: Bool = false) throws -> HavenEngine {
        let engine = try HavenEngine(config: EngineConfig(userAge: 15, region: "US", languages: ["en"]))
        let file = models.appendingPathComponent("\(name).onnx")
        let manifest = try String(contentsOf: models.appendingPathComponent("\(name).json"), encoding: .utf8)
        try engine.loadImageModel(source: fromBytes ? .bytes(bytes: try Data(contentsOf: file)) : .path(path: file.path),
                                  manifestJson: manifest)
        return engine
    }

    /// A uniform grey buffer as a CGContext hands it over; bytes past each row (a wider stride) are `fill`.
    private func solid(_ value: UInt8, size: Int = 64, format: PixelFormat = .rgba8, stride: Int? = nil,
                       fill: UInt8 = 0) -> ImageInput {
        let stride = stride ?? size * 4
        let data = Data((0..<(stride * size)).map { i -> UInt8 in
            let x = i % stride
            if x >= size * 4 { return fill }
            return x % 4 == 3 ? 255 : value
        })
        return .pixels(data: data, width: UInt32(size), height: UInt32(size), rowStride: UInt32(stride),
                       format: format)
    }

    private func message(_ text: String, at: Int64, from: Direction = .fromContact,
                         attachments: [Attachment] = []) -> Message {
        Message(direction: from, text: text, timestampMs: 1_700_000_000_000 + at, attachments: attachments)
    }

    /// Plays the sextortion fixture up to the teen's photo (an image request and "I'll send first" are live);
    /// returns the conversation and the photo message's time.
    private func riskyConversation(on engine: HavenEngine) throws -> (id: String, photoAt: Int64) {
        let fixture = try Fixture.load("sx-full-script-01")
        try engine.setContact(conversationId: fixture.id, contact: fixture.contactContext!)
        let messages = fixture.havenMessages
        let photoIndex = messages.firstIndex { $0.direction == .fromUser && $0.attachments == [.image] }!
        for message in messages.prefix(photoIndex) {
            _ = try engine.observe(conversationId: fixture.id, message: message)
        }
        return (fixture.id, messages[photoIndex].timestampMs)
    }

    func testAnExplicitPhotoAboutToBeSentPausesWithTheCard() throws {
        let got = try engine(model: "synthetic-explicit").assessOutgoingImage(conversationId: nil,
                                                                              image: try encoded("chelsea_cat.jpg"))
        XCTAssertEqual(got.nudity.verdict, .explicit)
        XCTAssertTrue(got.pause && !got.blur)
        XCTAssertEqual(got.intervention.kind, .caution)
        XCTAssertEqual(got.level, .medium)
        XCTAssertEqual(got.intervention.topic, .outgoingImage)
        XCTAssertTrue(got.intervention.actions.contains { $0.action == .dontSend })
        XCTAssertNil(got.conversation)
        XCTAssertTrue(got.nudity.detections.contains { $0.label == "FEMALE_BREAST_EXPOSED" })
    }

    func testAnExplicitPhotoInARiskyConversationIsAHardPauseRecordedOnlyWhenSent() throws {
        let engine = try engine(model: "synthetic-explicit")
        let (id, photoAt) = try riskyConversation(on: engine)
        let before = try engine.currentAssessment(conversationId: id)
        let check = try engine.assessOutgoingImage(conversationId: id, image: try encoded("chelsea_cat.jpg"))
        XCTAssertEqual(check.nudity.verdict, .explicit)
        XCTAssertTrue(check.pause)
        XCTAssertTrue([InterventionKind.warning, .crisis].contains(check.intervention.kind))
        XCTAssertTrue(check.intervention.actions.contains { $0.action == .dontSend })
        // A check is not a send: the teen may cancel.
        let checked = try XCTUnwrap(check.conversation)
        XCTAssertNotEqual(checked.stage, .exchange)
        XCTAssertEqual(checked.score, before.score)
        XCTAssertFalse(checked.evidence.contains { $0.kind == .explicitImageSent })
        let sent = try engine.observe(conversationId: id,
                                      message: Message(direction: .fromUser, text: "", timestampMs: photoAt,
                                                       attachments: [.image]))
        XCTAssertTrue(sent.evidence.contains { $0.kind == .imageShared })
        XCTAssertTrue(sent.evidence.contains { $0.kind == .explicitImageSent }, "the sent photo carries its verdict")
    }

    func testAnExplicitPhotoArrivingIsBlurredAndRecorded() throws {
        let engine = try engine(model: "synthetic-explicit", fromBytes: true)
        try engine.setContact(conversationId: "c",
                              contact: ContactContext(newContact: true, mutualConnections: 0, accountAgeDays: 1,
                                                      knownForDays: nil))
        let got = try engine.assessIncomingImage(conversationId: "c", image: try encoded("coffee.jpg"))
        XCTAssertEqual(got.intervention.kind, .warning)
        XCTAssertTrue(got.blur && !got.pause)
        XCTAssertEqual(got.intervention.topic, .incomingImage)
        let conversation = try XCTUnwrap(got.conversation)
        XCTAssertTrue(conversation.evidence.contains { $0.kind == .explicitImageReceived })
    }

    func testASafePhotoChangesNothing() throws {
        let check = try engine(model: "synthetic-safe").assessOutgoingImage(conversationId: nil,
                                                                            image: try encoded("astronaut.jpg"))
        XCTAssertEqual(check.nudity.verdict, .safe)
        XCTAssertFalse(check.pause || check.blur)
        XCTAssertEqual(check.intervention.kind, InterventionKind.none)
        XCTAssertNil(check.conversation)
    }

    func testPixelBuffersAreReadWithTheirFormatAndRowStride() throws {
        // The brightness model's verdict follows the mean brightness: dark safe, grey suggestive, bright explicit.
        let engine = try engine(model: "synthetic-brightness")
        func verdict(_ image: ImageInput) throws -> ImageVerdict {
            try engine.assessOutgoingImage(conversationId: nil, image: image).nudity.verdict
        }
        for format in [PixelFormat.rgba8, .bgra8] {
            XCTAssertEqual(try verdict(solid(10, format: format)), .safe, "\(format)")
            XCTAssertEqual(try verdict(solid(128, format: format)), .suggestive, "\(format)")
            XCTAssertEqual(try verdict(solid(245, format: format)), .explicit, "\(format)")
            // Bright bytes past each row are padding, not pixels.
            XCTAssertEqual(try verdict(solid(10, format: format, stride: 64 * 4 + 64, fill: 255)), .safe, "\(format)")
        }
    }

    func testImageErrors() throws {
        let bare = try HavenEngine(config: EngineConfig())
        XCTAssertThrowsError(try bare.assessOutgoingImage(conversationId: nil, image: try encoded("chelsea_cat.jpg"))) {
            guard case .NoImageModel(let message)? = $0 as? HavenError else { return XCTFail("\($0)") }
            XCTAssertTrue(message.contains("model"), message)
        }
        let explicitManifest = try String(contentsOf: models.appendingPathComponent("synthetic-explicit.json"),
                                          encoding: .utf8)
        let explicitPath = models.appendingPathComponent("synthetic-explicit.onnx").path
        let badLoads: [(String, ModelSource, String)] = [
            ("missing file", .path(path: "/nonexistent/haven/model.onnx"), explicitManifest),
            ("not onnx", .bytes(bytes: Data("not onnx".utf8)), explicitManifest),
            ("manifest not json", .path(path: explicitPath), "{not json"),
        ]
        for (what, source, manifest) in badLoads {
            XCTAssertThrowsError(try bare.loadImageModel(source: source, manifestJson: manifest), what) {
                guard case .ImageModel? = $0 as? HavenError else { return XCTFail("\(what): \($0)") }
            }
        }
        // A failed load leaves the engine without a model, and a good one after it works.
        try bare.loadImageModel(source: .path(path: explicitPath), manifestJson: explicitManifest)
        XCTAssertEqual(try bare.assessOutgoingImage(conversationId: nil, image: try encoded("chelsea_cat.jpg"))
            .nudity.verdict, .explicit)

        let engine = try engine(model: "synthetic-safe")
        for bad in ["empty.jpg", "random_bytes.jpg", "truncated.jpg"] {
            XCTAssertThrowsError(try engine.assessOutgoingImage(conversationId: nil, image: try encoded("bad/\(bad)")),
                                 bad) {
                guard case .InvalidImage? = $0 as? HavenError else { return XCTFail("\(bad): \($0)") }
            }
        }
        XCTAssertThrowsError(try engine.assessIncomingImage(conversationId: nil,
                                                            image: try encoded("bad/huge_header_50000x50000.png"))) {
            guard case .ImageTooLarge? = $0 as? HavenError else { return XCTFail("\($0)") }
        }
        let badBuffers: [(String, ImageInput)] = [
            ("one byte short", .pixels(data: Data(count: 399), width: 10, height: 10, rowStride: 40, format: .rgba8)),
            ("stride under a row", .pixels(data: Data(count: 400), width: 10, height: 10, rowStride: 39, format: .bgra8)),
        ]
        for (what, image) in badBuffers {
            XCTAssertThrowsError(try engine.assessOutgoingImage(conversationId: nil, image: image), what) {
                guard case .InvalidImage? = $0 as? HavenError else { return XCTFail("\(what): \($0)") }
            }
        }
    }

    func testImageChecksAndTextFromSeveralThreadsAtOnce() throws {
        let engine = try engine(model: "synthetic-brightness")
        let dark = solid(10), bright = solid(245)
        let threads = 6
        var correct = [Bool](repeating: false, count: threads)
        let lock = NSLock()
        DispatchQueue.concurrentPerform(iterations: threads) { i in
            let ok = (0..<10).allSatisfy { k in
                let explicit = (i + k) % 2 == 1
                guard let got = try? engine.assessIncomingImage(conversationId: "c\(i)",
                                                                image: explicit ? bright : dark),
                      (try? engine.observe(conversationId: "c\(i)", message: message("hey", at: Int64(k)))) != nil
                else { return false }
                return got.nudity.verdict == (explicit ? .explicit : .safe)
            }
            lock.lock()
            correct[i] = ok
            lock.unlock()
        }
        XCTAssertEqual(correct, [Bool](repeating: true, count: threads))
        XCTAssertEqual(try engine.conversationCount(), UInt64(threads))
    }

    func testNudeNetFindsNothingExplicitInBenignPhotos() throws {
        let model = repoRoot.appendingPathComponent("models/nudenet-320n.onnx")
        let manifest = repoRoot.appendingPathComponent("manifests/nudenet-320n.json")
        try XCTSkipUnless(FileManager.default.fileExists(atPath: model.path),
                          "scripts/fetch-models.sh has not fetched NudeNet")
        let engine = try HavenEngine(config: EngineConfig())
        try engine.loadImageModel(source: .path(path: model.path),
                                  manifestJson: try String(contentsOf: manifest, encoding: .utf8))
        for name in ["astronaut.jpg", "grace_hopper.jpg", "chelsea_cat.jpg", "rocket.webp"] {
            let got = try engine.assessOutgoingImage(conversationId: nil, image: try encoded(name))
            XCTAssertNotEqual(got.nudity.verdict, .explicit, name)
        }
        let faces = try engine.assessIncomingImage(conversationId: nil, image: try encoded("grace_hopper.jpg"))
            .nudity.detections
        XCTAssertTrue(faces.contains { $0.label.hasPrefix("FACE_") }, "\(faces)")
    }
}
