package main

import (
	"fmt"
	"math"
	"slices"
	"time"
)

// kind is what an envelope carries: a slash command, a mention or a DM.
type kind int

const (
	kindSlash kind = iota
	kindMention
	kindDM
	numKinds
)

var kindNames = [numKinds]string{"slash", "mention", "dm"}

func (k kind) String() string { return kindNames[k] }

// summary is the distribution of a set of latencies, in milliseconds.
type summary struct {
	N    int     `json:"n"`
	Mean float64 `json:"mean_ms"`
	P50  float64 `json:"p50_ms"`
	P90  float64 `json:"p90_ms"`
	P99  float64 `json:"p99_ms"`
	Max  float64 `json:"max_ms"`
}

// percentile returns the nearest-rank p-th percentile (0 < p <= 100) of
// sorted: the smallest value with at least p% of the values at or below it.
// It returns 0 for an empty slice.
func percentile(sorted []time.Duration, p float64) time.Duration {
	n := len(sorted)
	if n == 0 {
		return 0
	}
	rank := int(math.Ceil(p / 100 * float64(n)))
	rank = min(max(rank, 1), n)
	return sorted[rank-1]
}

// summarize sorts ds in place and summarizes it.
func summarize(ds []time.Duration) summary {
	if len(ds) == 0 {
		return summary{}
	}
	slices.Sort(ds)
	var total time.Duration
	for _, d := range ds {
		total += d
	}
	return summary{
		N:    len(ds),
		Mean: ms(total / time.Duration(len(ds))),
		P50:  ms(percentile(ds, 50)),
		P90:  ms(percentile(ds, 90)),
		P99:  ms(percentile(ds, 99)),
		Max:  ms(ds[len(ds)-1]),
	}
}

func ms(d time.Duration) float64 {
	return math.Round(float64(d)/float64(time.Microsecond)) / 1000
}

// record is what the harness saw of one question (one logical event, which
// Slack may deliver in several envelopes).
type record struct {
	N    int
	Kind kind
	User string // unique per question: the key into the query log

	// First is when its first envelope was written to the socket; zero if it
	// never was.
	First      time.Time
	Deliveries []delivered

	// Replies are the times of every reply recorded: a successful
	// chat.postMessage to its channel, an ack carrying a slash command's
	// answer, or a successful POST to its response_url.
	Replies []time.Time
	// Sorry counts replies saying the question could not be recorded.
	Sorry int
	// Misthreaded counts mention replies not in the mention's thread.
	Misthreaded int
}

// delivered is one envelope of a question.
type delivered struct {
	Attempt     int // retry_attempt
	Sent, Acked time.Time
}

// tally is the accounting of a run.
type tally struct {
	Events      int `json:"events"`
	Sent        int `json:"sent"`
	Replied     int `json:"replied"`
	Lost        int `json:"lost"`
	Duplicated  int `json:"duplicated"`
	ExtraReply  int `json:"extra_replies"`
	NoRecord    int `json:"no_record"` // -1: not checked
	Sorry       int `json:"sorry_replies"`
	Misthreaded int `json:"misthreaded"`

	Envelopes    int `json:"envelopes"`
	Redelivered  int `json:"redelivered"` // envelopes with retry_attempt > 0
	Unacked      int `json:"unacked_events"`
	DuplicateAck int `json:"acked_twice"`

	Ack   summary `json:"ack"`
	Reply summary `json:"reply"`
	// ReplyByKind is the reply latency of each kind of question.
	ReplyByKind map[string]summary `json:"reply_by_kind"`
	// ReplyToAck is, for mentions and DMs acked after their reply, the time
	// from the reply to the ack: a crash in it gets the question answered
	// twice, since Slack redelivers it.
	ReplyToAck summary `json:"reply_to_ack"`
	// Throughput is answered questions per second, from the first envelope
	// sent to the last first reply.
	Throughput float64 `json:"throughput_per_s"`

	// LostIDs, DuplicatedIDs and NoRecordIDs name the first few offenders.
	LostIDs       []int `json:"lost_ids,omitempty"`
	DuplicatedIDs []int `json:"duplicated_ids,omitempty"`
	NoRecordIDs   []int `json:"no_record_ids,omitempty"`
}

const maxIDs = 20

// account tallies the records of a run. logged maps a user id to the number
// of query-log records with that user; nil skips the query-log check
// (NoRecord is then -1).
//
// A question is lost when no reply was recorded for it, duplicated when more
// than one was, and has no record when it was answered but the query log
// has nothing for its user. The ack latency of every envelope acked is from
// its write to its ack; the reply latency of a question is from its first
// envelope's write to its first reply, so it includes any redelivery.
func account(recs []record, logged map[string]int) tally {
	t := tally{Events: len(recs), ReplyByKind: map[string]summary{}}
	if logged == nil {
		t.NoRecord = -1
	}
	var acks, replies, gaps []time.Duration
	var byKind [numKinds][]time.Duration
	var first, last time.Time
	for i := range recs {
		r := &recs[i]
		t.Envelopes += len(r.Deliveries)
		acked := false
		var firstAck time.Time
		for _, d := range r.Deliveries {
			if d.Attempt > 0 {
				t.Redelivered++
			}
			if !d.Acked.IsZero() {
				if acked {
					t.DuplicateAck++
				}
				acked = true
				acks = append(acks, d.Acked.Sub(d.Sent))
				if firstAck.IsZero() || d.Acked.Before(firstAck) {
					firstAck = d.Acked
				}
			}
		}
		if r.First.IsZero() {
			t.Lost++
			t.LostIDs = appendID(t.LostIDs, r.N)
			continue
		}
		t.Sent++
		if first.IsZero() || r.First.Before(first) {
			first = r.First
		}
		if !acked {
			t.Unacked++
		}
		t.Sorry += r.Sorry
		t.Misthreaded += r.Misthreaded
		switch n := len(r.Replies); {
		case n == 0:
			t.Lost++
			t.LostIDs = appendID(t.LostIDs, r.N)
			continue
		case n > 1:
			t.Duplicated++
			t.ExtraReply += n - 1
			t.DuplicatedIDs = appendID(t.DuplicatedIDs, r.N)
		}
		t.Replied++
		at := slices.MinFunc(r.Replies, time.Time.Compare)
		if at.After(last) {
			last = at
		}
		d := at.Sub(r.First)
		replies = append(replies, d)
		byKind[r.Kind] = append(byKind[r.Kind], d)
		if r.Kind != kindSlash && acked && !firstAck.Before(at) {
			gaps = append(gaps, firstAck.Sub(at))
		}
		if logged != nil && logged[r.User] == 0 {
			t.NoRecord++
			t.NoRecordIDs = appendID(t.NoRecordIDs, r.N)
		}
	}
	t.Ack = summarize(acks)
	t.Reply = summarize(replies)
	t.ReplyToAck = summarize(gaps)
	for k, ds := range byKind {
		if len(ds) > 0 {
			t.ReplyByKind[kind(k).String()] = summarize(ds)
		}
	}
	if span := last.Sub(first); t.Replied > 0 && span > 0 {
		t.Throughput = math.Round(float64(t.Replied)/span.Seconds()*10) / 10
	}
	return t
}

func appendID(ids []int, n int) []int {
	if len(ids) < maxIDs {
		ids = append(ids, n)
	}
	return ids
}

// aggregate combines the results of several runs of one target: the median
// of each latency figure, throughput and CPU time, the highest peak RSS, and
// the totals of the counts.
func aggregate(rs []result) result {
	if len(rs) == 1 {
		return rs[0]
	}
	out := rs[0]
	out.ReplyByKind = map[string]summary{}
	med := func(get func(r *result) float64) float64 {
		vs := make([]float64, len(rs))
		for i := range rs {
			vs[i] = get(&rs[i])
		}
		return median(vs)
	}
	medSummary := func(get func(r *result) summary) summary {
		return summary{
			N:    int(med(func(r *result) float64 { return float64(get(r).N) })),
			Mean: med(func(r *result) float64 { return get(r).Mean }),
			P50:  med(func(r *result) float64 { return get(r).P50 }),
			P90:  med(func(r *result) float64 { return get(r).P90 }),
			P99:  med(func(r *result) float64 { return get(r).P99 }),
			Max:  med(func(r *result) float64 { return get(r).Max }),
		}
	}
	out.Ack = medSummary(func(r *result) summary { return r.Ack })
	out.Reply = medSummary(func(r *result) summary { return r.Reply })
	out.ReplyToAck = medSummary(func(r *result) summary { return r.ReplyToAck })
	for _, k := range kindNames {
		out.ReplyByKind[k] = medSummary(func(r *result) summary { return r.ReplyByKind[k] })
	}
	out.Throughput = med(func(r *result) float64 { return r.Throughput })
	out.Bot.CPUSeconds = med(func(r *result) float64 { return r.Bot.CPUSeconds })
	out.MaxSendLagMS = med(func(r *result) float64 { return r.MaxSendLagMS })
	out.SendSeconds = med(func(r *result) float64 { return r.SendSeconds })

	sum := func(get func(r *result) *int) {
		total := 0
		for i := range rs {
			total += *get(&rs[i])
		}
		*get(&out) = total
	}
	for _, f := range []func(r *result) *int{
		func(r *result) *int { return &r.Events }, func(r *result) *int { return &r.Sent },
		func(r *result) *int { return &r.Replied }, func(r *result) *int { return &r.Lost },
		func(r *result) *int { return &r.Duplicated }, func(r *result) *int { return &r.ExtraReply },
		func(r *result) *int { return &r.Sorry }, func(r *result) *int { return &r.Misthreaded },
		func(r *result) *int { return &r.Envelopes }, func(r *result) *int { return &r.Redelivered },
		func(r *result) *int { return &r.Unacked }, func(r *result) *int { return &r.DuplicateAck },
		func(r *result) *int { return &r.Connections }, func(r *result) *int { return &r.Kills },
		func(r *result) *int { return &r.StrayAcks }, func(r *result) *int { return &r.StrayCalls },
		func(r *result) *int { return &r.MalformedAcked }, func(r *result) *int { return &r.LogErrors },
		func(r *result) *int { return &r.LogWarnings },
	} {
		sum(f)
	}
	if out.NoRecord >= 0 {
		sum(func(r *result) *int { return &r.NoRecord })
	}
	out.LostIDs, out.DuplicatedIDs, out.NoRecordIDs, out.Errors = nil, nil, nil, nil
	out.Injected, out.Calls, out.FailedCalls = map[string]int{}, map[string]int{}, map[string]int{}
	for i := range rs {
		r := &rs[i]
		out.Bot.PeakRSSMiB = max(out.Bot.PeakRSSMiB, r.Bot.PeakRSSMiB)
		for _, e := range r.Errors {
			out.Errors = append(out.Errors, fmt.Sprintf("run %d: %s", i+1, e))
		}
		for _, m := range [][2]map[string]int{{out.Injected, r.Injected}, {out.Calls, r.Calls}, {out.FailedCalls, r.FailedCalls}} {
			for k, v := range m[1] {
				m[0][k] += v
			}
		}
	}
	return out
}

// median returns the middle value of vs (the mean of the two middle ones
// for an even count); it sorts vs.
func median(vs []float64) float64 {
	if len(vs) == 0 {
		return 0
	}
	slices.Sort(vs)
	n := len(vs)
	if n%2 == 1 {
		return vs[n/2]
	}
	return (vs[n/2-1] + vs[n/2]) / 2
}
