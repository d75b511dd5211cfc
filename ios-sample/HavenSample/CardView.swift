// A Haven intervention as a card: headline, body, one button per action, one row per help resource.
import Haven
import SwiftUI

struct CardView: View {
    let card: Intervention
    /// A photo is held for this card: offer "Send anyway" beside the card's own "Don't send" action.
    let holdingPhoto: Bool
    let onAction: (Action) -> Void
    let onDismiss: () -> Void
    let onSendAnyway: () -> Void
    @Environment(\.openURL) private var openURL

    var body: some View {
        ScrollView {
            VStack(alignment: .leading, spacing: 8) {
                Text(card.headline).font(.headline)
                Text(card.body)
                ForEach(card.actions, id: \.action) { suggested in
                    Button(suggested.label) { onAction(suggested.action) }
                        .buttonStyle(.bordered)
                }
                // Crisis cards list help first in Haven's order: keep it.
                ForEach(card.resources, id: \.name) { resource in
                    ResourceRow(resource: resource, open: { openURL($0) })
                }
                if holdingPhoto {
                    Button("Send anyway", action: onSendAnyway)
                } else {
                    Button("Close", action: onDismiss)
                }
            }
            .frame(maxWidth: .infinity, alignment: .leading)
            .padding()
        }
        .frame(maxHeight: 320)
        .background(tint, in: RoundedRectangle(cornerRadius: 12))
    }

    private var tint: Color {
        switch card.kind {
        case .crisis: return Color.red.opacity(0.15)
        case .warning: return Color.orange.opacity(0.15)
        default: return Color.blue.opacity(0.1)
        }
    }
}

/// A help resource: its name and what it does, with a button per way to reach it.
struct ResourceRow: View {
    let resource: HelpResource
    let open: (URL) -> Void

    var body: some View {
        VStack(alignment: .leading, spacing: 4) {
            Text(resource.name).bold()
            Text(resource.description).font(.subheadline)
            HStack {
                if let phone = resource.phone, let url = URL(string: "tel:\(phone.filter { !$0.isWhitespace })") {
                    Button("Call \(phone)") { open(url) }
                }
                if let sms = resource.sms, let url = URL(string: "sms:\(sms.filter { !$0.isWhitespace })") {
                    Button("Text \(sms)") { open(url) }
                }
                if let link = resource.url, let url = URL(string: link) {
                    Button("Website") { open(url) }
                }
            }
            .buttonStyle(.borderless)
        }
        .padding(.top, 4)
    }
}
