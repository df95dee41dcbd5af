package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/d2iq/supportbot/policy"
)

// Limits of a stack file: it names a handful of products.
const (
	maxStackFileBytes = 64 << 10
	maxStackEntries   = 32
)

// stackTopicKubernetes is the stack file key for the Kubernetes version,
// which is a topic of the policy rather than a product.
const stackTopicKubernetes = "kubernetes"

// stackFile is a parsed stack file: what a cluster runs, in file order.
type stackFile struct {
	Path    string
	Entries []stackEntry
	// On is the day to check the stack on (the file's `on:`); zero for today.
	On     time.Time
	OnLine int
}

// stackEntry is one line of a stack file: a product (its policy id, or
// "kubernetes") and its version.
type stackEntry struct {
	Product string
	Version policy.Version
	Raw     string // the version as written
	Line    int
}

// Question is the stack as one question in the policy's plain words:
// "konvoy 1.8.2 kommander 1.4.1 kubernetes 1.20.6".
func (s stackFile) Question() string {
	parts := make([]string, 0, 2*len(s.Entries))
	for _, e := range s.Entries {
		parts = append(parts, e.Product, e.Version.String())
	}
	return strings.Join(parts, " ")
}

// line returns the file line of product id, or 0 when the file does not name it.
func (s stackFile) line(id string) int {
	for _, e := range s.Entries {
		if e.Product == id {
			return e.Line
		}
	}
	return 0
}

// readStackFile reads and parses the stack file at path against m's products.
// Every mistake in it is a usageError naming the file and line.
func readStackFile(path string, m *policy.Model) (stackFile, error) {
	f, err := os.Open(path)
	if err != nil {
		return stackFile{}, usagef("%v", err)
	}
	defer func() { _ = f.Close() }() // read-only: a close error loses nothing
	data, err := io.ReadAll(io.LimitReader(f, maxStackFileBytes+1))
	if err != nil {
		return stackFile{}, usagef("%s: %v", path, err)
	}
	if len(data) > maxStackFileBytes {
		return stackFile{}, usagef("%s: larger than %d KiB; a stack file names a few products", path, maxStackFileBytes>>10)
	}
	return parseStackFile(path, data, m)
}

// parseStackFile parses a stack file: a YAML mapping of product ids (or
// aliases) and `kubernetes` to versions, and an optional `on: YYYY-MM-DD`.
// Unknown keys, repeated products, versions that do not parse and anything
// that is not a flat mapping are usage errors with the file and line.
func parseStackFile(path string, data []byte, m *policy.Model) (stackFile, error) {
	s := stackFile{Path: path}
	bad := func(line int, format string, args ...any) error {
		return usagef("%s:%d: %s", path, line, fmt.Sprintf(format, args...))
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		var te *yaml.TypeError
		if errors.As(err, &te) {
			return s, usagef("%s: %s", path, strings.Join(te.Errors, "; "))
		}
		return s, usagef("%s: %v", path, strings.TrimPrefix(err.Error(), "yaml: "))
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return s, usagef("%s: the stack file is empty; name what runs, like `konvoy: 1.8.2`", path)
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return s, bad(root.Line, "a stack file is a mapping of products to versions, like `konvoy: 1.8.2`")
	}
	seen := map[string]int{}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			return s, bad(k.Line, "a key must be a product name")
		}
		if v.Kind != yaml.ScalarNode || v.Tag == "!!null" {
			return s, bad(v.Line, "%s needs one version, like `%s: 1.8.2`", k.Value, k.Value)
		}
		key := strings.ToLower(strings.TrimSpace(k.Value))
		if key == "on" {
			if s.OnLine != 0 {
				return s, bad(k.Line, "`on` is given twice (first on line %d)", s.OnLine)
			}
			d, err := policy.ParseDate(v.Value)
			if err != nil {
				return s, bad(v.Line, "on: %q is not a date like 2021-09-01", v.Value)
			}
			s.On, s.OnLine = d.Time, k.Line
			continue
		}
		id := key
		if key != stackTopicKubernetes {
			p, ok := m.Product(key)
			if !ok {
				hint := ""
				if dym, ok := policy.DidYouMean(m, key); ok {
					hint = fmt.Sprintf(" (did you mean %s?)", dym)
				}
				return s, bad(k.Line, "unknown product %q%s; known: %s, kubernetes, and on: for the day", k.Value, hint, strings.Join(m.Products(), ", "))
			}
			id = p.ID
		}
		if first, dup := seen[id]; dup {
			return s, bad(k.Line, "%s is given twice (first on line %d)", id, first)
		}
		seen[id] = k.Line
		ver, err := policy.ParseVersion(strings.TrimSpace(v.Value))
		if err != nil {
			return s, bad(v.Line, "%s: %q is not a version like 1.8.2", k.Value, v.Value)
		}
		if len(s.Entries) == maxStackEntries {
			return s, bad(k.Line, "more than %d entries", maxStackEntries)
		}
		s.Entries = append(s.Entries, stackEntry{Product: id, Version: ver, Raw: v.Value, Line: k.Line})
	}
	if len(s.Entries) == 0 {
		return s, usagef("%s: the stack file names no product; name what runs, like `konvoy: 1.8.2`", path)
	}
	return s, nil
}
