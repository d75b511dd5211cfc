// Image checks through the Kotlin bindings: synthetic models whose outputs we control, raw pixel buffers as
// Android bitmaps hand them over, every image error, and image checks from several threads at once.
package org.haven.bindings

import java.io.File
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import kotlin.test.assertContains
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertNotNull
import kotlin.test.assertNull
import kotlin.test.assertTrue
import org.junit.jupiter.api.Assumptions.assumeTrue
import org.junit.jupiter.api.Test
import uniffi.haven.Action
import uniffi.haven.Attachment
import uniffi.haven.ContactContext
import uniffi.haven.Direction
import uniffi.haven.EngineConfig
import uniffi.haven.HavenEngine
import uniffi.haven.HavenException
import uniffi.haven.ImageInput
import uniffi.haven.ImageVerdict
import uniffi.haven.InterventionKind
import uniffi.haven.Level
import uniffi.haven.ModelSource
import uniffi.haven.PixelFormat
import uniffi.haven.SignalKind
import uniffi.haven.Topic

class ImageTest {
    private val models = File(repo, "fixtures/models")
    private val images = File(repo, "fixtures/images")

    private fun manifest(name: String) = File(models, "$name.json").readText()

    private fun engineWith(name: String, fromBytes: Boolean = false): HavenEngine {
        val engine = HavenEngine(EngineConfig(userAge = 15u))
        val model = File(models, "$name.onnx")
        val source = if (fromBytes) ModelSource.Bytes(model.readBytes()) else ModelSource.Path(model.path)
        engine.loadImageModel(source, manifest(name))
        return engine
    }

    private fun encoded(name: String) = ImageInput.Encoded(File(images, name).readBytes())

    /** A uniform grey bitmap as Android hands it over; bytes past each row (a wider stride) are `fill`. */
    private fun solid(value: Int, size: Int = 64, format: PixelFormat = PixelFormat.RGBA8, stride: Int = size * 4, fill: Int = 0): ImageInput {
        val data = ByteArray(stride * size) { i ->
            val x = i % stride
            when {
                x >= size * 4 -> fill.toByte()
                x % 4 == 3 -> 255.toByte()
                else -> value.toByte()
            }
        }
        return ImageInput.Pixels(data, size.toUInt(), size.toUInt(), stride.toUInt(), format)
    }

    @Test
    fun `an explicit image about to be sent pauses with the card`() {
        engineWith("synthetic-explicit").use { engine ->
            val got = engine.assessOutgoingImage(null, encoded("chelsea_cat.jpg"))
            assertEquals(ImageVerdict.EXPLICIT, got.nudity.verdict)
            assertTrue(got.pause && !got.blur)
            assertEquals(InterventionKind.CAUTION, got.intervention.kind)
            assertEquals(Level.MEDIUM, got.level)
            assertEquals(Topic.OUTGOING_IMAGE, got.intervention.topic)
            assertTrue(got.intervention.actions.any { it.action == Action.DONT_SEND })
            assertNull(got.conversation)
            assertTrue(got.nudity.detections.any { it.label == "FEMALE_BREAST_EXPOSED" })
        }
    }

    @Test
    fun `an explicit image arriving is blurred and recorded in the conversation`() {
        engineWith("synthetic-explicit", fromBytes = true).use { engine ->
            engine.setContact("c", ContactContext(newContact = true, mutualConnections = 0u, accountAgeDays = 1u))
            val got = engine.assessIncomingImage("c", encoded("coffee.jpg"))
            assertEquals(InterventionKind.WARNING, got.intervention.kind)
            assertTrue(got.blur && !got.pause)
            assertEquals(Topic.INCOMING_IMAGE, got.intervention.topic)
            val conversation = assertNotNull(got.conversation)
            assertTrue(conversation.evidence.any { it.kind == SignalKind.EXPLICIT_IMAGE_RECEIVED })
        }
    }

    @Test
    fun `a safe image needs nothing`() {
        engineWith("synthetic-safe").use { engine ->
            val got = engine.assessOutgoingImage(null, encoded("astronaut.jpg"))
            assertEquals(ImageVerdict.SAFE, got.nudity.verdict)
            assertTrue(!got.pause && !got.blur)
            assertEquals(InterventionKind.NONE, got.intervention.kind)
        }
    }

    @Test
    fun `bitmaps are read with their format and row stride`() {
        engineWith("synthetic-brightness").use { engine ->
            for (format in PixelFormat.values()) {
                fun verdict(image: ImageInput) = engine.assessOutgoingImage(null, image).nudity.verdict
                assertEquals(ImageVerdict.SAFE, verdict(solid(10, format = format)))
                assertEquals(ImageVerdict.SUGGESTIVE, verdict(solid(128, format = format)))
                assertEquals(ImageVerdict.EXPLICIT, verdict(solid(245, format = format)))
                assertEquals(ImageVerdict.SAFE, verdict(solid(10, format = format, stride = 64 * 4 + 64, fill = 255)))
            }
        }
    }

    @Test
    fun `an outgoing explicit image raises the conversation`() {
        engineWith("synthetic-explicit").use { engine ->
            engine.setContact("c", ContactContext(newContact = true, mutualConnections = 0u, accountAgeDays = 2u))
            listOf("hey ur cute", "add my snap", "send me a pic of u").forEachIndexed { i, text ->
                engine.observe("c", message(text, at = EPOCH_MS + i))
            }
            val before = engine.currentAssessment("c")
            val got = engine.assessOutgoingImage("c", encoded("grace_hopper.jpg"))
            assertTrue(got.pause && got.level >= Level.HIGH)
            // The check records nothing: the teen may still cancel.
            val checked = assertNotNull(got.conversation)
            assertEquals(before.score, checked.score)
            assertTrue(checked.evidence.none { it.kind == SignalKind.EXPLICIT_IMAGE_SENT })
            // The teen sends it anyway: the message with the image records the share and the check's verdict.
            val sent = engine.observe("c", message("", at = EPOCH_MS + 9, from = Direction.FROM_USER).copy(attachments = listOf(Attachment.IMAGE)))
            assertTrue(sent.evidence.any { it.kind == SignalKind.EXPLICIT_IMAGE_SENT }, "evidence: ${sent.evidence}")
            assertTrue(sent.evidence.any { it.kind == SignalKind.IMAGE_SHARED })
            assertTrue(sent.score > before.score)
        }
    }

    @Test
    fun `image errors`() {
        HavenEngine(EngineConfig()).use { engine ->
            val e = assertFailsWith<HavenException.NoImageModel> { engine.assessOutgoingImage(null, encoded("chelsea_cat.jpg")) }
            assertContains(e.message!!, "model")
            assertFailsWith<HavenException.ImageModel> {
                engine.loadImageModel(ModelSource.Path("/nonexistent/haven/model.onnx"), manifest("synthetic-explicit"))
            }
            // Bytes that are not the model the manifest names are refused by their digest, before parsing.
            assertFailsWith<HavenException.ImageModelDigestMismatch> {
                engine.loadImageModel(ModelSource.Bytes("not onnx".toByteArray()), manifest("synthetic-explicit"))
            }
            assertFailsWith<HavenException.ImageModelDigestMismatch> {
                engine.loadImageModel(ModelSource.Path(File(models, "synthetic-safe.onnx").path), manifest("synthetic-explicit"))
            }
            val device = assertFailsWith<HavenException.ImageModel> {
                engine.loadImageModel(ModelSource.Path("/dev/zero"), manifest("synthetic-explicit"))
            }
            assertContains(device.message!!, "not a regular file")
            assertFailsWith<HavenException.ImageModel> {
                engine.loadImageModel(ModelSource.Path(File(models, "synthetic-explicit.onnx").path), "{not json")
            }
            engine.loadImageModel(ModelSource.Path(File(models, "synthetic-explicit.onnx").path), manifest("synthetic-explicit"))
            for (bad in listOf("empty.jpg", "random_bytes.jpg", "truncated.jpg")) {
                assertFailsWith<HavenException.InvalidImage> { engine.assessOutgoingImage(null, encoded("bad/$bad")) }
            }
            assertFailsWith<HavenException.ImageTooLarge> {
                engine.assessIncomingImage(null, encoded("bad/huge_header_50000x50000.png"))
            }
            assertFailsWith<HavenException.InvalidImage> {
                engine.assessOutgoingImage(null, ImageInput.Pixels(ByteArray(399), 10u, 10u, 40u, PixelFormat.RGBA8))
            }
            assertFailsWith<HavenException.InvalidImage> {
                engine.assessOutgoingImage(null, ImageInput.Pixels(ByteArray(400), 10u, 10u, 39u, PixelFormat.BGRA8))
            }
        }
    }

    @Test
    fun `image checks and text from several threads at once`() {
        engineWith("synthetic-brightness").use { engine ->
            val dark = solid(10)
            val bright = solid(245)
            val pool = Executors.newFixedThreadPool(6)
            try {
                val results = (0 until 6).map { i ->
                    pool.submit<Boolean> {
                        (0 until 10).all { k ->
                            val explicit = (i + k) % 2 == 1
                            val got = engine.assessIncomingImage("c$i", if (explicit) bright else dark)
                            engine.observe("c$i", message("hey", at = EPOCH_MS + k))
                            got.nudity.verdict == if (explicit) ImageVerdict.EXPLICIT else ImageVerdict.SAFE
                        }
                    }
                }
                assertTrue(results.all { it.get(2, TimeUnit.MINUTES) })
            } finally {
                pool.shutdownNow()
            }
            assertEquals(6uL, engine.conversationCount())
        }
    }

    @Test
    fun `NudeNet finds nothing explicit in benign photos`() {
        val model = File(repo, "models/nudenet-320n.onnx")
        val manifest = File(repo, "manifests/nudenet-320n.json")
        assumeTrue(model.isFile && manifest.isFile, "scripts/fetch-models.sh has not fetched NudeNet")
        HavenEngine(EngineConfig()).use { engine ->
            engine.loadImageModel(ModelSource.Path(model.path), manifest.readText())
            for (name in listOf("astronaut.jpg", "grace_hopper.jpg", "chelsea_cat.jpg", "rocket.webp")) {
                val got = engine.assessOutgoingImage(null, encoded(name))
                assertTrue(got.nudity.verdict != ImageVerdict.EXPLICIT, name)
            }
            val faces = engine.assessIncomingImage(null, encoded("grace_hopper.jpg")).nudity.detections
            assertTrue(faces.any { it.label.startsWith("FACE_") }, "$faces")
        }
    }
}
