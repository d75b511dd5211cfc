// Everything the conversation screen draws, as one immutable value.
package org.haven.sample.chat

/**
 * The conversation screen's state.
 *
 * @property card the intervention to show above the composer, if any (the latest one Haven asked for).
 * @property blocked the teen blocked the contact from a card: the script stops and the composer is disabled.
 */
data class ChatUiState(
    val contactName: String,
    val items: List<ChatItem> = emptyList(),
    val card: InterventionCard? = null,
    val blocked: Boolean = false,
)
