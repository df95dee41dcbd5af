package slacktest

import (
	"encoding/json"
	"fmt"
	"maps"
	"time"
)

// envelope is a Socket Mode request as Slack sends it.
type envelope struct {
	EnvelopeID             string          `json:"envelope_id"`
	Type                   string          `json:"type"`
	Payload                json.RawMessage `json:"payload"`
	AcceptsResponsePayload bool            `json:"accepts_response_payload"`
	RetryAttempt           int             `json:"retry_attempt"`
	RetryReason            string          `json:"retry_reason"`
}

// envelopeConfig collects the EnvelopeOptions of one send.
type envelopeConfig struct {
	envelopeID   string
	eventID      string
	retryAttempt int
	retryReason  string
	accepts      *bool
}

// EnvelopeOption adjusts an envelope sent by SendEvent, SendSlashCommand or
// SendInteraction.
type EnvelopeOption func(*envelopeConfig)

// WithEnvelopeID sets the envelope id instead of generating one, e.g. to
// redeliver an envelope with the same id.
func WithEnvelopeID(id string) EnvelopeOption {
	return func(c *envelopeConfig) { c.envelopeID = id }
}

// WithEventID sets the event_id of an events_api payload instead of
// generating one, e.g. to redeliver the same event as Slack does on retries.
// Other envelope types ignore it.
func WithEventID(id string) EnvelopeOption {
	return func(c *envelopeConfig) { c.eventID = id }
}

// WithRetry sets retry_attempt and retry_reason (e.g. 1, "timeout") of the
// envelope, as Slack does when it redelivers an event that was not acked in
// time.
func WithRetry(attempt int, reason string) EnvelopeOption {
	return func(c *envelopeConfig) { c.retryAttempt, c.retryReason = attempt, reason }
}

// WithAcceptsResponsePayload overrides accepts_response_payload, which is
// true for slash commands and interactions and false for events by default.
func WithAcceptsResponsePayload(accepts bool) EnvelopeOption {
	return func(c *envelopeConfig) { c.accepts = &accepts }
}

// SlashCommand is the payload of a slash_commands envelope. Empty TeamID,
// ResponseURL, TriggerID and APIAppID get defaults (the server's team, a
// fresh NewResponseURL, a generated trigger id, the server's app).
type SlashCommand struct {
	Command     string
	Text        string
	UserID      string
	UserName    string
	ChannelID   string
	ChannelName string
	TeamID      string
	TeamDomain  string
	ResponseURL string
	TriggerID   string
	APIAppID    string
}

// SendSlashCommand sends a slash_commands envelope and returns its envelope
// id.
func (s *Server) SendSlashCommand(cmd SlashCommand, opts ...EnvelopeOption) (string, error) {
	if cmd.TeamID == "" {
		cmd.TeamID = s.opts.TeamID
	}
	if cmd.TeamDomain == "" {
		cmd.TeamDomain = "slacktest"
	}
	if cmd.ResponseURL == "" {
		cmd.ResponseURL = s.NewResponseURL()
	}
	if cmd.TriggerID == "" {
		cmd.TriggerID = s.nextID("trigger-")
	}
	if cmd.APIAppID == "" {
		cmd.APIAppID = s.opts.AppID
	}
	payload := map[string]any{
		"token":        "verification-token",
		"team_id":      cmd.TeamID,
		"team_domain":  cmd.TeamDomain,
		"channel_id":   cmd.ChannelID,
		"channel_name": cmd.ChannelName,
		"user_id":      cmd.UserID,
		"user_name":    cmd.UserName,
		"command":      cmd.Command,
		"text":         cmd.Text,
		"api_app_id":   cmd.APIAppID,
		"response_url": cmd.ResponseURL,
		"trigger_id":   cmd.TriggerID,
	}
	return s.sendEnvelope("slash_commands", payload, true, opts)
}

// SendEvent wraps the inner event ev (e.g. {"type":"app_mention","user":...,
// "text":...,"channel":...,"ts":...}) in an event_callback payload with
// event_id, team_id, api_app_id, event_time and authorizations, sends it as an
// events_api envelope and returns the envelope id. An inner event without
// "event_ts" gets the value of its "ts", or else a generated one. Note that
// slack-go reports an inner event type it does not know as an
// EventTypeErrorBadMessage, not as an events_api event.
func (s *Server) SendEvent(ev map[string]any, opts ...EnvelopeOption) (string, error) {
	cfg := applyOptions(opts)
	inner := maps.Clone(ev)
	if inner == nil {
		inner = map[string]any{}
	}
	if _, ok := inner["event_ts"]; !ok {
		if ts, ok := inner["ts"]; ok {
			inner["event_ts"] = ts
		} else {
			inner["event_ts"] = s.nextTS()
		}
	}
	eventID := cfg.eventID
	if eventID == "" {
		eventID = s.nextID("Ev")
	}
	payload := map[string]any{
		"token":      "verification-token",
		"team_id":    s.opts.TeamID,
		"api_app_id": s.opts.AppID,
		"event":      inner,
		"type":       "event_callback",
		"event_id":   eventID,
		"event_time": time.Now().Unix(),
		"authorizations": []map[string]any{{
			"enterprise_id":         nil,
			"team_id":               s.opts.TeamID,
			"user_id":               s.opts.BotUserID,
			"is_bot":                true,
			"is_enterprise_install": false,
		}},
		"is_ext_shared_channel": false,
		"event_context":         "4-slacktest",
	}
	return s.sendEnvelope("events_api", payload, false, opts)
}

// SendInteraction sends payload (e.g. {"type":"block_actions","user":{...},
// "actions":[...]}) as an interactive envelope and returns the envelope id.
// Missing "type", "team", "api_app_id", "token" and "trigger_id" get
// defaults ("block_actions", the server's team and app, generated trigger).
func (s *Server) SendInteraction(payload map[string]any, opts ...EnvelopeOption) (string, error) {
	p := maps.Clone(payload)
	if p == nil {
		p = map[string]any{}
	}
	setDefault(p, "type", "block_actions")
	setDefault(p, "team", map[string]any{"id": s.opts.TeamID, "domain": "slacktest"})
	setDefault(p, "api_app_id", s.opts.AppID)
	setDefault(p, "token", "verification-token")
	if _, ok := p["trigger_id"]; !ok {
		p["trigger_id"] = s.nextID("trigger-")
	}
	return s.sendEnvelope("interactive", p, true, opts)
}

func setDefault(m map[string]any, key string, v any) {
	if _, ok := m[key]; !ok {
		m[key] = v
	}
}

func applyOptions(opts []EnvelopeOption) envelopeConfig {
	var cfg envelopeConfig
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	return cfg
}

// sendEnvelope writes an envelope of the given type on the current connection
// and returns its id.
func (s *Server) sendEnvelope(typ string, payload any, accepts bool, opts []EnvelopeOption) (string, error) {
	cfg := applyOptions(opts)
	raw, err := json.Marshal(payload)
	if err != nil {
		return "", fmt.Errorf("slacktest: encoding %s payload: %w", typ, err)
	}
	env := envelope{
		EnvelopeID:             cfg.envelopeID,
		Type:                   typ,
		Payload:                raw,
		AcceptsResponsePayload: accepts,
		RetryAttempt:           cfg.retryAttempt,
		RetryReason:            cfg.retryReason,
	}
	if env.EnvelopeID == "" {
		env.EnvelopeID = s.nextID("env-")
	}
	if cfg.accepts != nil {
		env.AcceptsResponsePayload = *cfg.accepts
	}
	frame, err := json.Marshal(env)
	if err != nil {
		return "", fmt.Errorf("slacktest: encoding envelope: %w", err)
	}

	s.mu.Lock()
	c := s.cur
	s.mu.Unlock()
	if c == nil {
		return "", ErrNotConnected
	}
	if err := c.writeText(frame); err != nil {
		c.kill()
		return "", fmt.Errorf("slacktest: writing %s envelope: %w", typ, err)
	}
	s.logf("conn %d: sent %s envelope %s", c.id, typ, env.EnvelopeID)
	return env.EnvelopeID, nil
}
