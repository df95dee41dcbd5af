// Package policy is supportbot's domain: the version-support policy of the D2iQ
// platform, the questions people ask about it, and the answers.
//
// # Model
//
// A [Model] is loaded from a YAML policy file ([Load], [Parse]) or from the
// default policy embedded in the binary ([Default]). Facts and rules are kept
// apart: a product lists its released cycles, and its support [Rule] (n-minus,
// or "with" another product) computes which cycles are supported, unless a
// page's stated supported set for the current release says otherwise
// ([Support]). Every fact names its source, a page (at a version) and a
// section, so every answer can cite it.
//
// # Dates
//
// Releases and patches carry dates, with more than one value where pages
// disagree ([Conflict]). [Model.At] is the policy as it stood on a day (a view
// per span between release dates, found by binary search), and
// [Product.Lifecycle] gives a cycle's release dates, latest patch and the
// release whose release ended its support.
//
// # Questions
//
// [ParseQuestion] turns slash-command text, a mention, a DM or command-line
// words into a [Question]; [Model.Answer] evaluates it into an [Answer] with an
// intent, a verdict, a summary, details and sources. [Model.Ask] does both,
// and [Model.AskOn] answers as the policy stood on a day (a date in the
// question wins).
//
// The reader accounts for every word: tokens keep their place; a lexicon
// built from the policy (ids, aliases, names, the words of its own
// sentences) and a fuzzy matcher for near misses ([Answer.Corrections]) place
// them; frames bind versions to products, and read upgrades, "after X ships"
// and dates. Words no frame claimed are [Answer.NotUnderstood], and then the
// verdict is never a bare yes or no. The router (route.go) makes a part of
// every relation the question names (each status, pairing, Kubernetes range,
// platform, upgrade); combine.go answers each part with its intent's answer
// (answer_*.go) and combines them: incompatible, then unsupported, then
// unknown, then yes ([Answer.Parts]).
// Greetings and thanks answer with intent help, verdict info and
// [Answer.Smalltalk] set, so a thanks is no unanswered question.
//
// # Caveats
//
// The package imports nothing of Slack or of the store. A Model is immutable
// after loading and safe for concurrent use; swap whole models on reload.
package policy
