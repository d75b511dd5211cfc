// The conversation screen's logic: plays the scripted contact, sends the teen's messages and photos through
// Haven, and turns assessments into cards. Free of Android types so it runs and is tested on a plain JVM.
package org.haven.sample.chat

import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.launch
import kotlinx.coroutines.sync.Mutex
import kotlinx.coroutines.sync.withLock
import uniffi.haven.Action
import uniffi.haven.Assessment
import uniffi.haven.ContactContext
import uniffi.haven.InterventionKind
import java.util.concurrent.atomic.AtomicLong

/**
 * Logic of the sample's one conversation.
 *
 * Functions are called from the UI thread and return at once: each launches its work in [scope] (on Android a
 * main-thread scope tied to the Activity) and the SDK calls inside run on the [repository]'s background
 * dispatcher. Results arrive through [state]. The returned [Job]s let tests wait for completion; the UI ignores
 * them.
 *
 * Messages are observed in the order the functions were called: a [Mutex] (FIFO) serialises observation and
 * the state save that follows it.
 *
 * @param clock milliseconds since the epoch for new messages; tests pass a fake one.
 * @param contactGapMs pause before each scripted contact message when the script plays.
 */
class ChatViewModel(
    private val repository: HavenRepository,
    private val script: Script,
    private val scope: CoroutineScope,
    private val clock: () -> Long = System::currentTimeMillis,
    private val contactGapMs: Long = 2_500,
) {
    private val _state = MutableStateFlow(ChatUiState(contactName = script.contactName))

    /** What the screen shows. Collect it on the main thread. */
    val state: StateFlow<ChatUiState> = _state.asStateFlow()

    private val order = Mutex()
    private val nextId = AtomicLong()
    private var playback: Job? = null
    private val conversationId get() = script.conversationId

    /**
     * Shows where the conversation stands when Haven's restored state already holds it (see [Haven.open]), or
     * starts playing the scripted contact. Haven keeps no message text, so a restored conversation comes back as
     * its card only.
     */
    fun start(): Job = scope.launch {
        val known = repository.current(conversationId)
        if (known != null) {
            addItem(Sender.SYSTEM, "Conversation restored. Haven remembers the risk, not the messages.")
            show(known)
            return@launch
        }
        repository.setContact(
            conversationId,
            ContactContext(
                newContact = script.newContact,
                mutualConnections = script.mutualConnections,
                accountAgeDays = script.accountAgeDays,
                knownForDays = null,
            ),
        )
        playback = launch {
            for (line in script.lines.filter { it.sender == Sender.CONTACT }) {
                delay(contactGapMs)
                receive(line.text, line.withImage).join()
            }
        }
    }

    /** A message from the contact arrived (the scripted contact here, the chat backend in a real app). */
    fun receive(text: String, withImage: Boolean = false): Job = record(Sender.CONTACT, text, withImage)

    /** The teen sends a text message. */
    fun send(text: String): Job = record(Sender.TEEN, text, withImage = false)

    /**
     * The teen picked a photo to send. Haven checks it first, off the main thread, with the conversation in mind:
     * a photo Haven wants the teen to think twice about is held in [ChatUiState.pendingPhoto] with its card, others
     * are sent at once (also without an image model). A sent photo is observed as an image attachment, which is
     * when Haven records it, with the check's verdict.
     */
    fun sendPhoto(bytes: ByteArray): Job {
        val at = clock()
        _state.update { it.copy(checkingPhoto = true) }
        return scope.launch {
            order.withLock {
                val check = repository.checkOutgoingPhoto(conversationId, bytes)
                val card = check?.let { InterventionCard.of(it.intervention) }
                if (check != null && check.pause && card != null) {
                    _state.update { it.copy(pendingPhoto = PendingPhoto(bytes, card), card = card) }
                } else {
                    deliverPhoto(bytes, at)
                }
                _state.update { it.copy(checkingPhoto = false) }
                repository.persist()
            }
        }
    }

    /** The teen read the card and sends the held photo anyway: their choice. */
    fun sendPendingPhotoAnyway(): Job? {
        val pending = _state.value.pendingPhoto ?: return null
        val at = clock()
        _state.update { it.copy(pendingPhoto = null, card = null) }
        return scope.launch {
            order.withLock {
                deliverPhoto(pending.bytes, at)
                repository.persist()
            }
        }
    }

    /** Puts the photo in the chat and tells Haven the teen sent it. Call with [order] held. */
    private suspend fun deliverPhoto(bytes: ByteArray, at: Long) {
        addItem(Sender.TEEN, "", bytes, at)
        show(repository.observe(conversationId, Sender.TEEN, "", at, withImage = true))
    }

    /** The teen decided not to send the held photo. */
    fun discardPendingPhoto() {
        _state.update { it.copy(pendingPhoto = null, card = null) }
    }

    /** Hides the current card until Haven asks for another one. */
    fun dismissCard() {
        _state.update { it.copy(card = null) }
    }

    /**
     * The teen tapped one of the card's actions. The sample has no backend: blocking stops the script and the
     * composer; other actions say what a real app would do.
     */
    fun act(action: Action) {
        val note = when (action) {
            Action.BLOCK -> {
                playback?.cancel()
                _state.update { it.copy(blocked = true) }
                "You blocked ${script.contactName}. They can't message you any more."
            }
            Action.REPORT -> "Reported. A real app sends the report to its safety team."
            Action.SAVE_EVIDENCE -> "Screenshots saved. Keep them: they help the police and removal services."
            Action.DONT_SEND -> {
                discardPendingPhoto()
                "Good call. You never have to send anything you don't want to."
            }
            else -> null
        }
        note?.let { addItem(Sender.SYSTEM, it) }
    }

    private fun record(sender: Sender, text: String, withImage: Boolean): Job {
        val at = clock()
        addItem(sender, text, timestampMs = at)
        return scope.launch {
            order.withLock {
                val assessment = repository.observe(conversationId, sender, text, at, withImage)
                show(assessment)
                repository.persist()
            }
        }
    }

    /** Shows the assessment's card when it asks for one; an assessment without a card leaves the shown one. */
    private fun show(assessment: Assessment) {
        val card = InterventionCard.of(assessment.intervention) ?: return
        _state.update { current ->
            val shown = current.card
            // Never replace a crisis card with a lighter one: help stays on screen until the teen dismisses it.
            if (shown != null && shown.kind > card.kind && shown.kind == InterventionKind.CRISIS) current
            else current.copy(card = card)
        }
    }

    private fun addItem(sender: Sender, text: String, image: ByteArray? = null, timestampMs: Long = clock()) {
        val id = nextId.getAndIncrement()
        _state.update { it.copy(items = it.items + ChatItem(id, sender, text, timestampMs, image)) }
    }
}
