package bot

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Metrics are the bot's Prometheus collectors, all named supportbot_….
// A nil *Metrics counts nothing.
type Metrics struct {
	Events     *prometheus.CounterVec
	Acks       prometheus.Counter
	AckLatency prometheus.Histogram
	Replies    *prometheus.CounterVec
	APIErrors  *prometheus.CounterVec
	Retries    *prometheus.CounterVec
	Reconnects prometheus.Counter
	DedupeHits prometheus.Counter
	LogLatency prometheus.Histogram
	Reminders  prometheus.Counter
	Reloads    *prometheus.CounterVec
}

// NewMetrics creates the collectors and registers them with reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		Events: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "supportbot_events_received_total",
			Help: "Socket Mode events received, by type."}, []string{"type"}),
		Acks: prometheus.NewCounter(prometheus.CounterOpts{Name: "supportbot_acks_total",
			Help: "Envelopes acknowledged."}),
		AckLatency: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "supportbot_ack_latency_seconds",
			Help: "Time to hand an ack to the socket.", Buckets: []float64{.0001, .0005, .001, .005, .01, .05, .1, .5, 1, 3}}),
		Replies: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "supportbot_replies_total",
			Help: "Questions answered, by intent and verdict."}, []string{"intent", "verdict"}),
		APIErrors: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "supportbot_slack_api_errors_total",
			Help: "Slack Web API calls that failed for good, by method."}, []string{"method"}),
		Retries: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "supportbot_slack_api_retries_total",
			Help: "Slack Web API calls retried after a rate limit or a transient error, by method."}, []string{"method"}),
		Reconnects: prometheus.NewCounter(prometheus.CounterOpts{Name: "supportbot_reconnects_total",
			Help: "Socket Mode reconnections after the first connection."}),
		DedupeHits: prometheus.NewCounter(prometheus.CounterOpts{Name: "supportbot_dedupe_hits_total",
			Help: "Redelivered events that were not answered again."}),
		LogLatency: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "supportbot_query_log_write_seconds",
			Help: "Time to commit a question to the query log.", Buckets: []float64{.0001, .0005, .001, .002, .005, .01, .05, .1, .5}}),
		Reminders: prometheus.NewCounter(prometheus.CounterOpts{Name: "supportbot_reminders_posted_total",
			Help: "Release announcements and expiry reminders posted."}),
		Reloads: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "supportbot_policy_reloads_total",
			Help: "Policy reloads, by result (ok, failed)."}, []string{"result"}),
	}
	reg.MustRegister(m.Events, m.Acks, m.AckLatency, m.Replies, m.APIErrors, m.Retries, m.Reconnects,
		m.DedupeHits, m.LogLatency, m.Reminders, m.Reloads)
	return m
}

func (m *Metrics) event(t string) {
	if m != nil {
		m.Events.WithLabelValues(t).Inc()
	}
}

func (m *Metrics) ack(d time.Duration) {
	if m != nil {
		m.Acks.Inc()
		m.AckLatency.Observe(d.Seconds())
	}
}

func (m *Metrics) reply(intent, verdict string) {
	if m != nil {
		m.Replies.WithLabelValues(intent, verdict).Inc()
	}
}

func (m *Metrics) apiError(method string) {
	if m != nil {
		m.APIErrors.WithLabelValues(method).Inc()
	}
}

func (m *Metrics) retry(method string) {
	if m != nil {
		m.Retries.WithLabelValues(method).Inc()
	}
}

func (m *Metrics) reconnect() {
	if m != nil {
		m.Reconnects.Inc()
	}
}

func (m *Metrics) dedupeHit() {
	if m != nil {
		m.DedupeHits.Inc()
	}
}

func (m *Metrics) logLatency(d time.Duration) {
	if m != nil {
		m.LogLatency.Observe(d.Seconds())
	}
}

// ReminderPosted counts a posted reminder or announcement.
func (m *Metrics) ReminderPosted() {
	if m != nil {
		m.Reminders.Inc()
	}
}

// PolicyReload counts a policy reload by result.
func (m *Metrics) PolicyReload(ok bool) {
	if m != nil {
		result := "ok"
		if !ok {
			result = "failed"
		}
		m.Reloads.WithLabelValues(result).Inc()
	}
}
