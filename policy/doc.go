// Package policy is supportbot's domain: the version-support policy of the D2iQ
// platform, the questions people ask about it, and the answers.
//
// # Model
//
// A [Model] is loaded from a YAML policy file ([Load], [Parse]) or from the
// default policy embedded in the binary ([Default]). Facts and rules are kept
// apart: a product lists its released cycles, and its support rule (n-minus,
// or "with" another product) computes which cycles are supported. Every fact
// names its source, a page and a section, so every answer can cite it.
//
// # Questions
//
// [ParseQuestion] turns slash-command text, a mention, a DM or command-line
// words into a [Question]; [Model.Answer] evaluates it into an [Answer] with an
// intent, a verdict, a summary, details and sources. [Model.Ask] does both.
//
// # Caveats
//
// The package imports nothing of Slack or of the store. A Model is immutable
// after loading and safe for concurrent use; swap whole models on reload.
package policy
