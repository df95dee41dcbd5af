package main

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestPercentile(t *testing.T) {
	ms := func(vs ...int) []time.Duration {
		ds := make([]time.Duration, len(vs))
		for i, v := range vs {
			ds[i] = time.Duration(v) * time.Millisecond
		}
		return ds
	}
	hundred := make([]int, 100)
	for i := range hundred {
		hundred[i] = i + 1
	}
	tests := []struct {
		name   string
		sorted []time.Duration
		p      float64
		want   time.Duration
	}{
		{"empty", nil, 50, 0},
		{"one", ms(7), 99, 7 * time.Millisecond},
		{"median of odd", ms(1, 2, 3), 50, 2 * time.Millisecond},
		{"median of even is the lower", ms(1, 2, 3, 4), 50, 2 * time.Millisecond},
		{"p99 of 100", ms(hundred...), 99, 99 * time.Millisecond},
		{"p90 of 100", ms(hundred...), 90, 90 * time.Millisecond},
		{"p100 is the max", ms(hundred...), 100, 100 * time.Millisecond},
		{"p99 of 10 is the max", ms(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), 99, 10 * time.Millisecond},
		{"tiny p is the min", ms(5, 6, 7), 0.1, 5 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := percentile(tt.sorted, tt.p); got != tt.want {
				t.Errorf("percentile(%v, %g) = %v, want %v", tt.sorted, tt.p, got, tt.want)
			}
		})
	}
}

func TestSummarize(t *testing.T) {
	ds := []time.Duration{4 * time.Millisecond, 1 * time.Millisecond, 3 * time.Millisecond, 2 * time.Millisecond, 1500 * time.Microsecond}
	got := summarize(ds)
	want := summary{N: 5, Mean: 2.3, P50: 2, P90: 4, P99: 4, Max: 4}
	if got != want {
		t.Errorf("summarize = %+v, want %+v", got, want)
	}
	if (summarize(nil) != summary{}) {
		t.Error("summarize(nil) is not zero")
	}
}

func TestAccount(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	at := func(ms int) time.Time { return t0.Add(time.Duration(ms) * time.Millisecond) }
	recs := []record{
		// answered once, acked after 2ms, reply after 1ms
		{N: 0, Kind: kindSlash, User: "U0", First: at(0), Deliveries: []delivered{{Sent: at(0), Acked: at(2)}}, Replies: []time.Time{at(1)}},
		// answered twice: duplicated; latency is to the first reply
		{N: 1, Kind: kindMention, User: "U1", First: at(10), Deliveries: []delivered{{Sent: at(10), Acked: at(14)}, {Attempt: 1, Sent: at(12), Acked: at(13)}},
			Replies: []time.Time{at(15), at(13)}},
		// never answered: lost; acked once
		{N: 2, Kind: kindDM, User: "U2", First: at(20), Deliveries: []delivered{{Sent: at(20), Acked: at(21)}}},
		// answered but not in the query log
		{N: 3, Kind: kindDM, User: "U3", First: at(30), Deliveries: []delivered{{Sent: at(30), Acked: at(34)}}, Replies: []time.Time{at(33)}, Sorry: 1},
		// never sent (the run ended first): lost
		{N: 4, Kind: kindSlash, User: "U4"},
		// sent, never acked, answered after a redelivery
		{N: 5, Kind: kindMention, User: "U5", First: at(40), Deliveries: []delivered{{Sent: at(40)}, {Attempt: 1, Sent: at(45)}}, Replies: []time.Time{at(50)}, Misthreaded: 1},
	}
	logged := map[string]int{"U0": 1, "U1": 2, "U5": 1}
	got := account(recs, logged)

	check := func(name string, got, want any) {
		t.Helper()
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s = %v, want %v", name, got, want)
		}
	}
	check("Events", got.Events, 6)
	check("Sent", got.Sent, 5)
	check("Replied", got.Replied, 4)
	check("Lost", got.Lost, 2)
	check("LostIDs", got.LostIDs, []int{2, 4})
	check("Duplicated", got.Duplicated, 1)
	check("DuplicatedIDs", got.DuplicatedIDs, []int{1})
	check("ExtraReply", got.ExtraReply, 1)
	check("NoRecord", got.NoRecord, 1)
	check("NoRecordIDs", got.NoRecordIDs, []int{3})
	check("Sorry", got.Sorry, 1)
	check("Misthreaded", got.Misthreaded, 1)
	check("Envelopes", got.Envelopes, 7)
	check("Redelivered", got.Redelivered, 2)
	check("Unacked", got.Unacked, 1)
	check("DuplicateAck", got.DuplicateAck, 1)
	// acks: 2, 4 and 1 (U1: both), 1, 4 -> sorted 1 1 2 4 4
	check("Ack", got.Ack, summary{N: 5, Mean: 2.4, P50: 2, P90: 4, P99: 4, Max: 4})
	// replies: 1, 3 (U1's first reply), 3, 10
	check("Reply", got.Reply, summary{N: 4, Mean: 4.25, P50: 3, P90: 10, P99: 10, Max: 10})
	check("ReplyByKind[mention]", got.ReplyByKind["mention"], summary{N: 2, Mean: 6.5, P50: 3, P90: 10, P99: 10, Max: 10})
	// events acked after their reply: U1 (first reply 13, first ack 13), U3 (33, 34); U5 never acked
	check("ReplyToAck", got.ReplyToAck, summary{N: 2, Mean: 0.5, P50: 0, P90: 1, P99: 1, Max: 1})
	// 4 answered from the first send (0ms) to the last first reply (50ms)
	check("Throughput", got.Throughput, 80.0)

	t.Run("NoLogCheck", func(t *testing.T) {
		if got := account(recs, nil); got.NoRecord != -1 || got.NoRecordIDs != nil {
			t.Errorf("NoRecord = %d %v without a log, want -1", got.NoRecord, got.NoRecordIDs)
		}
	})
	t.Run("IDsCapped", func(t *testing.T) {
		many := make([]record, 50)
		for i := range many {
			many[i] = record{N: i}
		}
		if got := account(many, nil); got.Lost != 50 || len(got.LostIDs) != maxIDs {
			t.Errorf("Lost = %d with %d ids, want 50 with %d", got.Lost, len(got.LostIDs), maxIDs)
		}
	})
}

func TestAggregate(t *testing.T) {
	runs := []result{
		{Target: "bot", tally: tally{Events: 10, Lost: 1, NoRecord: 0, Ack: summary{P50: 1, P99: 9}, Throughput: 100}, Bot: procStats{PeakRSSMiB: 20, CPUSeconds: 1}, Errors: []string{"x"}, Calls: map[string]int{"chat.postMessage": 5}},
		{Target: "bot", tally: tally{Events: 10, Duplicated: 2, NoRecord: 1, Ack: summary{P50: 3, P99: 5}, Throughput: 300}, Bot: procStats{PeakRSSMiB: 25, CPUSeconds: 3}, Calls: map[string]int{"chat.postMessage": 6}},
		{Target: "bot", tally: tally{Events: 10, NoRecord: 0, Ack: summary{P50: 2, P99: 7}, Throughput: 200}, Bot: procStats{PeakRSSMiB: 22, CPUSeconds: 2}},
	}
	got := aggregate(runs)
	if got.Events != 30 || got.Lost != 1 || got.Duplicated != 2 || got.NoRecord != 1 {
		t.Errorf("totals = events %d lost %d dup %d norec %d, want 30 1 2 1", got.Events, got.Lost, got.Duplicated, got.NoRecord)
	}
	if got.Ack.P50 != 2 || got.Ack.P99 != 7 || got.Throughput != 200 || got.Bot.CPUSeconds != 2 {
		t.Errorf("medians = ack p50 %g p99 %g, %g/s, %gs CPU; want 2 7 200 2", got.Ack.P50, got.Ack.P99, got.Throughput, got.Bot.CPUSeconds)
	}
	if got.Bot.PeakRSSMiB != 25 {
		t.Errorf("peak RSS = %g, want the highest, 25", got.Bot.PeakRSSMiB)
	}
	if len(got.Errors) != 1 || !strings.HasPrefix(got.Errors[0], "run 1: ") {
		t.Errorf("errors = %q", got.Errors)
	}
	if got.Calls["chat.postMessage"] != 11 {
		t.Errorf("calls = %v", got.Calls)
	}
	if runs[0].Calls["chat.postMessage"] != 5 {
		t.Error("aggregate changed its input's maps")
	}
	if median([]float64{4, 1, 3, 2}) != 2.5 || median(nil) != 0 {
		t.Error("median")
	}
}

func TestMix(t *testing.T) {
	m, err := parseMix("slash=1,mention=2,dm=1")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		u    float64
		want kind
	}{{0, kindSlash}, {0.24, kindSlash}, {0.25, kindMention}, {0.74, kindMention}, {0.75, kindDM}, {0.9999, kindDM}} {
		if got := m.pick(tt.u); got != tt.want {
			t.Errorf("pick(%g) = %s, want %s", tt.u, got, tt.want)
		}
	}
	text, _ := m.MarshalText()
	var back mix
	if err := back.UnmarshalText(text); err != nil || back != m {
		t.Errorf("mix %q round-trips to %v, %v", text, back, err)
	}
	only, _ := parseMix("dm=1")
	if got := only.pick(0.5); got != kindDM {
		t.Errorf("dm-only pick = %s", got)
	}
	for _, bad := range []string{"", "slash", "slash=x", "slash=-1", "voice=1", "slash=0,dm=0"} {
		if _, err := parseMix(bad); err == nil {
			t.Errorf("parseMix(%q) accepted", bad)
		}
	}
}

func TestParseProc(t *testing.T) {
	status := []byte("Name:\tsupportbot\nVmPeak:\t 1271636 kB\nVmHWM:\t   20632 kB\nVmRSS:\t   20400 kB\n")
	if got, err := parseStatusKiB(status, "VmHWM"); err != nil || got != 20632 {
		t.Errorf("VmHWM = %d, %v", got, err)
	}
	if _, err := parseStatusKiB(status, "VmSwap"); err == nil {
		t.Error("missing VmSwap not reported")
	}
	// A command name with spaces and parentheses; utime 250, stime 31.
	stat := []byte("4242 (odd) name)) S 1 4242 4242 0 -1 4194560 1234 0 0 0 250 31 0 0 20 0 9 0 100 1271636 5158 18446744073709551615\n")
	if got, err := parseStatCPU(stat); err != nil || got != 281 {
		t.Errorf("CPU ticks = %d, %v; want 281", got, err)
	}
	if _, err := parseStatCPU([]byte("4242 (x) S 1 2")); err == nil {
		t.Error("short stat accepted")
	}
}

func TestParseFlags(t *testing.T) {
	var sink strings.Builder
	c, err := parseFlags([]string{"-bot", "b", "-faults", "all", "-drop-every", "7s", "-duration", "2s", "-rate", "100"}, &sink)
	if err != nil {
		t.Fatal(err)
	}
	if c.Count != 200 {
		t.Errorf("count = %d from -duration 2s at 100/s, want 200", c.Count)
	}
	if c.Faults.DropEvery.String() != "7s" || c.Faults.Kills != 1 || c.Faults.Redeliver != shortMix.Redeliver {
		t.Errorf("faults = %+v: -faults all must fill what is not set", c.Faults)
	}
	if !c.Faults.any() {
		t.Error("faults.any() = false")
	}
	if len(c.Faults.Outages) != len(longOutages) || c.Rate != 100 {
		t.Errorf("-faults all: outages %v, rate %g; want the long outages and -rate kept", c.Faults.Outages, c.Rate)
	}

	t.Run("AllDefaults", func(t *testing.T) {
		c, err := parseFlags([]string{"-bot", "b", "-faults", "all"}, &sink)
		if err != nil {
			t.Fatal(err)
		}
		sched := c.Faults.outageLength()
		if sched != time.Second+160*time.Second+5*5*time.Second {
			t.Errorf("schedule = %s, want 186s", sched)
		}
		if c.Rate != allRate || c.Count != int(allRate*(sched+5*time.Second).Seconds()) || c.Drain != allDrain {
			t.Errorf("rate %g, count %d, drain %s: want sending through the whole schedule at %d/s", c.Rate, c.Count, c.Drain, allRate)
		}
		if c.Timeout < sched+c.Drain {
			t.Errorf("timeout %s shorter than the schedule and the drain", c.Timeout)
		}
	})
	t.Run("ShortAndNone", func(t *testing.T) {
		c, err := parseFlags([]string{"-bot", "b", "-faults", "short"}, &sink)
		if err != nil || len(c.Faults.Outages) != 0 || c.Faults.ServerErrEvery != time.Second || c.Rate != 400 {
			t.Errorf("-faults short = %+v, %v: want the short bursts only", c.Faults, err)
		}
		c, err = parseFlags([]string{"-bot", "b", "-faults", "all", "-outages", "none", "-count", "10"}, &sink)
		if err != nil || len(c.Faults.Outages) != 0 || c.Faults.webAPI() {
			t.Errorf("-outages none = %v, %v: want no outage", c.Faults.Outages, err)
		}
		c, err = parseFlags([]string{"-bot", "b", "-outages", "503:10s,hang:2s", "-slow-api", "2.5s"}, &sink)
		if err != nil || len(c.Faults.Outages) != 2 || c.Faults.Outages[1] != (outage{outageHang, 2 * time.Second}) || !c.Faults.any() {
			t.Errorf("-outages = %v, %v", c.Faults.Outages, err)
		}
	})

	for _, args := range [][]string{
		{"-bot", "b", "-outages", "503"},
		{"-bot", "b", "-outages", "500:10s"},
		{"-bot", "b", "-outages", "503:-1s"},
		{"-bot", "b", "-slow-api", "-1s"},
		{},
		{"-bot", "b", "extra"},
		{"-bot", "b", "-rate", "0"},
		{"-bot", "b", "-faults", "some"},
		{"-bot", "b", "-redeliver", "2"},
		{"-echo", "e", "-kills", "1"},
	} {
		if _, err := parseFlags(args, &sink); err == nil {
			t.Errorf("parseFlags(%q) accepted", args)
		}
	}
}
