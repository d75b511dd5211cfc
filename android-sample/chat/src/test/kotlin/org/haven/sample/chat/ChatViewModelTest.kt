// JVM tests of the sample's SDK-facing code against the real Haven library: the scripted conversations, state
// across restarts and threading.
package org.haven.sample.chat

import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir
import uniffi.haven.Action
import uniffi.haven.InterventionKind
import uniffi.haven.Level
import uniffi.haven.ResourceKind
import uniffi.haven.SignalKind
import uniffi.haven.Stage
import java.nio.file.Path

class ChatViewModelTest {
    @TempDir
    lateinit var dir: Path

    @Test
    fun `the sextortion script ends on a crisis card with its actions and help resources`() = runBlocking {
        AppRun(dir, Scripts.sextortion, this).use { run ->
            run.play()
            val card = checkNotNull(run.viewModel.state.value.card) { "no card at the end of the script" }
            assertEquals(InterventionKind.CRISIS, card.kind)
            assertTrue(card.headline.isNotBlank() && card.body.isNotBlank())
            assertTrue(card.actions.any { it.action == Action.DONT_PAY }, "actions: ${card.actions}")
            assertTrue(card.actions.all { it.label.isNotBlank() })
            assertTrue(card.resources.any { it.kind == ResourceKind.TALK_TO_SOMEONE }, "resources: ${card.resources}")
            assertTrue(card.resources.all { it.phone != null || it.sms != null || it.url != null })
            // Every scripted line is on screen, in order.
            val lines = run.viewModel.state.value.items.filter { it.sender != Sender.SYSTEM }
            assertEquals(Scripts.sextortion.lines.size, lines.size)
        }
    }

    @Test
    fun `cards rise with the script before the crisis`() = runBlocking {
        AppRun(dir, Scripts.sextortion, this).use { run ->
            val kinds = mutableListOf<InterventionKind?>()
            run.play { kinds += run.viewModel.state.value.card?.kind }
            // The first message from a stranger is not yet a crisis; the card appears before the demand.
            assertTrue(kinds.first() == null || kinds.first()!! < InterventionKind.WARNING, "kinds: $kinds")
            val firstCard = kinds.indexOfFirst { it != null }
            val demand = Scripts.sextortion.lines.indexOfFirst { "gift cards" in it.text }
            assertTrue(firstCard in 0 until demand, "first card at $firstCard, demand at $demand: $kinds")
        }
    }

    @Test
    fun `an ordinary chat with a friend shows no card at any point`() = runBlocking {
        AppRun(dir, Scripts.friend, this).use { run ->
            run.play { line -> assertNull(run.viewModel.state.value.card, "card after \"${line.text}\"") }
            assertEquals(Scripts.friend.lines.size, run.viewModel.state.value.items.size)
        }
    }

    @Test
    fun `state survives a restart through exportState and importState`() = runBlocking {
        val half = 12
        val before = AppRun(dir, Scripts.sextortion, this).use { run ->
            run.play(until = half)
            assertTrue(run.stateFile.length() > 0, "state saved after each message")
            run.haven.engine.currentAssessment(Scripts.sextortion.conversationId)
        }
        assertTrue(before.level >= Level.HIGH, "the first half is already risky: ${before.level}")

        AppRun(dir, Scripts.sextortion, this).use { run ->
            run.viewModel.start().join()
            val restored = run.haven.engine.currentAssessment(Scripts.sextortion.conversationId)
            assertEquals(before.level, restored.level)
            assertEquals(before.stage, restored.stage)
            assertEquals(before.score, restored.score, 1e-6f)
            val state = run.viewModel.state.value
            assertEquals(before.intervention.kind, state.card?.kind)
            assertTrue(state.items.single().sender == Sender.SYSTEM, "no message text comes back: ${state.items}")
        }
    }

    @Test
    fun `a corrupt state file is dropped and the engine starts empty`() = runBlocking {
        dir.resolve("haven-state.bin").toFile().writeBytes("not haven state".toByteArray())
        AppRun(dir, Scripts.friend, this).use { run ->
            assertEquals(0uL, run.haven.engine.conversationCount())
            run.play()
            assertTrue(run.haven.engine.conversationCount() == 1uL)
        }
    }

    @Test
    fun `every SDK call runs on the background dispatcher, never on the calling thread`() = runBlocking {
        val caller = threadName()
        AppRun(dir, Scripts.sextortion, this).use { run ->
            run.viewModel.start().join()
            run.play()
            val threads = run.engine.threads.toList()
            assertTrue(threads.size > Scripts.sextortion.lines.size, "calls recorded: ${threads.size}")
            assertFalse(caller in threads, "an SDK call ran on the caller's thread $caller")
            assertEquals(setOf(AppRun.SDK_THREAD), threads.toSet())
        }
    }

    @Test
    fun `without an image model a photo is observed as an attachment and moves the script to exchange`() = runBlocking {
        AppRun(dir, Scripts.sextortion, this).use { run ->
            val photoLine = Scripts.sextortion.lines.indexOfFirst { it.sender == Sender.TEEN && it.withImage }
            run.play(until = photoLine)
            val id = Scripts.sextortion.conversationId
            val before = run.haven.engine.currentAssessment(id)
            assertTrue(before.stage < Stage.EXCHANGE, "before the photo: ${before.stage}")

            run.now = AppRun.BASE_MS + Scripts.sextortion.lines[photoLine].atSeconds * 1000
            run.viewModel.sendPhoto(AppRun.BENIGN_PHOTO).join()
            val after = run.haven.engine.currentAssessment(id)
            assertEquals(Stage.EXCHANGE, after.stage)
            assertTrue(after.evidence.any { it.kind == SignalKind.IMAGE_SHARED }, "evidence: ${after.evidence}")
            assertTrue(after.score > before.score)
            assertEquals(AppRun.BENIGN_PHOTO.size, run.viewModel.state.value.items.last().imageBytes?.size)
        }
    }

    @Test
    fun `a photo the model calls explicit is held with a card when the conversation is risky`() = runBlocking {
        AppRun(dir, Scripts.sextortion, this, AppRun.syntheticModel("synthetic-explicit")).use { run ->
            val photoLine = Scripts.sextortion.lines.indexOfFirst { it.sender == Sender.TEEN && it.withImage }
            run.play(until = photoLine)
            val itemsBefore = run.viewModel.state.value.items.size
            run.viewModel.sendPhoto(AppRun.BENIGN_PHOTO).join()

            val state = run.viewModel.state.value
            val pending = checkNotNull(state.pendingPhoto) { "the photo was not held" }
            assertTrue(pending.card.kind >= InterventionKind.WARNING, "card: ${pending.card.kind}")
            assertEquals(pending.card, state.card)
            assertTrue(pending.card.actions.any { it.action == Action.DONT_SEND }, "actions: ${pending.card.actions}")
            assertEquals(itemsBefore, state.items.size, "a held photo is not on screen")
            assertFalse(state.checkingPhoto)
            assertTrue(AppRun.SDK_THREAD in run.engine.threads)

            run.viewModel.act(Action.DONT_SEND)
            assertNull(run.viewModel.state.value.pendingPhoto)
            assertTrue(run.viewModel.state.value.items.none { it.imageBytes != null })
            val evidence = run.haven.engine.currentAssessment(Scripts.sextortion.conversationId).evidence
            assertTrue(evidence.none { it.kind == SignalKind.IMAGE_SHARED || it.kind == SignalKind.EXPLICIT_IMAGE_SENT }, "a photo not sent is not recorded: $evidence")
        }
    }

    @Test
    fun `a held photo is sent if the teen chooses to`() = runBlocking {
        AppRun(dir, Scripts.sextortion, this, AppRun.syntheticModel("synthetic-explicit")).use { run ->
            run.play(until = Scripts.sextortion.lines.indexOfFirst { it.sender == Sender.TEEN && it.withImage })
            run.viewModel.sendPhoto(AppRun.BENIGN_PHOTO).join()
            checkNotNull(run.viewModel.sendPendingPhotoAnyway()) { "no photo was held" }.join()
            val state = run.viewModel.state.value
            assertNull(state.pendingPhoto)
            assertEquals(AppRun.BENIGN_PHOTO.size, state.items.last().imageBytes?.size)
            val evidence = run.haven.engine.currentAssessment(Scripts.sextortion.conversationId).evidence
            assertTrue(evidence.any { it.kind == SignalKind.EXPLICIT_IMAGE_SENT }, "evidence: $evidence")
            assertTrue(evidence.any { it.kind == SignalKind.IMAGE_SHARED }, "evidence: $evidence")
        }
    }

    @Test
    fun `a photo the model calls safe goes to a friend at once, without a card`() = runBlocking {
        AppRun(dir, Scripts.friend, this, AppRun.syntheticModel("synthetic-safe")).use { run ->
            run.play() // the friend's script has the teen send a photo
            val state = run.viewModel.state.value
            assertNull(state.pendingPhoto)
            assertNull(state.card)
            assertEquals(1, state.items.count { it.imageBytes != null })
            val evidence = run.haven.engine.currentAssessment(Scripts.friend.conversationId).evidence
            assertTrue(evidence.none { it.kind == SignalKind.EXPLICIT_IMAGE_SENT }, "evidence: $evidence")
        }
    }

    @Test
    fun `blocking from the card stops the script and the composer`() = runBlocking {
        AppRun(dir, Scripts.sextortion, this).use { run ->
            run.play(until = 5)
            run.viewModel.act(Action.BLOCK)
            val state = run.viewModel.state.value
            assertTrue(state.blocked)
            assertTrue(state.items.last().sender == Sender.SYSTEM && "blocked" in state.items.last().text)
        }
    }
}
