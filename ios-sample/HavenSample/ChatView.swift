// The conversation screen in SwiftUI: messages, the intervention card, the composer and the photo picker.
import Haven
import HavenChat
import PhotosUI
import SwiftUI

struct ChatView: View {
    @StateObject var screen: ChatScreenModel
    @State private var draft = ""
    @State private var picked: PhotosPickerItem?

    private var model: ChatModel { screen.chat }

    var body: some View {
        VStack(spacing: 0) {
            ScrollViewReader { proxy in
                List(model.items) { item in
                    Bubble(item: item).id(item.id).listRowSeparator(.hidden)
                }
                .listStyle(.plain)
                .onChange(of: model.items.count) { _ in
                    if let last = model.items.last { proxy.scrollTo(last.id, anchor: .bottom) }
                }
            }
            if let card = model.card {
                CardView(card: card, holdingPhoto: model.pendingPhoto != nil, onAction: model.act,
                         onDismiss: model.dismissCard, onSendAnyway: model.sendPendingPhotoAnyway)
                    .padding(.horizontal)
            }
            HStack {
                PhotosPicker(selection: $picked, matching: .images) {
                    Image(systemName: "photo")
                }
                TextField("Message", text: $draft)
                    .textFieldStyle(.roundedBorder)
                    .onSubmit(send)
                Button("Send", action: send)
            }
            .disabled(model.blocked || model.pendingPhoto != nil)
            .padding()
        }
        .navigationTitle(model.script.contactName)
        .onAppear { model.start() }
        .onDisappear { model.stop() }
        .onChange(of: picked) { item in
            guard let item else { return }
            Task {
                if let data = try? await item.loadTransferable(type: Data.self) { model.sendPhoto(data) }
                picked = nil
            }
        }
    }

    private func send() {
        let text = draft.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { return }
        model.send(text)
        draft = ""
    }
}

struct Bubble: View {
    let item: ChatItem

    var body: some View {
        HStack {
            if item.sender == .teen { Spacer() }
            Text(item.photo != nil ? "[photo, \(item.photo!.count / 1024) KB]" : item.text)
                .italic(item.sender == .system)
                .padding(10)
                .background(background, in: RoundedRectangle(cornerRadius: 12))
            if item.sender != .teen { Spacer() }
        }
    }

    private var background: Color {
        switch item.sender {
        case .contact: return Color(.systemGray6)
        case .teen: return Color.blue.opacity(0.15)
        case .system: return .clear
        }
    }
}
