package policy_test

import (
	"testing"

	"github.com/d2iq/supportbot/policy"
)

func TestAnswer_Footer(t *testing.T) {
	for _, tt := range []struct {
		name, on, asOf, want string
	}{
		{"Today", "2026-12-01", "2026-11-23", "Policy as of 2026-11-23"},
		{"NoDay", "", "2026-11-23", "Policy as of 2026-11-23"},
		{"Past", "2021-09-01", "2022-12-01", "Policy as of 2022-12-01 · answer for 2021-09-01"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := (policy.Answer{On: tt.on, AsOf: tt.asOf}).Footer(); got != tt.want {
				t.Errorf("Footer() = %q, want %q", got, tt.want)
			}
		})
	}
}
