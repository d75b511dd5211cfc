// The sample's only screen: the conversation with the scripted contact, the composer and the photo picker.
package org.haven.sample.app

import android.app.Activity
import android.content.Intent
import android.os.Bundle
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.Job
import kotlinx.coroutines.MainScope
import kotlinx.coroutines.cancel
import kotlinx.coroutines.launch
import kotlinx.coroutines.withContext
import org.haven.sample.chat.ChatViewModel
import org.haven.sample.chat.HavenRepository
import org.haven.sample.chat.Script
import org.haven.sample.chat.Scripts

/**
 * Hosts [ChatScreen] and one [ChatViewModel]. Everything here runs on the main thread; the view model moves
 * every Haven call to a background dispatcher, and the picked photo is read on [Dispatchers.IO].
 */
class ChatActivity : Activity() {
    private val scope = MainScope()
    private lateinit var screen: ChatScreen
    private var viewModel: ChatViewModel? = null
    private var conversationScope: CoroutineScope? = null
    private var script: Script = Scripts.sextortion

    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        screen = ChatScreen(this, Callbacks())
        setContentView(screen.root)
        open(script)
    }

    override fun onDestroy() {
        scope.cancel()
        super.onDestroy()
    }

    /** Starts a view model for [script]; its coroutines die with the Activity or when another script opens. */
    private fun open(script: Script) {
        this.script = script
        conversationScope?.cancel()
        val conversation = CoroutineScope(scope.coroutineContext + Job(scope.coroutineContext[Job]))
        conversationScope = conversation
        conversation.launch {
            // The engine is built once per process, on first use, off the main thread (see SampleApp).
            val haven = withContext(Dispatchers.Default) { (application as SampleApp).haven }
            screen.setPhotoChecks(haven.photoChecks)
            val repository = HavenRepository(haven.engine, haven.store)
            val vm = ChatViewModel(repository, script, conversation)
            viewModel = vm
            launch { vm.state.collect { screen.render(it) } }
            vm.start()
        }
    }

    @Deprecated("Framework Activity result API; the sample avoids AndroidX's ActivityResult on purpose.")
    override fun onActivityResult(requestCode: Int, resultCode: Int, data: Intent?) {
        @Suppress("DEPRECATION")
        super.onActivityResult(requestCode, resultCode, data)
        val uri = data?.data
        if (requestCode != PICK_PHOTO || resultCode != RESULT_OK || uri == null) return
        scope.launch {
            val bytes = withContext(Dispatchers.IO) { contentResolver.openInputStream(uri)?.use { it.readBytes() } }
            if (bytes != null) viewModel?.sendPhoto(bytes)
        }
    }

    private inner class Callbacks : ChatScreen.Callbacks {
        override fun onSend(text: String) {
            viewModel?.send(text)
        }

        override fun onPickPhoto() {
            val pick = Intent(Intent.ACTION_GET_CONTENT).setType("image/*").addCategory(Intent.CATEGORY_OPENABLE)
            @Suppress("DEPRECATION")
            startActivityForResult(Intent.createChooser(pick, "Send a photo"), PICK_PHOTO)
        }

        override fun onAction(action: uniffi.haven.Action) {
            viewModel?.act(action)
        }

        override fun onDismissCard() {
            viewModel?.dismissCard()
        }

        override fun onSendPhotoAnyway() {
            viewModel?.sendPendingPhotoAnyway()
        }

        override fun onDiscardPhoto() {
            viewModel?.discardPendingPhoto()
        }

        override fun onSwitchScript() {
            open(if (script == Scripts.sextortion) Scripts.friend else Scripts.sextortion)
        }

        override fun onOpen(intent: Intent) {
            startActivity(intent)
        }
    }

    private companion object {
        const val PICK_PHOTO = 1
    }
}
