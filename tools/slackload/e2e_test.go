package main

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestEndToEnd builds supportbot and the echo bot, runs 200 questions at
// 200/s against each with no faults, and expects every question answered
// exactly once and on record.
func TestEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds supportbot and runs it under load")
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to build the bots with")
	}
	dir := t.TempDir()
	build := func(name, pkg string) string {
		t.Helper()
		bin := filepath.Join(dir, name)
		out, err := exec.Command(goBin, "build", "-o", bin, pkg).CombinedOutput()
		if err != nil {
			t.Fatalf("go build %s: %v\n%s", pkg, err, out)
		}
		return bin
	}
	bot := build("supportbot", "github.com/d2iq/supportbot/cmd/supportbot")
	echo := build("echobot", "github.com/d2iq/supportbot/tools/echobot")

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	jsonPath := filepath.Join(dir, "out.json")
	var stdout, stderr strings.Builder
	code := run(ctx, []string{
		"-bot", bot, "-echo", echo, "-count", "200", "-rate", "200",
		"-json", jsonPath, "-workdir", filepath.Join(dir, "work"), "-timeout", "90s",
	}, &stdout, &stderr)
	t.Logf("slackload output:\n%s%s", stdout.String(), stderr.String())
	if code != 0 {
		t.Errorf("run = %d, want 0", code)
	}

	data, err := os.ReadFile(jsonPath)
	if err != nil {
		t.Fatal(err)
	}
	var rep report
	if err := json.Unmarshal(data, &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Runs) != 4 {
		t.Fatalf("%d runs, want echo, echo-durable, echo-durable-ack and supportbot", len(rep.Runs))
	}
	for _, r := range rep.Runs {
		if r.Events != 200 || r.Replied != 200 || r.Lost != 0 || r.Duplicated != 0 || len(r.Errors) > 0 {
			t.Errorf("%s: %d questions, %d answered, %d lost, %d duplicated, errors %q; want 200 answered once each",
				r.Target, r.Events, r.Replied, r.Lost, r.Duplicated, r.Errors)
		}
		if r.Ack.N != 200 || r.Reply.P50 <= 0 || r.Bot.PeakRSSMiB <= 0 {
			t.Errorf("%s: %d acks, reply p50 %gms, peak RSS %g MiB: not measured", r.Target, r.Ack.N, r.Reply.P50, r.Bot.PeakRSSMiB)
		}
	}
	if bot := rep.Runs[3]; bot.NoRecord != 0 {
		t.Errorf("supportbot: %d replies with no query-log record (ids %v)", bot.NoRecord, bot.NoRecordIDs)
	}
	for _, role := range []string{roleDurable, roleDurableAck} {
		if _, ok := rep.Ratios[role]; !ok {
			t.Errorf("no ratios to %s", role)
		}
	}
}
