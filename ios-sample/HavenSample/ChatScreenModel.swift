// SwiftUI's view of the UI-free ChatModel (package HavenChat): republishes its changes for ChatView. Apple-only.
import Combine
import HavenChat

/// An `ObservableObject` over a `ChatModel`: SwiftUI re-renders ChatView before each change of the model's state.
/// Main actor, like the model.
@MainActor
final class ChatScreenModel: ObservableObject {
    let chat: ChatModel

    init(chat: ChatModel) {
        self.chat = chat
        chat.onWillChange = { [weak self] in self?.objectWillChange.send() }
    }
}
