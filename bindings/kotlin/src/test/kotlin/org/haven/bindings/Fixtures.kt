// Test support: the repository's conversation fixtures (docs/fixtures.md) turned into Haven calls.
package org.haven.bindings

import java.io.File
import uniffi.haven.Assessment
import uniffi.haven.Attachment
import uniffi.haven.ContactContext
import uniffi.haven.Direction
import uniffi.haven.EngineConfig
import uniffi.haven.HavenEngine
import uniffi.haven.Level
import uniffi.haven.Message

/** The repository root, passed by Maven's surefire configuration. */
val repo: File = File(System.getProperty("haven.repo") ?: "../..").canonicalFile

/** An arbitrary origin in 2023, so fixture offsets become plausible epoch timestamps. */
const val EPOCH_MS = 1_700_000_000_000L

@Suppress("UNCHECKED_CAST")
class Fixture(private val json: Map<String, Any?>) {
    val id: String = json["id"] as String
    val locale: String = json["locale"] as String
    private val user = json["user"] as Map<String, Any?>
    val age: Int = (user["age"] as Double).toInt()
    val region: String = user["region"] as String
    val expect = json["expect"] as Map<String, Any?>
    val contact: ContactContext? = (json["contact"] as Map<String, Any?>?)?.let { c ->
        ContactContext(
            newContact = c["new_contact"] as Boolean? ?: false,
            mutualConnections = (c["mutual_connections"] as Double?)?.toUInt(),
            accountAgeDays = (c["account_age_days"] as Double?)?.toUInt(),
            knownForDays = (c["known_for_days"] as Double?)?.toUInt(),
        )
    }
    val texts: List<String> = (json["messages"] as List<Map<String, Any?>>).map { it["text"] as String }
    val messages: List<Message> = (json["messages"] as List<Map<String, Any?>>).map { m ->
        Message(
            direction = if (m["from"] == "contact") Direction.FROM_CONTACT else Direction.FROM_USER,
            text = m["text"] as String,
            timestampMs = EPOCH_MS + (m["t"] as Double).toLong() * 1000,
            attachments = (m["attachments"] as List<String>? ?: emptyList()).map { Attachment.valueOf(it.uppercase()) },
        )
    }

    fun level(key: String): Level = Level.valueOf((expect[key] as String).uppercase())

    fun index(key: String): Int = (expect[key] as Double).toInt()

    /** An engine configured for this fixture's teen: age, region and the locale's language. */
    fun engine(): HavenEngine =
        HavenEngine(EngineConfig(userAge = age.toUByte(), region = region, languages = listOf(locale)))

    /** Observes every message in order (after the contact context) and returns each assessment. */
    fun play(engine: HavenEngine, conversationId: String = id): List<Assessment> {
        contact?.let { engine.setContact(conversationId, it) }
        return messages.map { engine.observe(conversationId, it) }
    }
}

fun fixture(name: String): Fixture =
    Fixture(parseJson(File(repo, "fixtures/conversations/$name.json").readText()) as Map<String, Any?>)

/** The highest level among the first `upTo + 1` assessments. */
fun List<Assessment>.peak(upTo: Int = size - 1): Level = take(upTo + 1).maxOf { it.level }

fun message(text: String, at: Long = EPOCH_MS, from: Direction = Direction.FROM_CONTACT) =
    Message(direction = from, text = text, timestampMs = at, attachments = emptyList())
