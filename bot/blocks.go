package bot

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/slack-go/slack"

	"github.com/d2iq/supportbot/policy"
)

// Block Kit limits (https://api.slack.com/reference/block-kit/blocks).
const (
	maxBlocks         = 50
	maxSectionText    = 3000
	maxHeaderText     = 150
	maxButtonText     = 75
	maxButtonValue    = 2000
	maxContextElems   = 10
	maxActionElements = 25
	maxFallbackText   = 3000
)

// Action ids of the buttons the bot renders.
const (
	ActionShare = "share" // post the answer visibly in the channel
	ActionAsk   = "ask"   // ask the follow-up question in the button's value
)

// Escape makes text safe for mrkdwn and plain_text: &, < and > become
// entities, so user text can neither mention anyone (<!channel>, <@U…>) nor
// make a link.
func Escape(s string) string {
	if !strings.ContainsAny(s, "&<>") {
		return s
	}
	return escaper.Replace(s)
}

var escaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// truncate cuts s to at most n runes, marking the cut with an ellipsis.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

var verdictEmoji = map[policy.Verdict]string{
	policy.VerdictSupported:    ":white_check_mark:",
	policy.VerdictUnsupported:  ":no_entry:",
	policy.VerdictCompatible:   ":white_check_mark:",
	policy.VerdictIncompatible: ":no_entry:",
	policy.VerdictInfo:         ":information_source:",
	policy.VerdictUnknown:      ":grey_question:",
}

// Message is a rendered reply: the notification fallback text and the blocks.
type Message struct {
	Text   string        `json:"text"`
	Blocks []slack.Block `json:"blocks"`
}

// RenderOptions choose the buttons of a rendered answer.
type RenderOptions struct {
	// Share adds a "Share in channel" button (for ephemeral answers).
	Share bool
	// SharedBy names the user who shared the answer, for the context line.
	SharedBy string
}

// Render turns an answer into a Block Kit message: a header with the verdict,
// the summary, the facts, a context line with the sources and the policy date,
// and buttons for the follow-ups. Every Block Kit limit holds for any answer.
func Render(a policy.Answer, o RenderOptions) Message {
	summary := Escape(a.Summary)
	blocks := []slack.Block{
		header(emojiFor(a.Verdict) + " " + a.Verdict.Label()),
		section(truncateRunes(summary, maxSectionText)),
	}
	// Facts, packed into as few sections as the limits allow.
	var chunk strings.Builder
	flush := func() {
		if chunk.Len() > 0 {
			blocks = append(blocks, section(chunk.String()))
			chunk.Reset()
		}
	}
	const reserved = 4 // context, actions and room for the truncation note
	for i, d := range a.Details {
		line := "*" + Escape(d.Label) + "*  " + Escape(d.Text)
		line = truncateRunes(line, maxSectionText)
		if utf8.RuneCountInString(chunk.String())+utf8.RuneCountInString(line)+1 > maxSectionText {
			flush()
		}
		if len(blocks) >= maxBlocks-reserved {
			blocks = append(blocks, section(fmt.Sprintf("_…and %d more facts; ask a narrower question._", len(a.Details)-i)))
			chunk.Reset()
			break
		}
		if chunk.Len() > 0 {
			chunk.WriteByte('\n')
		}
		chunk.WriteString(line)
	}
	flush()
	blocks = append(blocks, contextBlock(a, o))
	if act := actions(a, o); act != nil {
		blocks = append(blocks, act)
	}
	return Message{Text: truncateRunes(summary, maxFallbackText), Blocks: blocks}
}

// truncateRunes cuts already-escaped text at a rune boundary, never inside an entity.
func truncateRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	cut := string([]rune(s)[:n-1])
	if i := strings.LastIndexByte(cut, '&'); i >= 0 && !strings.Contains(cut[i:], ";") {
		cut = cut[:i]
	}
	return cut + "…"
}

func emojiFor(v policy.Verdict) string {
	if e, ok := verdictEmoji[v]; ok {
		return e
	}
	return ":grey_question:"
}

// header is the one way a header block is built: plain text, escaped, cut
// to Block Kit's limit (never inside an entity).
func header(text string) *slack.HeaderBlock {
	return slack.NewHeaderBlock(slack.NewTextBlockObject(slack.PlainTextType, truncateRunes(Escape(text), maxHeaderText), true, false))
}

// notice lays out a reminder or an announcement: a header, the one-line
// summary (also the notification text), the facts and the context line.
// body is mrkdwn the caller has escaped; title and summary are escaped here.
func notice(title, summary, body string, context slack.Block) Message {
	return Message{
		Text: truncateRunes(Escape(summary), maxFallbackText),
		Blocks: []slack.Block{
			header(title),
			section(truncateRunes(Escape(summary)+".", maxSectionText)),
			section(truncateRunes(body, maxSectionText)),
			context,
		},
	}
}

// noticeContext is the context line: the source and the policy's date.
func noticeContext(m *policy.Model, src policy.Ref) *slack.ContextBlock {
	a := policy.Answer{AsOf: m.AsOf.Format(time.DateOnly)}
	if src.Title != "" {
		a.Sources = []policy.Ref{src}
	}
	return contextBlock(a, RenderOptions{})
}

// section is a mrkdwn section of text the caller has escaped.
func section(text string) *slack.SectionBlock {
	return slack.NewSectionBlock(slack.NewTextBlockObject(slack.MarkdownType, text, false, false), nil, nil)
}

func contextBlock(a policy.Answer, o RenderOptions) *slack.ContextBlock {
	var elems []slack.MixedElement
	for _, s := range a.Sources {
		if len(elems) == maxContextElems-2 {
			break
		}
		text := Escape(s.String())
		if s.URL != "" && !strings.ContainsAny(s.URL, "|<> ") {
			text = "<" + Escape(s.URL) + "|" + text + ">"
		}
		elems = append(elems, slack.NewTextBlockObject(slack.MarkdownType, truncateRunes(":page_facing_up: "+text, maxSectionText), false, false))
	}
	elems = append(elems, slack.NewTextBlockObject(slack.MarkdownType, Escape(a.Footer()), false, false))
	if o.SharedBy != "" {
		elems = append(elems, slack.NewTextBlockObject(slack.MarkdownType, "Shared by <@"+userID(o.SharedBy)+">", false, false))
	}
	return slack.NewContextBlock("", elems...)
}

// userID keeps only the characters of a Slack user id, so a crafted id cannot
// break out of the <@…> mention.
func userID(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' {
			return r
		}
		return -1
	}, s)
}

func actions(a policy.Answer, o RenderOptions) *slack.ActionBlock {
	var elems []slack.BlockElement
	if o.Share {
		b := button(ActionShare, "Share in channel", a.Query)
		b.Style = slack.StylePrimary
		elems = append(elems, b)
	}
	for i, f := range a.FollowUps {
		if len(elems) >= maxActionElements {
			break
		}
		b := button(fmt.Sprintf("%s-%d", ActionAsk, i), f.Label, f.Question)
		elems = append(elems, b)
	}
	if len(elems) == 0 {
		return nil
	}
	return slack.NewActionBlock("actions", elems...)
}

func button(actionID, label, value string) *slack.ButtonBlockElement {
	return slack.NewButtonBlockElement(actionID, truncateBytes(value, maxButtonValue),
		slack.NewTextBlockObject(slack.PlainTextType, truncate(label, maxButtonText), true, false))
}

// truncateBytes cuts s to at most n bytes at a rune boundary.
func truncateBytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	s = s[:n]
	for !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	return s
}

// HomeView renders the App Home tab: every product's support matrix and the
// upcoming expiries.
func HomeView(m *policy.Model) slack.HomeTabViewRequest {
	blocks := []slack.Block{
		header("D2iQ version support"),
		section("Ask me with `/support konvoy 1.6`, by mentioning me, or in a DM. `/support help` lists what I understand."),
		slack.NewDividerBlock(),
	}
	var sources []policy.Ref
	for _, id := range m.Products() {
		a := m.Ask(id)
		var b strings.Builder
		b.WriteString("*" + Escape(productName(m, id)) + "*  " + Escape(a.Summary))
		for _, d := range a.Details {
			if d.Label == "Policy" {
				continue
			}
			line := "\n• " + Escape(d.Label) + ": " + Escape(d.Text)
			if utf8.RuneCountInString(b.String())+utf8.RuneCountInString(line) > maxSectionText {
				break
			}
			b.WriteString(line)
		}
		blocks = append(blocks, section(b.String()))
		for _, s := range a.Sources {
			if !containsRef(sources, s) {
				sources = append(sources, s)
			}
		}
	}
	blocks = append(blocks, slack.NewDividerBlock(), header("Upcoming expiries"))
	ex := m.Expiries()
	if len(ex) == 0 {
		blocks = append(blocks, section("No release is announced in the policy, so no end of support is planned yet."))
	}
	for i, e := range ex {
		if len(blocks) >= maxBlocks-2 {
			blocks = append(blocks, section(fmt.Sprintf("_…and %d more._", len(ex)-i)))
			break
		}
		when := "when it is released"
		if !e.Expected.IsZero() {
			when = "expected " + e.Expected.Format("2006-01-02")
		}
		name := productName(m, e.Product)
		blocks = append(blocks, section(Escape(fmt.Sprintf("• %s %s: support ends when %s %s ships (%s).", name, e.Ends, name, e.Next, when))))
	}
	blocks = append(blocks, contextBlock(policy.Answer{AsOf: m.AsOf.Format("2006-01-02"), Sources: sources}, RenderOptions{}))
	return slack.HomeTabViewRequest{Type: slack.VTHomeTab, Blocks: slack.Blocks{BlockSet: blocks}}
}

func productName(m *policy.Model, id string) string {
	if p, ok := m.Product(id); ok {
		return p.Name
	}
	return id
}

func containsRef(refs []policy.Ref, r policy.Ref) bool {
	for _, x := range refs {
		if x == r {
			return true
		}
	}
	return false
}
