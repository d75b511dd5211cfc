// Whole conversations through the Kotlin bindings: sextortion, grooming, benign chats, contact context, spans.
package org.haven.bindings

import kotlin.test.assertContains
import kotlin.test.assertEquals
import kotlin.test.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.params.ParameterizedTest
import org.junit.jupiter.params.provider.ValueSource
import uniffi.haven.Action
import uniffi.haven.ContactContext
import uniffi.haven.EngineConfig
import uniffi.haven.HavenEngine
import uniffi.haven.InterventionKind
import uniffi.haven.Level
import uniffi.haven.Pattern
import uniffi.haven.Sensitivity
import uniffi.haven.SignalKind
import uniffi.haven.Stage
import uniffi.haven.Topic
import uniffi.haven.havenVersion
import uniffi.haven.limits

class ConversationTest {
    @Test
    fun `a whole sextortion script reaches a warning or crisis with the recovery card`() {
        val f = fixture("sx-full-script-01")
        f.engine().use { engine ->
            val all = f.play(engine)
            assertTrue(all.peak(f.index("early_by")) >= f.level("early_level"))
            assertTrue(all.peak(f.index("alert_by")) >= f.level("min_level"))
            val last = all.last()
            assertTrue(last.level >= Level.HIGH)
            assertEquals(Pattern.SEXTORTION, last.pattern)
            assertContains(listOf(Stage.LEVERAGE, Stage.DEMAND, Stage.PRESSURE), last.stage)
            assertEquals((f.messages.size - 1).toUInt(), last.messageIndex)
            val card = last.intervention
            assertContains(listOf(InterventionKind.WARNING, InterventionKind.CRISIS), card.kind)
            assertEquals(Topic.SEXTORTION, card.topic)
            assertEquals("en", card.language)
            assertTrue(card.headline.isNotEmpty() && card.body.isNotEmpty())
            assertTrue(card.actions.any { it.action == Action.DONT_PAY })
            assertTrue(card.resources.isNotEmpty())
            val kinds = last.evidence.map { it.kind }.toSet()
            assertTrue(kinds.containsAll(listOf(SignalKind.LEVERAGE, SignalKind.THREAT, SignalKind.PAYMENT)), "$kinds")
            assertEquals(last.evidence.map { it.weight }.sortedDescending(), last.evidence.map { it.weight })
        }
    }

    @Test
    fun `utf16 spans mark the matched words in the Kotlin string`() {
        val f = fixture("sx-full-script-01")
        f.engine().use { engine ->
            val matched = f.play(engine).zip(f.texts).flatMap { (a, text) ->
                a.signals.mapNotNull { s ->
                    s.span?.let { span ->
                        assertTrue(span.endUtf16.toInt() <= text.length)
                        s.kind to text.substring(span.startUtf16.toInt(), span.endUtf16.toInt()).lowercase()
                    }
                }
            }
            assertTrue(matched.any { (k, w) -> k == SignalKind.PAYMENT && "gift card" in w }, "$matched")
            assertTrue(matched.any { (k, w) -> k == SignalKind.LEVERAGE && "screenshot" in w }, "$matched")
        }
    }

    @Test
    fun `spans after emoji differ between scalar and utf16 counts`() {
        HavenEngine(EngineConfig()).use { engine ->
            val text = "😈😈 i have ur pics. send \$200 to my cashapp or everyone u know sees them"
            val spans = engine.observe("emoji", message(text)).signals.mapNotNull { it.span }.filter { it.start >= 2u }
            assertTrue(spans.isNotEmpty())
            for (span in spans) {
                assertEquals(span.start + 2u, span.startUtf16)
                val words = text.substring(span.startUtf16.toInt(), span.endUtf16.toInt())
                assertEquals((span.end - span.start).toInt(), words.codePointCount(0, words.length))
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = ["gr-meetup-04", "fr-sx-snap-01", "es-sx-cashapp-03"])
    fun `grooming and other languages reach their expected level in the teen's language`(name: String) {
        val f = fixture(name)
        f.engine().use { engine ->
            val all = f.play(engine)
            assertTrue(all.peak(f.index("alert_by")) >= f.level("min_level"))
            val cards = all.map { it.intervention }.filter { it.kind != InterventionKind.NONE }
            assertTrue(cards.isNotEmpty())
            assertTrue(cards.all { it.language == f.locale.substringBefore('-') })
        }
    }

    @ParameterizedTest
    @ValueSource(strings = ["bn-haircut-selfie-01", "bn-add-snap-classmate-28", "bn-sneakers-cashapp-06"])
    fun `benign conversations stay low`(name: String) {
        val f = fixture(name)
        f.engine().use { engine ->
            for (a in f.play(engine)) {
                assertTrue(a.level <= f.level("max_level") && a.level <= Level.LOW, "${a.messageIndex}: ${a.level}")
                assertContains(listOf(InterventionKind.NONE, InterventionKind.TIP), a.intervention.kind)
            }
        }
    }

    @Test
    fun `contact context changes the level of the same early messages`() {
        val early = fixture("sx-full-script-01").messages.take(9)
        fun run(contact: ContactContext) = HavenEngine(EngineConfig(userAge = 15u)).use { engine ->
            engine.setContact("c", contact)
            early.map { engine.observe("c", it) }
        }
        val stranger = run(ContactContext(newContact = true, mutualConnections = 0u, accountAgeDays = 3u, knownForDays = 0u))
        val friend = run(ContactContext(newContact = false, mutualConnections = 40u, accountAgeDays = 900u, knownForDays = 400u))
        assertTrue(stranger.last().level >= Level.MEDIUM)
        assertTrue(friend.last().level < stranger.last().level)
        stranger.zip(friend).forEach { (s, f) -> assertTrue(s.score >= f.score) }
    }

    @Test
    fun `current assessment, forget and count`() {
        val f = fixture("sx-direct-short-24")
        HavenEngine(EngineConfig()).use { engine ->
            val last = f.play(engine).last()
            val current = engine.currentAssessment(f.id)
            assertEquals(last.level, current.level)
            assertTrue(current.signals.isEmpty())
            assertEquals(1uL, engine.conversationCount())
            assertTrue(engine.forget(f.id))
            assertTrue(!engine.forget(f.id))
            assertEquals(0uL, engine.conversationCount())
        }
    }

    @Test
    fun `configuration is normalised and reported, version and limits are exported`() {
        HavenEngine(EngineConfig(userAge = 14u, region = "gb", languages = listOf("fr-CA"), sensitivity = Sensitivity.VIGILANT)).use {
            val config = it.config()
            assertEquals("GB", config.region)
            assertEquals(Sensitivity.VIGILANT, config.sensitivity)
            assertEquals(limits().defaultMaxConversations, config.maxConversations)
        }
        assertEquals(2, havenVersion().count { it == '.' })
        assertEquals(256u, limits().maxConversationIdBytes)
    }
}
