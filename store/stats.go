package store

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// None is the key under which Stats counts queries whose product, intent,
// verdict or source is empty, so that each breakdown adds up to Queries.
const None = "(none)"

// VerdictUnknown is the verdict of a question the bot could not answer;
// Stats lists the most frequent ones as Unanswered.
const VerdictUnknown = "unknown"

// maxUnanswered is how many questions Stats.Unanswered lists.
const maxUnanswered = 10

// Stats summarises the query log over a time range.
type Stats struct {
	Since time.Time `json:"since,omitzero"`
	Until time.Time `json:"until,omitzero"`

	// Queries is the number of queries in the range.
	Queries int `json:"queries"`

	// Counts by field value; an empty value is counted under None.
	ByProduct map[string]int `json:"by_product"`
	ByIntent  map[string]int `json:"by_intent"`
	ByVerdict map[string]int `json:"by_verdict"`
	BySource  map[string]int `json:"by_source"`

	// Unanswered lists the most frequent question texts with verdict
	// VerdictUnknown, at most 10, by count descending then text ascending.
	// Texts are normalised (lower-case, runs of white space made one space)
	// before counting; empty texts (questions logged without their text)
	// are left out.
	Unanswered []QuestionCount `json:"unanswered"`
}

// QuestionCount is a normalised question text and how often it was asked.
type QuestionCount struct {
	Text  string `json:"text"`
	Count int    `json:"count"`
}

// Stats counts the queries selected by f's Since and Until; f.Limit is
// ignored. The maps and Unanswered are never nil.
func (db *DB) Stats(f QueryFilter) (Stats, error) {
	s := Stats{
		Since:      f.Since,
		Until:      f.Until,
		ByProduct:  map[string]int{},
		ByIntent:   map[string]int{},
		ByVerdict:  map[string]int{},
		BySource:   map[string]int{},
		Unanswered: []QuestionCount{},
	}
	unanswered := map[string]int{}
	err := db.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketQueries)
		if b == nil {
			return nil
		}
		c := b.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			t, err := recordTime(k, v)
			if err != nil {
				return err
			}
			if !f.match(t) {
				continue
			}
			q, err := decodeQuery(k, v)
			if err != nil {
				return err
			}
			s.Queries++
			s.ByProduct[orNone(q.Product)]++
			s.ByIntent[orNone(q.Intent)]++
			s.ByVerdict[orNone(q.Verdict)]++
			s.BySource[orNone(q.Source)]++
			if q.Verdict == VerdictUnknown {
				if text := normalise(q.Text); text != "" {
					unanswered[text]++
				}
			}
		}
		return nil
	})
	if err != nil {
		return Stats{}, fmt.Errorf("stats: %w", err)
	}
	for text, n := range unanswered {
		s.Unanswered = append(s.Unanswered, QuestionCount{Text: text, Count: n})
	}
	slices.SortFunc(s.Unanswered, func(a, b QuestionCount) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), strings.Compare(a.Text, b.Text))
	})
	if len(s.Unanswered) > maxUnanswered {
		s.Unanswered = s.Unanswered[:maxUnanswered]
	}
	return s, nil
}

func orNone(s string) string {
	if s == "" {
		return None
	}
	return s
}

// normalise lower-cases text and turns every run of white space into one
// space, trimming both ends.
func normalise(text string) string {
	return strings.Join(strings.Fields(strings.ToLower(text)), " ")
}
