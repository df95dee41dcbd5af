package main

import (
	"fmt"
	"strings"
	"testing"
)

const goBenchOutput = `goos: linux
goarch: amd64
pkg: github.com/d2iq/supportbot/policy
cpu: AMD EPYC
BenchmarkModel_Ask/konvoy_1.6-2         	  300000	      4012 ns/op	    1184 B/op	      23 allocs/op
BenchmarkParse_Default-2                	    1000	   1200345 ns/op
PASS
ok  	github.com/d2iq/supportbot/policy	3.1s
pkg: github.com/d2iq/supportbot/store
BenchmarkDB_LogQuery/writers=8-2        	    2000	     90907 ns/op	  15360000 bytes/100k	       662.0 p50-us	      1681 p99-us	         3.945 queries/commit	     11000 queries/s
`

func TestParseGoBench(t *testing.T) {
	got, err := parseGoBench(strings.NewReader(goBenchOutput))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 {
		t.Fatalf("got %d results, want 3: %+v", len(got), got)
	}
	ask := got[0]
	if ask.Pkg != "github.com/d2iq/supportbot/policy" || ask.Name != "Model_Ask/konvoy_1.6" || ask.N != 300000 ||
		ask.Metrics["ns/op"] != 4012 || ask.Metrics["B/op"] != 1184 || ask.Metrics["allocs/op"] != 23 {
		t.Errorf("first = %+v", ask)
	}
	if got[1].Name != "Parse_Default" || len(got[1].Metrics) != 1 {
		t.Errorf("second = %+v", got[1])
	}
	lq := got[2]
	if shortPkg(lq.Pkg) != "store" || lq.Name != "DB_LogQuery/writers=8" || lq.Metrics["p99-us"] != 1681 || lq.Metrics["queries/s"] != 11000 {
		t.Errorf("third = %+v", lq)
	}
	if _, err := parseGoBench(strings.NewReader("BenchmarkX-2 10 5 ns/op 7\n")); err == nil {
		t.Error("unpaired value accepted")
	}
}

func TestBuildReport(t *testing.T) {
	echo := result{Target: "echo", tally: tally{NoRecord: -1, Ack: summary{P50: 0.5, P99: 2}, Reply: summary{P50: 0.6, P99: 2}}, Bot: procStats{PeakRSSMiB: 10}}
	durable := result{Target: "echo-durable", tally: tally{NoRecord: -1, Ack: summary{P50: 0.5, P99: 2}, Reply: summary{P50: 1, P99: 4}}}
	durableAck := result{Target: "echo-durable-ack", tally: tally{NoRecord: -1, Ack: summary{P50: 0.8, P99: 2}, Reply: summary{P50: 1, P99: 4}}}
	bot := result{Target: "supportbot", tally: tally{Ack: summary{P50: 1, P99: 4}, Reply: summary{P50: 1.2, P99: 8}}, Bot: procStats{PeakRSSMiB: 20}}
	roles := []string{roleEcho, roleDurable, roleDurableAck, roleBot}
	rep := buildReport(config{}, []result{echo, durable, durableAck, bot}, roles, nil)

	if rt := rep.Ratios[roleEcho]; rt.AckP99 != 2 || rt.PeakRSS != 2 {
		t.Errorf("ratios to echo = %+v", rt)
	}
	if rt := rep.Ratios[roleDurable]; rt.ReplyP50 != 1.2 || rt.ReplyP99 != 2 {
		t.Errorf("ratios to durable = %+v", rt)
	}
	if rt := rep.Ratios[roleDurableAck]; rt.AckP50 != 1.25 || rt.AckP99 != 2 {
		t.Errorf("ratios to durable-ack = %+v", rt)
	}
	if !rep.Pass {
		t.Error("correctness checks failed on a clean run")
	}
	if rep.Met {
		t.Error("targets met, but reply p99 is 2x and ack p99 2x")
	}
	missed := map[string]bool{}
	for _, c := range rep.Checks {
		if !c.OK {
			missed[c.Name] = true
		}
	}
	for _, name := range []string{"reply p99 / durable echo reply p99", "ack p99 / durable-ack echo ack p99"} {
		if !missed[name] {
			t.Errorf("%q not missed; misses: %v", name, missed)
		}
	}
	if missed["reply p50 / durable echo reply p50"] || missed["peak RSS"] {
		t.Errorf("unexpected misses: %v", missed)
	}

	t.Run("Lost", func(t *testing.T) {
		lost := bot
		lost.Lost = 1
		if rep := buildReport(config{}, []result{lost}, []string{roleBot}, nil); rep.Pass {
			t.Error("a lost question passed")
		}
	})
	t.Run("DuplicatesPerKill", func(t *testing.T) {
		for _, tc := range []struct {
			kills, dups int
			pass        bool
		}{{10, 1, true}, {5, 1, false}, {0, 1, false}, {0, 0, true}} {
			killed := bot
			killed.Faults, killed.Kills, killed.Duplicated = true, tc.kills, tc.dups
			rep := buildReport(config{}, []result{killed}, []string{roleBot}, nil)
			if rep.Pass != tc.pass {
				t.Errorf("%d duplicates in %d kills: pass = %v, want %v", tc.dups, tc.kills, rep.Pass, tc.pass)
			}
			if tc.kills > 0 {
				var out strings.Builder
				writeTable(&out, rep, []string{roleBot})
				if want := fmt.Sprintf("per kill (%d kills): lost 0.00, no record 0.00, duplicates %.2f", tc.kills, float64(tc.dups)/float64(tc.kills)); !strings.Contains(out.String(), want) {
					t.Errorf("table has no %q:\n%s", want, out.String())
				}
			}
		}
	})
	t.Run("FaultsSkipPerformance", func(t *testing.T) {
		faulted := bot
		faulted.Faults = true
		rep := buildReport(config{}, []result{echo, durable, durableAck, faulted}, roles, nil)
		if !rep.Met {
			t.Error("performance targets judged under faults")
		}
	})

	var out strings.Builder
	writeTable(&out, rep, roles)
	for _, want := range []string{"supportbot reply", "reply / echo-durable", "ack / echo-durable-ack", "2.00x", "MISS", "peak RSS"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("table has no %q:\n%s", want, out.String())
		}
	}
}
