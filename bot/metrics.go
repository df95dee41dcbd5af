package bot

import (
	"sync/atomic"
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
	// The outbox: replies owed, waiting for a poster, failing, given up.
	Owed         prometheus.GaugeFunc
	OutboxQueued prometheus.GaugeFunc
	OldestOwed   prometheus.GaugeFunc
	OldestRetry  prometheus.GaugeFunc
	ReplyFailed  *prometheus.CounterVec
	APICalls     *prometheus.HistogramVec

	outbox atomic.Pointer[outbox]
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
	stat := func(f func(outboxStats) float64) func() float64 {
		return func() float64 {
			o := m.outbox.Load()
			if o == nil {
				return 0
			}
			return f(o.stats(o.b.cfg.Now()))
		}
	}
	m.Owed = prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "supportbot_owed_replies",
		Help: "Questions on record whose reply is not out yet (queued, being posted or retried)."}, stat(func(s outboxStats) float64 { return float64(s.owed) }))
	m.OutboxQueued = prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "supportbot_outbox_depth",
		Help: "Owed replies waiting for a poster."}, stat(func(s outboxStats) float64 { return float64(s.queued) }))
	m.OldestOwed = prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "supportbot_owed_oldest_seconds",
		Help: "Age of the oldest question still owed a reply."}, stat(func(s outboxStats) float64 { return s.oldest.Seconds() }))
	m.OldestRetry = prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "supportbot_retry_oldest_seconds",
		Help: "How long the longest-failing owed reply has been retried."}, stat(func(s outboxStats) float64 { return s.oldestRetry.Seconds() }))
	m.ReplyFailed = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "supportbot_replies_failed_total",
		Help: "Owed replies given up, by reason: rejected (a permanent Slack error) or expired (not taken within the retry limit)."}, []string{"reason"})
	m.APICalls = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "supportbot_slack_api_call_seconds",
		Help: "Duration of one Web API call, by method.", Buckets: []float64{.001, .005, .01, .05, .1, .5, 1, 2.5, 5, 10}}, []string{"method"})
	reg.MustRegister(m.Owed, m.OutboxQueued, m.OldestOwed, m.OldestRetry, m.ReplyFailed, m.APICalls)
	reg.MustRegister(m.Events, m.Acks, m.AckLatency, m.Replies, m.APIErrors, m.Retries, m.Reconnects,
		m.DedupeHits, m.LogLatency, m.Reminders, m.Reloads)
	return m
}

// watch makes the outbox gauges read o.
func (m *Metrics) watch(o *outbox) {
	if m != nil {
		m.outbox.Store(o)
	}
}

func (m *Metrics) replyFailed(reason string) {
	if m != nil {
		m.ReplyFailed.WithLabelValues(reason).Inc()
	}
}

func (m *Metrics) apiCall(method string, d time.Duration) {
	if m != nil {
		m.APICalls.WithLabelValues(method).Observe(d.Seconds())
	}
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
