package bot_test

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/slack-go/slack"

	"github.com/d2iq/supportbot/bot"
	"github.com/d2iq/supportbot/policy"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata")

// TestRender_Golden keeps the Block Kit of one answer per intent in
// testdata/*.golden; refresh them with `go test ./bot -update`.
func TestRender_Golden(t *testing.T) {
	m := policy.Default()
	cases := map[string]string{
		"status":      "konvoy 1.6",
		"unsupported": "konvoy 1.5",
		"product":     "konvoy",
		"pairing":     "konvoy 1.8 kommander 1.3",
		"kubernetes":  "konvoy 1.8 kubernetes 1.19.4",
		"platform":    "kaptain 1.3 konvoy 1.6",
		"addons":      "kba stable-1.20-4.0.0",
		"scope":       "scope addons bug fixes",
		"help":        "help",
		"unknown":     "konvooyy 1.6",
	}
	for name, q := range cases {
		t.Run(name, func(t *testing.T) {
			msg := bot.Render(m.Ask(q), bot.RenderOptions{Share: true})
			checkGolden(t, name, msg)
			checkLimits(t, msg)
		})
	}
}

// checkGolden compares msg's Block Kit JSON with testdata/NAME.golden, or
// rewrites the file under -update.
func checkGolden(t *testing.T, name string, msg bot.Message) {
	t.Helper()
	got, err := json.MarshalIndent(msg, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./bot -update)", err)
	}
	if string(got) != string(want) {
		t.Errorf("Block Kit differs from %s:\n%s", path, got)
	}
}

// checkLimits asserts Slack's Block Kit limits on a rendered message.
func checkLimits(t *testing.T, msg bot.Message) {
	t.Helper()
	if len(msg.Blocks) > 50 {
		t.Errorf("%d blocks, limit 50", len(msg.Blocks))
	}
	if msg.Text == "" {
		t.Error("empty fallback text")
	}
	for _, b := range msg.Blocks {
		switch b := b.(type) {
		case *slack.HeaderBlock:
			if n := utf8.RuneCountInString(b.Text.Text); n > 150 {
				t.Errorf("header of %d characters, limit 150", n)
			}
		case *slack.SectionBlock:
			if n := utf8.RuneCountInString(b.Text.Text); n > 3000 || n == 0 {
				t.Errorf("section text of %d characters, limit 3000", n)
			}
		case *slack.ContextBlock:
			if n := len(b.ContextElements.Elements); n > 10 {
				t.Errorf("context with %d elements, limit 10", n)
			}
		case *slack.ActionBlock:
			if n := len(b.Elements.ElementSet); n > 25 {
				t.Errorf("actions with %d elements, limit 25", n)
			}
			for _, e := range b.Elements.ElementSet {
				btn := e.(*slack.ButtonBlockElement)
				if utf8.RuneCountInString(btn.Text.Text) > 75 || len(btn.Value) > 2000 {
					t.Errorf("button %q over limits", btn.Text.Text)
				}
			}
		}
	}
}

func TestRender_Limits(t *testing.T) {
	long := strings.Repeat("<!channel> & the longest fact ", 300) // 9,000 characters
	a := policy.Answer{
		Query: strings.Repeat("q", 5000), Intent: policy.IntentScope, Verdict: policy.VerdictInfo,
		Summary: long, AsOf: "2021-06-01",
	}
	for i := range 500 {
		a.Details = append(a.Details, policy.Detail{Label: strings.Repeat("L", 200), Text: long[:100+i*10%8000]})
		a.Sources = append(a.Sources, policy.Ref{ID: "x", Title: long[:200], Section: "s"})
		a.FollowUps = append(a.FollowUps, policy.FollowUp{Label: long[:100], Question: long})
	}
	msg := bot.Render(a, bot.RenderOptions{Share: true})
	checkLimits(t, msg)
	data, _ := json.Marshal(msg)
	if strings.Contains(string(data), "<!channel>") {
		t.Error("unescaped <!channel> in rendered message")
	}
	if !strings.Contains(string(data), "more facts") {
		t.Error("a cut answer must say that facts were left out")
	}
	// Every answer the default policy can give fits too.
	for _, f := range policy.Grammar() {
		checkLimits(t, bot.Render(policy.Default().Ask(f.Example), bot.RenderOptions{Share: true}))
	}
}

func TestEscape(t *testing.T) {
	tests := []struct{ in, want string }{
		{"<!channel>", "&lt;!channel&gt;"},
		{"<@U123|bob>", "&lt;@U123|bob&gt;"},
		{"a & b", "a &amp; b"},
		{"<https://evil|click>", "&lt;https://evil|click&gt;"},
		{"plain", "plain"},
	}
	for _, tt := range tests {
		if got := bot.Escape(tt.in); got != tt.want {
			t.Errorf("Escape(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestHomeView(t *testing.T) {
	v := bot.HomeView(policy.Default())
	if v.Type != slack.VTHomeTab || len(v.Blocks.BlockSet) > 100 {
		t.Fatalf("home view type %s with %d blocks", v.Type, len(v.Blocks.BlockSet))
	}
}
