// XCTest suite of engine lifetimes in Swift: an engine is freed with its last reference (Swift has no close()), a
// call in progress on another thread keeps it alive until it returns, and engines are independent. The Swift
// counterpart of the Kotlin LifetimeTest.
import Foundation
import Haven
import XCTest

final class LifetimeTests: XCTestCase {
    private let config = EngineConfig(userAge: 15, region: "US", languages: ["en"], sensitivity: nil,
                                      maxConversations: 10)

    func testTheLastReferenceFreesTheEngine() throws {
        weak var freed: HavenEngine?
        do {
            let engine = try HavenEngine(config: config)
            freed = engine
            _ = try engine.observe(conversationId: "c",
                                   message: Message(direction: .fromContact, text: "hi", timestampMs: 0,
                                                    attachments: []))
            XCTAssertNotNil(freed)
        }
        XCTAssertNil(freed, "the engine outlived its last reference")
    }

    func testACallOnAnotherThreadKeepsTheEngineAliveUntilItReturns() throws {
        weak var freed: HavenEngine?
        let started = DispatchSemaphore(value: 0)
        let done = DispatchSemaphore(value: 0)
        let calls = Counter()
        do {
            let engine = try HavenEngine(config: config)
            freed = engine
            Thread {
                started.signal()
                for i in 0..<200 {
                    _ = try? engine.observe(conversationId: "c",
                                            message: Message(direction: .fromContact, text: "ill send first, send pics",
                                                             timestampMs: Int64(i), attachments: []))
                    calls.increment()
                }
                done.signal()
            }.start()
            started.wait()
        }
        // This thread holds no reference any more; the worker's calls all complete.
        XCTAssertEqual(done.wait(timeout: .now() + 60), .success)
        XCTAssertEqual(calls.value, 200)
        // The worker's closure (and with it the engine) is released once the thread object goes.
        let deadline = Date().addingTimeInterval(10)
        while freed != nil && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        XCTAssertNil(freed)
    }

    func testEnginesAreIndependent() throws {
        let a = try HavenEngine(config: config)
        let b = try HavenEngine(config: EngineConfig(userAge: nil, region: "GB", languages: ["en"], sensitivity: nil,
                                                     maxConversations: 10))
        _ = try a.observe(conversationId: "only-in-a",
                          message: Message(direction: .fromContact, text: "hey", timestampMs: 0, attachments: []))
        XCTAssertEqual(try a.conversationCount(), 1)
        XCTAssertEqual(try b.conversationCount(), 0)
        XCTAssertThrowsError(try b.currentAssessment(conversationId: "only-in-a"))
        XCTAssertEqual(try b.config().region, "GB")
        XCTAssertEqual(try a.config().region, "US")
    }
}

/// A count shared between threads.
private final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0

    var value: Int { lock.withLock { count } }

    func increment() { lock.withLock { count += 1 } }
}
