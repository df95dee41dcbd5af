package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/d2iq/supportbot/policy"
)

// runCLI runs the command line in-process and returns exit code, stdout, stderr.
func runCLI(t *testing.T, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	getenv := func(k string) string { return env[k] }
	code := run(context.Background(), args, getenv, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func TestCLI_Ask(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout string
	}{
		{"supported", []string{"ask", "konvoy", "1.6"}, 0, "SUPPORTED  Konvoy 1.6.x is supported"},
		{"unsupported", []string{"ask", "konvoy 1.5"}, 1, "NOT SUPPORTED"},
		{"incompatible", []string{"ask", "can I run Kommander 1.3 on Konvoy 1.8?"}, 1, "INCOMPATIBLE"},
		{"compatible", []string{"ask", "konvoy", "1.8", "kubernetes", "1.19.4"}, 0, "COMPATIBLE"},
		{"info", []string{"ask", "konvoy"}, 0, "INFO"},
		{"unknown", []string{"ask", "konvooyy", "1.6"}, 3, "Did you mean konvoy?"},
		{"corrected", []string{"ask", "konvy", "1.6"}, 0, "Reading 'konvy' as Konvoy"},
		{"flags after words", []string{"ask", "konvoy", "1.5", "--format", "json"}, 1, `"verdict": "unsupported"`},
		{"flags among words", []string{"ask", "konvoy", "--format=json", "1.6"}, 0, `"not_understood": []`},
		{"on", []string{"ask", "--on", "2026-12-01", "konvoy", "1.6", "--format", "json"}, 0, `"on": "2026-12-01"`},
		{"bad on", []string{"ask", "--on", "yesterday", "konvoy", "1.6"}, 2, ""},
		{"words after --", []string{"ask", "--format", "json", "--", "konvoy", "--format"}, 0, "The policy says nothing about format"},
		{"json", []string{"ask", "--format", "json", "konvoy", "1.6"}, 0, `"verdict": "supported"`},
		{"blocks", []string{"ask", "--format=blocks", "konvoy", "1.6"}, 0, `"type": "header"`},
		{"no words", []string{"ask"}, 2, ""},
		{"bad format", []string{"ask", "--format", "xml", "konvoy"}, 2, ""},
		{"bad flag", []string{"ask", "--nope", "konvoy"}, 2, ""},
		{"unknown command", []string{"frobnicate"}, 2, ""},
		{"no command", nil, 2, "Commands:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, nil, tt.args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tt.code, out, errOut)
			}
			if !strings.Contains(out, tt.stdout) {
				t.Errorf("stdout lacks %q:\n%s", tt.stdout, out)
			}
			if tt.code == 2 && errOut == "" && tt.args != nil {
				t.Error("a usage error must say what is wrong on stderr")
			}
		})
	}
}

// TestCLI_AskBadFlag checks that a bad flag's error is printed once.
func TestCLI_AskBadFlag(t *testing.T) {
	code, _, errOut := runCLI(t, nil, "ask", "konvoy", "1.6", "--nope")
	if code != 2 || strings.Count(errOut, "--nope") != 1 {
		t.Errorf("exit %d, stderr:\n%s", code, errOut)
	}
}

func TestCLI_AskJSONContract(t *testing.T) {
	_, out, _ := runCLI(t, nil, "ask", "--format", "json", "kaptain", "1.3", "konvoy", "1.6")
	var got map[string]any
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	for _, k := range []string{"query", "intent", "verdict", "summary", "details", "sources", "as_of", "on", "not_understood", "corrections"} {
		if _, ok := got[k]; !ok {
			t.Errorf("JSON lacks %q", k)
		}
	}
	if got["intent"] != "platform" || got["verdict"] != "incompatible" {
		t.Errorf("intent/verdict = %v/%v", got["intent"], got["verdict"])
	}
}

func TestCLI_Policy(t *testing.T) {
	dir := t.TempDir()
	code, dump, errOut := runCLI(t, nil, "policy", "dump")
	if code != 0 || !strings.Contains(dump, "as_of:") {
		t.Fatalf("policy dump = %d %s %s", code, dump, errOut)
	}
	good := filepath.Join(dir, "good.yaml")
	if err := os.WriteFile(good, []byte(dump), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, out, errOut := runCLI(t, nil, "policy", "check", good); code != 0 || !strings.Contains(out, "ok") {
		t.Errorf("policy check of the dump = %d %s %s", code, out, errOut)
	}
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte(strings.Replace(dump, "cycle: \"1.7\"", "cycle: \"1.8\"", 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errOut = runCLI(t, nil, "policy", "check", bad)
	if code != 1 || !strings.Contains(errOut, "bad.yaml line") || !strings.Contains(errOut, "duplicate cycle 1.8") {
		t.Errorf("policy check of a bad file = %d %s", code, errOut)
	}
	// SUPPORTBOT_POLICY_FILE replaces the default for ask and dump.
	env := map[string]string{"SUPPORTBOT_POLICY_FILE": good}
	if code, _, _ := runCLI(t, env, "ask", "konvoy", "1.6"); code != 0 {
		t.Errorf("ask with a policy file: exit %d", code)
	}
	env["SUPPORTBOT_POLICY_FILE"] = bad
	if code, _, errOut := runCLI(t, env, "ask", "konvoy", "1.6"); code != 2 || !strings.Contains(errOut, "bad.yaml") {
		t.Errorf("ask with a bad policy file: exit %d %s", code, errOut)
	}
	if code, _, _ := runCLI(t, nil, "policy"); code != 2 {
		t.Errorf("policy without a subcommand: exit %d", code)
	}
}

func TestCLI_HelpAndVersion(t *testing.T) {
	code, out, _ := runCLI(t, nil, "--help")
	if code != 0 {
		t.Errorf("--help exit %d", code)
	}
	for _, want := range []string{"ask", "run", "stats", "backup", "policy check", "SLACK_APP_TOKEN", "SUPPORTBOT_DB_PATH",
		"SUPPORTBOT_REMINDER_TIME", "SUPPORTBOT_QUERY_RETENTION", "SUPPORTBOT_LOG_QUESTIONS", "supportbot ask konvoy 1.6"} {
		if !strings.Contains(out, want) {
			t.Errorf("help lacks %q", want)
		}
	}
	for _, f := range policy.Grammar() {
		if !strings.Contains(out, f.Example) {
			t.Errorf("help lacks the example %q", f.Example)
		}
	}
	if code, out, _ := runCLI(t, nil, "version"); code != 0 || !strings.HasPrefix(out, "supportbot ") {
		t.Errorf("version = %d %q", code, out)
	}
}
