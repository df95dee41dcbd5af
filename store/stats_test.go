package store

import (
	"encoding/json"
	"fmt"
	"reflect"
	"testing"
	"time"
)

func TestDB_Stats(t *testing.T) {
	db, _ := MustOpen(t)
	base := time.Date(2021, 6, 1, 0, 0, 0, 0, time.UTC)
	logs := []Query{
		{Time: base, Source: "slash", Intent: "status", Verdict: "supported", Product: "konvoy", Text: "konvoy 1.8"},
		{Time: base.Add(time.Hour), Source: "slash", Intent: "status", Verdict: "unsupported", Product: "konvoy", Text: "konvoy 1.5"},
		{Time: base.Add(2 * time.Hour), Source: "mention", Intent: "pairing", Verdict: "incompatible", Product: "kommander", Text: "kommander 1.3 konvoy 1.8"},
		{Time: base.Add(3 * time.Hour), Source: "dm", Intent: "unknown", Verdict: "unknown", Text: "Does  it run on ARM?"},
		{Time: base.Add(4 * time.Hour), Source: "cli", Intent: "unknown", Verdict: "unknown", Text: "does it run on arm?"},
		{Time: base.Add(5 * time.Hour), Source: "dm", Intent: "unknown", Verdict: "unknown", Text: "\tDOES it run\non arm? "},
		{Time: base.Add(6 * time.Hour), Source: "mention", Intent: "unknown", Verdict: "unknown", Text: "what about openshift"},
		{Time: base.Add(7 * time.Hour), Source: "mention", Intent: "unknown", Verdict: "unknown", Text: "what about openshift"},
		{Time: base.Add(8 * time.Hour), Source: "slash", Intent: "unknown", Verdict: "unknown", Text: "a tie at one"},
		{Time: base.Add(9 * time.Hour), Source: "share", Intent: "unknown", Verdict: "unknown", Text: ""}, // text not kept
		{Time: base.Add(10 * time.Hour), Intent: "help", Verdict: "info", Text: "help"},
	}
	for _, q := range logs {
		mustLog(t, db, q)
	}

	t.Run("All", func(t *testing.T) {
		s, err := db.Stats(QueryFilter{})
		if err != nil {
			t.Fatal(err)
		}
		want := Stats{
			Queries:   11,
			ByProduct: map[string]int{"konvoy": 2, "kommander": 1, None: 8},
			ByIntent:  map[string]int{"status": 2, "pairing": 1, "unknown": 7, "help": 1},
			ByVerdict: map[string]int{"supported": 1, "unsupported": 1, "incompatible": 1, "unknown": 7, "info": 1},
			BySource:  map[string]int{"slash": 3, "mention": 3, "dm": 2, "cli": 1, "share": 1, None: 1},
			Unanswered: []QuestionCount{
				{"does it run on arm?", 3},
				{"what about openshift", 2},
				{"a tie at one", 1},
			},
		}
		if !reflect.DeepEqual(s, want) {
			t.Errorf("Stats =\n%+v\nwant\n%+v", s, want)
		}
	})

	t.Run("Range", func(t *testing.T) {
		f := QueryFilter{Since: base.Add(time.Hour), Until: base.Add(4 * time.Hour)}
		s, err := db.Stats(f)
		if err != nil {
			t.Fatal(err)
		}
		if s.Queries != 3 || !s.Since.Equal(f.Since) || !s.Until.Equal(f.Until) {
			t.Errorf("Stats = %+v, want 3 queries and the range echoed", s)
		}
		if want := []QuestionCount{{"does it run on arm?", 1}}; !reflect.DeepEqual(s.Unanswered, want) {
			t.Errorf("Unanswered = %v, want %v", s.Unanswered, want)
		}
	})

	t.Run("EmptyIsNotNull", func(t *testing.T) {
		s, err := db.Stats(QueryFilter{Since: base.Add(100 * time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		b, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		want := `{"since":"2021-06-05T04:00:00Z","queries":0,"by_product":{},"by_intent":{},"by_verdict":{},"by_source":{},"unanswered":[]}`
		if string(b) != want {
			t.Errorf("JSON = %s\nwant   %s", b, want)
		}
	})
}

func TestDB_Stats_UnansweredTop10(t *testing.T) {
	db, _ := MustOpen(t)
	// Question i is asked i+1 times; questions 0 and 1 (and 10 and 11) tie
	// after adding extra asks, to check the text order among equal counts.
	counts := map[string]int{}
	for i := range 14 {
		counts[fmt.Sprintf("q%02d", i)] = i + 1
	}
	counts["q12"] = 14 // ties with q13
	for text, n := range counts {
		for range n {
			mustLog(t, db, Query{Verdict: VerdictUnknown, Text: text})
		}
	}
	s, err := db.Stats(QueryFilter{})
	if err != nil {
		t.Fatal(err)
	}
	want := []QuestionCount{
		{"q12", 14}, {"q13", 14}, {"q11", 12}, {"q10", 11}, {"q09", 10},
		{"q08", 9}, {"q07", 8}, {"q06", 7}, {"q05", 6}, {"q04", 5},
	}
	if !reflect.DeepEqual(s.Unanswered, want) {
		t.Errorf("Unanswered = %v\nwant %v", s.Unanswered, want)
	}
}

func TestNormalise(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Konvoy 1.6", "konvoy 1.6"},
		{"  a\t\tb \n c  ", "a b c"},
		{"", ""},
		{" \t\n", ""},
		{"ÜBER", "über"},
	}
	for _, tt := range tests {
		if got := normalise(tt.in); got != tt.want {
			t.Errorf("normalise(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
