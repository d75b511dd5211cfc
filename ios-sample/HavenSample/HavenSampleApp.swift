// Entry point of the iOS sample: builds the process's Haven engine off the main thread, then shows the chat.
import Haven
import HavenChat
import SwiftUI

@main
struct HavenSampleApp: App {
    @State private var haven: HavenService?
    @State private var failure: String?

    var body: some Scene {
        WindowGroup {
            Group {
                if let haven {
                    ConversationSwitcher(haven: haven)
                } else if let failure {
                    Text("Haven could not start: \(failure)").padding()
                } else {
                    ProgressView()
                }
            }
            .task { await open() }
        }
    }

    /// One engine per process, built on a background task: the first engine compiles Haven's rule packs, and the
    /// saved state is read from disk.
    private func open() async {
        guard haven == nil else { return }
        let stateURL = FileManager.default.urls(for: .applicationSupportDirectory, in: .userDomainMask)[0]
            .appendingPathComponent("haven-state.bin")
        let region = Locale.current.region?.identifier ?? "US"
        let config = EngineConfig(userAge: nil, region: region.count == 2 ? region : "US",
                                  languages: Locale.preferredLanguages + ["en"], sensitivity: nil,
                                  maxConversations: 1000)
        do {
            haven = try await Task.detached { try HavenService(config: config, stateURL: stateURL,
                                                                  imageModel: .bundled(in: .main)) }.value
        } catch {
            failure = String(describing: error)
        }
    }
}

/// Lets the tester switch between the risky and the ordinary scripted chat.
struct ConversationSwitcher: View {
    let haven: HavenService
    @State private var risky = true

    var body: some View {
        NavigationStack {
            ChatView(screen: ChatScreenModel(chat: ChatModel(script: risky ? .sextortion : .friend,
                                                             haven: haven)))
                .id(risky)
                .toolbar {
                    Button(risky ? "Ordinary chat" : "Risky chat") { risky.toggle() }
                }
        }
    }
}
