// A minimal JSON reader for the test fixtures, so the tests need nothing beyond the Kotlin standard library.
package org.haven.bindings

/** Parses JSON text into Map, List, String, Double, Boolean or null. Throws on malformed input. */
fun parseJson(text: String): Any? = JsonReader(text).run { value().also { skipSpace(); check(pos == text.length) } }

private class JsonReader(val s: String) {
    var pos = 0

    fun skipSpace() {
        while (pos < s.length && s[pos].isWhitespace()) pos++
    }

    fun value(): Any? {
        skipSpace()
        return when (val c = s[pos]) {
            '{' -> obj()
            '[' -> arr()
            '"' -> str()
            't' -> literal("true", true)
            'f' -> literal("false", false)
            'n' -> literal("null", null)
            else -> if (c == '-' || c.isDigit()) num() else error("unexpected '$c' at $pos")
        }
    }

    fun literal(word: String, v: Any?): Any? {
        check(s.startsWith(word, pos)) { "bad literal at $pos" }
        pos += word.length
        return v
    }

    fun obj(): Map<String, Any?> {
        val out = LinkedHashMap<String, Any?>()
        pos++
        skipSpace()
        if (s[pos] == '}') return out.also { pos++ }
        while (true) {
            skipSpace()
            val key = str()
            skipSpace()
            check(s[pos++] == ':') { "expected ':' at $pos" }
            out[key] = value()
            skipSpace()
            when (s[pos++]) {
                ',' -> continue
                '}' -> return out
                else -> error("expected ',' or '}' at $pos")
            }
        }
    }

    fun arr(): List<Any?> {
        val out = ArrayList<Any?>()
        pos++
        skipSpace()
        if (s[pos] == ']') return out.also { pos++ }
        while (true) {
            out.add(value())
            skipSpace()
            when (s[pos++]) {
                ',' -> continue
                ']' -> return out
                else -> error("expected ',' or ']' at $pos")
            }
        }
    }

    fun str(): String {
        check(s[pos++] == '"') { "expected string at $pos" }
        val out = StringBuilder()
        while (true) {
            when (val c = s[pos++]) {
                '"' -> return out.toString()
                '\\' -> when (val e = s[pos++]) {
                    'n' -> out.append('\n')
                    't' -> out.append('\t')
                    'r' -> out.append('\r')
                    'b' -> out.append('\b')
                    'f' -> out.append('\u000C')
                    'u' -> out.append(s.substring(pos, pos + 4).toInt(16).toChar()).also { pos += 4 }
                    else -> out.append(e)
                }
                else -> out.append(c)
            }
        }
    }

    fun num(): Double {
        val start = pos
        while (pos < s.length && (s[pos].isDigit() || s[pos] in "+-.eE")) pos++
        return s.substring(start, pos).toDouble()
    }
}
