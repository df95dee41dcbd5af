package policy

// Form is one kind of question the parser understands, with an example that
// the package tests parse and answer with Intent.
type Form struct {
	Example     string
	Description string
	Intent      Intent
}

// Grammar lists the question forms, in the order help shows them. Plain
// questions ("is konvoy 1.6 still supported?") work too: the reader places
// every word of a sentence, and says which words it did not understand.
func Grammar() []Form {
	return []Form{
		{"konvoy 1.6", "Is a version supported? Patch versions (1.6.3, v1.6, 1.6.x) work too.", IntentStatus},
		{"konvoy", "A product's support matrix: supported, unsupported and upcoming versions.", IntentProduct},
		{"konvoy 1.8 kommander 1.3", "Do a Konvoy and a Kommander version go together?", IntentPairing},
		{"which kommander goes with konvoy 1.8?", "Look up a pairing.", IntentPairing},
		{"konvoy 1.8 kommander 1.4 kaptain 1.3", "A whole stack: every product's status and every pairing and platform.", IntentPairing},
		{"konvoy 1.8 kubernetes 1.19.4", "Does a Konvoy release support a Kubernetes version? (k8s works too)", IntentKubernetes},
		{"konvoy 1.8 kubernetes", "The Kubernetes versions of a Konvoy release.", IntentKubernetes},
		{"kaptain 1.3 konvoy 1.6", "Does Kaptain run on a Konvoy or DKP version?", IntentPlatform},
		{"kaptain 1.3 kommander", "Can Kaptain be installed from Kommander?", IntentPlatform},
		{"kba stable-1.20-4.0.0", "Where a Kubernetes Base Addons tag deploys.", IntentAddons},
		{"scope addons bug fixes", "Support scope and severities: addons or kudo (cassandra, kafka, spark) × configuration, failure, bug fixes, documentation.", IntentScope},
		{"experimental", "What support experimental components get.", IntentScope},
		{"istio", "Istio's support status.", IntentScope},
		{"severity", "Where the severity levels are defined.", IntentScope},
		{"will konvoy 1.7 be supported after 1.9 ships?", "What the support rule says once a release ships.", IntentStatus},
		{"upgrading konvoy 1.7 to 1.8", "What the pages say about an upgrade (the target's status, the advice).", IntentUpgrade},
		{"is a cassandra performance issue supported?", "Plain-English scope questions, answered with the policy's own sentence.", IntentScope},
		{"help", "This list.", IntentHelp},
	}
}
