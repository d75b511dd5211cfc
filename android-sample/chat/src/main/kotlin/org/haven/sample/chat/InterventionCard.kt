// The card the conversation screen shows for a Haven intervention, reduced to what the UI draws.
package org.haven.sample.chat

import uniffi.haven.HelpResource
import uniffi.haven.Intervention
import uniffi.haven.InterventionKind
import uniffi.haven.SuggestedAction

/**
 * What the UI shows for one intervention: a headline, a body, one button per action and one row per help
 * resource. Built from Haven's [Intervention], whose text is already localized for the engine's languages.
 */
data class InterventionCard(
    val kind: InterventionKind,
    val headline: String,
    val body: String,
    val actions: List<SuggestedAction>,
    val resources: List<HelpResource>,
) {
    /** Crisis cards go above the conversation and are not dismissed by a tap outside them. */
    val isCrisis: Boolean get() = kind == InterventionKind.CRISIS

    companion object {
        /** The card for [intervention], or null when Haven says to show nothing. */
        fun of(intervention: Intervention): InterventionCard? =
            if (intervention.kind == InterventionKind.NONE) {
                null
            } else {
                InterventionCard(
                    kind = intervention.kind,
                    headline = intervention.headline,
                    body = intervention.body,
                    actions = intervention.actions,
                    resources = intervention.resources,
                )
            }
    }
}
