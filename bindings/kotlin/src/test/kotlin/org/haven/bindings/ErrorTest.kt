// Every error path through the Kotlin bindings: each throws the matching HavenException with a clear message.
package org.haven.bindings

import kotlin.test.assertContains
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import org.junit.jupiter.api.Test
import uniffi.haven.ContactContext
import uniffi.haven.EngineConfig
import uniffi.haven.HavenEngine
import uniffi.haven.HavenException
import uniffi.haven.limits

class ErrorTest {
    @Test
    fun `a bad configuration is refused with the field named`() {
        val bad = listOf(
            EngineConfig(region = "USA") to "region",
            EngineConfig(region = "") to "region",
            EngineConfig(userAge = 3u) to "user_age",
            EngineConfig(userAge = 200u) to "user_age",
            EngineConfig(maxConversations = 0u) to "max_conversations",
            EngineConfig(maxConversations = limits().maxConversations + 1u) to "max_conversations",
        )
        for ((config, field) in bad) {
            val e = assertFailsWith<HavenException.InvalidConfig> { HavenEngine(config) }
            assertContains(e.message!!, field)
        }
    }

    @Test
    fun `conversation ids must be 1 to 256 bytes`() {
        HavenEngine(EngineConfig()).use { engine ->
            val longest = "x".repeat(limits().maxConversationIdBytes.toInt())
            engine.observe(longest, message("hi"))
            for (id in listOf("", longest + "x", "é".repeat(129))) {
                assertFailsWith<HavenException.InvalidConversationId> { engine.observe(id, message("hi")) }
                assertFailsWith<HavenException.InvalidConversationId> { engine.setContact(id, ContactContext()) }
                val e = assertFailsWith<HavenException.InvalidConversationId> { engine.currentAssessment(id) }
                assertContains(e.message!!, "conversation id")
            }
            assertEquals(1uL, engine.conversationCount())
        }
    }

    @Test
    fun `absurd timestamps are refused and change nothing`() {
        HavenEngine(EngineConfig()).use { engine ->
            engine.observe("c", message("hey"))
            val before = engine.currentAssessment("c")
            for (t in listOf(-1L, limits().maxTimestampMs + 1, Long.MIN_VALUE, Long.MAX_VALUE)) {
                val e = assertFailsWith<HavenException.InvalidTimestamp> { engine.observe("c", message("i have ur pics", at = t)) }
                assertContains(e.message!!, t.toString())
            }
            assertEquals(before, engine.currentAssessment("c"))
        }
    }

    @Test
    fun `an unknown conversation is reported`() {
        HavenEngine(EngineConfig()).use { engine ->
            val e = assertFailsWith<HavenException.UnknownConversation> { engine.currentAssessment("never-seen") }
            assertContains(e.message!!, "never-seen")
        }
    }

    @Test
    fun `every error is a HavenException`() {
        val e: Exception = assertFailsWith<HavenException> { HavenEngine(EngineConfig(region = "??")) }
        assertContains(e.message!!, "invalid configuration")
    }
}
