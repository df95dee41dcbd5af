package main

import (
	"slices"
	"strings"
	"testing"
)

// TestLoadConfig_IDLists: ids are trimmed and empty ones dropped, so
// "U1, U2" lets U2 in and a trailing comma makes no one an admin.
func TestLoadConfig_IDLists(t *testing.T) {
	for _, tt := range []struct {
		admins, channels string
		wantA, wantC     []string
	}{
		{"U1, U2", "C1,C2", []string{"U1", "U2"}, []string{"C1", "C2"}},
		{"U1,", " C1 , ,", []string{"U1"}, []string{"C1"}},
		{" , ", "", nil, nil},
	} {
		t.Setenv("SLACK_APP_TOKEN", testAppToken)
		t.Setenv("SLACK_BOT_TOKEN", testBotToken)
		t.Setenv("SUPPORTBOT_ADMIN_USERS", tt.admins)
		t.Setenv("SUPPORTBOT_REMINDER_CHANNELS", tt.channels)
		c, err := loadConfig()
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(c.AdminUsers, tt.wantA) || !slices.Equal(c.ReminderChannels, tt.wantC) {
			t.Errorf("%q, %q: admins %q, channels %q; want %q, %q", tt.admins, tt.channels, c.AdminUsers, c.ReminderChannels, tt.wantA, tt.wantC)
		}
	}
}

// TestNewLogger_RedactsResponseURL: a response_url is a capability, kept
// out of the logs like the tokens.
func TestNewLogger_RedactsResponseURL(t *testing.T) {
	buf := newSyncBuffer()
	log := newLogger(buf, config{LogLevel: "info", LogFormat: "json", AppToken: testAppToken, BotToken: testBotToken})
	log.Warn("response_url", "err", `Post "https://hooks.slack.com/commands/T1/123/abcSECRET": timeout`, "token", testBotToken)
	for _, secret := range []string{"abcSECRET", testBotToken} {
		if got := buf.String(); strings.Contains(got, secret) {
			t.Errorf("log line shows %q: %s", secret, got)
		}
	}
}
