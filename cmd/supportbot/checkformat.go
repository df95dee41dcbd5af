package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"strings"

	"github.com/d2iq/supportbot/policy"
)

// writeReport prints r in format (one of checkFormats).
func writeReport(w io.Writer, format string, r stackReport) error {
	switch format {
	case "json":
		return writeJSON(w, reportJSON{Answer: r.Answer, File: r.File, Result: r.result(), ExitCode: r.Exit, Findings: r.Findings})
	case "markdown":
		_, err := io.WriteString(w, reportMarkdown(r))
		return err
	case "sarif":
		return writeJSON(w, reportSARIF(r))
	}
	_, err := io.WriteString(w, reportText(r))
	return err
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// reportJSON is the JSON form of a check: the policy's Answer to the stack
// question (its fields, as `ask --format json` prints them) and the check's.
type reportJSON struct {
	policy.Answer
	File     string    `json:"file"`
	Result   string    `json:"result"` // pass, fail or unknown
	ExitCode int       `json:"exit_code"`
	Findings []finding `json:"findings"`
}

// counts says how the findings came out: "4 checked: 1 fails, 1 unknown".
func (r stackReport) counts() string {
	var fail, unknown int
	for _, f := range r.Findings {
		switch {
		case f.Fails || f.Verdict.ExitCode() == exitNo:
			fail++
		case f.Verdict == policy.VerdictUnknown:
			unknown++
		}
	}
	return fmt.Sprintf("%d checked: %d %s, %d unknown", len(r.Findings), fail, map[bool]string{true: "fails", false: "fail"}[fail == 1], unknown)
}

// findingLabel is how text and Markdown name a finding's outcome.
func findingLabel(f finding) string {
	if f.Fails {
		return "FAILS"
	}
	return f.Verdict.Label()
}

func reportText(r stackReport) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s  %s: %s\n", strings.ToUpper(r.result()), r.File, r.counts())
	for _, f := range r.Findings {
		fmt.Fprintf(&b, "  %s:%d  %-13s %s\n", r.File, f.Line, findingLabel(f), oneLine(f.Summary))
	}
	if len(r.Answer.Sources) > 0 {
		b.WriteString("\nSources:\n")
		for _, s := range r.Answer.Sources {
			fmt.Fprintf(&b, "  - %s\n", s)
		}
	}
	fmt.Fprintf(&b, "Policy as of %s\n", r.Answer.AsOf)
	return b.String()
}

// reportMarkdown is the report for a CI job summary: a heading with the
// result, then a table per finding.
func reportMarkdown(r stackReport) string {
	var b strings.Builder
	icon := map[string]string{"pass": ":white_check_mark:", "fail": ":x:", "unknown": ":grey_question:"}[r.result()]
	fmt.Fprintf(&b, "## %s supportbot check `%s`: %s\n\n", icon, mdCode(r.File), r.result())
	fmt.Fprintf(&b, "%s.\n\n", r.counts())
	for _, f := range r.Findings {
		title := strings.Join(f.Subjects, ", ")
		if title == "" {
			title = "stack"
		}
		fmt.Fprintf(&b, "### %s: %s\n\n", mdText(title), mdText(string(f.Intent)))
		b.WriteString("| | |\n|---|---|\n")
		fmt.Fprintf(&b, "| Result | **%s** |\n", findingLabel(f))
		fmt.Fprintf(&b, "| Summary | %s |\n", mdCell(f.Summary))
		fmt.Fprintf(&b, "| Where | `%s` line %d |\n", mdCode(r.File), f.Line)
		fmt.Fprintf(&b, "| Rule | `%s` |\n", f.RuleID)
		if len(f.Sources) > 0 {
			srcs := make([]string, len(f.Sources))
			for i, s := range f.Sources {
				srcs[i] = mdCell(s.String())
				if s.URL != "" {
					srcs[i] = "[" + srcs[i] + "](" + s.URL + ")"
				}
			}
			fmt.Fprintf(&b, "| Sources | %s |\n", strings.Join(srcs, "<br>"))
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "_Policy as of %s._\n", r.Answer.AsOf)
	return b.String()
}

// oneLine folds line breaks, so a finding stays on its line.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// mdText escapes the characters Markdown would read as markup.
func mdText(s string) string {
	var b strings.Builder
	for _, r := range oneLine(s) {
		if strings.ContainsRune("\\`*_[]<>|~", r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// mdCell is text for a table cell: escaped, pipes included.
func mdCell(s string) string { return mdText(s) }

// mdCode is text for inside backticks: backticks cannot be escaped there.
func mdCode(s string) string { return strings.ReplaceAll(oneLine(s), "`", "'") }

// SARIF 2.1.0: only the properties a check uses.
type (
	sarifLog struct {
		Schema  string     `json:"$schema"`
		Version string     `json:"version"`
		Runs    []sarifRun `json:"runs"`
	}
	sarifRun struct {
		Tool    sarifTool     `json:"tool"`
		Results []sarifResult `json:"results"`
	}
	sarifTool struct {
		Driver sarifDriver `json:"driver"`
	}
	sarifDriver struct {
		Name           string      `json:"name"`
		Version        string      `json:"version"`
		InformationURI string      `json:"informationUri"`
		Rules          []sarifRule `json:"rules"`
	}
	sarifRule struct {
		ID               string       `json:"id"`
		ShortDescription sarifMessage `json:"shortDescription"`
	}
	sarifResult struct {
		RuleID    string          `json:"ruleId"`
		RuleIndex int             `json:"ruleIndex"`
		Level     string          `json:"level"`
		Message   sarifMessage    `json:"message"`
		Locations []sarifLocation `json:"locations"`
	}
	sarifMessage struct {
		Text string `json:"text"`
	}
	sarifLocation struct {
		PhysicalLocation sarifPhysical `json:"physicalLocation"`
	}
	sarifPhysical struct {
		ArtifactLocation sarifArtifact `json:"artifactLocation"`
		Region           sarifRegion   `json:"region"`
	}
	sarifArtifact struct {
		URI string `json:"uri"`
	}
	sarifRegion struct {
		StartLine int `json:"startLine"`
	}
)

// sarifRules are every rule a check can report, in a fixed order, so that
// ruleIndex is stable too.
var sarifRules = []sarifRule{
	{ruleFor(policy.IntentStatus), sarifMessage{"A product version in the stack is not supported, or its support is not known."}},
	{ruleFor(policy.IntentPairing), sarifMessage{"Konvoy and Kommander versions in the stack do not pair."}},
	{ruleFor(policy.IntentPlatform), sarifMessage{"A product in the stack does not run on or install from another."}},
	{ruleFor(policy.IntentKubernetes), sarifMessage{"The Kubernetes version is outside the range of the Konvoy release."}},
	{ruleFor(policy.IntentUnknown), sarifMessage{"The policy could not answer a part of the stack."}},
	{ruleEndsWithin, sarifMessage{"Support for a cycle in the stack ends within the --warn-within window."}},
	{ruleEndsLater, sarifMessage{"Support for a cycle in the stack has an announced end."}},
	{ruleIncomplete, sarifMessage{"A part of the stack was not checked."}},
}

// reportSARIF is the report as a SARIF 2.1.0 log: a result per failed or
// unknown finding (level error or warning) and per announced end of
// support (note), each located at its line of the stack file.
func reportSARIF(r stackReport) sarifLog {
	rules := sarifRules
	index := func(id string) int {
		for i, ru := range rules {
			if ru.ID == id {
				return i
			}
		}
		rules = append(rules, sarifRule{id, sarifMessage{"The policy's answer of intent " + strings.TrimPrefix(id, "supportbot/") + "."}})
		return len(rules) - 1
	}
	results := []sarifResult{}
	for _, f := range r.Findings {
		level := ""
		switch {
		case f.Fails || f.Verdict.ExitCode() == exitNo:
			level = "error"
		case f.Verdict == policy.VerdictUnknown:
			level = "warning"
		case f.RuleID == ruleEndsLater:
			level = "note"
		default:
			continue
		}
		results = append(results, sarifResult{
			RuleID: f.RuleID, RuleIndex: index(f.RuleID), Level: level,
			Message: sarifMessage{oneLine(f.Summary)},
			Locations: []sarifLocation{{PhysicalLocation: sarifPhysical{
				ArtifactLocation: sarifArtifact{URI: artifactURI(r.File)},
				Region:           sarifRegion{StartLine: max(f.Line, 1)},
			}}},
		})
	}
	return sarifLog{
		Schema:  "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json",
		Version: "2.1.0",
		Runs: []sarifRun{{
			Tool: sarifTool{Driver: sarifDriver{
				Name: "supportbot", Version: version,
				InformationURI: "https://github.com/d2iq/supportbot",
				Rules:          rules,
			}},
			Results: results,
		}},
	}
}

// artifactURI is the stack file as a SARIF artifact URI: a relative path
// stays relative (code scanning resolves it against the repository root),
// an absolute one becomes a file URI.
func artifactURI(path string) string {
	p := filepath.ToSlash(filepath.Clean(path))
	if filepath.IsAbs(path) {
		return (&url.URL{Scheme: "file", Path: p}).String()
	}
	return (&url.URL{Path: p}).String()
}
