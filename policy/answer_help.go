package policy

// This file answers help, and what the reader could not place.

import (
	"strings"
)

func (b *answer) help() {
	b.set(IntentHelp, VerdictInfo, "Ask me about D2iQ version support: products, versions, pairings, Kubernetes, KBA tags and support scope.")
	for _, f := range Grammar() {
		b.detail(f.Example, "%s", f.Description)
	}
	b.detail("Products", "%s", strings.Join(knownNames(b.m), ", "))
}

func (b *answer) unknown(q Question) {
	switch {
	case q.Unknown != "":
		if s, ok := DidYouMean(b.m, q.Unknown); ok {
			b.a.DidYouMean = s
			b.set(IntentUnknown, VerdictUnknown, "I don't know a product called %q. Did you mean %s?", q.Unknown, s)
			example := s
			if q.Loose != nil {
				example += " " + q.Loose.String()
			}
			b.follow("Ask about "+s, example)
		} else {
			b.set(IntentUnknown, VerdictUnknown, "I don't know a product called %q. I know %s.", q.Unknown, strings.Join(knownNames(b.m), ", "))
		}
	case q.Loose != nil:
		b.set(IntentUnknown, VerdictUnknown, "Which product is %s? Ask like `konvoy %s`.", q.Loose, q.Loose)
	default:
		b.set(IntentUnknown, VerdictUnknown, "I didn't understand that. Ask like `konvoy 1.6`, or `help` for everything I understand.")
	}
	b.follow("Help", "help")
}

// smalltalk answers a greeting or a thanks: short, friendly, with the help pointer.
func (b *answer) smalltalk(q Question) {
	if q.Thanks {
		b.a.Smalltalk = "thanks"
		b.set(IntentHelp, VerdictInfo, "You're welcome! Ask again any time, or say `help` for what I understand.")
		return
	}
	b.a.Smalltalk = "greeting"
	b.set(IntentHelp, VerdictInfo, "Hi! Ask me about D2iQ version support, like `is konvoy 1.6 still supported?`, or say `help` for what I understand.")
}
