// Several threads on one engine through the Kotlin bindings: results match a sequential run, nothing is lost.
package org.haven.bindings

import java.util.concurrent.CyclicBarrier
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import kotlin.test.assertEquals
import org.junit.jupiter.api.Test
import uniffi.haven.EngineConfig
import uniffi.haven.HavenEngine

class ConcurrencyTest {
    private val threads = 8
    private val config = EngineConfig(userAge = 15u, region = "US", languages = listOf("en"))

    private fun <T> onThreads(work: (Int) -> T): List<T> {
        val pool = Executors.newFixedThreadPool(threads)
        val barrier = CyclicBarrier(threads)
        try {
            val futures = (0 until threads).map { i -> pool.submit<T> { barrier.await(); work(i) } }
            return futures.map { it.get(2, TimeUnit.MINUTES) }
        } finally {
            pool.shutdownNow()
        }
    }

    @Test
    fun `threads on separate conversations get the sequential results`() {
        val fixtures = listOf("sx-full-script-01", "gr-meetup-04", "bn-new-puppy-04", "fr-sx-snap-01").map(::fixture)
        val expected = fixtures.associate { f -> f.id to HavenEngine(config).use { f.play(it) } }
        HavenEngine(config).use { engine ->
            val results = onThreads { i ->
                fixtures.associate { f -> f.id to f.play(engine, "${f.id}#$i").also { engine.exportState() } }
            }
            assertEquals((threads * fixtures.size).toULong(), engine.conversationCount())
            for (perThread in results) {
                for ((id, got) in perThread) {
                    val want = expected.getValue(id)
                    assertEquals(want.map { Triple(it.level, it.stage, it.signals) }, got.map { Triple(it.level, it.stage, it.signals) })
                }
            }
        }
    }

    @Test
    fun `threads sharing one conversation lose no message`() {
        val perThread = 50
        HavenEngine(config).use { engine ->
            onThreads { i ->
                repeat(perThread) { k ->
                    engine.observe("shared", message("msg $i $k", at = EPOCH_MS + k))
                    engine.currentAssessment("shared")
                }
            }
            assertEquals((threads * perThread - 1).toUInt(), engine.currentAssessment("shared").messageIndex)
        }
    }
}
