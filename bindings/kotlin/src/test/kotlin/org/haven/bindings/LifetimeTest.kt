// Engine lifetimes in Kotlin: close() and use {} free the Rust object, and calls after that throw.
package org.haven.bindings

import java.util.concurrent.CountDownLatch
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertTrue
import org.junit.jupiter.api.Test
import uniffi.haven.EngineConfig
import uniffi.haven.HavenEngine

class LifetimeTest {
    @Test
    fun `calling after close throws and close is idempotent`() {
        val engine = HavenEngine(EngineConfig())
        engine.observe("c", message("hi"))
        engine.close()
        assertTrue(engine.uniffiIsDestroyed)
        assertFailsWith<IllegalStateException> { engine.observe("c", message("hi")) }
        assertFailsWith<IllegalStateException> { engine.conversationCount() }
        engine.close()
    }

    @Test
    fun `use closes the engine when the block ends, even on an exception`() {
        val kept: HavenEngine
        HavenEngine(EngineConfig()).use { engine ->
            kept = engine
            assertEquals(0uL, engine.conversationCount())
        }
        assertFailsWith<IllegalStateException> { kept.exportState() }

        var thrown: HavenEngine? = null
        assertFailsWith<RuntimeException> {
            HavenEngine(EngineConfig()).use { engine ->
                thrown = engine
                throw RuntimeException("app error")
            }
        }
        assertFailsWith<IllegalStateException> { thrown!!.conversationCount() }
    }

    @Test
    fun `close while another thread is mid-call lets that call finish`() {
        val engine = HavenEngine(EngineConfig())
        val pool = Executors.newSingleThreadExecutor()
        val started = CountDownLatch(1)
        val result = pool.submit<Int> {
            started.countDown()
            var done = 0
            try {
                while (true) {
                    engine.observe("c", message("ill send first, send pics"))
                    done++
                }
            } catch (e: IllegalStateException) {
                // The engine was closed between two calls: expected, and no call was cut short.
            }
            done
        }
        started.await()
        Thread.sleep(50)
        engine.close()
        assertTrue(result.get(1, TimeUnit.MINUTES) > 0)
        pool.shutdown()
    }

    @Test
    fun `engines are independent`() {
        HavenEngine(EngineConfig()).use { a ->
            HavenEngine(EngineConfig()).use { b ->
                a.observe("c", message("hi"))
                assertEquals(1uL, a.conversationCount())
                assertEquals(0uL, b.conversationCount())
            }
        }
    }
}
