// The conversation screen built from framework views in code (no XML, no AndroidX): header, message list,
// intervention card, composer.
package org.haven.sample.app

import android.content.Context
import android.content.Intent
import android.graphics.Color
import android.graphics.Typeface
import android.graphics.drawable.GradientDrawable
import android.net.Uri
import android.view.Gravity
import android.view.View
import android.widget.Button
import android.widget.EditText
import android.widget.LinearLayout
import android.widget.ScrollView
import android.widget.TextView
import org.haven.sample.chat.ChatItem
import org.haven.sample.chat.ChatUiState
import org.haven.sample.chat.InterventionCard
import org.haven.sample.chat.Sender
import uniffi.haven.Action
import uniffi.haven.HelpResource
import uniffi.haven.InterventionKind

/** Draws [ChatUiState] and reports the teen's taps. Main thread only. */
class ChatScreen(private val context: Context, private val callbacks: Callbacks) {
    /** What the screen asks its host to do. */
    interface Callbacks {
        fun onSend(text: String)
        fun onPickPhoto()
        fun onAction(action: Action)
        fun onDismissCard()
        fun onSendPhotoAnyway()
        fun onDiscardPhoto()
        fun onSwitchScript()
        fun onOpen(intent: Intent)
    }

    private val title = TextView(context).apply {
        textSize = 18f
        setTypeface(typeface, Typeface.BOLD)
    }
    private val messages = LinearLayout(context).apply { orientation = LinearLayout.VERTICAL }
    private val scroll = ScrollView(context).apply { addView(messages) }
    private val card = LinearLayout(context).apply {
        orientation = LinearLayout.VERTICAL
        setPadding(dp(16), dp(12), dp(16), dp(12))
        visibility = View.GONE
    }
    private val input = EditText(context).apply { hint = "Message" }
    private val send = Button(context).apply { text = "Send" }
    private val photo = Button(context).apply { text = "Photo" }

    /** The root view to pass to `setContentView`. */
    val root: View = LinearLayout(context).apply {
        orientation = LinearLayout.VERTICAL
        setPadding(dp(8), dp(8), dp(8), dp(8))
        val header = LinearLayout(context).apply {
            gravity = Gravity.CENTER_VERTICAL
            addView(title, LinearLayout.LayoutParams(0, wrap, 1f))
            addView(Button(context).apply {
                text = "Other chat"
                setOnClickListener { callbacks.onSwitchScript() }
            })
        }
        addView(header)
        addView(scroll, LinearLayout.LayoutParams(match, 0, 1f))
        addView(card, LinearLayout.LayoutParams(match, wrap))
        val composer = LinearLayout(context).apply {
            addView(input, LinearLayout.LayoutParams(0, wrap, 1f))
            addView(photo)
            addView(send)
        }
        addView(composer)
    }

    init {
        send.setOnClickListener {
            val text = input.text.toString().trim()
            if (text.isNotEmpty()) {
                callbacks.onSend(text)
                input.setText("")
            }
        }
        photo.setOnClickListener { callbacks.onPickPhoto() }
    }

    /** Without a bundled model photos are sent unchecked: the photo button says so. */
    fun setPhotoChecks(available: Boolean) {
        photo.text = if (available) "Photo" else "Photo (not checked)"
    }

    /** Redraws everything from [state]; cheap enough for a sample's short conversation. */
    fun render(state: ChatUiState) {
        title.text = state.contactName
        messages.removeAllViews()
        state.items.forEach { messages.addView(bubble(it)) }
        scroll.post { scroll.fullScroll(View.FOCUS_DOWN) }
        val enabled = !state.blocked && state.pendingPhoto == null
        input.isEnabled = enabled
        send.isEnabled = enabled
        photo.isEnabled = enabled && !state.checkingPhoto
        renderCard(state.card, holdingPhoto = state.pendingPhoto != null)
    }

    private fun bubble(item: ChatItem): View = TextView(context).apply {
        text = if (item.imageBytes != null) "[photo, ${item.imageBytes!!.size / 1024} KB]" else item.text
        setPadding(dp(12), dp(8), dp(12), dp(8))
        background = rounded(
            when (item.sender) {
                Sender.CONTACT -> Color.rgb(235, 235, 240)
                Sender.TEEN -> Color.rgb(205, 228, 255)
                Sender.SYSTEM -> Color.TRANSPARENT
            },
        )
        if (item.sender == Sender.SYSTEM) setTypeface(typeface, Typeface.ITALIC)
        layoutParams = LinearLayout.LayoutParams(wrap, wrap).apply {
            gravity = if (item.sender == Sender.TEEN) Gravity.END else Gravity.START
            setMargins(0, dp(4), 0, dp(4))
        }
    }

    private fun renderCard(model: InterventionCard?, holdingPhoto: Boolean) {
        card.removeAllViews()
        if (model == null) {
            card.visibility = View.GONE
            return
        }
        card.visibility = View.VISIBLE
        card.background = rounded(
            when (model.kind) {
                InterventionKind.CRISIS -> Color.rgb(255, 226, 222)
                InterventionKind.WARNING -> Color.rgb(255, 240, 214)
                else -> Color.rgb(232, 244, 253)
            },
        )
        card.addView(TextView(context).apply {
            text = model.headline
            textSize = 17f
            setTypeface(typeface, Typeface.BOLD)
        })
        card.addView(TextView(context).apply { text = model.body })
        val actions = LinearLayout(context).apply { orientation = LinearLayout.VERTICAL }
        model.actions.forEach { suggested ->
            actions.addView(Button(context).apply {
                text = suggested.label
                setOnClickListener { callbacks.onAction(suggested.action) }
            })
        }
        card.addView(actions)
        model.resources.forEach { card.addView(resourceRow(it)) }
        val footer = LinearLayout(context)
        if (holdingPhoto) {
            footer.addView(Button(context).apply {
                text = "Don't send"
                setOnClickListener { callbacks.onDiscardPhoto() }
            })
            footer.addView(Button(context).apply {
                text = "Send anyway"
                setOnClickListener { callbacks.onSendPhotoAnyway() }
            })
        } else {
            footer.addView(Button(context).apply {
                text = "Close"
                setOnClickListener { callbacks.onDismissCard() }
            })
        }
        card.addView(footer)
    }

    /** A help resource: its name and what it does, with a button per way to reach it. */
    private fun resourceRow(resource: HelpResource): View = LinearLayout(context).apply {
        orientation = LinearLayout.VERTICAL
        setPadding(0, dp(8), 0, 0)
        addView(TextView(context).apply {
            text = resource.name
            setTypeface(typeface, Typeface.BOLD)
        })
        addView(TextView(context).apply { text = resource.description })
        val ways = LinearLayout(context)
        resource.phone?.let { phone ->
            ways.addView(link("Call $phone", Intent(Intent.ACTION_DIAL, Uri.parse("tel:$phone"))))
        }
        resource.sms?.let { sms ->
            ways.addView(link("Text $sms", Intent(Intent.ACTION_SENDTO, Uri.parse("smsto:$sms"))))
        }
        resource.url?.let { url ->
            ways.addView(link("Open website", Intent(Intent.ACTION_VIEW, Uri.parse(url))))
        }
        addView(ways)
    }

    private fun link(label: String, intent: Intent) = Button(context).apply {
        text = label
        setOnClickListener { callbacks.onOpen(intent) }
    }

    private fun rounded(color: Int) = GradientDrawable().apply {
        setColor(color)
        cornerRadius = dp(12).toFloat()
    }

    private fun dp(value: Int): Int = (value * context.resources.displayMetrics.density).toInt()

    private companion object {
        const val match = LinearLayout.LayoutParams.MATCH_PARENT
        const val wrap = LinearLayout.LayoutParams.WRAP_CONTENT
    }
}
